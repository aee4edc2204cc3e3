/** A small bundle with every optional field, for the bundle reader/writer tests of both versions. */
import { randomMatrix } from './testRandom.fixture';
import type { EmbeddingBundle } from './types';

export const DIM = 3;

export function makeBundle(): EmbeddingBundle {
  return {
    format: 'sage-embeddings/1',
    model: 'test-model',
    dim: DIM,
    classes: ['landbird', 'waterbird'],
    templates: ['a {}.', 'a photo of a {}.'],
    text: randomMatrix(4, DIM, 1),
    images: [
      { id: 'landbird/land/1.jpg', class: 'landbird', attribute: 'land' },
      { id: 'waterbird/land/2.jpg', class: 'waterbird', attribute: 'land' },
      { id: 'waterbird/water/3.jpg', class: 'waterbird', attribute: 'water' },
    ],
    imageEmbeddings: randomMatrix(3, DIM, 2),
    groupPrompts: [
      { class: 'landbird', attribute: 'land', prompt: 'a landbird on land', embedding: randomMatrix(1, DIM, 3) },
      { class: 'waterbird', attribute: 'water', prompt: 'a waterbird on water', embedding: randomMatrix(1, DIM, 4) },
    ],
    prompts: [
      { text: 'water', embedding: randomMatrix(1, DIM, 5) },
      { text: 'a photo of land', embedding: randomMatrix(1, DIM, 6) },
    ],
    skipped: [{ id: 'broken.jpg', reason: 'not an image' }],
    meta: { backend: 'wasm', threads: 2, quantized: false },
  };
}
