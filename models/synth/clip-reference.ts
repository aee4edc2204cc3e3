// An independent CLIP forward pass in plain loops (double-precision accumulation), written from the
// architecture description, not from the ONNX graph. Tests run it on weights read back from the
// generated files and compare with onnxruntime: agreement is what shows the graphs are CLIP.

import type { FloatTensor } from './read-onnx.ts';
import type { ClipDims, TextDims, VisionDims } from './sizes.ts';

type Weights = ReadonlyMap<string, FloatTensor>;

function get(weights: Weights, name: string): Float32Array {
  const tensor = weights.get(name);
  if (!tensor) throw new Error(`missing weight ${name}`);
  return tensor.data;
}

/** Row-wise LayerNorm of `rows` vectors of length `width`. */
function layerNorm(
  x: Float64Array,
  rows: number,
  width: number,
  scale: Float32Array,
  bias: Float32Array,
  eps: number,
): Float64Array {
  const out = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) {
    let mean = 0;
    for (let i = 0; i < width; i++) mean += x[r * width + i];
    mean /= width;
    let variance = 0;
    for (let i = 0; i < width; i++) variance += (x[r * width + i] - mean) ** 2;
    variance /= width;
    const inv = 1 / Math.sqrt(variance + eps);
    for (let i = 0; i < width; i++) out[r * width + i] = (x[r * width + i] - mean) * inv * scale[i] + bias[i];
  }
  return out;
}

/** y = x W (+ b) with W stored [in, out]. */
function linear(
  x: Float64Array,
  rows: number,
  inDim: number,
  outDim: number,
  weight: Float32Array,
  bias?: Float32Array,
): Float64Array {
  const out = new Float64Array(rows * outDim);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < outDim; j++) {
      let sum = bias ? bias[j] : 0;
      for (let i = 0; i < inDim; i++) sum += x[r * inDim + i] * weight[i * outDim + j];
      out[r * outDim + j] = sum;
    }
  }
  return out;
}

interface EncoderShape {
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
}

function attention(
  weights: Weights,
  prefix: string,
  x: Float64Array,
  tokens: number,
  dims: EncoderShape,
  causal: boolean,
): Float64Array {
  const w = dims.hiddenSize;
  const headDim = w / dims.numHeads;
  const scale = 1 / Math.sqrt(headDim);
  const proj = (name: string) =>
    linear(x, tokens, w, w, get(weights, `${prefix}.${name}.weight`), get(weights, `${prefix}.${name}.bias`));
  const q = proj('q_proj');
  const k = proj('k_proj');
  const v = proj('v_proj');
  const context = new Float64Array(tokens * w);
  const scores = new Float64Array(tokens);
  for (let h = 0; h < dims.numHeads; h++) {
    const offset = h * headDim;
    for (let t = 0; t < tokens; t++) {
      const visible = causal ? t + 1 : tokens; // causal: token t sees tokens 0..t
      let max = -Infinity;
      for (let s = 0; s < visible; s++) {
        let dot = 0;
        for (let d = 0; d < headDim; d++) dot += q[t * w + offset + d] * scale * k[s * w + offset + d];
        scores[s] = dot;
        if (dot > max) max = dot;
      }
      let total = 0;
      for (let s = 0; s < visible; s++) {
        scores[s] = Math.exp(scores[s] - max);
        total += scores[s];
      }
      for (let d = 0; d < headDim; d++) {
        let sum = 0;
        for (let s = 0; s < visible; s++) sum += scores[s] * v[s * w + offset + d];
        context[t * w + offset + d] = sum / total;
      }
    }
  }
  return linear(
    context,
    tokens,
    w,
    w,
    get(weights, `${prefix}.out_proj.weight`),
    get(weights, `${prefix}.out_proj.bias`),
  );
}

function encoder(
  weights: Weights,
  prefix: string,
  input: Float64Array,
  tokens: number,
  dims: EncoderShape,
  eps: number,
  causal: boolean,
): Float64Array {
  const w = dims.hiddenSize;
  const hidden = Float64Array.from(input);
  for (let l = 0; l < dims.numLayers; l++) {
    const layer = `${prefix}.layers.${l}`;
    const ln1 = layerNorm(
      hidden,
      tokens,
      w,
      get(weights, `${layer}.layer_norm1.weight`),
      get(weights, `${layer}.layer_norm1.bias`),
      eps,
    );
    const attn = attention(weights, `${layer}.self_attn`, ln1, tokens, dims, causal);
    for (let i = 0; i < hidden.length; i++) hidden[i] += attn[i];
    const ln2 = layerNorm(
      hidden,
      tokens,
      w,
      get(weights, `${layer}.layer_norm2.weight`),
      get(weights, `${layer}.layer_norm2.bias`),
      eps,
    );
    const up = linear(
      ln2,
      tokens,
      w,
      dims.intermediateSize,
      get(weights, `${layer}.mlp.fc1.weight`),
      get(weights, `${layer}.mlp.fc1.bias`),
    );
    for (let i = 0; i < up.length; i++) up[i] = up[i] / (1 + Math.exp(-1.702 * up[i])); // quick_gelu
    const down = linear(
      up,
      tokens,
      dims.intermediateSize,
      w,
      get(weights, `${layer}.mlp.fc2.weight`),
      get(weights, `${layer}.mlp.fc2.bias`),
    );
    for (let i = 0; i < hidden.length; i++) hidden[i] += down[i];
  }
  return hidden;
}

