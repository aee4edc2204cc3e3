// CLIP causal text tower with projection, matching Hugging Face's CLIPTextModelWithProjection:
// token embedding + position embedding → encoder with causal mask → final_layer_norm →
// hidden state at argmax(input_ids) (CLIP's EOS id 49407 is the largest id) → text_projection (no bias).
// Only `input_ids` is an input: transformers.js feeds a session just the inputs it declares, and the
// causal mask already keeps padding after EOS from reaching the pooled token.

import { attr, GraphBuilder } from './graph-builder.ts';
import { DataType, type GraphSpec } from './onnx.ts';
import type { ClipDims } from './sizes.ts';
import { encoder, layerNorm } from './transformer.ts';

/** Added to attention scores above the diagonal; exp() of it underflows to exactly 0. */
export const CAUSAL_MASK_VALUE = -1e9;

function causalMask(size: number): Float32Array {
  const mask = new Float32Array(size * size);
  for (let row = 0; row < size; row++) {
    for (let col = row + 1; col < size; col++) mask[row * size + col] = CAUSAL_MASK_VALUE;
  }
  return mask;
}

export function buildTextGraph(dims: ClipDims, seed: number): GraphSpec {
  const t = dims.text;
  const w = t.hiddenSize;
  const g = new GraphBuilder(seed);

  const tokenTable = g.weight('text_model.embeddings.token_embedding.weight', [t.vocabSize, w], { mean: 0, std: 0.02 });
  const tokens = g.op('Gather', [tokenTable, 'input_ids'], { axis: attr.int(0) }); // [b, s, w]

  const seqLen = g.op('Slice', [
    g.op('Shape', ['input_ids']),
    g.constInt64('slice_seq_starts', [1]),
    g.constInt64('slice_seq_ends', [2]),
  ]); // [1]
  const positionTable = g.weight('text_model.embeddings.position_embedding.weight', [t.maxPositions, w], {
    mean: 0,
    std: 0.02,
  });
  const positions = g.op('Slice', [
    positionTable,
    g.constInt64('slice_pos_starts', [0]),
    seqLen,
    g.constInt64('slice_pos_axes', [0]),
  ]);
  const embedded = g.op('Add', [tokens, positions]);

  const fullMask = g.constFloat('causal_mask', [t.maxPositions, t.maxPositions], causalMask(t.maxPositions));
  const maskEnds = g.op('Concat', [seqLen, seqLen], { axis: attr.int(0) });
  const mask = g.op('Slice', [
    fullMask,
    g.constInt64('slice_mask_starts', [0, 0]),
    maskEnds,
    g.constInt64('slice_mask_axes', [0, 1]),
  ]);

  const hidden = encoder(g, 'text_model.encoder', embedded, t, dims.layerNormEps, mask);
  const normed = layerNorm(g, 'text_model.final_layer_norm', hidden, w, dims.layerNormEps, t);
  const lastHidden = g.op('Identity', [normed], undefined, 'last_hidden_state');

  // Cast to int32 before ArgMax, as Hugging Face's CLIPTextTransformer does (`input_ids.to(torch.int).argmax(-1)`).
  const ids32 = g.op('Cast', ['input_ids'], { to: attr.int(DataType.INT32) });
  const eosIndex = g.op('ArgMax', [ids32], { axis: attr.int(-1), keepdims: attr.int(1) }); // [b, 1], first maximum
  const pooled = g.op('GatherND', [lastHidden, eosIndex], { batch_dims: attr.int(1) }); // [b, w]
  const projection = g.weight('text_projection.weight', [w, dims.projectionDim], { mean: 0, std: w ** -0.5 });
  g.op('MatMul', [pooled, projection], undefined, 'text_embeds');

  return g.build(
    'clip_text_with_projection',
    [{ name: 'input_ids', elemType: DataType.INT64, shape: ['batch_size', 'sequence_length'] }],
    [
      { name: 'text_embeds', elemType: DataType.FLOAT, shape: ['batch_size', dims.projectionDim] },
      { name: 'last_hidden_state', elemType: DataType.FLOAT, shape: ['batch_size', 'sequence_length', w] },
    ],
  );
}
