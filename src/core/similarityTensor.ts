/**
 * The N × M × C cosine tensor s[i][t][c] = v_i · u[t][c] (SPEC §1), computed once and reused by every
 * method and every K. Inputs need not be unit vectors: normalised copies are taken.
 */
import { ConfigError } from './errors';
import { normalizeRows } from './vectors';

export interface SimilarityInput {
  /** N × dim, row-major */
  imageEmbeddings: Float32Array;
  n: number;
  /** (M·C) × dim, template-major (SPEC §1) */
  textEmbeddings: Float32Array;
  m: number;
  c: number;
  dim: number;
}

export interface SimilarityTensor {
  n: number;
  m: number;
  c: number;
  dim: number;
  /** s[i][t][c] at (i·M + t)·C + c; length N·M·C */
  values: Float32Array;
  /** the normalised text rows, kept so new image batches can be added without the caller resending them */
  unitText: Float32Array;
  /** backing store with spare capacity for streaming; `values` is its prefix (internal) */
  storage: Float32Array;
}

function checkLength(field: string, array: Float32Array, expected: number): void {
  if (array.length < expected) {
    throw new ConfigError(field, `expected at least ${expected} floats, got ${array.length}`);
  }
}

/**
 * Fills out[outOffset + i·R + r] = a_i · b_r for images [0, count) and all R text rows (both unit, row-major).
 * Register-blocked 4 images × 4 text rows: each loaded float feeds 4 multiply-adds instead of one, which
 * makes this ~2.5× faster than the plain triple loop (bench/core.ts prints both; 4×4 beat 4×2, 2×4 and 3×4
 * in a micro-benchmark). Float32 inputs, double accumulators: JS arithmetic is double anyway, so float32
 * accumulation would only add Math.fround calls (measured 2× slower), and Float64 input copies double the
 * memory traffic (measured slower too).
 */
export function dotRowsBlocked(
  a: Float32Array,
  count: number,
  b: Float32Array,
  rowsB: number,
  dim: number,
  out: Float32Array,
  outOffset: number,
): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const a0 = i * dim;
    const a1 = a0 + dim;
    const a2 = a1 + dim;
    const a3 = a2 + dim;
    const o0 = outOffset + i * rowsB;
    const o1 = o0 + rowsB;
    const o2 = o1 + rowsB;
    const o3 = o2 + rowsB;
    let r = 0;
    for (; r + 4 <= rowsB; r += 4) {
      const b0 = r * dim;
      const b1 = b0 + dim;
      const b2 = b1 + dim;
      const b3 = b2 + dim;
      let s00 = 0,
        s01 = 0,
        s02 = 0,
        s03 = 0,
        s10 = 0,
        s11 = 0,
        s12 = 0,
        s13 = 0;
      let s20 = 0,
        s21 = 0,
        s22 = 0,
        s23 = 0,
        s30 = 0,
        s31 = 0,
        s32 = 0,
        s33 = 0;
      for (let d = 0; d < dim; d++) {
        const x0 = b[b0 + d],
          x1 = b[b1 + d],
          x2 = b[b2 + d],
          x3 = b[b3 + d];
        const y0 = a[a0 + d],
          y1 = a[a1 + d],
          y2 = a[a2 + d],
          y3 = a[a3 + d];
        s00 += y0 * x0;
        s01 += y0 * x1;
        s02 += y0 * x2;
        s03 += y0 * x3;
        s10 += y1 * x0;
        s11 += y1 * x1;
        s12 += y1 * x2;
        s13 += y1 * x3;
        s20 += y2 * x0;
        s21 += y2 * x1;
        s22 += y2 * x2;
        s23 += y2 * x3;
        s30 += y3 * x0;
        s31 += y3 * x1;
        s32 += y3 * x2;
        s33 += y3 * x3;
      }
      out[o0 + r] = s00;
      out[o0 + r + 1] = s01;
      out[o0 + r + 2] = s02;
      out[o0 + r + 3] = s03;
      out[o1 + r] = s10;
      out[o1 + r + 1] = s11;
      out[o1 + r + 2] = s12;
      out[o1 + r + 3] = s13;
      out[o2 + r] = s20;
      out[o2 + r + 1] = s21;
      out[o2 + r + 2] = s22;
      out[o2 + r + 3] = s23;
      out[o3 + r] = s30;
      out[o3 + r + 1] = s31;
      out[o3 + r + 2] = s32;
      out[o3 + r + 3] = s33;
    }
    for (; r < rowsB; r++) {
      const b0 = r * dim;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      for (let d = 0; d < dim; d++) {
        const x = b[b0 + d];
        s0 += a[a0 + d] * x;
        s1 += a[a1 + d] * x;
        s2 += a[a2 + d] * x;
        s3 += a[a3 + d] * x;
      }
      out[o0 + r] = s0;
      out[o1 + r] = s1;
      out[o2 + r] = s2;
      out[o3 + r] = s3;
    }
  }
  for (; i < count; i++) {
    const a0 = i * dim;
    const o0 = outOffset + i * rowsB;
    for (let r = 0; r < rowsB; r++) {
      const b0 = r * dim;
      let s = 0;
      for (let d = 0; d < dim; d++) s += a[a0 + d] * b[b0 + d];
      out[o0 + r] = s;
    }
  }
}

