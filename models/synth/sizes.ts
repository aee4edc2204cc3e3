// Model sizes the generator knows. Dimension names follow Hugging Face's CLIPConfig so that
// config.json can be patched field by field.

export interface VisionDims {
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  patchSize: number;
  imageSize: number;
  numChannels: number;
}

export interface TextDims {
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  vocabSize: number;
  maxPositions: number;
}

export interface ClipDims {
  vision: VisionDims;
  text: TextDims;
  projectionDim: number;
  layerNormEps: number;
}

export const SIZE_NAMES = ['tiny', 'base'] as const;
export type SizeName = (typeof SIZE_NAMES)[number];

/** Folder name under models/ for each size. */
export const MODEL_FOLDER: Readonly<Record<SizeName, string>> = { tiny: 'tiny-clip', base: 'base-clip' };

const CLIP_VOCAB_SIZE = 49408; // the real tokenizer's vocabulary, so real token ids index the embedding
const CLIP_MAX_POSITIONS = 77;

export const CLIP_SIZES: Readonly<Record<SizeName, ClipDims>> = {
  // Tiny: text width 32 (below the vision width, as in real CLIP) keeps the full-vocabulary token
  // embedding at 49408 x 32 floats = 6.3 MB, which dominates the tiny model.
  tiny: {
    vision: {
      hiddenSize: 64,
      numLayers: 2,
      numHeads: 4,
      intermediateSize: 256,
      patchSize: 32,
      imageSize: 224,
      numChannels: 3,
    },
    text: {
      hiddenSize: 32,
      numLayers: 2,
      numHeads: 2,
      intermediateSize: 128,
      vocabSize: CLIP_VOCAB_SIZE,
      maxPositions: CLIP_MAX_POSITIONS,
    },
    projectionDim: 32,
    layerNormEps: 1e-5,
  },
  // Base: openai/clip-vit-base-patch32 dimensions.
  base: {
    vision: {
      hiddenSize: 768,
      numLayers: 12,
      numHeads: 12,
      intermediateSize: 3072,
      patchSize: 32,
      imageSize: 224,
      numChannels: 3,
    },
    text: {
      hiddenSize: 512,
      numLayers: 12,
      numHeads: 8,
      intermediateSize: 2048,
      vocabSize: CLIP_VOCAB_SIZE,
      maxPositions: CLIP_MAX_POSITIONS,
    },
    projectionDim: 512,
    layerNormEps: 1e-5,
  },
};

export function isSizeName(value: string): value is SizeName {
  return (SIZE_NAMES as readonly string[]).includes(value);
}