export interface TowerOutput {
  embeds: Float64Array;
  lastHiddenState: Float64Array;
}

/** Vision tower for one image, pixels laid out [channels, size, size]. */
export function referenceVision(weights: Weights, dims: ClipDims, pixels: Float32Array): TowerOutput {
  const v: VisionDims = dims.vision;
  const w = v.hiddenSize;
  const grid = v.imageSize / v.patchSize;
  const tokens = grid * grid + 1;
  const conv = get(weights, 'vision_model.embeddings.patch_embedding.weight'); // [w, c, p, p]
  const classEmbedding = get(weights, 'vision_model.embeddings.class_embedding');
  const positions = get(weights, 'vision_model.embeddings.position_embedding.weight');
  const p = v.patchSize;
  const size = v.imageSize;

  const embedded = new Float64Array(tokens * w);
  for (let i = 0; i < w; i++) embedded[i] = classEmbedding[i];
  for (let gy = 0; gy < grid; gy++) {
    for (let gx = 0; gx < grid; gx++) {
      const token = 1 + gy * grid + gx; // row-major patch order, after the class token
      for (let o = 0; o < w; o++) {
        let sum = 0;
        for (let c = 0; c < v.numChannels; c++) {
          for (let ky = 0; ky < p; ky++) {
            for (let kx = 0; kx < p; kx++) {
              sum +=
                conv[((o * v.numChannels + c) * p + ky) * p + kx] *
                pixels[(c * size + gy * p + ky) * size + gx * p + kx];
            }
          }
        }
        embedded[token * w + o] = sum;
      }
    }
  }
  for (let i = 0; i < embedded.length; i++) embedded[i] += positions[i];

  const pre = layerNorm(
    embedded,
    tokens,
    w,
    get(weights, 'vision_model.pre_layrnorm.weight'),
    get(weights, 'vision_model.pre_layrnorm.bias'),
    dims.layerNormEps,
  );
  const hidden = encoder(weights, 'vision_model.encoder', pre, tokens, v, dims.layerNormEps, false);
  const pooled = layerNorm(
    hidden.subarray(0, w),
    1,
    w,
    get(weights, 'vision_model.post_layernorm.weight'),
    get(weights, 'vision_model.post_layernorm.bias'),
    dims.layerNormEps,
  );
  const embeds = linear(pooled, 1, w, dims.projectionDim, get(weights, 'visual_projection.weight'));
  return { embeds, lastHiddenState: hidden };
}

/** Text tower for one token sequence. */
export function referenceText(weights: Weights, dims: ClipDims, inputIds: readonly number[]): TowerOutput {
  const t: TextDims = dims.text;
  const w = t.hiddenSize;
  const tokens = inputIds.length;
  const table = get(weights, 'text_model.embeddings.token_embedding.weight');
  const positions = get(weights, 'text_model.embeddings.position_embedding.weight');
  const embedded = new Float64Array(tokens * w);
  for (let s = 0; s < tokens; s++) {
    for (let i = 0; i < w; i++) embedded[s * w + i] = table[inputIds[s] * w + i] + positions[s * w + i];
  }
  const hidden = encoder(weights, 'text_model.encoder', embedded, tokens, t, dims.layerNormEps, true);
  const normed = layerNorm(
    hidden,
    tokens,
    w,
    get(weights, 'text_model.final_layer_norm.weight'),
    get(weights, 'text_model.final_layer_norm.bias'),
    dims.layerNormEps,
  );
  let eos = 0; // first position of the largest id (CLIP's EOS 49407)
  for (let s = 1; s < tokens; s++) if (inputIds[s] > inputIds[eos]) eos = s;
  const embeds = linear(
    normed.subarray(eos * w, (eos + 1) * w),
    1,
    w,
    dims.projectionDim,
    get(weights, 'text_projection.weight'),
  );
  return { embeds, lastHiddenState: normed };
}
