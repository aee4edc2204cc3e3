import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { encodeBase64Url } from '../core/base64';
import { computeMetrics } from '../core/metrics';
import type { ImageRecord, Metrics } from '../core/types';
import { parseHashRoute } from './hashRoute';
import {
  LINK_REPORT_BUDGET,
  LINK_REPORT_LIMITS,
  decodeLinkReport,
  decodeSharedLink,
  encodeLinkReport,
  exampleOf,
  shareUrlWithResults,
  type LinkReport,
  type LinkReportDecodeResult,
  type LinkReportInput,
} from './linkReport';
import { makeProvenance } from './provenance';
import { RUNTIME, exampleConfig, runFixture, seededRandom } from './testSupport';
import { decodePayload, encodePayload, fnv1a32 } from './urlState';

const PROVENANCE = makeProvenance(exampleConfig(), RUNTIME, new Date('2026-12-01T10:00:00.000Z'), '0.1.0');

/** The comparison rows of a real (small) core run, as the share bar passes them. */
function fixtureInput(): LinkReportInput {
  const { results } = runFixture(11, 48);
  return {
    provenance: PROVENANCE,
    example: 'waterbirds-lite',
    classes: ['landbird', 'waterbird'],
    attributes: ['land', 'water'],
    images: 48,
    k: 1,
    selected: 'sage',
    // one row per method, as the table shows them (the fixture has SAGE twice, at two K)
    methods: results
      .filter((r, i, all) => all.findIndex((o) => o.config.method === r.config.method) === i)
      .map((r) => ({ method: r.config.method, label: `label of ${r.config.method}`, metrics: r.metrics })),
  };
}

/** Many groups: `classes` × `attributes`, a few images each, seeded predictions for three methods. */
function bigInput(classCount: number, attributeCount: number): LinkReportInput {
  const random = seededRandom(5);
  const classes = Array.from({ length: classCount }, (_, i) => `class number ${i}`);
  const attributes = Array.from({ length: attributeCount }, (_, i) => `attribute ${i}`);
  const records: ImageRecord[] = [];
  for (const cls of classes)
    for (const attribute of attributes)
      for (let i = 0, n = 2 + Math.floor(random() * 5); i < n; i++)
        records.push({ id: `${records.length}`, class: cls, attribute });
  const method = (accuracy: number): Metrics =>
    computeMetrics(
      records,
      classes,
      records.map((r) =>
        random() < accuracy ? classes.indexOf(r.class) : (classes.indexOf(r.class) + 1) % classCount,
      ),
    );
  return {
    provenance: PROVENANCE,
    example: null,
    classes,
    attributes,
    images: records.length,
    k: 4,
    selected: 'sage',
    methods: [
      { method: 'zeroshot', label: 'Zero-shot', metrics: method(0.6) },
      { method: 'ensemble', label: 'Ensemble', metrics: method(0.7) },
      { method: 'sage', label: 'SAGE', metrics: method(0.8) },
    ],
  };
}

function expectReport(result: LinkReportDecodeResult): LinkReport {
  if (!result.ok) throw new Error(`expected a report, got: ${result.error}`);
  return result.report;
}

function expectError(result: LinkReportDecodeResult): string {
  if (result.ok) throw new Error('expected the results part to be refused');
  return result.error;
}

/** The compact JSON of an encoded results part, to hand-edit for validation tests. */
function compactOf(param: string): Record<string, unknown> {
  const decoded = decodePayload(param.slice(param.indexOf('.') + 1));
  if (!decoded.ok) throw new Error(decoded.error);
  return decoded.value as Record<string, unknown>;
}

const paramFor = (payload: unknown): string => `1.${encodePayload(payload)}`;

