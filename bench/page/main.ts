/**
 * Benchmark page: drives the real app path — ClipWorkerClient → CLIP worker → our decode/preprocess →
 * transformers.js — and exposes window.__sageBench for bench/run.ts. Timing is taken here, on the page,
 * so worker ↔ page messaging is inside every measurement.
 */
import type { Dtype } from '../../src/core/config';
import { ClipWorkerClient } from '../../src/worker/client';
import type { ImageInput } from '../../src/worker/protocol';
import { cycleImages, manifestImagePaths } from '../images';
import type { BenchDevice, BenchPageApi, ImageRun, MemoryRunProgress, PageEnvironment } from '../protocol';
import { errorMessage } from '../../src/core/errors';

declare global {
  interface Window {
    __sageBench?: BenchPageApi;
  }
}

const EXAMPLES = '/examples/waterbirds-lite/';
const appBaseUrl = new URL('/', location.href).href;
const client = new ClipWorkerClient({ appBaseUrl });
const log = document.getElementById('log');
const print = (line: string) => {
  if (log) log.textContent += `${line}\n`;
};

let sources: Promise<Uint8Array[]> | null = null;

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

function exampleImages(): Promise<Uint8Array[]> {
  sources ??= (async () => {
    const manifest: unknown = await (await fetch(`${EXAMPLES}manifest.json`)).json();
    return Promise.all(manifestImagePaths(manifest).map((path) => fetchBytes(`${EXAMPLES}${path}`)));
  })();
  return sources;
}

/** Files as the app passes them: Blobs (cheap to clone into the worker). */
async function imageInputs(count: number, runTag: string): Promise<ImageInput[]> {
  return cycleImages(await exampleImages(), count, runTag).map((image) => ({
    id: image.id,
    data: new Blob([image.bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }),
  }));
}

/** A hand-assembled module: () -> v128 { i8x16.popcnt(i8x16.splat(0)) }; it validates only with SIMD. */
const SIMD_PROBE = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00, // magic, version
  0x01,
  0x05,
  0x01,
  0x60,
  0x00,
  0x01,
  0x7b, // type section: func [] -> [v128]
  0x03,
  0x02,
  0x01,
  0x00, // function section
  0x0a,
  0x0a,
  0x01,
  0x08,
  0x00,
  0x41,
  0x00,
  0xfd,
  0x0f,
  0xfd,
  0x62,
  0x0b, // code: i32.const 0, i8x16.splat, i8x16.popcnt, end
]);

async function probeWebGpu(): Promise<PageEnvironment['webgpu']> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu)
    return { available: false, detail: 'navigator.gpu is undefined (WebGPU not exposed by this browser/flags)' };
  try {
    const adapter = await gpu.requestAdapter();
    return adapter
      ? { available: true, detail: 'adapter found' }
      : { available: false, detail: 'navigator.gpu.requestAdapter() returned null (no GPU adapter)' };
  } catch (error) {
    return {
      available: false,
      detail: `requestAdapter() threw: ${errorMessage(error)}`,
    };
  }
}

async function runImages(
  count: number,
  batchSize: number,
  runTag: string,
  keepBatches: boolean,
  onBatch?: () => void,
): Promise<ImageRun> {
  const inputs = await imageInputs(count, runTag);
  const run: ImageRun = { images: count, wallMs: 0, batches: [], failed: [] };
  const start = performance.now();
  await client.embedImages(inputs, batchSize, (batch) => {
    if (keepBatches) run.batches.push({ arrivalMs: performance.now() - start, timings: batch.timings });
    for (const outcome of batch.outcomes) if (!outcome.ok) run.failed.push(`${outcome.id}: ${outcome.reason}`);
    onBatch?.();
  });
  run.wallMs = performance.now() - start;
  return run;
}

const memoryProgress: MemoryRunProgress = { batchesDone: 0, imagesDone: 0, finished: false, error: null, wallMs: 0 };

window.__sageBench = {
  async environment() {
    return {
      crossOriginIsolated: self.crossOriginIsolated,
      hardwareConcurrency: navigator.hardwareConcurrency,
      sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
      wasmSimd: WebAssembly.validate(SIMD_PROBE),
      userAgent: navigator.userAgent,
      webgpu: await probeWebGpu(),
    };
  },
  async load(model: string, device: BenchDevice, dtype: Dtype, towers?: { text: boolean; vision: boolean }) {
    const start = performance.now();
    const result = await client.load({ kind: 'local', name: model }, device, dtype, undefined, towers);
    const loadMs = performance.now() - start;
    print(
      `loaded ${result.runtime.modelId} on ${result.runtime.backend} (${result.runtime.dtype}, ${result.runtime.threads} threads) in ${Math.round(loadMs)} ms`,
    );
    return { runtime: result.runtime, dim: result.dim, loadMs };
  },
  embedImages(count, batchSize, runTag) {
    return runImages(count, batchSize, runTag, true);
  },
  releaseTextTower() {
    return client.releaseTextTower();
  },
  async embedImagesDropping(count, batchSize, runTag) {
    const run = await runImages(count, batchSize, runTag, false);
    return { wallMs: run.wallMs, failed: run.failed.length };
  },
  async embedTexts(prompts) {
    const start = performance.now();
    await client.embedText(prompts);
    return { prompts: prompts.length, wallMs: performance.now() - start };
  },
  startMemoryRun(count, batchSize, runTag) {
    Object.assign(memoryProgress, { batchesDone: 0, imagesDone: 0, finished: false, error: null, wallMs: 0 });
    const start = performance.now();
    // embeddings are dropped as they arrive: the page keeps nothing, so growth is the worker's
    runImages(count, batchSize, runTag, false, () => {
      memoryProgress.batchesDone++;
      memoryProgress.imagesDone = Math.min(count, memoryProgress.batchesDone * batchSize);
    })
      .then((run) => {
        if (run.failed.length > 0) memoryProgress.error = `${run.failed.length} images failed, first: ${run.failed[0]}`;
      })
      .catch((error: unknown) => {
        memoryProgress.error = errorMessage(error);
      })
      .finally(() => {
        memoryProgress.wallMs = performance.now() - start;
        memoryProgress.finished = true;
      });
  },
  memoryRunProgress() {
    return { ...memoryProgress };
  },
};
print('benchmark page ready');
