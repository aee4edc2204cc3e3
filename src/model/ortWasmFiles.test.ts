import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { env } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { ORT_FILES } from '../../scripts/copy-ort-wasm';
import { configureOrtWasm, ortWasmFiles } from './clipRuntime';

describe('ORT WASM build per backend', () => {
  it('gives the CPU backend the plain build and WebGPU the asyncify build', () => {
    expect(ortWasmFiles('wasm')).toEqual({ mjs: 'ort-wasm-simd-threaded.mjs', wasm: 'ort-wasm-simd-threaded.wasm' });
    expect(ortWasmFiles('webgpu')).toEqual({
      mjs: 'ort-wasm-simd-threaded.asyncify.mjs',
      wasm: 'ort-wasm-simd-threaded.asyncify.wasm',
    });
  });

  it('self-hosts every file either backend loads, and onnxruntime-web ships them', () => {
    for (const backend of ['wasm', 'webgpu'] as const) {
      for (const file of Object.values(ortWasmFiles(backend))) {
        expect(ORT_FILES).toContain(file);
        expect(existsSync(join('node_modules', 'onnxruntime-web', 'dist', file)), file).toBe(true);
      }
    }
  });

  it('points onnxruntime-web at the app origin, with the thread count', () => {
    const wasm = env.backends.onnx.wasm;
    expect(wasm).toBeDefined();
    configureOrtWasm('https://app.test/sub/', 2, 'wasm');
    expect(wasm?.wasmPaths).toEqual({
      mjs: 'https://app.test/sub/ort/ort-wasm-simd-threaded.mjs',
      wasm: 'https://app.test/sub/ort/ort-wasm-simd-threaded.wasm',
    });
    expect(wasm?.numThreads).toBe(2);
    configureOrtWasm('https://app.test/', 1, 'webgpu');
    expect(wasm?.wasmPaths).toEqual({
      mjs: 'https://app.test/ort/ort-wasm-simd-threaded.asyncify.mjs',
      wasm: 'https://app.test/ort/ort-wasm-simd-threaded.asyncify.wasm',
    });
  });
});
