import { describe, expect, it } from 'vitest';
import { analyzeBundle, prepareBundle } from '../core/analyzeBundle';
import { computeMetrics } from '../core/metrics';
import { floatsToBase64, uint16ToBase64 } from '../core/base64';
import { buildReport, stringifyReport } from './reportBuild';
import type { ReportParseResult, SageReport } from './reportFormat';
import { parseReport, parseReportValue, reportToBundle } from './reportRead';
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
function jsonOf(report: SageReport): Json {
  return JSON.parse(stringifyReport(report)) as Json;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Path = readonly (string | number)[];

/** The container holding the last key of `path`, for tampering with a parsed report. */
function parentOf(json: Json, path: Path): Record<string | number, Json> {
  let node = json;
  for (const key of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) throw new Error(`no ${String(key)} in the report`);
    node = (node as Record<string | number, Json>)[key];
  }
  if (typeof node !== 'object' || node === null) throw new Error(`no container at ${path.join('.')}`);
  return node as Record<string | number, Json>;
}

function at(json: Json, path: Path): Json {
  return parentOf(json, path)[path[path.length - 1]];
}

function set(json: Json, path: Path, value: Json): void {
  parentOf(json, path)[path[path.length - 1]] = value;
}

function remove(json: Json, path: Path): void {
  Reflect.deleteProperty(parentOf(json, path), path[path.length - 1]);
}

function list(json: Json, path: Path): Json[] {
  const value = at(json, path);
  if (!Array.isArray(value)) throw new Error(`${path.join('.')} is not a list`);
  return value;
}

function text(json: Json, path: Path): string {
  const value = at(json, path);
  if (typeof value !== 'string') throw new Error(`${path.join('.')} is not text`);
  return value;
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

  it('says the attributes are inferred when they are, and the note survives reopening', () => {
    const { input } = runFixture();
    const inferred = built({ ...input, dataset: { ...input.dataset, inferred: { words: ['water'], how: 'tags' } } });
    expect(inferred.dataset.attributeSource).toBe(
      "inferred from CLIP tags for the word water (not the images' own labels)",
    );
    const reopened = expectParsed(parseReport(stringifyReport(inferred)));
    expect(reopened.dataset.attributeSource).toBe(inferred.dataset.attributeSource);
    expect(built(input).dataset).not.toHaveProperty('attributeSource');
    expect(expectParsed(parseReport(stringifyReport(built(input)))).dataset).not.toHaveProperty('attributeSource');
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
    const runtime = input.runtime && { ...input.runtime, notes: [XSS] };
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
    set(json, ['dataset', 'images', 1, 'thumbnail'], 'https://tracker.example/pixel.png');
    set(json, ['dataset', 'images', 2, 'thumbnail'], 'data:image/svg+xml;base64,PHN2Zz4=');
    set(json, ['dataset', 'images', 3, 'thumbnail'], 'javascript:alert(1)');
    const parsed = parseReportValue(json);
    const reopened = expectParsed(parsed);
    expect(reopened.dataset.images[0].thumbnail).toBe(png);
    expect(reopened.dataset.images.slice(1, 4).map((i) => i.thumbnail)).toEqual([undefined, undefined, undefined]);
    expect(parsed.ok && parsed.warnings).toEqual([
      'image 2 (waterbird/land/0001.jpg): thumbnail is not a small data:image/png, jpeg or webp URL; ignored',
      'image 3 (landbird/water/0002.jpg): thumbnail is not a small data:image/png, jpeg or webp URL; ignored',
      'image 4 (waterbird/water/0003.jpg): thumbnail is not a small data:image/png, jpeg or webp URL; ignored',
    ]);
  });

  it('buildReport refuses an inconsistent export instead of writing a report that will not reopen', () => {
    const { input } = runFixture();
    const results = [{ ...input.results[0], predicted: input.results[0].predicted.slice(1) }];
    const result = buildReport({ ...input, results });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toBe(
      'cannot export this report: result 1 (zeroshot): predictions: 23, expected one per image (24)',
    );
  });
});

