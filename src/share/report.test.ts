import { describe, expect, it } from 'vitest';
import { analyzeBundle, prepareBundle } from '../core/analyzeBundle';
import { computeMetrics } from '../core/metrics';
import { floatsToBase64 as encodeFloat32, uint16ToBase64 as encodeUint16 } from '../core/base64';
import {
  buildReport,
  parseReport,
  parseReportValue,
  reportToBundle,
  stringifyReport,
  type ReportParseResult,
  type SageReport,
} from './report';
import { XSS, randomInt, runFixture, seededRandom } from './testSupport';

function built(input = runFixture().input): SageReport {
  const result = buildReport(input);
  if (!result.ok) throw new Error(result.error);
  return result.report;
}

function expectParsed(result: ReportParseResult): SageReport {
  if (!result.ok) throw new Error(`expected ok, got error: ${result.error}`);
  return result.report;
}

function expectError(result: ReportParseResult): string {
  if (result.ok) throw new Error('expected an error, got a report');
  return result.error;
}

/** The report as a plain JSON object, to tamper with. */
function jsonOf(report: SageReport): Record<string, any> {
  return JSON.parse(stringifyReport(report)) as Record<string, any>;
}

describe('report round trip', () => {
  it('parse(stringify(report)) restores every field, typed arrays included', () => {
    const report = built();
    const text = stringifyReport(report);
    const parsed = parseReport(text);
    expect(expectParsed(parsed)).toEqual(report);
    expect(parsed.ok && parsed.warnings).toEqual([]);
    expect(parsed.ok && parsed.report.results[3].scores).toBeInstanceOf(Float32Array);
    console.log(`report size: ${text.length} characters for 24 images, 6 methods, 80 templates, dim 8`);
  });

  it('reopens into the full results view: the embedded bundle gives the same results and metrics for every method', () => {
    const { input } = runFixture(5, 40);
    const reopened = expectParsed(parseReport(stringifyReport(built(input))));
    const bundle = reportToBundle(reopened);
    expect(bundle).not.toBeNull();
    if (!bundle) return;
    const prepared = prepareBundle(bundle);
    for (const stored of reopened.results) {
      const { result, metrics } = analyzeBundle(bundle, stored.config, { prepared });
      expect(result.predicted).toEqual(stored.predicted);
      expect(result.scores).toEqual(stored.scores);
      expect(result.selected).toEqual(stored.selected);
      expect(metrics).toEqual(stored.metrics);
    }
    // And a K the report never stored (the K slider) runs too.
    expect(analyzeBundle(bundle, { method: 'sage', k: 17, aggregate: 'embedding' }, { prepared }).metrics.n).toBe(40);
  });

  it('maps image labels to class strings when they differ (edited class strings)', () => {
    const { input } = runFixture();
    const config = { ...input.config, classes: ['a bird that lives on land', 'a bird that lives on water'] };
    const report = built({ ...input, config });
    const bundle = reportToBundle(report);
    expect(bundle?.classes).toEqual(config.classes);
    expect(bundle?.images[0].class).toBe('a bird that lives on land');
    expect(report.dataset.images[0].class).toBe('landbird');
  });

  it('without embeddings keeps metrics and predictions, and has no bundle', () => {
    const { input } = runFixture();
    const report = built({ ...input, embeddings: undefined });
    const parsed = expectParsed(parseReport(stringifyReport(report)));
    expect(parsed.embeddings).toBeUndefined();
    expect(parsed.results).toEqual(report.results);
    expect(reportToBundle(parsed)).toBeNull();
  });

  it('keeps NaN metrics (an empty group) as NaN', () => {
    const { input } = runFixture();
    const results = input.results.map((r) => ({
      ...r,
      metrics: {
        ...r.metrics,
        groups: [
          ...r.metrics.groups,
          { class: 'landbird', attribute: '', n: 0, correct: 0, accuracy: NaN, ci95: { low: 0, high: 1 } },
        ],
      },
    }));
    const parsed = expectParsed(parseReport(stringifyReport(built({ ...input, results }))));
    expect(parsed.results[0].metrics.groups.at(-1)?.accuracy).toBeNaN();
  });

  it('carries markup payloads in every string as plain, unchanged data', () => {
    const classes = [XSS, '"><script>alert(1)</script>'];
    const { input } = runFixture(3, 8, classes);
    const images = input.dataset.images.map((image, i) => ({ ...image, id: i === 0 ? `${XSS}.jpg` : image.id }));
    const runtime = { ...input.runtime!, notes: [XSS] };
    const parsed = expectParsed(
      parseReport(stringifyReport(built({ ...input, runtime, dataset: { ...input.dataset, images } }))),
    );
    expect(parsed.dataset.classes).toEqual(classes);
    expect(parsed.config.classes).toEqual(classes);
    expect(parsed.dataset.images[0].id).toBe(`${XSS}.jpg`);
    expect(parsed.runtime?.notes).toEqual([XSS]);
    expect(parsed.results[0].metrics.groups[0].class).toBe(XSS);
  });

  it('keeps small data:image thumbnails and drops anything else with a warning', () => {
    const { input } = runFixture();
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    const thumbnails = new Map([[input.dataset.images[0].id, png]]);
    const report = built({ ...input, thumbnails });
    const json = jsonOf(report);
    json.dataset.images[1].thumbnail = 'https://tracker.example/pixel.png';
    json.dataset.images[2].thumbnail = 'data:image/svg+xml;base64,PHN2Zz4=';
    json.dataset.images[3].thumbnail = 'javascript:alert(1)';
    const parsed = parseReportValue(json);
    const reopened = expectParsed(parsed);
    expect(reopened.dataset.images[0].thumbnail).toBe(png);
    expect(reopened.dataset.images.slice(1, 4).map((i) => i.thumbnail)).toEqual([undefined, undefined, undefined]);
    expect(parsed.ok && parsed.warnings).toEqual([
      'dataset.images[1].thumbnail: not a small data:image/png, jpeg or webp URL; ignored',
      'dataset.images[2].thumbnail: not a small data:image/png, jpeg or webp URL; ignored',
      'dataset.images[3].thumbnail: not a small data:image/png, jpeg or webp URL; ignored',
    ]);
  });

  it('buildReport refuses an inconsistent export instead of writing a report that will not reopen', () => {
    const { input } = runFixture();
    const results = [{ ...input.results[0], predicted: input.results[0].predicted.slice(1) }];
    const result = buildReport({ ...input, results });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toBe(
      'cannot export this report: results[0].predicted: expected 24 predictions (one per image), got 23',
    );
  });
});

