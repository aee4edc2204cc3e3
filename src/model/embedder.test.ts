import { describe, expect, it } from 'vitest';
import type { BackendId } from '../core/config';
import type { DecodeResult } from './decode';
import { SIXTEEN_BIT_GRAY_NOTE } from './decodingNotes';
import {
  ClipEmbedder,
  EmbeddingCancelled,
  type ClipEncoders,
  type ImageBatchResult,
  type ImageSource,
} from './embedder';
import { MemoryEmbeddingCache, ResilientEmbeddingCache, type EmbeddingCache } from './embeddingCache';
import { parsePreprocessorConfig } from './preprocessConfig';

const DIM = 4;
const config = parsePreprocessorConfig({
  size: { shortest_edge: 8 },
  crop_size: { height: 8, width: 8 },
  image_mean: [0.5, 0.5, 0.5],
  image_std: [0.5, 0.5, 0.5],
});

/** "Images" are 1-byte files; the decoder turns byte b into an 8×8 image of value b, or fails on 0xff. */
const decode = async (bytes: Uint8Array): Promise<DecodeResult> => {
  if (bytes[0] === 0xff) return { ok: false, reason: 'not an image (test)' };
  return { ok: true, image: { width: 8, height: 8, data: new Uint8Array(8 * 8 * 4).fill(bytes[0]) } };
};

/** Encoder whose embedding depends only on the image: [mean pixel, 1, 2, 3]. Counts calls; can throw on call k. */
class CountingEncoders implements ClipEncoders {
  readonly dim = DIM;
  imageCalls = 0;
  textCalls = 0;
  imagesEncoded = 0;
  constructor(
    readonly backend: BackendId,
    private readonly throwOnImageCall?: number,
  ) {}
  async encodeImages(pixels: Float32Array, count: number): Promise<Float32Array> {
    this.imageCalls++;
    if (this.throwOnImageCall === this.imageCalls) throw new Error('GPU device lost');
    this.imagesEncoded += count;
    const per = pixels.length / count;
    const out = new Float32Array(count * DIM);
    for (let i = 0; i < count; i++) out.set([pixels[i * per] + 2, 1, 2, 3], i * DIM);
    return out;
  }
  async encodeTexts(prompts: readonly string[]): Promise<Float32Array> {
    this.textCalls++;
    const out = new Float32Array(prompts.length * DIM);
    prompts.forEach((prompt, i) => out.set([prompt.length, 1, 0, 0], i * DIM));
    return out;
  }
  /** prompts of 4 characters or more stand for prompts over the context */
  exceedsContext(prompt: string): boolean {
    return prompt.length >= 4;
  }
  async dispose(): Promise<void> {}
}

function images(values: number[]): ImageSource[] {
  return values.map((value, i) => ({ id: `img${i}`, read: async () => new Uint8Array([value]) }));
}

function embedderWith(encoders: ClipEncoders, cache: EmbeddingCache, created: ClipEncoders[] = []) {
  return new ClipEmbedder({
    model: 'test@fp32',
    encoders,
    createEncoders: async (backend) => {
      const next = new CountingEncoders(backend);
      created.push(next);
      return next;
    },
    preprocess: config,
    decode,
    cache,
  });
}

async function collect(generator: AsyncGenerator<ImageBatchResult>): Promise<ImageBatchResult[]> {
  const out: ImageBatchResult[] = [];
  for await (const batch of generator) out.push(batch);
  return out;
}

