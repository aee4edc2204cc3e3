// config.json for a generated model: the real openai/clip-vit-base-patch32 config with every
// dimension replaced by the generated model's, plus a `sage_synth` note saying the weights are random.

import type { ClipDims } from './sizes.ts';

type JsonObject = { [key: string]: unknown };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function child(config: JsonObject, key: string): JsonObject {
  const value = config[key];
  if (!isObject(value)) throw new Error(`config.json: ${key}: expected an object`);
  return value;
}

export interface SynthStamp {
  generator: string;
  version: number;
  size: string;
  seed: number;
}

export function patchClipConfig(original: unknown, dims: ClipDims, stamp: SynthStamp): JsonObject {
  if (!isObject(original)) throw new Error('config.json: expected an object at the top level');
  const config: JsonObject = structuredClone(original);
  const text = child(config, 'text_config');
  const vision = child(config, 'vision_config');

  config._name_or_path = `sage-explorer/synth-${stamp.size}-clip`;
  config.projection_dim = dims.projectionDim;
  Object.assign(text, {
    hidden_size: dims.text.hiddenSize,
    intermediate_size: dims.text.intermediateSize,
    num_attention_heads: dims.text.numHeads,
    num_hidden_layers: dims.text.numLayers,
    max_position_embeddings: dims.text.maxPositions,
    vocab_size: dims.text.vocabSize,
    projection_dim: dims.projectionDim,
    layer_norm_eps: dims.layerNormEps,
  });
  Object.assign(vision, {
    hidden_size: dims.vision.hiddenSize,
    intermediate_size: dims.vision.intermediateSize,
    num_attention_heads: dims.vision.numHeads,
    num_hidden_layers: dims.vision.numLayers,
    patch_size: dims.vision.patchSize,
    image_size: dims.vision.imageSize,
    num_channels: dims.vision.numChannels,
    projection_dim: dims.projectionDim,
    layer_norm_eps: dims.layerNormEps,
  });
  config.sage_synth = {
    ...stamp,
    note: 'CLIP architecture with deterministic random weights; embeddings carry no semantic meaning.',
  };
  return config;
}