describe('link report round trip', () => {
  it('restores every figure of the comparison table exactly, from integers', () => {
    const input = fixtureInput();
    const encoded = encodeLinkReport(input);
    if (!encoded.ok) throw new Error(encoded.error);
    expect(encoded.groupsKept).toBe(encoded.groupCount);
    const report = expectReport(decodeLinkReport(encoded.param));
    expect(report.methods.map((m) => m.method)).toEqual(input.methods.map((m) => m.method));
    report.methods.forEach((m, i) => {
      // Metrics as the core computed them: accuracy, WGA and its group, intervals, gap, HM, balanced accuracy
      expect(m.metrics).toEqual(input.methods[i].metrics);
      expect(m.label).toBe(input.methods[i].label);
    });
    expect(report.provenance).toEqual(PROVENANCE);
    expect(report).toMatchObject({
      example: 'waterbirds-lite',
      classes: ['landbird', 'waterbird'],
      attributes: ['land', 'water'],
      images: 48,
      k: 1,
      selected: 'sage',
      groupCount: 4,
      groupsKept: 4,
    });
  });

  it('says nothing about the images beyond counts and group names when they are not the example', () => {
    const input = { ...fixtureInput(), example: null };
    const encoded = encodeLinkReport(input);
    if (!encoded.ok) throw new Error(encoded.error);
    const compact = compactOf(encoded.param);
    expect('x' in compact).toBe(false);
    // no file names (the fixture's ids are "landbird/land/0000.jpg")
    expect(JSON.stringify(compact)).not.toContain('.jpg');
    expect(expectReport(decodeLinkReport(encoded.param)).example).toBeNull();
  });

  it('keeps a typical link short and the whole URL opens as configuration plus results', () => {
    const encoded = encodeLinkReport(fixtureInput());
    if (!encoded.ok) throw new Error(encoded.error);
    const url = shareUrlWithResults(exampleConfig(), encoded.param, 'https://sage.example/app/?model=local:tiny-clip');
    console.log(`link with results: ${url.length} characters (results part ${encoded.param.length})`);
    expect(url.length).toBeLessThan(8192);
    const route = parseHashRoute(url.slice(url.indexOf('#')), url);
    if (route.kind !== 'config' || !route.result.ok || !route.results?.ok) throw new Error('expected both parts');
    expect(route.result.config).toEqual(exampleConfig());
    expect(route.results.report.methods.length).toBe(fixtureInput().methods.length);
  });
});

describe('links from before the results part', () => {
  // made by the app before links could carry results (configuration part v1, unchanged since)
  const OLD_LINK =
    '#c=1.NYzBCsMgEER_Rea8PZQcSvdXSg9GpUjXTTGCpOK_Vwu5zbw3TIMDPyBW_RqzB6HaEvI_Pwn2lKeYsEzYOmi5E9JhtqqmdeOzrVFfc5HAkM1Z4RL1uDiJn3GQwsBB95BWCaO_wQthB98IX_C1_wDGzOt-';

  it('opens exactly as before, with no results', () => {
    const route = parseHashRoute(OLD_LINK, 'https://sage.example/');
    expect(route).toEqual({
      kind: 'config',
      result: {
        ok: true,
        warnings: [],
        config: exampleConfig({
          model: 'local:tiny-clip',
          k: 3,
          method: 'ensemble',
          seed: 7,
          templates: ['{}', 'a photo of a {}.', 'my own {} drawing'],
          zeroshotTemplate: 1,
        }),
      },
      results: null,
    });
  });

  it('ignores a part it does not know, with a warning', () => {
    const link = decodeSharedLink(`${OLD_LINK.slice(1)}&zz=1`);
    expect(link.config.ok && link.config.warnings).toEqual(['link: unknown part "zz" ignored (made by a newer app?)']);
  });
});