describe('ClipEmbedder', () => {
  it('a second run over the same images calls the image encoder zero times', async () => {
    const cache = new MemoryEmbeddingCache();
    const first = new CountingEncoders('node');
    const firstRun = await collect(embedderWith(first, cache).embedImages(images([10, 20, 30, 40, 50]), 2));
    expect(first.imageCalls).toBe(3);
    expect(firstRun.flatMap((b) => b.outcomes).every((o) => o.ok && !o.fromCache)).toBe(true);

    const second = new CountingEncoders('node');
    const secondRun = await collect(embedderWith(second, cache).embedImages(images([10, 20, 30, 40, 50]), 4));
    expect(second.imageCalls).toBe(0);
    const outcomes = secondRun.flatMap((b) => b.outcomes);
    expect(outcomes.every((o) => o.ok && o.fromCache)).toBe(true);
  });

  it('unit-normalises, keeps input order, and reports per-image failures without aborting', async () => {
    const encoders = new CountingEncoders('node');
    const batches = await collect(
      embedderWith(encoders, new MemoryEmbeddingCache()).embedImages(images([10, 0xff, 30]), 3),
    );
    const [a, bad, c] = batches[0].outcomes;
    expect(bad).toEqual({ id: 'img1', ok: false, reason: 'not an image (test)' });
    expect(a.ok && c.ok).toBe(true);
    if (!a.ok || !c.ok) return;
    expect(a.id).toBe('img0');
    let norm = 0;
    for (const x of a.embedding) norm += x * x;
    expect(norm).toBeCloseTo(1, 6);
    expect(a.embedding[0]).not.toBeCloseTo(c.embedding[0], 3);
    expect(encoders.imagesEncoded).toBe(2);
  });

  it('WebGPU failing on batch k: rebuilds on WASM and retries that batch, nothing lost', async () => {
    const gpu = new CountingEncoders('webgpu', 2);
    const created: CountingEncoders[] = [];
    const fallbacks: { from: string; to: string; batchIndex: number }[] = [];
    const embedder = new ClipEmbedder({
      model: 'test@fp16',
      encoders: gpu,
      createEncoders: async (backend) => {
        const next = new CountingEncoders(backend);
        created.push(next);
        return next;
      },
      preprocess: config,
      decode,
      cache: new MemoryEmbeddingCache(),
      onFallback: (event) => fallbacks.push(event),
    });
    const batches = await collect(embedder.embedImages(images([1, 2, 3, 4, 5, 6]), 2));
    expect(fallbacks).toEqual([{ from: 'webgpu', to: 'wasm', reason: 'GPU device lost', batchIndex: 1 }]);
    expect(gpu.imagesEncoded).toBe(2);
    expect(created).toHaveLength(1);
    expect(created[0].imagesEncoded).toBe(4);
    expect(embedder.backend).toBe('wasm');
    expect(batches.flatMap((b) => b.outcomes).map((o) => o.ok)).toEqual([true, true, true, true, true, true]);
  });

  it('a WASM failure is not retried', async () => {
    const wasm = new CountingEncoders('wasm', 1);
    await expect(collect(embedderWith(wasm, new MemoryEmbeddingCache()).embedImages(images([1]), 1))).rejects.toThrow(
      'GPU device lost',
    );
  });

  it('stops between batches when cancelled', async () => {
    const encoders = new CountingEncoders('node');
    const controller = new AbortController();
    const seen: ImageBatchResult[] = [];
    await expect(
      (async () => {
        for await (const batch of embedderWith(encoders, new MemoryEmbeddingCache()).embedImages(
          images([1, 2, 3, 4, 5, 6]),
          2,
          controller.signal,
        )) {
          seen.push(batch);
          controller.abort();
        }
      })(),
    ).rejects.toBeInstanceOf(EmbeddingCancelled);
    expect(seen).toHaveLength(1);
    expect(encoders.imageCalls).toBe(1);
  });

  it('caches text embeddings per (model, prompt)', async () => {
    const cache = new MemoryEmbeddingCache();
    const encoders = new CountingEncoders('node');
    const embedder = embedderWith(encoders, cache);
    const first = await embedder.embedTexts(['a', 'bb', 'ccc'], 2);
    expect(first.fromCache).toBe(0);
    expect(encoders.textCalls).toBe(2);
    const second = await embedder.embedTexts(['bb', 'dddd'], 8);
    expect(second.fromCache).toBe(1);
    expect(encoders.textCalls).toBe(3);
    expect(Array.from(second.embeddings.subarray(0, DIM))).toEqual(Array.from(first.embeddings.subarray(DIM, 2 * DIM)));
  });

  it('a decoding note (16-bit grayscale PNG) is on the outcome, fresh or from the cache', async () => {
    const gray16 = Uint8Array.from([
      137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 8, 0, 0, 0, 8, 16, 0,
    ]);
    const sources: ImageSource[] = [
      { id: 'xray.png', read: async () => gray16 },
      { id: 'plain', read: async () => new Uint8Array([7]) },
    ];
    const embedder = embedderWith(new CountingEncoders('node'), new MemoryEmbeddingCache());
    for (const fromCache of [false, true]) {
      const [batch] = await collect(embedder.embedImages(sources, 2));
      expect(batch.outcomes.map((o) => (o.ok ? [o.fromCache, o.note] : o.reason))).toEqual([
        [fromCache, SIXTEEN_BIT_GRAY_NOTE],
        [fromCache, undefined],
      ]);
    }
  });

  it('names the prompts that were cut, whether they came from the cache or the encoder', async () => {
    const cache = new MemoryEmbeddingCache();
    const embedder = embedderWith(new CountingEncoders('node'), cache);
    expect((await embedder.embedTexts(['a', 'dddd'], 8)).truncated).toEqual(['dddd']);
    const again = await embedder.embedTexts(['dddd', 'eeeee', 'b'], 8);
    expect(again.fromCache).toBe(1);
    expect(again.truncated).toEqual(['dddd', 'eeeee']);
  });

  it('keeps working in memory when the persistent cache fails, and says so', async () => {
    const failing: EmbeddingCache = {
      kind: 'indexeddb',
      note: null,
      getMany: async () => Promise.reject(Object.assign(new Error('quota'), { name: 'QuotaExceededError' })),
      putMany: async () => Promise.reject(Object.assign(new Error('quota'), { name: 'QuotaExceededError' })),
    };
    const cache = new ResilientEmbeddingCache(failing);
    const encoders = new CountingEncoders('node');
    await collect(embedderWith(encoders, cache).embedImages(images([1, 2]), 2));
    expect(cache.note).toMatch(/storage quota exceeded.*in memory/);
    await collect(embedderWith(encoders, cache).embedImages(images([1, 2]), 2));
    expect(encoders.imageCalls).toBe(1);
  });
});
