/**
 * A generated bundle with a planted spurious direction (issue 15's test case): class words' text embeddings lean
 * on their usual background ("waterbird" text ≈ bird + water), images show the background more strongly than the
 * bird, and 5 in 6 images of a class have its usual background. Zero-shot then calls most birds on the other
 * background by the background; an adapter that learns to ignore the attribute direction can fix them.
 * It holds the 8 training templates (so "a photo of a {}." is the zero-shot template) and `prompts` with every
 * template filled with each attribute word (what the adapter's L_ls / L_vs read).
 */
import { attributePromptTexts, TRAINING_TEMPLATES } from './adapterOptions';
import { mulberry32 } from './random';
import type { EmbeddingBundle, Split } from './types';

export interface PlantedOptions {
  seed: number;
  dim: number;
  /** images per class (default 600: 500 usual background, 100 the other) */
  perClass?: number;
  /** write each image's split from a stratified 50/20/30 cut into the bundle */
  splits?: readonly Split[];
}

export const PLANTED_CLASSES = ['landbird', 'waterbird'];
export const PLANTED_ATTRIBUTES = ['land', 'water'];

export function plantedBundle(options: PlantedOptions): EmbeddingBundle {
  const { seed, dim } = options;
  const perClass = options.perClass ?? 600;
  const next = mulberry32(seed);
  // roughly normal noise of unit expected norm
  const noise = (scale: number) =>
    Float32Array.from({ length: dim }, () => (scale * (next() + next() + next() - 1.5)) / Math.sqrt(dim / 4));
  const add = (target: Float32Array, source: Float32Array, weight: number) => {
    for (let k = 0; k < dim; k++) target[k] += weight * source[k];
    return target;
  };
  const classDirections = PLANTED_CLASSES.map(() => noise(1));
  const attributeDirections = PLANTED_ATTRIBUTES.map(() => noise(1));
  const photo = noise(1);
  const templates = [...TRAINING_TEMPLATES];
  const C = PLANTED_CLASSES.length;
  const text = new Float32Array(templates.length * C * dim);
  templates.forEach((_, m) => {
    const templateNoise = noise(0.3);
    PLANTED_CLASSES.forEach((__, c) => {
      const row = add(add(add(noise(0.2), classDirections[c], 1), attributeDirections[c], 0.8), photo, 0.5);
      text.set(add(row, templateNoise, 1), (m * C + c) * dim);
    });
  });
  const prompts = attributePromptTexts(templates, PLANTED_ATTRIBUTES).map((promptText, r) => ({
    text: promptText,
    embedding: add(
      add(add(noise(0.3), attributeDirections[r % PLANTED_ATTRIBUTES.length], 1), photo, 0.5),
      noise(0.2),
      1,
    ),
  }));
  const images: EmbeddingBundle['images'] = [];
  const imageEmbeddings = new Float32Array(C * perClass * dim);
  const usual = Math.round((perClass * 5) / 6);
  for (let c = 0; c < C; c++) {
    for (let j = 0; j < perClass; j++) {
      const a = j < usual ? c : 1 - c;
      const i = images.length;
      images.push({
        id: `${PLANTED_CLASSES[c]}/${PLANTED_ATTRIBUTES[a]}/${j}.jpg`,
        class: PLANTED_CLASSES[c],
        attribute: PLANTED_ATTRIBUTES[a],
      });
      imageEmbeddings.set(add(add(noise(0.9), classDirections[c], 0.6), attributeDirections[a], 1), i * dim);
    }
  }
  if (options.splits) images.forEach((image, i) => (image.split = options.splits?.[i]));
  return {
    format: 'sage-embeddings/1',
    model: 'planted-spurious',
    dim,
    classes: PLANTED_CLASSES,
    templates,
    text,
    images,
    imageEmbeddings,
    prompts,
  };
}
