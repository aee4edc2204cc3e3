/**
 * Issue 16 §3: the all-cached check on the page's own thread. When the cache holds everything, the run's answer
 * comes without a worker (so no model session can be created); when the page cannot tell (a prompt that may be
 * cut by the tokenizer, a cache that does not open), the worker is asked.
 */
import { describe, expect, it } from 'vitest';
import { imageCacheKey, MemoryEmbeddingCache, modelKey, sha256Hex, textCacheKey } from '../model/embeddingCache';
import { modelIdOf } from '../model/modelId';
import { answerCachedLookup, pageCanAnswer } from './cachedLookup';
import { ClipWorkerClient, type WorkerLike } from './client';
import type { ImageInput, WorkerRequest, WorkerResponse } from './protocol';

const capabilities = async () => ({
  webgpu: false,
  shaderF16: false,
  crossOriginIsolated: true,
  hardwareConcurrency: 2,
  node: false,
});
const MODEL = modelKey('local:tiny-clip', 'q8');
const PROMPTS = ['a photo of a cat.', 'a photo of a dog.'];
const files = [Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5, 6)];
const images = (): ImageInput[] =>
  files.map((bytes, i) => ({ id: `cat/${i}.jpg`, data: new Blob([bytes as Uint8Array<ArrayBuffer>]) }));

async function filledCache(options: { skipPrompt?: boolean } = {}): Promise<MemoryEmbeddingCache> {
  const cache = new MemoryEmbeddingCache();
  const prompts = options.skipPrompt ? PROMPTS.slice(0, 1) : PROMPTS;
  await cache.putMany(prompts.map((p, i) => ({ key: textCacheKey(MODEL, p), embedding: Float32Array.of(i, 1) })));
  for (const [i, bytes] of files.entries())
    await cache.putMany([{ key: imageCacheKey(MODEL, await sha256Hex(bytes)), embedding: Float32Array.of(1, i) }]);
  return cache;
}

/** A worker that records what it was asked and answers a lookup with "nothing cached". */
class RecordingWorker implements WorkerLike {
  static created = 0;
  readonly received: WorkerRequest[] = [];
  private listeners: ((event: MessageEvent<WorkerResponse>) => void)[] = [];
  constructor() {
    RecordingWorker.created++;
  }
  addEventListener(type: 'message' | 'error', listener: never): void {
    if (type === 'message') this.listeners.push(listener);
  }
  terminate(): void {}
  postMessage(request: WorkerRequest): void {
    this.received.push(request);
    if (request.type !== 'lookupCached') return;
    const message: WorkerResponse = {
      type: 'cacheLookup',
      requestId: request.requestId,
      runtime: {
        backend: 'wasm',
        dtype: 'q8',
        threads: 2,
        modelId: 'local:tiny-clip',
        crossOriginIsolated: true,
        notes: [],
      },
      lookup: { complete: false, missingPrompts: 2, missingImages: 2, hashes: {} },
    };
    queueMicrotask(() =>
      this.listeners.forEach((listener) => listener({ data: message } as MessageEvent<WorkerResponse>)),
    );
  }
}

function client(cache: MemoryEmbeddingCache | null) {
  RecordingWorker.created = 0;
  return new ClipWorkerClient({
    createWorker: () => new RecordingWorker(),
    appBaseUrl: 'http://localhost/',
    pageCache: cache ? async () => cache : null,
  });
}

describe('the all-cached check on the page', () => {
  it('everything cached: answered on the page, with the embeddings in order, and no worker is created', async () => {
    const answer = await client(await filledCache()).lookupCached(
      { kind: 'local', name: 'tiny-clip' },
      'auto',
      'q8',
      PROMPTS,
      images(),
    );
    expect(RecordingWorker.created).toBe(0);
    expect(answer.lookup.complete).toBe(true);
    if (!answer.lookup.complete) return;
    expect([...answer.lookup.text]).toEqual([0, 1, 1, 1]);
    expect(answer.lookup.images.map((image) => [...image.embedding])).toEqual([
      [1, 0],
      [1, 1],
    ]);
    expect(answer.runtime).toMatchObject({ backend: 'wasm', dtype: 'q8', modelId: 'local:tiny-clip' });
    expect(answer.runtime.notes.join(' ')).toMatch(/model was not loaded/);
    expect(answer.marks?.map((mark) => mark.name)).toContain('page: 2 image embeddings read');
  });

  it('a prompt missing: the page says so (the run then loads the model) and still creates no worker for the check', async () => {
    const answer = await client(await filledCache({ skipPrompt: true })).lookupCached(
      { kind: 'local', name: 'tiny-clip' },
      'auto',
      'q8',
      PROMPTS,
      images(),
    );
    expect(answer.lookup).toMatchObject({ complete: false, missingPrompts: 1 });
    expect(RecordingWorker.created).toBe(0);
  });

  it('a prompt the tokenizer may cut, or no cache on the page: the worker is asked', async () => {
    const long = 'a photo of a '.concat('very '.repeat(20), 'long cat.');
    expect(pageCanAnswer([long])).toBe(false);
    expect(pageCanAnswer(PROMPTS)).toBe(true);
    const withLong = client(await filledCache());
    await withLong.lookupCached({ kind: 'local', name: 'tiny-clip' }, 'auto', 'q8', [...PROMPTS, long], images());
    expect(RecordingWorker.created).toBe(1);
    const noCache = client(null);
    await noCache.lookupCached({ kind: 'local', name: 'tiny-clip' }, 'auto', 'q8', PROMPTS, images());
    expect(RecordingWorker.created).toBe(1);
  });

  it('answerCachedLookup leaves a possibly cut prompt to a thread with a tokenizer', async () => {
    const cache = await filledCache();
    const long = 'x'.repeat(200);
    const request = { modelId: 'local:tiny-clip', backend: 'auto' as const, dtype: 'q8' as const, images: images() };
    const deps = { capabilities, openCache: async () => cache, where: 'page' };
    expect(await answerCachedLookup({ ...request, prompts: [long] }, deps)).toBeNull();
    const withTokenizer = await answerCachedLookup(
      { ...request, prompts: [long] },
      { ...deps, truncatedPrompts: async (texts) => [...texts] },
    );
    // the long prompt is not cached: the answer says so without asking the tokenizer
    expect(withTokenizer?.lookup).toMatchObject({ complete: false, missingPrompts: 1 });
  });

  it('the cache id the page asks under is the one a load uses', () => {
    expect(modelIdOf({ kind: 'local', name: 'tiny-clip' })).toEqual({ ok: true, modelId: 'local:tiny-clip' });
    expect(modelIdOf({ kind: 'hub', id: 'Xenova/clip-vit-base-patch32' })).toEqual({
      ok: true,
      modelId: 'Xenova/clip-vit-base-patch32',
    });
    expect(modelIdOf({ kind: 'local', name: '../etc' })).toMatchObject({ ok: false });
  });
});
