import { describe, expect, it } from 'vitest';
import { linearFit, median, perSecond, tail } from './stats';

describe('median', () => {
  it('takes the middle of an odd count and the mean of the middle two of an even count', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
  it('refuses an empty list', () => {
    expect(() => median([])).toThrow(/at least one value/);
  });
});

describe('linearFit', () => {
  it('recovers an exact line', () => {
    const fit = linearFit([0, 1, 2, 3], [10, 12, 14, 16]);
    expect(fit.slope).toBeCloseTo(2, 12);
    expect(fit.intercept).toBeCloseTo(10, 12);
    expect(fit.r2).toBeCloseTo(1, 12);
  });
  it('gives slope 0 for a flat series', () => {
    const fit = linearFit([1, 2, 3], [5, 5, 5]);
    expect(fit.slope).toBe(0);
    expect(fit.r2).toBe(0);
  });
  it('matches a hand-computed least-squares slope on noisy points', () => {
    // x̄ = 2, ȳ = 3; Σdxdy = (-2)(-2)+(-1)(0)+0+1(0)+2(2) = 8; Σdx² = 10 → slope 0.8, intercept 1.4
    const fit = linearFit([0, 1, 2, 3, 4], [1, 3, 3, 3, 5]);
    expect(fit.slope).toBeCloseTo(0.8, 12);
    expect(fit.intercept).toBeCloseTo(1.4, 12);
  });
  it('names the problem with bad input', () => {
    expect(() => linearFit([1], [1])).toThrow(/at least 2 points/);
    expect(() => linearFit([1, 2], [1])).toThrow(/2 x values but 1 y values/);
    expect(() => linearFit([2, 2], [1, 3])).toThrow(/all x values are equal/);
  });
});

describe('perSecond', () => {
  it('converts a count over milliseconds to a rate', () => {
    expect(perSecond(8, 2000)).toBe(4);
  });
  it('refuses a zero or negative duration', () => {
    expect(() => perSecond(1, 0)).toThrow(/positive/);
  });
});

describe('tail', () => {
  it('drops the leading fraction but keeps at least minKeep', () => {
    expect(tail([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.2)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(tail([1, 2, 3], 0.9, 2)).toEqual([2, 3]);
    expect(tail([1], 0.5, 2)).toEqual([1]);
  });
});
