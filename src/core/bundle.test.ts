import { describe, expect, it } from 'vitest';
import { floatsToBase64 } from './base64';
import { BundleError, parseBundle, serializeBundle } from './bundle';
import { DIM, makeBundle } from './bundle.fixture';

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

describe("bundle validation: the JSON path in `field`, a sentence in the user's words as the message", () => {
  type Mutation = [string, (raw: Record<string, unknown>) => void, string, string];
  const images = (raw: Record<string, unknown>) => raw.images as Record<string, unknown>[];
  const mutations: Mutation[] = [
    [
      'missing format',
      (r) => delete r.format,
      'format',
      'this file is not a SAGE embeddings bundle: it has no "format" field (a bundle says "format": "sage-embeddings/1")',
    ],
    [
      'newer version',
      (r) => (r.format = 'sage-embeddings/3'),
      'format',
      'this bundle is sage-embeddings/3, a newer version than this app reads (sage-embeddings/1 and sage-embeddings/2): update the app, or write the bundle as sage-embeddings/1',
    ],
    [
      'a report instead',
      (r) => (r.format = 'sage-report/1'),
      'format',
      'this is a SAGE Explorer report (sage-report/1), not an embeddings bundle: open it as a report',
    ],
    [
      'other format',
      (r) => (r.format = 'npz'),
      'format',
      'this file is not a SAGE embeddings bundle: its format is "npz", expected "sage-embeddings/1"',
    ],
    [
      'model missing',
      (r) => delete r.model,
      'model',
      'this file is not a SAGE embeddings bundle: it has no model name (field "model")',
    ],
    ['model not text', (r) => (r.model = 5), 'model', 'model name (field "model") should be text, but is 5'],
    [
      'dim not integer',
      (r) => (r.dim = 2.5),
      'dim',
      'embedding size (field "dim") should be a whole number of at least 1, but is 2.5',
    ],
    [
      'empty classes',
      (r) => (r.classes = []),
      'classes',
      'class list (field "classes"): at least 2 classes are needed, got 0',
    ],
    ['empty class string', (r) => (r.classes = ['landbird', '']), 'classes[1]', 'class 2: class string is empty'],
    [
      'duplicate class',
      (r) => (r.classes = ['landbird', 'landbird']),
      'classes[1]',
      'class 2 (landbird): duplicate of class 1 ("landbird")',
    ],
    ['class not text', (r) => (r.classes = ['landbird', 7]), 'classes[1]', 'class 2 should be text, but is 7'],
    [
      'template without {}',
      (r) => ((r.templates as string[])[1] = 'a photo'),
      'templates[1]',
      'template 2 (a photo): template "a photo" has no "{}" placeholder for the class',
    ],
    [
      'M·C ≠ text rows',
      (r) => (r.text as unknown[]).pop(),
      'text',
      'text embeddings (field "text") has 3 rows, expected one per template and class: 2 × 2 = 4 (template-major)',
    ],
    [
      'text row wrong dim',
      (r) => ((r.text as number[][])[2] = [1, 2]),
      'text[2]',
      'text embedding 3 (template 2 with class landbird) has 2 numbers, expected 3',
    ],
    [
      'text row not numbers',
      (r) => ((r.text as unknown[][])[1] = [1, 'x', 2]),
      'text[1]',
      'text embedding 2 (template 1 with class waterbird) number 2 should be a number, but is "x"',
    ],
    [
      'NaN via base64',
      (r) => ((r.text as unknown[])[3] = floatsToBase64(Float32Array.from([1, NaN, 0]))),
      'text[3]',
      'text embedding 4 (template 2 with class waterbird) number 2 is NaN, expected a finite number',
    ],
    [
      'Infinity via base64',
      (r) => (images(r)[2].embedding = floatsToBase64(Float32Array.from([Infinity, 0, 0]))),
      'images[2].embedding',
      'image 3 (waterbird/water/3.jpg): embedding number 1 is Infinity, expected a finite number',
    ],
    [
      'all-zero vector',
      (r) => (images(r)[0].embedding = [0, 0, 0]),
      'images[0].embedding',
      'image 1 (landbird/land/1.jpg): embedding is all zeros; it has no direction to compare',
    ],
    [
      'wrong image dim',
      (r) => (images(r)[1].embedding = [1, 2, 3, 4]),
      'images[1].embedding',
      'image 2 (waterbird/land/2.jpg): embedding has 4 numbers, expected 3',
    ],
    [
      'embedding missing',
      (r) => delete images(r)[1].embedding,
      'images[1].embedding',
      'image 2 (waterbird/land/2.jpg): embedding is missing',
    ],
    [
      'embedding an object',
      (r) => (images(r)[1].embedding = { x: 1 }),
      'images[1].embedding',
      'image 2 (waterbird/land/2.jpg): embedding should be 3 numbers or base64 float32 text, but is an object',
    ],
    [
      'base64 wrong float count',
      (r) => (images(r)[1].embedding = floatsToBase64(Float32Array.from([1, 2]))),
      'images[1].embedding',
      'image 2 (waterbird/land/2.jpg): embedding holds 2 float32 values (base64), expected 3',
    ],
    [
      'base64 bad length',
      (r) => (images(r)[0].embedding = 'AACAPwAAgD8AAIA'),
      'images[0].embedding',
      'image 1 (landbird/land/1.jpg): embedding is not valid base64 float32 text (base64 length 15 is not a multiple of 4)',
    ],
    [
      'base64 not whole floats',
      (r) => (images(r)[0].embedding = 'AACAPwAAgD8AAIA/AAA='),
      'images[0].embedding',
      'image 1 (landbird/land/1.jpg): embedding is not valid base64 float32 text (decodes to 14 bytes, not a whole number of float32 values (4 bytes each))',
    ],
    [
      'base64 bad character',
      (r) => (images(r)[0].embedding = 'AACAPwAAgD8AAIA*'),
      'images[0].embedding',
      'image 1 (landbird/land/1.jpg): embedding is not valid base64 float32 text (invalid base64 character "*" at position 15)',
    ],
    [
      'unknown class',
      (r) => (images(r)[2].class = 'seabird'),
      'images[2].class',
      'image 3 (waterbird/water/3.jpg): class "seabird" is not one of the bundle\'s classes (landbird, waterbird)',
    ],
    [
      'duplicate id',
      (r) => (images(r)[2].id = 'landbird/land/1.jpg'),
      'images[2].id',
      'image 3 (landbird/land/1.jpg): id repeats the id of image 1',
    ],
    ['empty id', (r) => (images(r)[1].id = ''), 'images[1].id', 'image 2: id is empty'],
    [
      'no images',
      (r) => (r.images = []),
      'images',
      'image list (field "images") is empty: a bundle needs at least one image',
    ],
    [
      'image not an object',
      (r) => ((r.images as unknown[])[1] = 7),
      'images[1]',
      'image 2 should be an object, but is 7',
    ],
    [
      'image a list instead of an object',
      (r) => ((r.images as unknown[])[0] = []),
      'images[0]',
      'image 1 should be an object, but is a list of 0',
    ],
    [
      'group prompt unknown class',
      (r) => ((r.groupPrompts as Record<string, unknown>[])[0].class = 'x'),
      'groupPrompts[0].class',
      'group prompt 1 (a landbird on land): class "x" is not one of the bundle\'s classes (landbird, waterbird)',
    ],
    [
      'group prompt bad vector',
      (r) => ((r.groupPrompts as Record<string, unknown>[])[1].embedding = [1]),
      'groupPrompts[1].embedding',
      'group prompt 2 (a waterbird on water): embedding has 1 numbers, expected 3',
    ],
    [
      'prompt text twice',
      (r) => ((r.prompts as Record<string, unknown>[])[1].text = 'water'),
      'prompts[1].text',
      'prompt 2 (water): text "water" appears twice (also prompt 1); each prompt text may appear once',
    ],
    [
      'prompt wrong dim',
      (r) => ((r.prompts as Record<string, unknown>[])[0].embedding = [1, 2]),
      'prompts[0].embedding',
      'prompt 1 (water): embedding has 2 numbers, expected 3',
    ],
    [
      'prompt text missing',
      (r) => delete (r.prompts as Record<string, unknown>[])[0].text,
      'prompts[0].text',
      'prompt 1: text is missing',
    ],
    [
      'meta not primitive',
      (r) => (r.meta = { nested: { a: 1 } }),
      'meta.nested',
      'meta entry "nested" should be text, a finite number or true/false, but is an object',
    ],
  ];
  it.each(mutations)('%s', (_name, mutate, field, message) => {
    const raw = rawBundle();
    mutate(raw);
    expect(fieldOf(raw)).toBe(field);
    expect(() => parseBundle(raw)).toThrow(new BundleError(field, message));
    expect(() => parseBundle(raw)).toThrow(message);
  });

  it('reports invalid JSON text and a non-object root', () => {
    expect(fieldOf('{"format": ')).toBe('(json)');
    expect(() => parseBundle('{"format": ')).toThrow(/^this file is not valid JSON \(/);
    expect(fieldOf('[1,2]')).toBe('(root)');
    expect(() => parseBundle('[1,2]')).toThrow(
      'this file is not a SAGE embeddings bundle: it should be a JSON object, but is a list of 2',
    );
  });

  it('names the image by its id and 1-based position in a 512-d bundle', () => {
    const raw = rawBundle();
    raw.dim = 512;
    const row = (seed: number) => Array.from({ length: 512 }, (_, d) => Math.sin(seed + d));
    raw.text = (raw.text as unknown[]).map((_, r) => row(r));
    raw.images = Array.from({ length: 12 }, (_, i) => ({
      id: i === 11 ? 'landbird/water/x.jpg' : `landbird/land/${i}.jpg`,
      class: 'landbird',
      attribute: 'land',
      embedding: row(100 + i).slice(0, i === 11 ? 511 : 512),
    }));
    delete raw.groupPrompts;
    delete raw.prompts;
    expect(() => parseBundle(raw)).toThrow('image 12 (landbird/water/x.jpg): embedding has 511 numbers, expected 512');
  });
});
