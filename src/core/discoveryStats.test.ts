import { describe, expect, it } from 'vitest';
import { accuracyDelta, mutualInformation } from './discoveryStats';

describe('accuracyDelta', () => {
  it("matches Newcombe's (1998) published hybrid score intervals for a difference of proportions", () => {
    // Newcombe, Statistics in Medicine 17:873, Table II, method 10
    const cases: [number, number, number, number, number, number][] = [
      [56, 70, 48, 80, 0.0524, 0.3339],
      [9, 10, 3, 10, 0.1705, 0.809],
      [6, 7, 2, 7, 0.0582, 0.8062],
      [5, 56, 0, 29, -0.0381, 0.1926],
    ];
    for (const [a, m, b, n, lo, hi] of cases) {
      const { delta, ci95 } = accuracyDelta(a, m, b, n);
      expect(delta).toBeCloseTo(a / m - b / n, 12);
      expect(ci95[0]).toBeCloseTo(lo, 3);
      expect(ci95[1]).toBeCloseTo(hi, 3);
    }
  });

  it('gives each accuracy its Wilson interval (hand-worked: 3/10 and 18/20)', () => {
    const r = accuracyDelta(3, 10, 18, 20);
    expect(r.accPresent).toBeCloseTo(0.3, 12);
    expect(r.accAbsent).toBeCloseTo(0.9, 12);
    expect(r.accPresentCi95[0]).toBeCloseTo(0.107789, 5);
    expect(r.accPresentCi95[1]).toBeCloseTo(0.603227, 5);
    expect(r.accAbsentCi95[0]).toBeCloseTo(0.698962, 5);
    expect(r.accAbsentCi95[1]).toBeCloseTo(0.972134, 5);
    expect(r.delta).toBeCloseTo(-0.6, 12);
    expect(r.ci95[0]).toBeCloseTo(-0.8053, 4);
    expect(r.ci95[1]).toBeCloseTo(-0.23618, 4);
  });

  it('is NaN when a side is empty', () => {
    const r = accuracyDelta(3, 10, 0, 0);
    expect(r.delta).toBeNaN();
    expect(r.ci95[0]).toBeNaN();
  });
});

describe('mutualInformation', () => {
  it('equals the hand computation Σ p(a,b) ln(p(a,b)/(p(a)p(b))) in nats', () => {
    // presence × error table [[7, 3], [2, 18]] of 30 images
    const n = 30;
    const cell = (c: number, row: number, col: number) => (c / n) * Math.log((c * n) / (row * col));
    const hand = cell(7, 10, 9) + cell(3, 10, 21) + cell(2, 20, 9) + cell(18, 20, 21);
    expect(hand).toBeCloseTo(0.190521, 6);
    expect(mutualInformation(7, 3, 2, 18)).toBeCloseTo(hand, 12);
  });

  it('is 0 for independent or constant variables and ln 2 for a perfect split of halves', () => {
    expect(mutualInformation(2, 8, 4, 16)).toBe(0);
    expect(mutualInformation(0, 10, 0, 20)).toBe(0);
    expect(mutualInformation(0, 0, 0, 0)).toBe(0);
    expect(mutualInformation(10, 0, 0, 10)).toBeCloseTo(Math.LN2, 12);
  });
});
