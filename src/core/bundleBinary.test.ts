import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readNpyHeader } from './importNpy';
import { BundleError, parseBundle, serializeBundle } from './bundle';
import {
  type BundleReadProgress,
  BINARY_MEMBERS,
  bytesSource,
  isBinaryBundleHead,
  npyBytes,
  readBinaryBundle,
  readBundle,
  serializeBinaryBundle,
} from './bundleBinary';
import { DIM, makeBundle } from './bundle.fixture';
import { randomMatrix } from './testRandom.fixture';
import type { EmbeddingBundle } from './types';

/** The members of a written bundle, to change one and zip them again. */
function membersOf(bundle: EmbeddingBundle): Record<string, Uint8Array> {
  return unzipSync(serializeBinaryBundle(bundle));
}

function header(members: Record<string, Uint8Array>): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(members[BINARY_MEMBERS.header])) as Record<string, unknown>;
}

function rezip(members: Record<string, Uint8Array>, json?: Record<string, unknown>): Uint8Array {
  const out: Zippable = { ...members };
  if (json) out[BINARY_MEMBERS.header] = strToU8(JSON.stringify(json));
  return zipSync(out, { level: 0 });
}

async function failure(bytes: Uint8Array): Promise<BundleError> {
  try {
    await readBundle(bytesSource(bytes));
  } catch (error) {
    if (error instanceof BundleError) return error;
    throw error;
  }
  throw new Error('readBundle accepted an invalid bundle');
}

describe('sage-embeddings/2 round trip', () => {
  it('reproduces every field and float32 exactly, and the same bundle gives the same bytes', async () => {
    const bundle = makeBundle();
    const bytes = serializeBinaryBundle(bundle);
    const read = await readBinaryBundle(bytesSource(bytes));
    expect(read).toEqual(bundle);
    expect(serializeBinaryBundle(read)).toEqual(bytes);
  });

  it('carries the same content as the JSON bundle: /1 → /2 → /1 gives the same text', async () => {
    const json = serializeBundle(makeBundle());
    const viaBinary = await readBundle(bytesSource(serializeBinaryBundle(parseBundle(json))));
    expect(serializeBundle(viaBinary)).toBe(json);
    // readBundle also reads the JSON version
    expect(serializeBundle(await readBundle(bytesSource(strToU8(json))))).toBe(json);
  });

  it('keeps optional lists absent, and reads an empty prompt list as an empty .npy', async () => {
    const bundle = { ...makeBundle(), groupPrompts: undefined, skipped: undefined, meta: undefined, prompts: [] };
    const members = membersOf(bundle);
    expect(Object.keys(members)).toEqual(['bundle.json', 'text.npy', 'images.npy', 'prompts.npy']);
    const read = await readBinaryBundle(bytesSource(serializeBinaryBundle(bundle)));
    expect(read.groupPrompts).toBeUndefined();
    expect(read.prompts).toEqual([]);
  });

  it('is recognised from its first 64 bytes; a zip of images is not', () => {
    const bytes = serializeBinaryBundle(makeBundle());
    expect(isBinaryBundleHead(bytes.subarray(0, 64))).toBe(true);
    expect(isBinaryBundleHead(zipSync({ 'a/b.jpg': strToU8('x'), 'bundle.json': strToU8('{}') }).subarray(0, 64))).toBe(
      false,
    );
    expect(isBinaryBundleHead(strToU8('{"format": "sage-embeddings/1"}'))).toBe(false);
  });

  it('stores the vectors raw: image floats are a view on the member, 64-byte aligned .npy data', () => {
    const bundle = makeBundle();
    const npy = npyBytes(bundle.imageEmbeddings, 3, DIM);
    const headerLength = npy[8] | (npy[9] << 8);
    expect((10 + headerLength) % 64).toBe(0);
    expect(new Float32Array(npy.slice(10 + headerLength).buffer)).toEqual(bundle.imageEmbeddings);
    expect(membersOf(bundle)[BINARY_MEMBERS.images]).toEqual(npy);
  });

  it('reads deflated members (np.savez_compressed style) and reports progress up to the whole file', async () => {
    const members = membersOf(makeBundle());
    const compressed = zipSync(members, { level: 9 });
    const progress: BundleReadProgress[] = [];
    const read = await readBundle(bytesSource(compressed), (p) => progress.push(p));
    expect(read).toEqual(makeBundle());
    const reading = progress.filter((p) => p.stage === 'reading');
    expect(reading.at(-1)?.done).toBeLessThanOrEqual(compressed.length);
    expect(progress.at(-1)).toEqual({ stage: 'checking', done: 4 + 3 + 2 + 2, total: 4 + 3 + 2 + 2 });
  });
});