describe("report validation says what is wrong, in the user's words", () => {
  const base = jsonOf(built());
  const nanFloats = (length: number, at: number): string => {
    const values = new Float32Array(length);
    values[at] = NaN;
    return floatsToBase64(values);
  };
  const cases: [string, (json: Json) => unknown, string][] = [
    ['no format', (j) => remove(j, ['format']), 'this file is not a SAGE Explorer report: it has no "format" field'],
    [
      'a bundle dropped as a report',
      (j) => set(j, ['format'], 'sage-embeddings/1'),
      'this is an embedding bundle (sage-embeddings/1), not a report: drop it as embeddings to open it',
    ],
    [
      'a newer report',
      (j) => set(j, ['format'], 'sage-report/3'),
      'this report was made by a newer version (sage-report/3); this app reads sage-report/1. Update the app or ask for a sage-report/1 report.',
    ],
    [
      'an unreadable older report',
      (j) => set(j, ['format'], 'sage-report/0'),
      'this report is sage-report/0, which this app (sage-report/1) can no longer read: no migration from sage-report/0',
    ],
    [
      'a bad date',
      (j) => set(j, ['createdAt'], 'yesterday'),
      'creation date (field "createdAt") should be an ISO 8601 date, but is "yesterday"',
    ],
    [
      'app version of the wrong type',
      (j) => set(j, ['appVersion'], 1),
      'app version (field "appVersion") should be text, but is 1',
    ],
    [
      'K as text',
      (j) => set(j, ['config', 'k'], 'x'),
      'configuration: K (templates per image) should be a whole number of at least 1, but is "x"',
    ],
    [
      'an empty class string',
      (j) => set(j, ['config', 'classes', 1], ' '),
      'configuration: class 2: class string is empty',
    ],
    [
      'a missing config',
      (j) => remove(j, ['config']),
      'this file is not a SAGE Explorer report: it has no configuration (field "config")',
    ],
    [
      'an unknown backend',
      (j) => set(j, ['runtime', 'backend'], 'cuda'),
      'runtime: backend should be one of "webgpu", "wasm", "node", but is "cuda"',
    ],
    [
      'negative threads',
      (j) => set(j, ['runtime', 'threads'], -1),
      'runtime: threads should be a whole number from 0 to 1024, but is -1',
    ],
    [
      'class labels of the wrong length',
      (j) => list(j, ['dataset', 'classes']).push('x'),
      'dataset: class label list has 3 entries, expected one per class of the configuration (2)',
    ],
    [
      'an image of an unknown class',
      (j) => set(j, ['dataset', 'images', 3, 'class'], 'cat'),
      'image 4 (waterbird/water/0003.jpg): class "cat" is not one of the dataset\'s class labels',
    ],
    [
      'an image of an unknown attribute',
      (j) => set(j, ['dataset', 'images', 3, 'attribute'], 'sky'),
      'image 4 (waterbird/water/0003.jpg): attribute "sky" is not one of the dataset\'s attributes',
    ],
    [
      'a duplicate image id',
      (j) => set(j, ['dataset', 'images', 5, 'id'], at(j, ['dataset', 'images', 1, 'id'])),
      'image 6 (waterbird/land/0001.jpg): id repeats the id of image 2',
    ],
    ['no images', (j) => set(j, ['dataset', 'images'], []), 'dataset: image list is empty: the report has no images'],
    [
      'a zero dimension',
      (j) => set(j, ['embeddings', 'dim'], 0),
      'embeddings: size (dim) should be a whole number from 1 to 8192, but is 0',
    ],
    [
      'truncated image embeddings',
      (j) => set(j, ['embeddings', 'images'], text(j, ['embeddings', 'images']).slice(0, -16)),
      'embeddings: image embeddings: 189 float32 values, expected 192',
    ],
    [
      'image embeddings that are not base64',
      (j) => set(j, ['embeddings', 'images'], '@@@@'),
      'embeddings: image embeddings: not valid base64 (invalid base64 character "@" at position 0)',
    ],
    [
      'a NaN in the text embeddings',
      (j) => set(j, ['embeddings', 'text'], nanFloats(80 * 2 * 8, 8 * 5 + 3)),
      'embeddings: text embeddings: NaN at text row 6, number 4; every value must be a finite number',
    ],
    [
      'one prediction missing',
      (j) => list(j, ['results', 0, 'predicted']).pop(),
      'result 1 (zeroshot): predictions: 23, expected one per image (24)',
    ],
    [
      'a class index out of range',
      (j) => set(j, ['results', 0, 'predicted', 2], 5),
      'result 1 (zeroshot): predictions: image 3 is 5, expected a class number from 0 to 1',
    ],
    [
      'a NaN prediction (null in JSON)',
      (j) => set(j, ['results', 0, 'predicted', 2], null),
      'result 1 (zeroshot): predictions: image 3 is null, expected a class number from 0 to 1',
    ],
    [
      'truncated base64',
      (j) => set(j, ['embeddings', 'images'], text(j, ['embeddings', 'images']).slice(0, -1)),
      'embeddings: image embeddings: not valid base64 (base64 length 1023 is not a multiple of 4)',
    ],
    [
      'a NaN score',
      (j) => set(j, ['results', 1, 'scores'], nanFloats(24 * 2, 7)),
      'result 2 (ensemble): scores: NaN at image 4, number 2; every value must be a finite number',
    ],
    [
      'a template pick outside the pool',
      (j) => set(j, ['results', 3, 'selected'], uint16ToBase64(new Uint16Array(24).fill(80))),
      'result 4 (sage): template picks: image 1, pick 1 is template 80, which does not exist (the pool has 80)',
    ],
    [
      'an accuracy above 1',
      (j) => set(j, ['results', 0, 'metrics', 'accuracy'], 1.5),
      'result 1 (zeroshot): accuracy should be a number from 0 to 1, but is 1.5',
    ],
    [
      'an accuracy as text',
      (j) => set(j, ['results', 0, 'metrics', 'accuracy'], '0.5'),
      'result 1 (zeroshot): accuracy should be a number from 0 to 1, but is "0.5"',
    ],
    [
      'more correct than n in a group',
      (j) => set(j, ['results', 0, 'metrics', 'groups', 0, 'correct'], 99),
      'result 1 (zeroshot): group 1 (landbird/land) has 99 correct, more than its n (6)',
    ],
    ['missing metrics', (j) => remove(j, ['results', 0, 'metrics']), 'result 1 (zeroshot): metrics is missing'],
    [
      'K = 0 in a method',
      (j) => set(j, ['results', 2, 'config', 'k'], 0),
      'result 3 (random): K should be a whole number from 1 to 80, but is 0',
    ],
    [
      'an unknown method',
      (j) => set(j, ['results', 2, 'config', 'method'], 'magic'),
      'result 3 (magic): method should be a known method, but is "magic"',
    ],
    [
      'results not a list',
      (j) => set(j, ['results'], {}),
      'result list (field "results") should be a list, but is an object',
    ],
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
    expect(expectError(parseReport('[]'))).toBe(
      'this file is not a SAGE Explorer report: it should be a JSON object, but is a list of 0',
    );
    expect(expectError(parseReport('null'))).toBe(
      'this file is not a SAGE Explorer report: it should be a JSON object, but is null',
    );
    expect(expectError(parseReport('{"format": "sage-report/1", "appVersion": '))).toMatch(
      /^this file is not valid JSON \(/,
    );
    expect(expectError(parseReport(''))).toMatch(/^this file is not valid JSON/);
  });

  it('warns about edited metrics and unknown fields, and still opens', () => {
    const json = structuredClone(base);
    const correct = at(json, ['results', 0, 'metrics', 'correct']) as number;
    set(json, ['results', 0, 'metrics', 'correct'], correct - 1);
    set(json, ['extra'], 1);
    const parsed = parseReportValue(json);
    expectParsed(parsed);
    expect(parsed.ok && parsed.warnings).toEqual([
      `result 1 (zeroshot): correct count is ${correct - 1}, but the stored predictions give ${correct}; the stored metrics may have been edited`,
      'unknown field "extra" ignored',
    ]);
  });

  it('opens an older report through the migration hook', () => {
    const old = structuredClone(base);
    set(old, ['format'], 'sage-report/0');
    set(old, ['created'], at(old, ['createdAt'])); // pretend v0 called it "created"
    remove(old, ['createdAt']);
    const migrations = {
      0: (payload: unknown) => {
        const { created, ...rest } = payload as Record<string, unknown>;
        return { ok: true as const, payload: { ...rest, format: 'sage-report/1', createdAt: created } };
      },
    };
    const parsed = parseReportValue(old, { migrations });
    expect(expectParsed(parsed).createdAt).toBe(at(base, ['createdAt']));
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
    const values: Json[] = [
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
      let node = json as Record<string, Json>;
      for (let depth = 0; depth < 6; depth++) {
        const keys = Object.keys(node);
        if (keys.length === 0) break;
        const key = keys[randomInt(random, keys.length)];
        const child = node[key];
        if (typeof child !== 'object' || child === null || random() < 0.3) {
          node[key] = values[randomInt(random, values.length)];
          break;
        }
        node = child as Record<string, Json>;
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
