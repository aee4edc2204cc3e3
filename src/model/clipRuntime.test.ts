import { describe, expect, it } from 'vitest';
import type { RuntimeInfo } from '../core/config';
import { applyFallback } from './clipRuntime';

describe('applyFallback', () => {
  it('records the switch to WASM, its thread count and which batch failed, in the runtime every result carries', () => {
    const runtime: RuntimeInfo = { backend: 'webgpu', dtype: 'fp16', threads: 1, modelId: 'Xenova/clip-vit-base-patch32', crossOriginIsolated: true, notes: [] };
    const capabilities = { webgpu: true, shaderF16: true, crossOriginIsolated: true, hardwareConcurrency: 8, node: false };
    applyFallback(runtime, { from: 'webgpu', to: 'wasm', reason: 'device lost', batchIndex: 11 }, capabilities);
    expect(runtime).toMatchObject({ backend: 'wasm', threads: 4, dtype: 'fp16' });
    expect(runtime.notes).toEqual(['webgpu failed at batch 12 (device lost); continued on wasm']);
    const isolatedless = { ...runtime, notes: [] };
    applyFallback(isolatedless, { from: 'webgpu', to: 'wasm', reason: 'x', batchIndex: 0 }, { ...capabilities, crossOriginIsolated: false });
    expect(isolatedless.threads).toBe(1);
  });
});
