/** Applying a trained adapter: predict argmax_c n(W_v x)·n(mean_m n(W_t u_{m,c})) (METHODS.md §4b). */
import { ConfigError } from './errors';
import { normalizeRowsInto, projectRows } from './adapterLinear';
import type { TrainedAdapter } from './adapterTypes';

export interface AdapterPrediction {
  /** predicted class index per image, length N */
  predicted: Int32Array;
  /** cosine of each image's adapted embedding with each class weight, N × C row-major */
  scores: Float32Array;
}

function rowOffsets(rows: number, d: number): Int32Array {
  return Int32Array.from({ length: rows }, (_, r) => r * d);
}

/** The adapter's class weights n(mean_m n(W_t u_{m,c})), C×d, from its templates' class prompts (T×C×d, template-major). */
export function adapterClassWeights(adapter: TrainedAdapter, classText: Float32Array): Float32Array {
  const { dim: d } = adapter;
  const T = adapter.templates.length;
  const C = adapter.classes.length;
  if (classText.length !== T * C * d) {
    throw new ConfigError('classText', `expected ${T} × ${C} rows of ${d} numbers, got ${classText.length} numbers`);
  }
  const raw = new Float32Array(T * C * d);
  projectRows(adapter.W_t, classText, rowOffsets(T * C, d), T * C, d, raw);
  const unit = new Float32Array(T * C * d);
  normalizeRowsInto(raw, T * C, d, unit, new Float64Array(T * C));
  const sums = new Float32Array(C * d);
  for (let m = 0; m < T; m++) {
    for (let c = 0; c < C; c++) {
      for (let k = 0; k < d; k++) sums[c * d + k] += unit[(m * C + c) * d + k];
    }
  }
  const out = new Float32Array(C * d);
  normalizeRowsInto(sums, C, d, out, new Float64Array(C));
  return out;
}

/** Predictions for N images (N×d, row-major) with the adapter and its templates' class prompts. */
export function applyAdapter(
  adapter: TrainedAdapter,
  imageEmbeddings: Float32Array,
  n: number,
  classText: Float32Array,
): AdapterPrediction {
  const { dim: d } = adapter;
  const C = adapter.classes.length;
  const weights = adapterClassWeights(adapter, classText);
  const predicted = new Int32Array(n);
  const scores = new Float32Array(n * C);
  // a block of images at a time: the d×d product needs a row buffer, not N of them
  const block = 256;
  const raw = new Float32Array(block * d);
  const unit = new Float32Array(block * d);
  const norms = new Float64Array(block);
  const offsets = new Int32Array(block);
  for (let from = 0; from < n; from += block) {
    const rows = Math.min(block, n - from);
    for (let r = 0; r < rows; r++) offsets[r] = (from + r) * d;
    projectRows(adapter.W_v, imageEmbeddings, offsets, rows, d, raw);
    normalizeRowsInto(raw, rows, d, unit, norms);
    for (let r = 0; r < rows; r++) {
      const i = from + r;
      let best = 0;
      for (let c = 0; c < C; c++) {
        let dot = 0;
        for (let k = 0; k < d; k++) dot += unit[r * d + k] * weights[c * d + k];
        scores[i * C + c] = dot;
        if (dot > scores[i * C + best]) best = c;
      }
      predicted[i] = best;
    }
  }
  return { predicted, scores };
}