describe('link report size cap', () => {
  it('drops per-group rows past the budget, keeping every worst group and the exact overall figures', () => {
    const input = bigInput(60, 20);
    const encoded = encodeLinkReport(input);
    if (!encoded.ok) throw new Error(encoded.error);
    console.log(
      `1,200 groups × 3 methods: results part ${encoded.param.length} characters, ${encoded.groupsKept} of ${encoded.groupCount} groups kept`,
    );
    expect(encoded.param.length).toBeLessThanOrEqual(LINK_REPORT_BUDGET);
    expect(encoded.groupCount).toBe(1200);
    expect(encoded.groupsKept).toBeGreaterThan(3);
    expect(encoded.groupsKept).toBeLessThan(1200);
    // a bigger budget keeps more
    const roomier = encodeLinkReport(input, 2 * LINK_REPORT_BUDGET);
    expect(roomier.ok && roomier.groupsKept).toBeGreaterThan(encoded.groupsKept);
    const report = expectReport(decodeLinkReport(encoded.param));
    expect(report.groupsKept).toBe(encoded.groupsKept);
    report.methods.forEach((m, i) => {
      const original = input.methods[i].metrics;
      expect(m.metrics.accuracy).toBe(original.accuracy);
      expect(m.metrics.worstGroupAccuracy).toBe(original.worstGroupAccuracy);
      expect(m.metrics.worstGroup).toEqual(original.worstGroup);
      expect(m.metrics.groups.length).toBe(encoded.groupsKept);
      expect(m.metrics.balancedAccuracy).toBeNaN();
    });
    // the kept groups are where zero-shot does worst
    const zeroshot = input.methods[0].metrics.groups.map((g) => g.accuracy).sort((a, b) => a - b);
    const keptWorst = Math.max(...report.methods[0].metrics.groups.map((g) => g.accuracy));
    expect(keptWorst).toBeLessThanOrEqual(zeroshot[encoded.groupsKept]);
  });

  it('refuses when even the overall figures do not fit', () => {
    const encoded = encodeLinkReport(fixtureInput(), 40);
    expect(encoded).toEqual({
      ok: false,
      error: 'even without per-group rows the results need more than 40 characters; export a report instead',
    });
  });
});

