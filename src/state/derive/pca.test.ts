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
