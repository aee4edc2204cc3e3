import { describe, expect, it } from 'vitest';
import { chooseBackend, probeCapabilities, type Capabilities } from './backend';

const browser = (overrides: Partial<Capabilities> = {}): Capabilities => ({
  webgpu: false,
  shaderF16: false,
  crossOriginIsolated: true,
  hardwareConcurrency: 8,
  node: false,
  ...overrides,
});

describe('chooseBackend', () => {
  it('auto picks WebGPU with fp16 only when the adapter has shader-f16', () => {
    expect(chooseBackend(browser({ webgpu: true, shaderF16: true }), 'auto')).toMatchObject({
      backend: 'webgpu',
      dtype: 'fp16',
    });
    expect(chooseBackend(browser({ webgpu: true, shaderF16: false }), 'auto')).toMatchObject({
      backend: 'webgpu',
      dtype: 'fp32',
    });
  });

  it('falls back to WASM q8 with min(cores, 4) threads when isolated, 1 otherwise', () => {
    expect(chooseBackend(browser(), 'auto')).toMatchObject({ backend: 'wasm', dtype: 'q8', threads: 4 });
    expect(chooseBackend(browser({ hardwareConcurrency: 2 }), 'auto').threads).toBe(2);
    const single = chooseBackend(browser({ crossOriginIsolated: false }), 'auto');
    expect(single.threads).toBe(1);
    expect(single.notes.join(' ')).toMatch(/not cross-origin isolated/);
  });

  it('honours overrides and says why when one cannot be met', () => {
    expect(chooseBackend(browser({ webgpu: true }), 'wasm').backend).toBe('wasm');
    const noGpu = chooseBackend(browser(), 'webgpu');
    expect(noGpu.backend).toBe('wasm');
    expect(noGpu.notes.join(' ')).toMatch(/no adapter/);
    const noF16 = chooseBackend(browser({ webgpu: true }), 'webgpu', 'fp16');
    expect(noF16.dtype).toBe('fp32');
    expect(chooseBackend(browser(), 'wasm', 'fp32').dtype).toBe('fp32');
  });

  it('uses onnxruntime-node in Node whatever the preference', () => {
    expect(chooseBackend(browser({ node: true }), 'webgpu')).toMatchObject({ backend: 'node' });
  });
});

describe('probeCapabilities with a fake navigator.gpu', () => {
  it('reads the adapter and its features', async () => {
    const fake = {
      gpu: { requestAdapter: async () => ({ features: new Set(['shader-f16']) }) },
      hardwareConcurrency: 6,
    };
    expect(await probeCapabilities(fake, true)).toMatchObject({
      webgpu: true,
      shaderF16: true,
      hardwareConcurrency: 6,
    });
  });
  it('treats a null adapter, a throwing adapter and no gpu as no WebGPU', async () => {
    expect((await probeCapabilities({ gpu: { requestAdapter: async () => null } }, false)).webgpu).toBe(false);
    const throwing = { gpu: { requestAdapter: async () => Promise.reject(new Error('blocked')) } };
    expect((await probeCapabilities(throwing, false)).webgpu).toBe(false);
    expect((await probeCapabilities({}, false)).webgpu).toBe(false);
  });
});