function checkShape(input: SimilarityInput): void {
  const { n, m, c, dim } = input;
  for (const [field, value] of [
    ['n', n],
    ['m', m],
    ['c', c],
    ['dim', dim],
  ] as const) {
    if (!Number.isInteger(value) || value < (field === 'n' ? 0 : 1)) {
      throw new ConfigError(field, `expected a ${field === 'n' ? 'non-negative' : 'positive'} integer, got ${value}`);
    }
  }
  checkLength('imageEmbeddings', input.imageEmbeddings, n * dim);
  checkLength('textEmbeddings', input.textEmbeddings, m * c * dim);
}

/** Builds the cosine tensor from (not necessarily unit) image and text embeddings. */
export function similarityTensor(input: SimilarityInput): SimilarityTensor {
  checkShape(input);
  const { n, m, c, dim } = input;
  const unitText = normalizeRows(input.textEmbeddings, m * c, dim);
  const storage = new Float32Array(n * m * c);
  const tensor: SimilarityTensor = { n: 0, m, c, dim, values: storage.subarray(0, 0), unitText, storage };
  return n === 0 ? tensor : extendSimilarityTensor(tensor, input.imageEmbeddings, n);
}

/**
 * Appends `count` new images (rows of `newImageEmbeddings`) for streaming batches: only the new rows are
 * computed. Returns a new tensor object; storage grows geometrically, so appending is amortised O(new rows).
 */
export function extendSimilarityTensor(
  tensor: SimilarityTensor,
  newImageEmbeddings: Float32Array,
  count: number,
): SimilarityTensor {
  const { m, c, dim } = tensor;
  if (!Number.isInteger(count) || count < 0)
    throw new ConfigError('count', `expected a non-negative integer, got ${count}`);
  checkLength('newImageEmbeddings', newImageEmbeddings, count * dim);
  const rowLength = m * c;
  const n = tensor.n + count;
  let storage = tensor.storage;
  if (storage.length < n * rowLength) {
    storage = new Float32Array(Math.max(n, Math.ceil(tensor.n * 1.5)) * rowLength);
    storage.set(tensor.values);
  }
  const unitImages = normalizeRows(newImageEmbeddings, count, dim);
  dotRowsBlocked(unitImages, count, tensor.unitText, rowLength, dim, storage, tensor.n * rowLength);
  return { n, m, c, dim, values: storage.subarray(0, n * rowLength), unitText: tensor.unitText, storage };
}

/**
 * Per-class Gram matrices of the unit text vectors: G[t][t'][c] = u[t][c] · u[t'][c] at (t·M + t')·C + c
 * (class innermost, matching the prefix-table build loop). Exact doubles; M·M·C entries.
 */
export function textGram(tensor: Pick<SimilarityTensor, 'm' | 'c' | 'dim' | 'unitText'>): Float64Array {
  const { m, c, dim, unitText } = tensor;
  const gram = new Float64Array(m * m * c);
  for (let t = 0; t < m; t++) {
    for (let t2 = t; t2 < m; t2++) {
      for (let k = 0; k < c; k++) {
        const a = (t * c + k) * dim;
        const b = (t2 * c + k) * dim;
        let sum = 0;
        for (let d = 0; d < dim; d++) sum += unitText[a + d] * unitText[b + d];
        gram[(t * m + t2) * c + k] = sum;
        gram[(t2 * m + t) * c + k] = sum;
      }
    }
  }
  return gram;
}
