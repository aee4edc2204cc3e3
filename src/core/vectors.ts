/** Row-vector helpers on row-major Float32Arrays (rows × dim). */

/** Euclidean norm of row `row`, accumulated in double precision. */
export function rowNorm(data: Float32Array, row: number, dim: number): number {
  let sum = 0;
  const base = row * dim;
  for (let d = 0; d < dim; d++) {
    const x = data[base + d];
    sum += x * x;
  }
  return Math.sqrt(sum);
}

/**
 * Normalises each row to unit length in place. All-zero rows stay zero (there is no direction to keep);
 * bundle validation rejects them before they get here.
 */
export function normalizeRowsInPlace(data: Float32Array, rows: number, dim: number): Float32Array {
  for (let r = 0; r < rows; r++) {
    const norm = rowNorm(data, r, dim);
    if (norm === 0) continue;
    const inv = 1 / norm;
    const base = r * dim;
    for (let d = 0; d < dim; d++) data[base + d] *= inv;
  }
  return data;
}

/** A normalised copy of the first `rows` rows; the input is left untouched. */
export function normalizeRows(data: Float32Array, rows: number, dim: number): Float32Array {
  return normalizeRowsInPlace(data.slice(0, rows * dim), rows, dim);
}

/** Dot product of row `a` of `x` and row `b` of `y` (same dim), double accumulation. */
export function rowDot(x: Float32Array, a: number, y: Float32Array, b: number, dim: number): number {
  let sum = 0;
  const xa = a * dim;
  const yb = b * dim;
  for (let d = 0; d < dim; d++) sum += x[xa + d] * y[yb + d];
  return sum;
}

/** Index of the largest of `count` values starting at `offset`; ties → lowest index. */
/** Cosine of two vectors of the same length; 0 when either is all zeros. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

export function argmax(values: ArrayLike<number>, offset: number, count: number): number {
  let best = 0;
  let bestValue = values[offset];
  for (let j = 1; j < count; j++) {
    const v = values[offset + j];
    if (v > bestValue) {
      bestValue = v;
      best = j;
    }
  }
  return best;
}
