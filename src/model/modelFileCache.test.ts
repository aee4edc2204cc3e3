import { describe, expect, it } from 'vitest';
import {
  RUNTIME_GROUP,
  TRANSFORMERS_CACHE_NAME,
  deleteCachedModel,
  listCachedModels,
  modelOfUrl,
  storageStatus,
  type CacheLike,
  type CacheStorageLike,
} from './modelFileCache';

/** An in-memory Cache Storage with one named cache, keyed by URL like the real one. */
class FakeCaches implements CacheStorageLike {
  readonly entries = new Map<string, Response>();
  constructor(private readonly name = TRANSFORMERS_CACHE_NAME) {}
  put(url: string, body: Uint8Array<ArrayBuffer>, withLength = true): void {
    const headers: Record<string, string> = withLength ? { 'content-length': String(body.length) } : {};
    this.entries.set(url, new Response(body, { headers }));
  }
  async has(name: string): Promise<boolean> {
    return name === this.name;
  }
  async open(): Promise<CacheLike> {
    const entries = this.entries;
    return {
      keys: async () => [...entries.keys()].map((url) => new Request(url)),
      match: async (request) => entries.get(request.url)?.clone(),
      delete: async (request) => entries.delete(request.url),
    };
  }
}

const HUB = 'https://huggingface.co';

function populated(): FakeCaches {
  const fake = new FakeCaches();
  fake.put(`${HUB}/Xenova/clip-vit-base-patch32/resolve/main/onnx/vision_model_quantized.onnx`, new Uint8Array(3000));
  fake.put(`${HUB}/Xenova/clip-vit-base-patch32/resolve/main/onnx/text_model_quantized.onnx`, new Uint8Array(2000));
  fake.put(`${HUB}/Xenova/clip-vit-base-patch32/resolve/main/tokenizer.json`, new Uint8Array(100), false);
  fake.put(`${HUB}/Xenova/clip-vit-base-patch16/resolve/main/onnx/vision_model_quantized.onnx`, new Uint8Array(4000));
  fake.put('http://app.test/ort/ort-wasm-simd-threaded.asyncify.wasm', new Uint8Array(500));
  fake.put('http://app.test/ort/ort-wasm-simd-threaded.asyncify.mjs', new Uint8Array(50));
  return fake;
}

describe('cached model files (Cache Storage)', () => {
  it('maps cache URLs to hub models, the ORT runtime, or their origin', () => {
    expect(modelOfUrl(`${HUB}/Xenova/clip-vit-large-patch14/resolve/main/onnx/text_model_fp16.onnx`)).toEqual({
      id: 'Xenova/clip-vit-large-patch14',
      file: 'onnx/text_model_fp16.onnx',
    });
    expect(modelOfUrl('http://app.test/sub/ort/ort-wasm-simd-threaded.asyncify.wasm')).toEqual({
      id: RUNTIME_GROUP,
      file: 'ort-wasm-simd-threaded.asyncify.wasm',
    });
    expect(modelOfUrl('https://mirror.test/other.bin').id).toBe('https://mirror.test');
  });

  it('lists models with per-file and total sizes, largest first (content-length or body size)', async () => {
    const models = await listCachedModels(populated());
    expect(models.map((m) => [m.id, m.bytes])).toEqual([
      ['Xenova/clip-vit-base-patch32', 5100],
      ['Xenova/clip-vit-base-patch16', 4000],
      [RUNTIME_GROUP, 550],
    ]);
    expect(models[0].files.map((f) => [f.file, f.bytes])).toEqual([
      ['onnx/text_model_quantized.onnx', 2000],
      ['onnx/vision_model_quantized.onnx', 3000],
      ['tokenizer.json', 100],
    ]);
  });

  it('deletes exactly one model', async () => {
    const fake = populated();
    expect(await deleteCachedModel('Xenova/clip-vit-base-patch32', fake)).toBe(3);
    expect((await listCachedModels(fake)).map((m) => m.id)).toEqual(['Xenova/clip-vit-base-patch16', RUNTIME_GROUP]);
    expect(await deleteCachedModel('Xenova/clip-vit-base-patch32', fake)).toBe(0);
  });

  it('is empty, not an error, without Cache Storage or without the transformers.js bucket', async () => {
    expect(await listCachedModels(null)).toEqual([]);
    expect(await listCachedModels(new FakeCaches('some-other-cache'))).toEqual([]);
    expect(await deleteCachedModel('x/y', null)).toBe(0);
  });

  it('reports usage, quota and persistence from navigator.storage', async () => {
    const storage = {
      estimate: async () => ({ usage: 10, quota: 100 }),
      persisted: async () => true,
    } as unknown as StorageManager;
    expect(await storageStatus(storage)).toEqual({ usedBytes: 10, quotaBytes: 100, persisted: true });
    expect(await storageStatus(undefined)).toEqual({ usedBytes: null, quotaBytes: null, persisted: null });
  });
});
