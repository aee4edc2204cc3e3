/**
 * A small bundle with a planted spurious attribute for the discovery tests: landbirds on water and waterbirds on
 * land lean towards the other class, and the vocabulary words water / land / sky have their own directions, so
 * CLIP's top-1 tag of an image is its background.
 */
import { DEFAULT_METHOD_SETTINGS } from './methodSettings';
import { mulberry32, type EmbeddingBundle, type ImageRecord } from '../core';
import type { ResultsInput } from './derive/views';
import type { ResultsState } from './results';
import { resultsInputOf } from './derive/resultsInput';

export const PLANTED_DIM = 8;
const LANDBIRD = 0;
const WATERBIRD = 1;
const WATER = 2;
const LAND = 3;
const SKY = 4;

function axis(index: number, scale = 1): Float32Array {
  const v = new Float32Array(PLANTED_DIM);
  v[index] = scale;
  return v;
}

/** 30 images per class: landbird 20 on land + 10 on water, waterbird 20 on water + 10 on land. */
export function plantedBundle(seed = 3): EmbeddingBundle {
  const rand = mulberry32(seed);
  const records: ImageRecord[] = [];
  const rows: number[][] = [];
  const add = (cls: 'landbird' | 'waterbird', background: 'land' | 'water', count: number) => {
    for (let i = 0; i < count; i++) {
      const row = Array.from({ length: PLANTED_DIM }, () => (rand() - 0.5) * 0.1);
      row[cls === 'landbird' ? LANDBIRD : WATERBIRD] += 0.5;
      row[background === 'water' ? WATER : LAND] += 0.8;
      // the spurious pull: water looks like "waterbird", land like "landbird" (mostly flips the minority groups)
      row[background === 'water' ? WATERBIRD : LANDBIRD] += 0.4 + rand() * 0.4;
      records.push({ id: `${cls}/${background}/${String(i).padStart(2, '0')}.jpg`, class: cls, attribute: background });
      rows.push(row);
    }
  };
  add('landbird', 'land', 20);
  add('landbird', 'water', 10);
  add('waterbird', 'water', 20);
  add('waterbird', 'land', 10);
  const text = new Float32Array(2 * PLANTED_DIM);
  text.set(axis(LANDBIRD), 0);
  text.set(axis(WATERBIRD), PLANTED_DIM);
  const prompt = (word: string, index: number) => ({ text: `a photo of a ${word}.`, embedding: axis(index) });
  const groupPrompt = (text: string, embedding: Float32Array) => ({ text, embedding });
  const mix = (a: number, b: number) => {
    const v = new Float32Array(PLANTED_DIM);
    v[a] = 0.7;
    v[b] = 0.7;
    return v;
  };
  return {
    format: 'sage-embeddings/1',
    model: 'planted',
    dim: PLANTED_DIM,
    classes: ['landbird', 'waterbird'],
    templates: ['a photo of a {}.'],
    text,
    images: records,
    imageEmbeddings: Float32Array.from(rows.flat()),
    prompts: [
      prompt('water', WATER),
      prompt('land', LAND),
      prompt('sky', SKY),
      // group prompts for the inferred values of the word "water" (pattern "a photo of a {class} on {attribute}.")
      groupPrompt('a photo of a landbird on water.', mix(LANDBIRD, WATER)),
      groupPrompt('a photo of a landbird without water.', mix(LANDBIRD, LAND)),
      groupPrompt('a photo of a waterbird on water.', mix(WATERBIRD, WATER)),
      groupPrompt('a photo of a waterbird without water.', mix(WATERBIRD, LAND)),
    ],
  };
}

/** What useResultsInput builds from the store (the hook lives in the UI layer). */
export function inputFromResults(state: ResultsState): ResultsInput | null {
  return resultsInputOf(state, {
    ...DEFAULT_METHOD_SETTINGS,
    groupPromptPattern: 'a photo of a {class} on {attribute}.',
  });
}
