import { describe, expect, it } from 'vitest';
import type { Aggregate } from '../../core';
import { kCurve } from '../../core/kCurve';
import { DEFAULT_VIEW } from '../results';
import { kCurveCached, primeKCurve } from './kCurve';
import { randomResultsInput } from './resultsInput.fixture';
import { methodRow } from './views';

describe('kCurve', () => {
  const input = randomResultsInput(90, 12, 3, 6);
  const { analysis, records, classes } = input;

  for (const aggregate of ['embedding', 'score'] as Aggregate[]) {
    it(`equals the comparison table's SAGE and random rows at every K (${aggregate})`, () => {
      const seed = 5;
      const curve = kCurve(analysis, records, classes, { seed, aggregate });
      expect(curve.points.map((p) => p.k)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      for (const point of curve.points) {
        const view = { ...DEFAULT_VIEW, k: point.k, seed, aggregate };
        const sage = methodRow(input, 'sage', view).metrics;
        const random = methodRow(input, 'random', view).metrics;
        expect(point.sageWorstGroupAccuracy).toBe(sage.worstGroupAccuracy);
        expect(point.sageAccuracy).toBe(sage.accuracy);
        expect(point.randomWorstGroupAccuracy).toBe(random.worstGroupAccuracy);
        expect(point.randomAccuracy).toBe(random.accuracy);
      }
    });
  }

  it('varies with K, and the random curve follows the seed as the random row does', () => {
    const a = kCurve(analysis, records, classes, { seed: 0, aggregate: 'embedding' });
    const b = kCurve(analysis, records, classes, { seed: 1, aggregate: 'embedding' });
    expect(new Set(a.points.map((p) => p.sageAccuracy)).size).toBeGreaterThan(1);
    expect(a.points.map((p) => p.sageAccuracy)).toEqual(b.points.map((p) => p.sageAccuracy));
    expect(a.points.map((p) => p.randomAccuracy)).not.toEqual(b.points.map((p) => p.randomAccuracy));
    const k = 4;
    expect(b.points[k - 1].randomAccuracy).toBe(
      methodRow(input, 'random', { ...DEFAULT_VIEW, k, seed: 1 }).metrics.accuracy,
    );
  });

  it('best K: the highest SAGE worst-group accuracy, ties to the smallest K', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const other = randomResultsInput(40, 8, 2, 4, seed);
      const curve = kCurve(other.analysis, other.records, other.classes, { seed: 0, aggregate: 'embedding' });
      const wgas = curve.points.map((p) => p.sageWorstGroupAccuracy);
      const best = Math.max(...wgas);
      expect(curve.bestK).toBe(wgas.indexOf(best) + 1);
    }
    // one class: every K is right on every image, so all K tie and K = 1 wins
    const oneClass = randomResultsInput(12, 5, 1, 4);
    const flat = kCurve(oneClass.analysis, oneClass.records, oneClass.classes, { seed: 0, aggregate: 'embedding' });
    expect(flat.points.map((p) => p.sageWorstGroupAccuracy)).toEqual([1, 1, 1, 1, 1]);
    expect(flat.bestK).toBe(1);
  });

  it('is computed once per analysis, seed and aggregate', () => {
    const options = { seed: 3, aggregate: 'embedding' as const };
    const first = kCurveCached(analysis, records, classes, options);
    expect(kCurveCached(analysis, records, classes, { ...options })).toBe(first);
    expect(kCurveCached(analysis, records, classes, { ...options, seed: 4 })).not.toBe(first);
  });

  it('returns a primed curve (the bundle worker computed it) instead of computing it again', () => {
    const fresh = randomResultsInput(30, 6, 2, 4, 3);
    const options = { seed: 2, aggregate: 'score' as const };
    const handedOver = kCurve(fresh.analysis, fresh.records, fresh.classes, options);
    primeKCurve(fresh.analysis, options, handedOver);
    expect(kCurveCached(fresh.analysis, fresh.records, fresh.classes, options)).toBe(handedOver);
    expect(kCurveCached(fresh.analysis, fresh.records, fresh.classes, { ...options, seed: 1 })).not.toBe(handedOver);
  });

  it('10,000 images × 80 templates × 10 classes: prints the time (the random row has built its tables)', () => {
    const big = randomResultsInput(10_000, 80, 10, 16, 11);
    let start = performance.now();
    big.analysis.randomTables(0);
    const randomTablesMs = performance.now() - start;
    start = performance.now();
    const curve = kCurve(big.analysis, big.records, big.classes, { seed: 0, aggregate: 'embedding' });
    const curveMs = performance.now() - start;
    console.log(
      `kCurve 10,000 × 80 × 10: ${curveMs.toFixed(0)} ms for K = 1…80, SAGE and random ` +
        `(random tables, built once for the random row anyway: ${randomTablesMs.toFixed(0)} ms)`,
    );
    expect(curve.points).toHaveLength(80);
    // spot check against the table's rows at a few K
    for (const k of [1, 17, 80]) {
      const view = { ...DEFAULT_VIEW, k };
      expect(curve.points[k - 1].sageWorstGroupAccuracy).toBe(methodRow(big, 'sage', view).metrics.worstGroupAccuracy);
      expect(curve.points[k - 1].randomAccuracy).toBe(methodRow(big, 'random', view).metrics.accuracy);
    }
  }, 120_000);
});
