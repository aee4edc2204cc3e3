/**
 * Copies onnxruntime-web's WASM runtime into public/ort/ (git-ignored) so the app self-hosts it: the worker
 * points env.backends.onnx.wasm.wasmPaths there and never loads from a CDN. Two builds are copied: asyncify
 * for the WebGPU backend (transformers.js imports onnxruntime-web/webgpu), and the plain build for the WASM
 * backend, whose kernels run ~2.4× faster without asyncify's instrumentation (src/model/clipRuntime.ts).
 * Runs from the Vite plugin on dev, build and preview; also runnable alone: `tsx scripts/copy-ort-wasm.ts`.
 */
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ORT_FILES = [
  'ort-wasm-simd-threaded.asyncify.mjs',
  'ort-wasm-simd-threaded.asyncify.wasm',
  'ort-wasm-simd-threaded.mjs',
  'ort-wasm-simd-threaded.wasm',
] as const;

/** Copies missing or changed files; returns the names copied. */
export function copyOrtWasm(root: string): string[] {
  const source = join(root, 'node_modules', 'onnxruntime-web', 'dist');
  const target = join(root, 'public', 'ort');
  mkdirSync(target, { recursive: true });
  const copied: string[] = [];
  for (const file of ORT_FILES) {
    const from = join(source, file);
    const to = join(target, file);
    if (!existsSync(from)) throw new Error(`copy-ort-wasm: ${from} is missing; run npm ci`);
    if (existsSync(to) && statSync(to).size === statSync(from).size && statSync(to).mtimeMs >= statSync(from).mtimeMs)
      continue;
    copyFileSync(from, to);
    copied.push(file);
  }
  return copied;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const copied = copyOrtWasm(root);
  console.log(copied.length ? `copied ${copied.join(', ')} to public/ort/` : 'public/ort/ is up to date');
}