describe('sage-embeddings/2 validation names the member or field in words', () => {
  it('a zip without bundle.json', async () => {
    const error = await failure(zipSync({ 'a.txt': strToU8('x') }));
    expect(error.field).toBe('bundle.json');
    expect(error.message).toBe('this zip is not a SAGE embeddings bundle: it has no bundle.json (it holds a.txt)');
  });

  it('a cut-short file', async () => {
    const bytes = serializeBinaryBundle(makeBundle());
    expect((await failure(bytes.subarray(0, bytes.length - 30))).message).toMatch(
      /^this file is not a readable sage-embeddings\/2 bundle: the end of its zip directory is missing/,
    );
  });

  it('bundle.json says /1', async () => {
    const members = membersOf(makeBundle());
    const error = await failure(rezip(members, { ...header(members), format: 'sage-embeddings/1' }));
    expect(error.field).toBe('format');
    expect(error.message).toMatch(/^bundle.json inside this zip says sage-embeddings\/1/);
  });

  it('a JSON file that is the bundle.json of a /2 bundle', async () => {
    const members = membersOf(makeBundle());
    expect(() => parseBundle(new TextDecoder().decode(members[BINARY_MEMBERS.header]))).toThrow(
      'this is the bundle.json of a sage-embeddings/2 bundle, which keeps its vectors in .npy files beside it: open the whole .sage.zip file instead',
    );
  });

  it('an image id repeated (the same relation checks as /1)', async () => {
    const members = membersOf(makeBundle());
    const json = header(members);
    (json.images as { id: string }[])[2].id = 'landbird/land/1.jpg';
    const error = await failure(rezip(members, json));
    expect(error.field).toBe('images[2].id');
    expect(error.message).toBe('image 3 (landbird/land/1.jpg): id repeats the id of image 1');
  });

  it('a missing member, wrong rows, wrong width, wrong dtype', async () => {
    const bundle = makeBundle();
    const members = membersOf(bundle);
    const without = Object.fromEntries(Object.entries(members).filter(([name]) => name !== BINARY_MEMBERS.images));
    expect((await failure(rezip(without))).message).toBe(
      'this bundle has no images.npy (image embeddings): a sage-embeddings/2 zip needs it beside bundle.json',
    );
    const twoRows = { ...members, [BINARY_MEMBERS.images]: npyBytes(bundle.imageEmbeddings, 2, DIM) };
    expect((await failure(rezip(twoRows))).message).toBe(
      'images.npy (image embeddings) has 2 rows, expected one per entry of images in bundle.json (3)',
    );
    const wide = { ...members, [BINARY_MEMBERS.text]: npyBytes(randomMatrix(2, 6, 1), 2, 6) };
    expect((await failure(rezip(wide))).message).toBe(
      "text.npy (text embeddings) has rows of 6 numbers, expected 3 (the bundle's embedding size)",
    );
    const textRows = { ...members, [BINARY_MEMBERS.text]: npyBytes(randomMatrix(3, DIM, 1), 3, DIM) };
    expect((await failure(rezip(textRows))).message).toBe(
      'text.npy (text embeddings) has 3 rows, expected one per template and class: 2 × 2 = 4 (template-major)',
    );
    const float64 = npyBytes(bundle.imageEmbeddings, 3, DIM);
    float64.set(strToU8("'<f8'"), 10 + "{'descr': ".length);
    const error = await failure(rezip({ ...members, [BINARY_MEMBERS.images]: float64 }));
    expect(error.field).toBe('images.npy');
    expect(error.message).toMatch(/^images.npy \(image embeddings\) holds values of type '<f8'; a bundle stores/);
  });

  it('reads a member’s .npy header with the import’s reader: the same sentences for the same faults', async () => {
    const members = membersOf(makeBundle());
    const notNpy = strToU8('id,class\n');
    const error = await failure(rezip({ ...members, [BINARY_MEMBERS.images]: notNpy }));
    expect(error.message).toBe(`images.npy (image embeddings) ${readNpyHeader(notNpy) as string}`);
    expect(error.message).toBe(
      'images.npy (image embeddings) is not a NumPy .npy file (it does not start with \\x93NUMPY); save the array with np.save',
    );
    const cut = members[BINARY_MEMBERS.text].slice(0, 40);
    expect((await failure(rezip({ ...members, [BINARY_MEMBERS.text]: cut }))).message).toBe(
      'text.npy (text embeddings) ends inside its header',
    );
  });

  it('a NaN or an all-zero vector names the image or prompt', async () => {
    const bundle = makeBundle();
    const images = bundle.imageEmbeddings.slice();
    images[1 * DIM + 2] = Number.NaN;
    let error = await failure(serializeBinaryBundle({ ...bundle, imageEmbeddings: images }));
    expect(error.field).toBe('images[1].embedding');
    expect(error.message).toBe('image 2 (waterbird/land/2.jpg): embedding: number 3 is NaN, expected a finite number');
    const prompts = [bundle.prompts?.[0] ?? { text: '', embedding: new Float32Array(DIM) }];
    prompts.push({ text: 'zero', embedding: new Float32Array(DIM) });
    error = await failure(serializeBinaryBundle({ ...bundle, prompts }));
    expect(error.message).toBe('prompt 2 (zero): embedding: is all zeros; it has no direction to compare');
  });
});

