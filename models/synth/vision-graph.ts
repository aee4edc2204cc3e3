// CLIP ViT image tower with projection, matching Hugging Face's CLIPVisionModelWithProjection:
// patch Conv (no bias) → prepend class token → + position embedding → pre_layrnorm → encoder →
// post_layernorm(class token) → visual_projection (no bias).
// Inputs/outputs are named as transformers.js expects: pixel_values → image_embeds, last_hidden_state.

import { attr, GraphBuilder } from './graph-builder.ts';
import { DataType, type GraphSpec } from './onnx.ts';
import type { ClipDims } from './sizes.ts';
import { encoder, layerNorm } from './transformer.ts';

export function buildVisionGraph(dims: ClipDims, seed: number): GraphSpec {
  const v = dims.vision;
  const w = v.hiddenSize;
  if (v.imageSize % v.patchSize !== 0)
    throw new Error(`imageSize ${v.imageSize} is not a multiple of patchSize ${v.patchSize}`);
  const numPatches = (v.imageSize / v.patchSize) ** 2;
  const numTokens = numPatches + 1;
  const g = new GraphBuilder(seed);

  const patchWeight = g.weight(
    'vision_model.embeddings.patch_embedding.weight',
    [w, v.numChannels, v.patchSize, v.patchSize],
    {
      mean: 0,
      std: 0.02,
    },
  );
  const patches = g.op('Conv', ['pixel_values', patchWeight], {
    kernel_shape: attr.ints([v.patchSize, v.patchSize]),
    strides: attr.ints([v.patchSize, v.patchSize]),
  }); // [b, w, grid, grid]
  const flat = g.op('Reshape', [patches, g.constInt64('patch_flat_shape', [0, w, -1])]); // [b, w, patches]
  const patchTokens = g.op('Transpose', [flat], { perm: attr.ints([0, 2, 1]) }); // [b, patches, w]

  // Class token broadcast to [b, 1, w]: the batch size comes from the input's shape at run time.
  const classEmbedding = g.weight('vision_model.embeddings.class_embedding', [1, 1, w], { mean: 0, std: w ** -0.5 });
  const batch = g.op('Slice', [
    g.op('Shape', ['pixel_values']),
    g.constInt64('slice_batch_starts', [0]),
    g.constInt64('slice_batch_ends', [1]),
  ]);
  const classShape = g.op('Concat', [batch, g.constInt64('class_token_tail_shape', [1, w])], { axis: attr.int(0) });
  const classTokens = g.op('Expand', [classEmbedding, classShape]);
  const tokens = g.op('Concat', [classTokens, patchTokens], { axis: attr.int(1) }); // [b, tokens, w]

  const positions = g.weight('vision_model.embeddings.position_embedding.weight', [numTokens, w], {
    mean: 0,
    std: 0.02,
  });
  const embedded = g.op('Add', [tokens, positions]);
  const preNormed = layerNorm(g, 'vision_model.pre_layrnorm', embedded, w, dims.layerNormEps, v);

  const hidden = encoder(g, 'vision_model.encoder', preNormed, v, dims.layerNormEps, undefined);
  // last_hidden_state is the encoder output before post_layernorm, as in Hugging Face's CLIP.
  const lastHidden = g.op('Identity', [hidden], undefined, 'last_hidden_state');
  const classOut = g.op('Gather', [lastHidden, g.constInt64('class_token_index', [0], [])], { axis: attr.int(1) }); // [b, w]
  const pooled = layerNorm(g, 'vision_model.post_layernorm', classOut, w, dims.layerNormEps, v);
  const projection = g.weight('visual_projection.weight', [w, dims.projectionDim], { mean: 0, std: w ** -0.5 });
  g.op('MatMul', [pooled, projection], undefined, 'image_embeds');

  return g.build(
    'clip_vision_with_projection',
    [
      {
        name: 'pixel_values',
        elemType: DataType.FLOAT,
        shape: ['batch_size', v.numChannels, v.imageSize, v.imageSize],
      },
    ],
    [
      { name: 'image_embeds', elemType: DataType.FLOAT, shape: ['batch_size', dims.projectionDim] },
      { name: 'last_hidden_state', elemType: DataType.FLOAT, shape: ['batch_size', numTokens, w] },
    ],
  );
}
