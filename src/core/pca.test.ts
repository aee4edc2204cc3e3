import { describe, expect, it } from 'vitest';
import { pca2 } from './pca';

describe('pca2', () => {
  it('finds the axes of an anisotropic cloud and their variances', () => {
    // points on a plane spanned by e0 (spread 3) and e2 (spread 1), offset by a constant
    const n = 400;
    const dim = 4;
    const rows = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) {
      const a = Math.cos(i * 1.3) * 3;
      const b = Math.sin(i * 2.1);
      rows.set([5 + a, 1, -2 + b, 7], i * dim);
    }
    const r = pca2(rows, n, dim);
    expect(Math.abs(r.components[0][0])).toBeCloseTo(1, 4);
    expect(Math.abs(r.components[1][2])).toBeCloseTo(1, 4);
    // projections are centred and reproduce the generating coordinates up to sign
    let sumA = 0;
    for (let i = 0; i < n; i++) sumA += r.points[2 * i];
    expect(Math.abs(sumA / n)).toBeLessThan(1e-4);
    expect(r.variance[0]).toBeGreaterThan(r.variance[1] * 5);
  });

  it('reports the share of the total variance each component explains', () => {
    // three independent axes with variances 9 : 4 : 1 (exactly, over these points): PC 1 keeps 9/14, PC 2 4/14
    const dim = 3;
    const corners: number[][] = [];
    for (const a of [-3, 3]) for (const b of [-2, 2]) for (const c of [-1, 1]) corners.push([a, b, c]);
    const rows = Float32Array.from(corners.flat());
    const r = pca2(rows, corners.length, dim);
    expect(r.totalVariance).toBeCloseTo((8 * 14) / 7, 6);
    expect(r.explained[0]).toBeCloseTo(9 / 14, 6);
    expect(r.explained[1]).toBeCloseTo(4 / 14, 6);
  });

  it('explains nothing (0, not NaN) when the rows do not vary', () => {
    const r = pca2(new Float32Array(12).fill(0.5), 4, 3);
    expect(r.totalVariance).toBe(0);
    expect(r.explained).toEqual([0, 0]);
  });

  it('gives orthogonal components', () => {
    const n = 50;
    const dim = 6;
    const rows = new Float32Array(n * dim);
    for (let i = 0; i < rows.length; i++) rows[i] = (Math.sin(i * 12.9898) * 43758.5453) % 1;
    const r = pca2(rows, n, dim);
    let dot = 0;
    for (let d = 0; d < dim; d++) dot += r.components[0][d] * r.components[1][d];
    expect(Math.abs(dot)).toBeLessThan(1e-6);
  });

  it('rejects rows shorter than n × dim', () => {
    expect(() => pca2(new Float32Array(3), 2, 2)).toThrow('expected 2×2');
  });
});
