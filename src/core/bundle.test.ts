import { describe, expect, it } from 'vitest';
import { floatsToBase64 } from './base64';
import { BundleError, parseBundle, serializeBundle } from './bundle';
import { randomMatrix } from './testRandom.fixture';
import type { EmbeddingBundle } from './types';

const DIM = 3;

function makeBundle(): EmbeddingBundle {
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

/** A valid bundle as plain JSON (number arrays), to break one field at a time. */
function rawBundle(): Record<string, unknown> {
  return JSON.parse(serializeBundle(makeBundle(), { vectors: 'float' })) as Record<string, unknown>;
}

function fieldOf(raw: unknown): string {
  try {
    parseBundle(raw);
  } catch (error) {
    if (error instanceof BundleError) return error.field;
    throw error;
  }
  throw new Error('parseBundle accepted an invalid bundle');
}

describe('bundle round trip', () => {
  for (const vectors of ['float', 'base64'] as const) {
    it(`reproduces every float32 exactly via ${vectors}`, () => {
      const bundle = makeBundle();
      const text = serializeBundle(bundle, { vectors });
      const parsed = parseBundle(text);
      expect(parsed).toEqual(bundle);
      expect(serializeBundle(parsed, { vectors })).toBe(text);
      const json = JSON.parse(text) as { images: { embedding: unknown }[] };
      expect(typeof json.images[0].embedding).toBe(vectors === 'base64' ? 'string' : 'object');
    });
  }

  it('converts float → base64 → float without change', () => {
    const asFloat = serializeBundle(makeBundle(), { vectors: 'float' });
    const viaBase64 = serializeBundle(parseBundle(asFloat), { vectors: 'base64' });
    expect(serializeBundle(parseBundle(viaBase64), { vectors: 'float' })).toBe(asFloat);
  });

  it('accepts both encodings mixed in one file, an already-parsed object, and optional fields absent', () => {
    const raw = rawBundle();
    const images = raw.images as { embedding: unknown }[];
    const bundle = makeBundle();
    images[1].embedding = floatsToBase64(bundle.imageEmbeddings.subarray(DIM, 2 * DIM));
    delete raw.groupPrompts;
    delete raw.skipped;
    delete raw.meta;
    const parsed = parseBundle(raw);
    expect(parsed.imageEmbeddings).toEqual(bundle.imageEmbeddings);
    expect(parsed.groupPrompts).toBeUndefined();
  });

  it('does not require vectors to be unit length', () => {
    const raw = rawBundle();
    (raw.images as { embedding: number[] }[])[0].embedding = [30, 40, 0];
    expect(Array.from(parseBundle(raw).imageEmbeddings.subarray(0, 3))).toEqual([30, 40, 0]);
  });
});

describe('bundle validation names the field', () => {
  type Mutation = [string, (raw: Record<string, unknown>) => void, string, RegExp];
  const images = (raw: Record<string, unknown>) => raw.images as Record<string, unknown>[];
  const mutations: Mutation[] = [
    ['missing format', (r) => delete r.format, 'format', /missing; expected "sage-embeddings\/1"/],
    [
      'newer version',
      (r) => (r.format = 'sage-embeddings/2'),
      'format',
      /unsupported version "sage-embeddings\/2"; this build reads "sage-embeddings\/1"/,
    ],
    ['other format', (r) => (r.format = 'npz'), 'format', /expected "sage-embeddings\/1"/],
    ['dim not integer', (r) => (r.dim = 2.5), 'dim', /positive integer/],
    ['empty classes', (r) => (r.classes = []), 'classes', /no classes/],
    ['empty class string', (r) => (r.classes = ['landbird', '']), 'classes[1]', /empty/],
    ['duplicate class', (r) => (r.classes = ['landbird', 'landbird']), 'classes[1]', /duplicate/],
    ['template without {}', (r) => ((r.templates as string[])[1] = 'a photo'), 'templates[1]', /no "\{\}"/],
    ['M·C ≠ text rows', (r) => (r.text as unknown[]).pop(), 'text', /expected M·C = 2·2 = 4 rows.*got 3/],
    ['text row wrong dim', (r) => ((r.text as number[][])[2] = [1, 2]), 'text[2]', /expected 3 numbers, got 2/],
    ['text row not numbers', (r) => ((r.text as unknown[][])[1] = [1, 'x', 2]), 'text[1][1]', /expected a number/],
    [
      'NaN via base64',
      (r) => ((r.text as unknown[])[3] = floatsToBase64(Float32Array.from([1, NaN, 0]))),
      'text[3][1]',
      /finite number, got NaN/,
    ],
    [
      'Infinity via base64',
      (r) => (images(r)[2].embedding = floatsToBase64(Float32Array.from([Infinity, 0, 0]))),
      'images[2].embedding[0]',
      /got Infinity/,
    ],
    ['all-zero vector', (r) => (images(r)[0].embedding = [0, 0, 0]), 'images[0].embedding', /all zeros/],
    [
      'wrong image dim',
      (r) => (images(r)[1].embedding = [1, 2, 3, 4]),
      'images[1].embedding',
      /expected 3 numbers, got 4/,
    ],
    [
      'base64 wrong float count',
      (r) => (images(r)[1].embedding = floatsToBase64(Float32Array.from([1, 2]))),
      'images[1].embedding',
      /expected 3 float32 values, base64 holds 2/,
    ],
    [
      'base64 bad length',
      (r) => (images(r)[0].embedding = 'AACAPwAAgD8AAIA'),
      'images[0].embedding',
      /bad base64: .*not a multiple of 4/,
    ],
    [
      'base64 not whole floats',
      (r) => (images(r)[0].embedding = 'AACAPwAAgD8AAIA/AAA='),
      'images[0].embedding',
      /not a whole number of float32/,
    ],
    [
      'base64 bad character',
      (r) => (images(r)[0].embedding = 'AACAPwAAgD8AAIA*'),
      'images[0].embedding',
      /invalid base64 character "\*"/,
    ],
    ['unknown class', (r) => (images(r)[2].class = 'seabird'), 'images[2].class', /unknown class "seabird"/],
    ['duplicate id', (r) => (images(r)[2].id = 'landbird/land/1.jpg'), 'images[2].id', /duplicate id .* images\[0\]/],
    ['no images', (r) => (r.images = []), 'images', /no images/],
    ['image not an object', (r) => ((r.images as unknown[])[1] = 7), 'images[1]', /expected an object/],
    [
      'group prompt unknown class',
      (r) => ((r.groupPrompts as Record<string, unknown>[])[0].class = 'x'),
      'groupPrompts[0].class',
      /unknown class/,
    ],
    [
      'group prompt bad vector',
      (r) => ((r.groupPrompts as Record<string, unknown>[])[1].embedding = [1]),
      'groupPrompts[1].embedding',
      /expected 3 numbers/,
    ],
    [
      'prompt text twice',
      (r) => ((r.prompts as Record<string, unknown>[])[1].text = 'water'),
      'prompts[1].text',
      /prompt "water" appears twice/,
    ],
    [
      'prompt wrong dim',
      (r) => ((r.prompts as Record<string, unknown>[])[0].embedding = [1, 2]),
      'prompts[0].embedding',
      /expected 3 numbers, got 2/,
    ],
    ['meta not primitive', (r) => (r.meta = { nested: { a: 1 } }), 'meta.nested', /expected a string/],
    ['model missing', (r) => delete r.model, 'model', /expected a string/],
  ];
  it.each(mutations)('%s → %s', (_name, mutate, field, message) => {
    const raw = rawBundle();
    mutate(raw);
    expect(fieldOf(raw)).toBe(field);
    expect(() => parseBundle(raw)).toThrow(message);
    expect(() => parseBundle(raw)).toThrow(new RegExp(`^${field.replace(/[[\].]/g, '\\$&')}: `));
  });

  it('reports invalid JSON text and a non-object root', () => {
    expect(fieldOf('{"format": ')).toBe('(json)');
    expect(fieldOf('[1,2]')).toBe('(root)');
  });
});
