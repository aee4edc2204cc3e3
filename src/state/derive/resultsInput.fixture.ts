/** Seeded random results inputs for the derive tests (failures reproduce). */
import { buildAnalysis, mulberry32, similarityTensor, type ImageRecord } from '../../core';
import { DEFAULT_METHOD_SETTINGS } from '../methodSettings';
import type { ResultsInput } from './views';

/** n images of c classes with attributes 'a' (every third image) and 'b', m templates, random embeddings. */
export function randomResultsInput(n: number, m: number, c: number, dim: number, seed = 7): ResultsInput {
  const rand = mulberry32(seed);
  const images = Float32Array.from({ length: n * dim }, () => rand() - 0.5);
  const text = Float32Array.from({ length: m * c * dim }, () => rand() - 0.5);
  const classes = Array.from({ length: c }, (_, i) => `class${i}`);
  const records: ImageRecord[] = Array.from({ length: n }, (_, i) => ({
    id: `img${i}`,
    class: classes[i % c],
    attribute: i % 3 === 0 ? 'a' : 'b',
  }));
  const analysis = buildAnalysis(similarityTensor({ imageEmbeddings: images, n, textEmbeddings: text, m, c, dim }));
  return {
    analysis,
    records,
    classes,
    templates: Array.from({ length: m }, (_, t) => `template ${t} of a {}.`),
    embeddings: images,
    dim,
    groupPrompts: [],
    prompts: new Map(),
    attributeKeys: ['a', 'b'],
    attributeWords: ['a', 'b'],
    methodSettings: { ...DEFAULT_METHOD_SETTINGS, groupPromptPattern: 'a photo of a {class} on {attribute}.' },
  };
}
