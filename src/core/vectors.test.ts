import { describe, expect, it } from 'vitest';
import { argmax, normalizeRows, normalizeRowsInPlace, rowDot, rowNorm } from './vectors';

describe('vectors', () => {
  it('normalises rows to unit length, leaving the input untouched', () => {
    const data = Float32Array.from([3, 4, 0, 2]);
    const unit = normalizeRows(data, 2, 2);
    expect(Array.from(unit)).toEqual([0.6000000238418579, 0.800000011920929, 0, 1]);
    expect(Array.from(data)).toEqual([3, 4, 0, 2]);
    expect(rowNorm(data, 0, 2)).toBe(5);
  });

  it('keeps all-zero rows at zero instead of producing NaN', () => {
    const data = normalizeRowsInPlace(Float32Array.from([0, 0, 1, 1]), 2, 2);
    expect(data[0]).toBe(0);
    expect(data[2]).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('dots rows and picks the first maximum', () => {
    expect(rowDot(Float32Array.from([1, 2, 3, 4]), 1, Float32Array.from([5, 6]), 0, 2)).toBe(39);
    expect(argmax([1, 3, 3, 2], 0, 4)).toBe(1);
    expect(argmax([9, 1, 3, 3], 1, 3)).toBe(1);
  });
});