describe('report validation names the field', () => {
  const base = jsonOf(built());
  const nanFloats = (length: number, at: number): string => {
    const values = new Float32Array(length);
    values[at] = NaN;
    return encodeFloat32(values);
  };
  const cases: [string, (json: Record<string, any>) => unknown, string][] = [
    [
      'no format',
      (j) => delete j.format,
      'format: expected "sage-report/1", got undefined; this is not a SAGE Explorer report',
    ],
    [
      'a bundle dropped as a report',
      (j) => (j.format = 'sage-embeddings/1'),
      'this is an embedding bundle (sage-embeddings/1), not a report: drop it as embeddings to open it',
    ],
    [
      'a newer report',
      (j) => (j.format = 'sage-report/3'),
      'this report was made by a newer version (sage-report/3); this app reads sage-report/1. Update the app or ask for a sage-report/1 report.',
    ],
    [
      'an unreadable older report',
      (j) => (j.format = 'sage-report/0'),
      'this report is sage-report/0, which this app (sage-report/1) can no longer read: no migration from sage-report/0',
    ],
    ['a bad date', (j) => (j.createdAt = 'yesterday'), 'createdAt: expected an ISO 8601 date, got "yesterday"'],
    ['app version of the wrong type', (j) => (j.appVersion = 1), 'appVersion: expected a string, got 1'],
    ['K as text', (j) => (j.config.k = 'x'), 'config.k: expected an integer ≥ 1, got "x"'],
    ['an empty class string', (j) => (j.config.classes[1] = ' '), 'config.classes[1]: class string is empty'],
    ['a missing config', (j) => delete j.config, 'config: expected an object, got undefined'],
    [
      'an unknown backend',
      (j) => (j.runtime.backend = 'cuda'),
      'runtime.backend: expected one of "webgpu", "wasm", "node", got "cuda"',
    ],
    ['negative threads', (j) => (j.runtime.threads = -1), 'runtime.threads: expected an integer in 0 … 1024, got -1'],
    [
      'class labels of the wrong length',
      (j) => j.dataset.classes.push('x'),
      'dataset.classes: expected 2 labels (one per config.classes entry), got 3',
    ],
    [
      'an image of an unknown class',
      (j) => (j.dataset.images[3].class = 'cat'),
      'dataset.images[3].class: "cat" is not one of dataset.classes',
    ],
    [
      'an image of an unknown attribute',
      (j) => (j.dataset.images[3].attribute = 'sky'),
      'dataset.images[3].attribute: "sky" is not one of dataset.attributes',
    ],
    [
      'a duplicate image id',
      (j) => (j.dataset.images[5].id = j.dataset.images[1].id),
      'dataset.images[5].id: duplicate of dataset.images[1].id "waterbird/land/0001.jpg"',
    ],
    ['no images', (j) => (j.dataset.images = []), 'dataset.images: the report has no images'],
    ['a zero dimension', (j) => (j.embeddings.dim = 0), 'embeddings.dim: expected an integer in 1 … 8192, got 0'],
    [
      'truncated image embeddings',
      (j) => (j.embeddings.images = j.embeddings.images.slice(0, -16)),
      'embeddings.images: expected 192 float32 values, got 189',
    ],
    [
      'image embeddings that are not base64',
      (j) => (j.embeddings.images = '@@@@'),
      'embeddings.images: invalid base64 character "@" at position 0',
    ],
    [
      'a NaN in the text embeddings',
      (j) => (j.embeddings.text = nanFloats(80 * 2 * 8, 8 * 5 + 3)),
      'embeddings.text: text row 5, component 3: NaN is not a finite number',
    ],
    [
      'one prediction missing',
      (j) => j.results[0].predicted.pop(),
      'results[0].predicted: expected 24 predictions (one per image), got 23',
    ],
    [
      'a class index out of range',
      (j) => (j.results[0].predicted[2] = 5),
      'results[0].predicted[2]: expected an integer in 0 … 1, got 5',
    ],
    [
      'a NaN prediction (null in JSON)',
      (j) => (j.results[0].predicted[2] = null),
      'results[0].predicted[2]: expected an integer in 0 … 1, got null',
    ],
    [
      'truncated base64',
      (j) => (j.embeddings.images = j.embeddings.images.slice(0, -1)),
      'embeddings.images: base64 length 1023 is not a multiple of 4',
    ],
    [
      'a NaN score',
      (j) => (j.results[1].scores = nanFloats(24 * 2, 7)),
      'results[1].scores: image 3, component 1: NaN is not a finite number',
    ],
    [
      'a template pick outside the pool',
      (j) => (j.results[3].selected = encodeUint16(new Uint16Array(24).fill(80))),
      'results[3].selected: image 0, pick 0: template 80 does not exist (the pool has 80)',
    ],
    [
      'an accuracy above 1',
      (j) => (j.results[0].metrics.accuracy = 1.5),
      'results[0].metrics.accuracy: expected a number in 0 … 1, got 1.5',
    ],
    [
      'an accuracy as text',
      (j) => (j.results[0].metrics.accuracy = '0.5'),
      'results[0].metrics.accuracy: expected a finite number, got "0.5"',
    ],
    [
      'more correct than n in a group',
      (j) => (j.results[0].metrics.groups[0].correct = 99),
      'results[0].metrics.groups[0].correct: expected an integer in 0 … 6, got 99',
    ],
    ['missing metrics', (j) => delete j.results[0].metrics, 'results[0].metrics: expected an object, got undefined'],
    [
      'K = 0 in a method',
      (j) => (j.results[2].config.k = 0),
      'results[2].config.k: expected an integer in 1 … 80, got 0',
    ],
    [
      'an unknown method',
      (j) => (j.results[2].config.method = 'magic'),
      'results[2].config.method: expected one of "zeroshot", "ensemble", "random", "sage", "groupprompt", got "magic"',
    ],
    ['results not a list', (j) => (j.results = {}), 'results: expected an array, got an object'],
  ];
  for (const [name, mutate, message] of cases) {
    it(`rejects ${name}`, () => {
      const json = structuredClone(base);
      mutate(json);
      expect(expectError(parseReportValue(json))).toBe(message);
      // The same through the text entry point.
      expect(expectError(parseReport(JSON.stringify(json)))).toBe(message);
    });
  }

  it('rejects non-reports and broken JSON', () => {
    expect(expectError(parseReport('[]'))).toBe('report: expected a JSON object, got an array of 0');
    expect(expectError(parseReport('null'))).toBe('report: expected a JSON object, got null');
    expect(expectError(parseReport('{"format": "sage-report/1", "appVersion": '))).toMatch(
      /^this file is not valid JSON \(/,
    );
    expect(expectError(parseReport(''))).toMatch(/^this file is not valid JSON/);
  });

  it('warns about edited metrics and unknown fields, and still opens', () => {
    const json = structuredClone(base);
    json.results[0].metrics.correct -= 1;
    json.extra = 1;
    const parsed = parseReportValue(json);
    expectParsed(parsed);
    expect(parsed.ok && parsed.warnings).toEqual([
      `results[0].metrics.correct: ${base.results[0].metrics.correct - 1}, but the stored predictions give ${base.results[0].metrics.correct}; the stored metrics may have been edited`,
      'extra: unknown field, ignored',
    ]);
  });

  it('opens an older report through the migration hook', () => {
    const old = structuredClone(base);
    old.format = 'sage-report/0';
    old.created = old.createdAt; // pretend v0 called it "created"
    delete old.createdAt;
    const migrations = {
      0: (payload: unknown) => {
        const { created, ...rest } = payload as Record<string, unknown>;
        return { ok: true as const, payload: { ...rest, format: 'sage-report/1', createdAt: created } };
      },
    };
    const parsed = parseReportValue(old, { migrations });
    expect(expectParsed(parsed).createdAt).toBe(base.createdAt);
    expect(parsed.ok && parsed.migratedFrom).toBe(0);
  });

  it('checks metrics against the labels the images carry (computed with the core)', () => {
    const { input } = runFixture();
    const metrics = computeMetrics(input.dataset.images, input.dataset.classes, input.results[3].predicted);
    expect(metrics).toEqual(input.results[3].metrics);
  });
});

describe('report fuzz (seeded; every outcome is ok or error, never an exception)', () => {
  const base = jsonOf(built(runFixture(2, 10).input));
  const text = JSON.stringify(base);

  it('truncated text at 500 seeded lengths (seed 21)', () => {
    const random = seededRandom(21);
    for (let run = 0; run < 500; run++) {
      const result = parseReport(text.slice(0, randomInt(random, text.length)));
      expect(result.ok).toBe(false);
    }
  });

  it('random values at random paths (seed 22)', () => {
    const random = seededRandom(22);
    const values: unknown[] = [
      null,
      true,
      0,
      -1,
      1.5,
      1e300,
      '',
      'x',
      XSS,
      [],
      {},
      [1, 2],
      { a: 1 },
      'AAAA',
      'sage-report/1',
    ];
    let opened = 0;
    for (let run = 0; run < 3000; run++) {
      const json = structuredClone(base);
      // Walk down a random path and replace what is there.
      let node: any = json;
      for (let depth = 0; depth < 6; depth++) {
        const keys = Object.keys(node);
        if (keys.length === 0) break;
        const key = keys[randomInt(random, keys.length)];
        const child = node[key];
        if (typeof child !== 'object' || child === null || random() < 0.3) {
          node[key] = values[randomInt(random, values.length)];
          break;
        }
        node = child;
      }
      const result = parseReportValue(json);
      expect(typeof result.ok).toBe('boolean');
      if (!result.ok) expect(result.error.length).toBeGreaterThan(0);
      else opened++;
    }
    // Mutations of free-text fields (ids, notes, …) keep a report valid, so both outcomes occur.
    expect(opened).toBeGreaterThan(0);
    expect(opened).toBeLessThan(3000);
  });

  it('random bytes as text (seed 23)', () => {
    const random = seededRandom(23);
    for (let run = 0; run < 500; run++) {
      const chars = Array.from({ length: randomInt(random, 200) }, () => String.fromCharCode(randomInt(random, 128)));
      expect(parseReport(chars.join('')).ok).toBe(false);
    }
  });
});
