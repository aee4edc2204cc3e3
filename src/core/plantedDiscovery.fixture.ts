/**
 * A generated bundle for discovery tests: one vocabulary direction ("water") is planted in some images of class 0
 * (landbird) and the class 1 (waterbird) text leans on it, so zero-shot misclassifies exactly those images. Every
 * image also carries one random other vocabulary word and noise, so the presence tags vary. The bundle stores
 * `a photo of a {word}.` for every word in `prompts`, as `embed --vocab` writes them.
 */
import { mulberry32 } from './random';
import type { EmbeddingBundle } from './types';
import { VOCABULARY_TEMPLATE, vocabularyPromptTexts } from './vocabulary';

export const PLANTED_WORD = 'water';
export const PLANTED_VOCABULARY = [
  'water',
  'forest',
  'grass',
  'sky',
  'sand',
  'snow',
  'city',
  'road',
  'rock',
  'tree',
  'field',
  'desert',
  'beach',
  'bamboo',
  'lake',
  'red',
  'striped',
  'night',
  'person',
  'fence',
];

export function plantedDiscoveryBundle(
  options: { n?: number; seed?: number; prompts?: boolean } = {},
): EmbeddingBundle {
  const n = options.n ?? 240;
  const v = PLANTED_VOCABULARY.length;
  const dim = 2 + v + 10; // class axes, one axis per word, noise-only axes
  const next = mulberry32(options.seed ?? 7);
  const noise = () => (next() * 2 - 1) * 0.12;
  const axis = (a: number, scale = 1) => {
    const out = new Float32Array(dim);
    out[a] = scale;
    return out;
  };
  const wordAxis = (w: number) => 2 + w;
  const classes = ['landbird', 'waterbird'];
  const templates = [VOCABULARY_TEMPLATE, 'a bad photo of a {}.'];
  const text = new Float32Array(templates.length * classes.length * dim);
  for (let t = 0; t < templates.length; t++) {
    for (let c = 0; c < 2; c++) {
      const row = (t * 2 + c) * dim;
      for (let d = 0; d < dim; d++) text[row + d] = 0.03 * noise();
      text[row + c] = 1;
      if (c === 1) text[row + wordAxis(0)] = 0.8; // "waterbird" text leans on water
    }
  }
  const images: EmbeddingBundle['images'] = [];
  const imageEmbeddings = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const planted = c === 0 && i % 6 === 0; // a third of class 0
    const other = 1 + Math.floor(next() * (v - 1));
    const row = i * dim;
    for (let d = 0; d < dim; d++) imageEmbeddings[row + d] = noise();
    imageEmbeddings[row + c] += 0.6;
    imageEmbeddings[row + wordAxis(other)] += 0.5;
    if (planted) imageEmbeddings[row + wordAxis(0)] += 1.2;
    images.push({
      id: `${classes[c]}/${planted ? 'water' : 'land'}/${i}.jpg`,
      class: classes[c],
      attribute: planted ? 'water' : 'land',
    });
  }
  const bundle: EmbeddingBundle = {
    format: 'sage-embeddings/1',
    model: 'synthetic-planted',
    dim,
    classes,
    templates,
    text,
    images,
    imageEmbeddings,
  };
  if (options.prompts !== false) {
    const texts = vocabularyPromptTexts(PLANTED_VOCABULARY);
    bundle.prompts = texts.map((t, w) => {
      const embedding = axis(wordAxis(w));
      for (let d = 0; d < dim; d++) embedding[d] += 0.05 * noise();
      return { text: t, embedding };
    });
  }
  return bundle;
}
