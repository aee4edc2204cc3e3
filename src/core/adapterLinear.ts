/**
 * The few matrix kernels the adapter needs, as plain loops over row-major arrays. d×d products dominate the cost,
 * so the inner loops run over contiguous memory and nothing is allocated inside them. `Floats` lets the gradient
 * check run the same code in float64.
 */
export type Floats = Float32Array | Float64Array;

/**
 * out[r] = W · source[rowOffsets[r]…] for `rows` rows (W is d×d row-major). Four source rows share each pass over a
 * row of W (one load of W per four multiply-adds); each output is still summed over k in order.
 */
export function projectRows(
  W: Floats,
  source: Floats,
  rowOffsets: Int32Array,
  rows: number,
  d: number,
  out: Floats,
): void {
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const x0 = rowOffsets[r];
    const x1 = rowOffsets[r + 1];
    const x2 = rowOffsets[r + 2];
    const x3 = rowOffsets[r + 3];
    for (let i = 0; i < d; i++) {
      const w = i * d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < d; k++) {
        const weight = W[w + k];
        s0 += weight * source[x0 + k];
        s1 += weight * source[x1 + k];
        s2 += weight * source[x2 + k];
        s3 += weight * source[x3 + k];
      }
      out[r * d + i] = s0;
      out[(r + 1) * d + i] = s1;
      out[(r + 2) * d + i] = s2;
      out[(r + 3) * d + i] = s3;
    }
  }
  for (; r < rows; r++) {
    const src = rowOffsets[r];
    for (let i = 0; i < d; i++) {
      const w = i * d;
      let sum = 0;
      for (let k = 0; k < d; k++) sum += W[w + k] * source[src + k];
      out[r * d + i] = sum;
    }
  }
}

/** unit[r] = raw[r]/‖raw[r]‖, norms[r] = ‖raw[r]‖ (a zero row stays zero, norm 0). */
export function normalizeRowsInto(raw: Floats, rows: number, d: number, unit: Floats, norms: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let sumSq = 0;
    for (let k = 0; k < d; k++) sumSq += raw[o + k] * raw[o + k];
    const norm = Math.sqrt(sumSq);
    norms[r] = norm;
    const inv = norm > 0 ? 1 / norm : 0;
    for (let k = 0; k < d; k++) unit[o + k] = raw[o + k] * inv;
  }
}

/** Back through n(·): grad_raw = (grad_unit − (grad_unit·unit) unit)/‖raw‖, written over `gradUnit`. */
export function normalizeBackwardInPlace(
  gradUnit: Floats,
  unit: Floats,
  norms: Float64Array,
  rows: number,
  d: number,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let along = 0;
    for (let k = 0; k < d; k++) along += gradUnit[o + k] * unit[o + k];
    const inv = norms[r] > 0 ? 1 / norms[r] : 0;
    for (let k = 0; k < d; k++) gradUnit[o + k] = (gradUnit[o + k] - along * unit[o + k]) * inv;
  }
}

/**
 * gradW += Σ_r gradOut[r] ⊗ source[rowOffsets[r]…] (the gradient of out = W·source), d×d. Four rows are added to
 * each row of gradW in one pass, so gradW is read and written a quarter as often.
 */
export function accumulateOuter(
  gradW: Floats,
  gradOut: Floats,
  source: Floats,
  rowOffsets: Int32Array,
  rows: number,
  d: number,
): void {
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const x0 = rowOffsets[r];
    const x1 = rowOffsets[r + 1];
    const x2 = rowOffsets[r + 2];
    const x3 = rowOffsets[r + 3];
    for (let i = 0; i < d; i++) {
      const a0 = gradOut[r * d + i];
      const a1 = gradOut[(r + 1) * d + i];
      const a2 = gradOut[(r + 2) * d + i];
      const a3 = gradOut[(r + 3) * d + i];
      const w = i * d;
      for (let k = 0; k < d; k++) {
        gradW[w + k] += a0 * source[x0 + k] + a1 * source[x1 + k] + a2 * source[x2 + k] + a3 * source[x3 + k];
      }
    }
  }
  for (; r < rows; r++) {
    const src = rowOffsets[r];
    for (let i = 0; i < d; i++) {
      const a = gradOut[r * d + i];
      const w = i * d;
      for (let k = 0; k < d; k++) gradW[w + k] += a * source[src + k];
    }
  }
}

/** Σ_k a[ao+k]·b[bo+k]. */
export function dotAt(a: Floats, ao: number, b: Floats, bo: number, d: number): number {
  let sum = 0;
  for (let k = 0; k < d; k++) sum += a[ao + k] * b[bo + k];
  return sum;
}

/** target[to..to+d) += scale · source[so..so+d). */
export function addScaledAt(target: Floats, to: number, source: Floats, so: number, d: number, scale: number): void {
  for (let k = 0; k < d; k++) target[to + k] += scale * source[so + k];
}

/** The identity, d×d. */
export function identity(d: number): Float32Array {
  const out = new Float32Array(d * d);
  for (let i = 0; i < d; i++) out[i * d + i] = 1;
  return out;
}
