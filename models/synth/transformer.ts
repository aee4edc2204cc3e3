// The pre-LayerNorm transformer encoder shared by both CLIP towers, as ONNX nodes.
// Parameter names follow Hugging Face's CLIP state dict; linear weights are stored as [in, out]
// (the transpose of torch's nn.Linear) so they feed MatMul directly.

import { attr, type GraphBuilder, type WeightInit } from './graph-builder.ts';

export interface EncoderDims {
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
}

/**
 * Weight scales after Hugging Face's CLIPPreTrainedModel._init_weights (factor 1), except q/k/v. Biases and
 * LayerNorm parameters are deliberately not the trivial 0/1 there: small random values make the
 * reference forward-pass check sensitive to a missing or swapped bias/affine term.
 */
export function encoderInits(dims: EncoderDims): {
  inProj: WeightInit;
  outProj: WeightInit;
  fc1: WeightInit;
  fc2: WeightInit;
  bias: WeightInit;
  lnScale: WeightInit;
  lnBias: WeightInit;
} {
  const w = dims.hiddenSize;
  const fc2Std = w ** -0.5 * (2 * dims.numLayers) ** -0.5;
  return {
    // q, k, v at 2/sqrt(width) instead of Hugging Face's 1/sqrt(width · 2L): with HF's training-time
    // scale, attention is nearly uniform and an untrained model maps every image to almost the same
    // vector (cosine ≈ 0.99 between unrelated images). Sharper attention keeps images apart.
    inProj: { mean: 0, std: 2 * w ** -0.5 },
    outProj: { mean: 0, std: w ** -0.5 },
    fc1: { mean: 0, std: (2 * w) ** -0.5 },
    fc2: { mean: 0, std: fc2Std },
    bias: { mean: 0, std: 0.02 },
    lnScale: { mean: 1, std: 0.05 },
    lnBias: { mean: 0, std: 0.02 },
  };
}

export function layerNorm(
  g: GraphBuilder,
  prefix: string,
  x: string,
  width: number,
  eps: number,
  dims: EncoderDims,
): string {
  const inits = encoderInits(dims);
  const scale = g.weight(`${prefix}.weight`, [width], inits.lnScale);
  const bias = g.weight(`${prefix}.bias`, [width], inits.lnBias);
  return g.op('LayerNormalization', [x, scale, bias], { axis: attr.int(-1), epsilon: attr.float(eps) });
}

function linear(
  g: GraphBuilder,
  prefix: string,
  x: string,
  inDim: number,
  outDim: number,
  init: WeightInit,
  biasInit: WeightInit,
): string {
  const weight = g.weight(`${prefix}.weight`, [inDim, outDim], init);
  const bias = g.weight(`${prefix}.bias`, [outDim], biasInit);
  return g.op('Add', [g.op('MatMul', [x, weight]), bias]);
}

/** Shape constants every layer reuses; created once per graph. */
export interface AttentionShapes {
  splitHeads: string; // [0, 0, heads, headDim]: Reshape copies batch and sequence dims (0 = keep)
  mergeHeads: string; // [0, 0, width]
  scale: string; // scalar headDim^-0.5
}

export function attentionShapes(g: GraphBuilder, dims: EncoderDims): AttentionShapes {
  const headDim = dims.hiddenSize / dims.numHeads;
  if (!Number.isInteger(headDim))
    throw new Error(`hiddenSize ${dims.hiddenSize} is not divisible by numHeads ${dims.numHeads}`);
  return {
    splitHeads: g.constInt64('attn_split_heads_shape', [0, 0, dims.numHeads, headDim]),
    mergeHeads: g.constInt64('attn_merge_heads_shape', [0, 0, dims.hiddenSize]),
    scale: g.constFloat('attn_scale', [], Float32Array.of(headDim ** -0.5)),
  };
}

/** Multi-head self-attention on x [batch, seq, width]; `additiveMask` broadcasts to [batch, heads, seq, seq]. */
function selfAttention(
  g: GraphBuilder,
  prefix: string,
  x: string,
  dims: EncoderDims,
  shapes: AttentionShapes,
  additiveMask: string | undefined,
): string {
  const w = dims.hiddenSize;
  const inits = encoderInits(dims);
  const project = (name: string) => linear(g, `${prefix}.${name}`, x, w, w, inits.inProj, inits.bias);
  // q is scaled after its bias, as in Hugging Face's CLIPAttention.
  const q = g.op('Mul', [project('q_proj'), shapes.scale]);
  const k = project('k_proj');
  const v = project('v_proj');
  const heads = (t: string, perm: number[]) =>
    g.op('Transpose', [g.op('Reshape', [t, shapes.splitHeads])], { perm: attr.ints(perm) });
  const qh = heads(q, [0, 2, 1, 3]); // [b, h, s, d]
  const kt = heads(k, [0, 2, 3, 1]); // [b, h, d, s]
  const vh = heads(v, [0, 2, 1, 3]); // [b, h, s, d]
  let scores = g.op('MatMul', [qh, kt]); // [b, h, s, s]
  if (additiveMask) scores = g.op('Add', [scores, additiveMask]);
  const probs = g.op('Softmax', [scores], { axis: attr.int(-1) });
  const context = g.op('MatMul', [probs, vh]); // [b, h, s, d]
  const merged = g.op('Reshape', [g.op('Transpose', [context], { perm: attr.ints([0, 2, 1, 3]) }), shapes.mergeHeads]);
  return linear(g, `${prefix}.out_proj`, merged, w, w, inits.outProj, inits.bias);
}

/** quick_gelu(x) = x · sigmoid(1.702 x), CLIP's activation. */
function quickGelu(g: GraphBuilder, x: string, alpha: string): string {
  return g.op('Mul', [x, g.op('Sigmoid', [g.op('Mul', [x, alpha])])]);
}

/** L pre-LN blocks: x += attn(LN1(x)); x += fc2(quick_gelu(fc1(LN2(x)))). */
export function encoder(
  g: GraphBuilder,
  prefix: string,
  x: string,
  dims: EncoderDims,
  eps: number,
  additiveMask: string | undefined,
): string {
  const shapes = attentionShapes(g, dims);
  const inits = encoderInits(dims);
  const alpha = g.constFloat('quick_gelu_alpha', [], Float32Array.of(1.702));
  let hidden = x;
  for (let i = 0; i < dims.numLayers; i++) {
    const layer = `${prefix}.layers.${i}`;
    const attnIn = layerNorm(g, `${layer}.layer_norm1`, hidden, dims.hiddenSize, eps, dims);
    hidden = g.op('Add', [hidden, selfAttention(g, `${layer}.self_attn`, attnIn, dims, shapes, additiveMask)]);
    const mlpIn = layerNorm(g, `${layer}.layer_norm2`, hidden, dims.hiddenSize, eps, dims);
    const up = linear(g, `${layer}.mlp.fc1`, mlpIn, dims.hiddenSize, dims.intermediateSize, inits.fc1, inits.bias);
    const down = linear(
      g,
      `${layer}.mlp.fc2`,
      quickGelu(g, up, alpha),
      dims.intermediateSize,
      dims.hiddenSize,
      inits.fc2,
      inits.bias,
    );
    hidden = g.op('Add', [hidden, down]);
  }
  return hidden;
}