describe('a damaged or hostile results part is refused with a sentence', () => {
  const good = (): string => {
    const encoded = encodeLinkReport(fixtureInput());
    if (!encoded.ok) throw new Error(encoded.error);
    return encoded.param;
  };

  it('a changed character fails the checksum', () => {
    const param = good();
    const at = param.length - 10;
    const changed = param.slice(0, at) + (param[at] === 'A' ? 'B' : 'A') + param.slice(at + 1);
    expect(expectError(decodeLinkReport(changed))).toBe(
      'the results part: link data is damaged (checksum mismatch); was the link cut off or edited?',
    );
  });

  it('an oversized part is refused before decoding', () => {
    const huge = `1.${'A'.repeat(LINK_REPORT_LIMITS.encodedChars + 1)}`;
    expect(expectError(decodeLinkReport(huge))).toBe(
      `the results part: it is too long (${LINK_REPORT_LIMITS.encodedChars + 3} characters; at most ${LINK_REPORT_LIMITS.encodedChars})`,
    );
  });

  it('a decompression bomb is refused at the cap', () => {
    const deflated = deflateSync(new Uint8Array(16 * 1024 * 1024), { level: 9 });
    const bytes = new Uint8Array(deflated.length + 4);
    bytes.set(deflated);
    new DataView(bytes.buffer).setUint32(deflated.length, fnv1a32(deflated));
    const param = `1.${encodeBase64Url(bytes)}`;
    expect(param.length).toBeLessThan(LINK_REPORT_LIMITS.encodedChars);
    expect(expectError(decodeLinkReport(param))).toBe(
      `the results part: link data expands to more than ${LINK_REPORT_LIMITS.decompressedBytes} bytes; refused`,
    );
  });

  it('a newer version is refused, and the configuration still opens', () => {
    expect(expectError(decodeLinkReport('2.abc'))).toBe(
      'the results part: it was made by a newer version (v2); this app reads v1. The configuration still opens.',
    );
    const link = decodeSharedLink(
      `c=1.${'NYzBCsMgEER_Rea8PZQcSvdXSg9GpUjXTTGCpOK_Vwu5zbw3TIMDPyBW_RqzB6HaEvI_Pwn2lKeYsEzYOmi5E9JhtqqmdeOzrVFfc5HAkM1Z4RL1uDiJn3GQwsBB95BWCaO_wQthB98IX_C1_wDGzOt-'}&r=1.xyz`,
    );
    expect(link.config.ok).toBe(true);
    expect(link.results?.ok).toBe(false);
  });

  const edits: [string, (c: Record<string, unknown>) => void, string][] = [
    ['K of 0', (c) => (c.k = 0), 'the results part: K should be a whole number of at least 1, but is 0'],
    [
      'a negative image count',
      (c) => (c.n = -1),
      'the results part: number of images should be a whole number of at least 0, but is -1',
    ],
    [
      'no provenance',
      (c) => delete c.p,
      'the results part: provenance (app, model, precision, backend, date) is missing',
    ],
    [
      'more correct than images',
      (c) => {
        const rows = c.r as unknown[][];
        rows[1][3] = 1000;
      },
      'the results part: method 2 (label of ensemble) has 1000 correct of 48 images',
    ],
    [
      'a group with more correct than images',
      (c) => {
        const counts = (c.r as unknown[][])[0][5] as number[];
        counts[1] = counts[0] + 1;
      },
      'the results part: method 1 (label of zeroshot): group 1 (landbird / land) has 13 correct of 12 images',
    ],
    [
      'group counts that do not add up',
      (c) => {
        const counts = (c.r as unknown[][])[0][5] as number[];
        counts[0] += 1;
      },
      'the results part: method 1 (label of zeroshot): its groups add up to more images (or correct ones) than the row has',
    ],
    [
      'a group index past the lists',
      (c) => ((c.g as number[])[0] = 7),
      'the results part: group 1 names a class or attribute the link does not list',
    ],
    [
      'a label that is not text',
      (c) => ((c.r as unknown[][])[0][1] = 5),
      'the results part: method 1: label should be text, but is 5',
    ],
    [
      'too many methods',
      (c) => (c.r = Array.from({ length: 65 }, () => (c.r as unknown[])[0])),
      'the results part: method list has too many entries (65; at most 64)',
    ],
    [
      'a control character in a class',
      (c) => ((c.c as string[])[0] = 'land\u0007bird'),
      'the results part: class list: entry 1 contains a control character (U+0007) at position 4',
    ],
  ];
  for (const [name, edit, error] of edits) {
    it(`names the problem: ${name}`, () => {
      const compact = compactOf(good());
      edit(compact);
      expect(expectError(decodeLinkReport(paramFor(compact)))).toBe(error);
    });
  }

  it('leaves out a row of a method it does not know, with a warning', () => {
    const compact = compactOf(good());
    (compact.r as unknown[][])[1][0] = 'futuremethod';
    const result = decodeLinkReport(paramFor(compact));
    if (!result.ok) throw new Error(result.error);
    expect(result.report.methods.length).toBe(fixtureInput().methods.length - 1);
    expect(result.warnings).toEqual([
      'The link\'s results name a method this app does not know ("futuremethod"); its row is left out.',
    ]);
  });

  it('never throws on random bytes', () => {
    const random = seededRandom(3);
    for (let i = 0; i < 200; i++) {
      const bytes = Uint8Array.from({ length: 1 + Math.floor(random() * 80) }, () => Math.floor(random() * 256));
      const result = decodeLinkReport(`1.${encodeBase64Url(bytes)}`);
      expect(result.ok).toBe(false);
    }
  });
});

describe('exampleOf', () => {
  const ids = ['waterbirds-lite'];
  it('names the example when every image is one of its images with its own attribute', () => {
    const records = [
      { id: 'waterbirds-lite/landbird/land/0001.jpg', attribute: 'land' },
      { id: 'waterbirds-lite/waterbird/water/0002.jpg', attribute: 'water' },
    ];
    expect(exampleOf(records, ids)).toBe('waterbirds-lite');
    // an image from elsewhere, or a re-tagged attribute: not the example any more
    expect(exampleOf([...records, { id: 'mine/landbird/land/x.jpg', attribute: 'land' }], ids)).toBeNull();
    expect(exampleOf([{ ...records[0], attribute: 'water' }], ids)).toBeNull();
    expect(exampleOf([], ids)).toBeNull();
  });
});