const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasNumpy)('numpy interoperability (skipped where python3 + numpy are missing)', () => {
  it('np.load reads the arrays of a written bundle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sage-bin-'));
    const path = join(dir, 'b.sage.zip');
    const bundle = makeBundle();
    writeFileSync(path, serializeBinaryBundle(bundle));
    const script =
      'import json, sys, numpy as np\n' +
      'z = np.load(sys.argv[1])\n' +
      'meta = json.loads(z["bundle.json"])\n' +
      'print(json.dumps({"ids": [i["id"] for i in meta["images"]], "images": z["images"].tolist(), "shape": list(z["text"].shape)}))\n';
    const out = JSON.parse(execFileSync('python3', ['-c', script, path], { encoding: 'utf8' })) as {
      ids: string[];
      images: number[][];
      shape: number[];
    };
    expect(out.ids).toEqual(bundle.images.map((i) => i.id));
    expect(Float32Array.from(out.images.flat())).toEqual(bundle.imageEmbeddings);
    expect(out.shape).toEqual([4, DIM]);
  });

  it('reads the bundle the SPEC §5b Python snippet writes (zipfile + np.save, zip64 entries)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sage-bin-'));
    const path = join(dir, 'py.sage.zip');
    const spec = readFileSync(new URL('../../docs/SPEC.md', import.meta.url), 'utf8');
    const snippet = /```python\n(# write a sage-embeddings\/2 bundle[\s\S]*?)```/.exec(spec)?.[1];
    expect(snippet).toBeDefined();
    const script =
      'import numpy as np\n' +
      'rng = np.random.default_rng(0)\n' +
      'image_emb = rng.standard_normal((5, 4)).astype(np.float32)\n' +
      'text_emb = rng.standard_normal((2 * 2, 4)).astype(np.float32)\n' +
      'ids = [f"img{i}.jpg" for i in range(5)]\n' +
      'labels = ["landbird", "waterbird", "landbird", "waterbird", "landbird"]\n' +
      'places = ["land", "water", "water", "land", "land"]\n' +
      'templates = ["a photo of a {}.", "a {}."]\n' +
      'classes = ["landbird", "waterbird"]\n' +
      `path = ${JSON.stringify(path)}\n` +
      (snippet ?? '') +
      'print(" ".join(repr(float(x)) for x in image_emb.ravel()))\n';
    const printed = execFileSync('python3', ['-c', script], { encoding: 'utf8' }).trim().split(' ').map(Number);
    const read = await readBundle(bytesSource(readFileSync(path)));
    expect(read.images.map((i) => i.id)).toEqual(['img0.jpg', 'img1.jpg', 'img2.jpg', 'img3.jpg', 'img4.jpg']);
    expect(read.images[1]).toEqual({ id: 'img1.jpg', class: 'waterbird', attribute: 'water' });
    expect(read.imageEmbeddings).toEqual(Float32Array.from(printed));
    expect(read.text.length).toBe(4 * 4);
  });
});
