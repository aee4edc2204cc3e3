import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AutoTokenizer } from '@huggingface/transformers';
import { promptTokenIds } from './clipTokenizer';
import { imageCacheKey, MemoryEmbeddingCache, sha256Hex, textCacheKey, type EmbeddingCache } from './embeddingCache';
import { lookupCachedEmbeddings, mayExceedContext } from './embeddingCacheLookup';
import type { ImageSource } from './embedder';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const tinyModel = fileURLToPath(new URL('../../models/tiny-clip', import.meta.url));
const MODEL = 'local:tiny-clip@q8';

/** Counts reads, to check how many transactions a lookup costs. */
class CountingCache extends MemoryEmbeddingCache {
  reads = 0;
  override async getMany(keys: readonly string[]): Promise<(Float32Array | undefined)[]> {
    this.reads++;
    return super.getMany(keys);
  }
}

function source(file: string, reads: string[]): ImageSource {
  return {
    id: `set/${file}`,
    read: async () => {
      reads.push(file);
      return new Uint8Array(readFileSync(`${fixtures}${file}`));
    },
  };
}

async function fill(cache: EmbeddingCache, prompts: string[], files: string[]): Promise<void> {
  const vector = (seed: number) => Float32Array.from({ length: 4 }, (_, i) => seed + i);
  await cache.putMany(prompts.map((prompt, i) => ({ key: textCacheKey(MODEL, prompt), embedding: vector(i) })));
  for (const [i, file] of files.entries()) {
    const sha = await sha256Hex(new Uint8Array(readFileSync(`${fixtures}${file}`)));
    await cache.putMany([{ key: imageCacheKey(MODEL, sha), embedding: vector(10 + i) }]);
  }
}

describe('lookupCachedEmbeddings', () => {
  const prompts = ['a photo of a landbird.', 'a photo of a waterbird.'];
  const files = ['gray.png', 'alpha.png'];

  it('everything cached: prompts in one read, images in one more, in the order asked', async () => {
    const cache = new CountingCache();
    await fill(cache, prompts, files);
    cache.reads = 0;
    const reads: string[] = [];
    const lookup = await lookupCachedEmbeddings(
      cache,
      MODEL,
      [...prompts].reverse(),
      files.map((f) => source(f, reads)),
    );
    expect(cache.reads).toBe(2);
    if (!lookup.complete) throw new Error('expected a complete lookup');
    expect(lookup.dim).toBe(4);
    expect(Array.from(lookup.text)).toEqual([1, 2, 3, 4, 0, 1, 2, 3]);
    expect(lookup.images.map((i) => [i.id, i.embedding[0]])).toEqual([
      ['set/gray.png', 10],
      ['set/alpha.png', 11],
    ]);
  });

  it('an image whose hash is given is not read again', async () => {
    const cache = new MemoryEmbeddingCache();
    await fill(cache, prompts, files);
    const reads: string[] = [];
    const first = await lookupCachedEmbeddings(
      cache,
      MODEL,
      prompts,
      files.map((f) => source(f, reads)),
    );
    if (!first.complete) throw new Error('expected a complete lookup');
    expect(reads).toEqual(files);
    const again = await lookupCachedEmbeddings(
      cache,
      MODEL,
      prompts,
      files.map((f) => ({ ...source(f, reads), sha256: first.hashes[`set/${f}`] })),
    );
    expect(reads).toEqual(files);
    expect(again.complete && again.images.map((i) => i.embedding[0])).toEqual([10, 11]);
  });

  it('a missing prompt stops after one read, without reading any image', async () => {
    const cache = new CountingCache();
    await fill(cache, prompts.slice(0, 1), files);
    cache.reads = 0;
    const reads: string[] = [];
    const lookup = await lookupCachedEmbeddings(
      cache,
      MODEL,
      prompts,
      files.map((f) => source(f, reads)),
    );
    expect(lookup).toEqual({ complete: false, missingPrompts: 1, missingImages: 2, hashes: {} });
    expect(cache.reads).toBe(1);
    expect(reads).toEqual([]);
  });

  it('a missing image (or another model or precision) is counted, with the hashes of the images read', async () => {
    const cache = new MemoryEmbeddingCache();
    await fill(cache, prompts, files.slice(0, 1));
    const lookup = await lookupCachedEmbeddings(
      cache,
      MODEL,
      prompts,
      files.map((f) => source(f, [])),
    );
    expect(lookup.complete).toBe(false);
    if (lookup.complete) return;
    expect(lookup.missingImages).toBe(1);
    expect(Object.keys(lookup.hashes)).toEqual(['set/gray.png', 'set/alpha.png']);
    const other = await lookupCachedEmbeddings(
      cache,
      'local:tiny-clip@fp32',
      prompts,
      files.map((f) => source(f, [])),
    );
    expect(other).toMatchObject({ complete: false, missingPrompts: 2 });
  });
});

describe('mayExceedContext', () => {
  it('never says no to a prompt the CLIP tokenizer cuts, and says no to short prompts', async () => {
    const tokenizer = await AutoTokenizer.from_pretrained(tinyModel);
    const samples = [
      'a photo of a landbird.',
      'cat '.repeat(75).trim(),
      'cat '.repeat(76).trim(),
      'x'.repeat(75),
      'é'.repeat(40),
      '🐦'.repeat(20),
      'a photo of a '.repeat(12),
    ];
    for (const prompt of samples) {
      if (promptTokenIds(tokenizer, prompt).truncated) expect(mayExceedContext(prompt)).toBe(true);
    }
    expect(mayExceedContext('a photo of a landbird.')).toBe(false);
    expect(mayExceedContext('cat '.repeat(76).trim())).toBe(true);
  });
});
