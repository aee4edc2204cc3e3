import { describe, expect, it } from 'vitest';
import {
  accuracyDiscrepancy,
  assignGroups,
  computeMetrics,
  discrepancyFromGroups,
  harmonicMean,
  imageGroups,
  metricsFromImageGroups,
  wilsonInterval,
} from './metrics';
import { mulberry32 } from './random';
import type { ImageRecord } from './types';

const CLASSES = ['landbird', 'waterbird'];

/**
 * 10 images, listed out of order on purpose. Per group (n, correct):
 *   landbird/land 4, 3 (0.75)   landbird/water 2, 1 (0.5)   waterbird/land 2, 1 (0.5)   waterbird/water 2, 2 (1.0)
 * accuracy 7/10; WGA 0.5 — landbird/water wins the tie with waterbird/land by coming first in class order;
 * balanced (0.75+0.5+0.5+1)/4 = 0.6875; gap 0.2; HM 2·0.7·0.5/1.2 = 0.583333…
 */
function fixture(): { records: ImageRecord[]; predicted: Int32Array } {
  const rows: [string, string, boolean][] = [
    ['waterbird', 'water', true],
    ['landbird', 'land', true],
    ['landbird', 'water', false],
    ['waterbird', 'land', false],
    ['landbird', 'land', true],
    ['waterbird', 'water', true],
    ['landbird', 'land', false],
    ['landbird', 'water', true],
    ['waterbird', 'land', true],
    ['landbird', 'land', true],
  ];
  const records = rows.map(([cls, attribute], i) => ({ id: `img${i}`, class: cls, attribute }));
  const predicted = Int32Array.from(rows, ([cls, , right]) => {
    const truth = CLASSES.indexOf(cls);
    return right ? truth : 1 - truth;
  });
  return { records, predicted };
}

describe('wilsonInterval', () => {
  // Published values (Newcombe 1998, Stat Med 17:857, Table II, method 3: Wilson score without continuity correction)
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i → [%f, %f]', (correct, n, low, high) => {
    const ci = wilsonInterval(correct, n);
    expect(ci.low).toBeCloseTo(low, 4);
    expect(ci.high).toBeCloseTo(high, 4);
  });

  it('stays inside [0, 1] and covers everything when n = 0', () => {
    expect(wilsonInterval(5, 5).high).toBe(1);
    expect(wilsonInterval(0, 5).low).toBe(0);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });
});

describe('computeMetrics', () => {
  const { records, predicted } = fixture();

  it('computes the hand-worked group table and summary', () => {
    const m = computeMetrics(records, CLASSES, predicted);
    expect(m.groups.map((g) => [g.class, g.attribute, g.n, g.correct, g.accuracy])).toEqual([
      ['landbird', 'land', 4, 3, 0.75],
      ['landbird', 'water', 2, 1, 0.5],
      ['waterbird', 'land', 2, 1, 0.5],
      ['waterbird', 'water', 2, 2, 1],
    ]);
    expect(m.groups[0].ci95).toEqual(wilsonInterval(3, 4));
    expect(m.n).toBe(10);
    expect(m.correct).toBe(7);
    expect(m.accuracy).toBeCloseTo(0.7, 12);
    expect(m.worstGroupAccuracy).toBe(0.5);
    expect([m.worstGroup.class, m.worstGroup.attribute]).toEqual(['landbird', 'water']);
    expect(m.balancedAccuracy).toBeCloseTo(0.6875, 12);
    expect(m.gap).toBeCloseTo(0.2, 12);
    expect(m.harmonicMean).toBeCloseTo(0.7 / 1.2, 12);
    expect(m.adjustedAccuracy).toBeUndefined();
  });

  it('weights groups for adjusted accuracy (Waterbirds training sizes)', () => {
    const weights = { 'landbird/land': 3498, 'landbird/water': 184, 'waterbird/land': 56, 'waterbird/water': 1057 };
    const m = computeMetrics(records, CLASSES, predicted, weights);
    expect(m.adjustedAccuracy).toBeCloseTo((3498 * 0.75 + 184 * 0.5 + 56 * 0.5 + 1057) / 4795, 12);
    // unnamed groups weigh 0
    expect(computeMetrics(records, CLASSES, predicted, { 'waterbird/water': 1 }).adjustedAccuracy).toBe(1);
  });

  it('names the offending field on bad input', () => {
    expect(() => computeMetrics(records, CLASSES, predicted, { 'waterbird/sky': 1 })).toThrow(
      /^weights\.waterbird\/sky: no such group/,
    );
    expect(() => computeMetrics(records, CLASSES, predicted, { 'waterbird/land': -1 })).toThrow(
      /^weights\.waterbird\/land:/,
    );
    expect(() => computeMetrics(records, ['landbird'], predicted)).toThrow(
      /^images\[0\]\.class: unknown class "waterbird"/,
    );
    expect(() => computeMetrics(records, CLASSES, predicted.subarray(1))).toThrow(/^predicted: expected 10/);
    expect(() => computeMetrics([], CLASSES, [])).toThrow(/^images:/);
  });

  it('harmonic mean is 0 when both inputs are', () => {
    expect(harmonicMean(0, 0)).toBe(0);
    expect(harmonicMean(1, 0.5)).toBeCloseTo(2 / 3, 12);
  });
});

