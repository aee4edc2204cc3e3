import { describe, expect, it } from 'vitest';
import { amplify, norm, orthonormalBasis, projectOut, solveSymmetricPositiveDefinite } from './linearAlgebra';

const vec = (...values: number[]) => Float64Array.from(values);

describe('orthonormalBasis', () => {
  it('works a 3-D case by hand: (3,4,0) → (0.6,0.8,0); (1,1,1) → (0.8,−0.6,0)·0.2/… then e3', () => {
    // (1,1,1) − ((1,1,1)·q1) q1 = (1,1,1) − 1.4·(0.6,0.8,0) = (0.16, −0.12, 1); norm √(0.0256+0.0144+1) = √1.04
    const basis = orthonormalBasis([vec(3, 4, 0), vec(1, 1, 1)]);
    expect(basis).toHaveLength(2);
    expect(Array.from(basis[0])).toEqual([0.6, 0.8, 0].map((v) => expect.closeTo(v, 12)));
    const r = Math.sqrt(1.04);
    expect(Array.from(basis[1])).toEqual([0.16 / r, -0.12 / r, 1 / r].map((v) => expect.closeTo(v, 12)));
  });

  it('drops duplicates, zero vectors and combinations of earlier vectors', () => {
    const a = vec(1, 2, 3);
    const b = vec(0, 1, -1);
    const sum = vec(1, 3, 2);
    expect(orthonormalBasis([a, a, vec(0, 0, 0), b, sum])).toHaveLength(2);
  });

  it('keeps a direction well above the 1e-6 threshold and drops one below it', () => {
    expect(orthonormalBasis([vec(1, 0), vec(1, 1e-5)])).toHaveLength(2);
    expect(orthonormalBasis([vec(1, 0), vec(1, 1e-7)])).toHaveLength(1);
  });

  it('stays orthonormal for nearly dependent inputs (the re-orthogonalisation pass)', () => {
    const vectors = Array.from({ length: 6 }, (_, k) =>
      Float64Array.from({ length: 8 }, (_, d) => 1 + 1e-4 * Math.sin(k * 8 + d)),
    );
    const basis = orthonormalBasis(vectors);
    for (let i = 0; i < basis.length; i++) {
      expect(norm(basis[i])).toBeCloseTo(1, 12);
      for (let j = 0; j < i; j++) {
        let dot = 0;
        for (let d = 0; d < 8; d++) dot += basis[i][d] * basis[j][d];
        expect(Math.abs(dot)).toBeLessThan(1e-10);
      }
    }
  });
});

describe('projectOut and amplify', () => {
  it('remove and double the component along an orthonormal basis', () => {
    const basis = [vec(0, 1, 0)];
    expect(Array.from(projectOut(vec(1, 2, 3), basis))).toEqual([1, 0, 3]);
    expect(Array.from(amplify(vec(1, 2, 3), basis))).toEqual([1, 4, 3]);
  });
});

describe('solveSymmetricPositiveDefinite', () => {
  it('solves a 2 × 2 system worked by hand: [[4,2],[2,3]] y = [2,1] → y = (0.5, 0)', () => {
    const y = solveSymmetricPositiveDefinite(vec(4, 2, 2, 3), vec(2, 1), 2);
    expect(y[0]).toBeCloseTo(0.5, 14);
    expect(y[1]).toBeCloseTo(0, 14);
  });

  it('solves a 3 × 3 system to the residual of double precision', () => {
    const a = vec(6, 2, 1, 2, 5, 2, 1, 2, 4);
    const b = vec(1, -2, 3);
    const y = solveSymmetricPositiveDefinite(a, b, 3);
    for (let i = 0; i < 3; i++) {
      let row = 0;
      for (let j = 0; j < 3; j++) row += a[i * 3 + j] * y[j];
      expect(row).toBeCloseTo(b[i], 12);
    }
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(() => solveSymmetricPositiveDefinite(vec(1, 2, 2, 1), vec(1, 1), 2)).toThrow(/positive definite/);
  });
});
