import { describe, expect, it } from 'vitest';
import type { BackendId, RuntimeInfo } from '../core/config';
import { applyFallback, loadEncodersWithFallback } from './clipRuntime';
import type { ClipEncoders } from './embedder';

describe('applyFallback', () => {
  it('records the switch to WASM, its thread count and which batch failed, in the runtime every result carries', () => {
    const runtime: RuntimeInfo = {
      backend: 'webgpu',
      dtype: 'fp16',
      threads: 1,
      modelId: 'Xenova/clip-vit-base-patch32',
      crossOriginIsolated: true,
      notes: [],
    };
    const capabilities = {
      webgpu: true,
      shaderF16: true,
      crossOriginIsolated: true,
      hardwareConcurrency: 8,
      node: false,
    };
    applyFallback(runtime, { from: 'webgpu', to: 'wasm', reason: 'device lost', batchIndex: 11 }, capabilities);
    expect(runtime).toMatchObject({ backend: 'wasm', threads: 4, dtype: 'fp16' });
    expect(runtime.notes).toEqual(['webgpu failed at batch 12 (device lost); continued on wasm']);
    const isolatedless = { ...runtime, notes: [] };
    applyFallback(
      isolatedless,
      { from: 'webgpu', to: 'wasm', reason: 'x', batchIndex: 0 },
      { ...capabilities, crossOriginIsolated: false },
    );
    expect(isolatedless.threads).toBe(1);
  });
});

describe('loadEncodersWithFallback', () => {
  const fake = (backend: BackendId): ClipEncoders => ({
    dim: 2,
    backend,
    encodeImages: async () => new Float32Array(0),
    encodeTexts: async () => new Float32Array(0),
    exceedsContext: () => false,
    dispose: async () => undefined,
  });

  it('WebGPU that cannot create its sessions falls back to WASM at load, with a note', async () => {
    const tried: BackendId[] = [];
    const result = await loadEncodersWithFallback('webgpu', async (backend) => {
      tried.push(backend);
      if (backend === 'webgpu') throw new Error('unsupported op: GatherND');
      return fake(backend);
    });
    expect(tried).toEqual(['webgpu', 'wasm']);
    expect(result.encoders.backend).toBe('wasm');
    expect(result.note).toBe('WebGPU could not load the model (unsupported op: GatherND); using WASM');
  });

  it('a working backend is used as is; a WASM failure is not retried', async () => {
    expect((await loadEncodersWithFallback('webgpu', async (b) => fake(b))).note).toBeNull();
    const tried: BackendId[] = [];
    await expect(
      loadEncodersWithFallback('wasm', async (backend) => {
        tried.push(backend);
        throw new Error('file missing');
      }),
    ).rejects.toThrow('file missing');
    expect(tried).toEqual(['wasm']);
  });
});