describe('accuracyDiscrepancy', () => {
  it('computes δ per (class, attribute) and ranks by signed δ, largest first', () => {
    const { records, predicted } = fixture();
    const d = accuracyDiscrepancy(records, CLASSES, predicted);
    expect(d.map((x) => [x.class, x.attribute, x.delta, x.nPresent, x.nAbsent])).toEqual([
      ['waterbird', 'water', 0.5, 2, 2], // 1.0 − 0.5
      ['landbird', 'land', 0.25, 4, 2], // 0.75 − 0.5
      ['landbird', 'water', -0.25, 2, 4],
      ['waterbird', 'land', -0.5, 2, 2],
    ]);
  });

  it('puts NaN (attribute always present for the class) last', () => {
    const records = [
      { id: 'a', class: 'landbird', attribute: 'land' },
      { id: 'b', class: 'waterbird', attribute: 'water' },
      { id: 'c', class: 'waterbird', attribute: 'land' },
    ];
    const d = accuracyDiscrepancy(records, CLASSES, [0, 1, 0]);
    expect(d.map((x) => [x.class, x.attribute])).toEqual([
      ['waterbird', 'water'],
      ['waterbird', 'land'],
      ['landbird', 'land'],
    ]);
    expect(d[2].delta).toBeNaN();
  });
});

describe('assignGroups', () => {
  it('orders groups by class order then attribute, and maps each image', () => {
    const { records } = fixture();
    const { groups, imageGroup, sizes } = assignGroups(records, ['waterbird', 'landbird']);
    expect(groups.map((g) => `${g.class}/${g.attribute}`)).toEqual([
      'waterbird/land',
      'waterbird/water',
      'landbird/land',
      'landbird/water',
    ]);
    expect(Array.from(sizes)).toEqual([2, 2, 4, 2]);
    expect(imageGroup[0]).toBe(1);
  });
});

describe('metricsFromImageGroups (records grouped once, many predictions scored)', () => {
  /** Seeded records over 3 classes × 3 attributes (some groups tiny or missing) and a random prediction. */
  function randomCase(seed: number, n: number): { records: ImageRecord[]; predicted: Int32Array; classes: string[] } {
    const next = mulberry32(seed);
    const classes = ['cat', 'dog', 'owl'];
    const attributes = ['indoor', 'outdoor', 'snow'];
    const records = Array.from({ length: n }, (_, i) => {
      const cls = classes[Math.floor(next() * 3)];
      // owl never on snow: a missing group
      const attribute = cls === 'owl' ? attributes[Math.floor(next() * 2)] : attributes[Math.floor(next() * 3)];
      return { id: `img${i}`, class: cls, attribute };
    });
    const predicted = Int32Array.from(records, () => Math.floor(next() * 3));
    return { records, predicted, classes };
  }

  it('equals computeMetrics, groups and worst group included (hand fixture and random cases)', () => {
    const { records, predicted } = fixture();
    const weights = { 'landbird/land': 3, 'waterbird/water': 1 };
    expect(metricsFromImageGroups(imageGroups(records, CLASSES), predicted, weights)).toEqual(
      computeMetrics(records, CLASSES, predicted, weights),
    );
    for (const [seed, n] of [
      [1, 7],
      [2, 60],
      [3, 500],
    ]) {
      const random = randomCase(seed, n);
      const grouped = imageGroups(random.records, random.classes);
      expect(metricsFromImageGroups(grouped, random.predicted)).toEqual(
        computeMetrics(random.records, random.classes, random.predicted),
      );
      // the same grouping scores another prediction
      const other = random.predicted.map((p) => (p + 1) % 3);
      expect(metricsFromImageGroups(grouped, other)).toEqual(computeMetrics(random.records, random.classes, other));
    }
  });

  it('names the offending field on bad input, as computeMetrics does', () => {
    const { records, predicted } = fixture();
    const grouped = imageGroups(records, CLASSES);
    expect(() => metricsFromImageGroups(grouped, predicted.subarray(1))).toThrow(/^predicted: expected 10/);
    expect(() => metricsFromImageGroups(grouped, Int32Array.from(predicted).fill(2, 3, 4))).toThrow(
      /^predicted\[3\]: expected a class index in 0\.\.1, got 2/,
    );
    expect(() => metricsFromImageGroups(imageGroups([], CLASSES), [])).toThrow(/^images:/);
    expect(() => imageGroups(records, ['landbird'])).toThrow(/^images\[0\]\.class: unknown class "waterbird"/);
  });
});

describe('discrepancyFromGroups', () => {
  it("equals accuracyDiscrepancy from the method's group table (NaN entries included)", () => {
    const { records, predicted } = fixture();
    expect(discrepancyFromGroups(computeMetrics(records, CLASSES, predicted).groups, CLASSES)).toEqual(
      accuracyDiscrepancy(records, CLASSES, predicted),
    );
    const lonely = [
      { id: 'a', class: 'landbird', attribute: 'land' },
      { id: 'b', class: 'waterbird', attribute: 'water' },
      { id: 'c', class: 'waterbird', attribute: 'land' },
    ];
    expect(discrepancyFromGroups(computeMetrics(lonely, CLASSES, [0, 1, 0]).groups, CLASSES)).toEqual(
      accuracyDiscrepancy(lonely, CLASSES, [0, 1, 0]),
    );
  });
});
