/**
 * The small dense linear algebra the SPEC §7 methods need, in double precision on plain loops:
 * an orthonormal basis by Gram–Schmidt and a symmetric positive definite solve for the m × m Woodbury system.
 */

/** Below this fraction of its own norm, what is left of a vector after Gram–Schmidt counts as dependent (SPEC §7). */
export const DEPENDENT_RESIDUAL = 1e-6;

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let d = 0; d < a.length; d++) sum += a[d] * b[d];
  return sum;
}

/** ‖v‖ in double precision. */
export function norm(v: Float64Array): number {
  return Math.sqrt(dot(v, v));
}

/**
 * An orthonormal basis of span{vectors}, in the vectors' order: modified Gram–Schmidt with a second
 * (re-orthogonalisation) pass, which keeps the basis orthogonal to working precision even for nearly
 * dependent inputs. A vector whose residual is at most DEPENDENT_RESIDUAL of its norm adds nothing and is
 * dropped (a zero vector too), so the basis has rank-many vectors rather than numpy QR's arbitrary extras.
 */
export function orthonormalBasis(vectors: readonly Float64Array[]): Float64Array[] {
  const basis: Float64Array[] = [];
  for (const vector of vectors) {
    const original = norm(vector);
    const residual = Float64Array.from(vector);
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) {
        const coefficient = dot(residual, q);
        for (let d = 0; d < residual.length; d++) residual[d] -= coefficient * q[d];
      }
    }
    const left = norm(residual);
    if (left <= DEPENDENT_RESIDUAL * original) continue;
    for (let d = 0; d < residual.length; d++) residual[d] /= left;
    basis.push(residual);
  }
  return basis;
}

/** v − Σ_q (v·q) q for an orthonormal basis: the projection onto the basis' orthogonal complement, in place. */
export function projectOut(v: Float64Array, basis: readonly Float64Array[]): Float64Array {
  const coefficients = basis.map((q) => dot(v, q));
  basis.forEach((q, k) => {
    for (let d = 0; d < v.length; d++) v[d] -= coefficients[k] * q[d];
  });
  return v;
}

/** v + Σ_q (v·q) q = (I + QQᵀ) v for an orthonormal basis, in place. */
export function amplify(v: Float64Array, basis: readonly Float64Array[]): Float64Array {
  const coefficients = basis.map((q) => dot(v, q));
  basis.forEach((q, k) => {
    for (let d = 0; d < v.length; d++) v[d] += coefficients[k] * q[d];
  });
  return v;
}

/** v / ‖v‖ in place; a zero vector stays zero. */
export function normalizeInPlace(v: Float64Array): Float64Array {
  const length = norm(v);
  if (length > 0) for (let d = 0; d < v.length; d++) v[d] /= length;
  return v;
}

/**
 * Solves A y = b for a symmetric positive definite m × m matrix A (row-major) by Cholesky factorisation.
 * Throws when A is not positive definite (a caller's bug: the Woodbury system always is for λ > 0).
 */
export function solveSymmetricPositiveDefinite(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const l = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * m + j];
      for (let k = 0; k < j; k++) sum -= l[i * m + k] * l[j * m + k];
      if (i === j) {
        if (!(sum > 0)) throw new Error(`matrix is not positive definite (pivot ${i} is ${sum})`);
        l[i * m + i] = Math.sqrt(sum);
      } else {
        l[i * m + j] = sum / l[j * m + j];
      }
    }
  }
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= l[i * m + k] * y[k];
    y[i] = sum / l[i * m + i];
  }
  for (let i = m - 1; i >= 0; i--) {
    let sum = y[i];
    for (let k = i + 1; k < m; k++) sum -= l[k * m + i] * y[k];
    y[i] = sum / l[i * m + i];
  }
  return y;
}
