/**
 * Runtime self-check page (built as runtime-check.html): exposes window.__sageRuntime for Playwright and,
 * with ?model=<folder>, runs a quick load + text embedding by hand.
 */
import type { Dtype } from '../src/core/config';
import { ClipWorkerClient, type LoadResult } from '../src/worker/client';
import type { BackendPreference, ModelSource } from '../src/worker/protocol';

export interface RuntimeCheckImage {
  id: string;
  base64: string;
}

export type RuntimeCheckOutcome = { id: string; ok: true; embedding: number[]; fromCache: boolean } | { id: string; ok: false; reason: string };

export interface RuntimeCheckApi {
  load(source: ModelSource, backend: BackendPreference, dtype?: Dtype): Promise<LoadResult>;
  embedImages(images: RuntimeCheckImage[], batchSize: number): Promise<{ outcomes: RuntimeCheckOutcome[]; ms: number; batches: number }>;
  embedText(prompts: string[]): Promise<number[][]>;
  crossOriginIsolated: boolean;
}

declare global {
  interface Window {
    __sageRuntime?: RuntimeCheckApi;
  }
}

const log = document.getElementById('log');
const print = (line: string) => {
  if (log) log.textContent += `${line}\n`;
};

// the page lives in e2e/, the app root (models/, ort/) is one level up
const client = new ClipWorkerClient({ appBaseUrl: new URL('../', location.href).href });
let dim = 0;

function fromBase64(text: string): ArrayBuffer {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

window.__sageRuntime = {
  crossOriginIsolated: self.crossOriginIsolated,
  async load(source, backend, dtype) {
    const result = await client.load(source, backend, dtype, (p) => print(`${p.file ?? p.phase}: ${p.fileLoadedBytes}/${p.fileTotalBytes} bytes`));
    dim = result.dim;
    print(`loaded ${result.runtime.modelId} on ${result.runtime.backend} (${result.runtime.dtype}, ${result.runtime.threads} threads)`);
    return result;
  },
  async embedImages(images, batchSize) {
    const outcomes: RuntimeCheckOutcome[] = [];
    let batches = 0;
    const start = performance.now();
    await client.embedImages(
      images.map((image) => ({ id: image.id, data: new Blob([fromBase64(image.base64)]) })),
      batchSize,
      (batch) => {
        batches++;
        for (const outcome of batch.outcomes) {
          outcomes.push(outcome.ok ? { id: outcome.id, ok: true, embedding: Array.from(outcome.embedding), fromCache: outcome.fromCache } : outcome);
        }
      },
    );
    return { outcomes, ms: performance.now() - start, batches };
  },
  async embedText(prompts) {
    const flat = await client.embedText(prompts);
    return prompts.map((_, i) => Array.from(flat.subarray(i * dim, (i + 1) * dim)));
  },
};

const model = new URLSearchParams(location.search).get('model');
if (model) {
  window.__sageRuntime
    .load({ kind: 'local', name: model }, 'auto')
    .then(() => window.__sageRuntime?.embedText(['a photo of a cat']))
    .then((rows) => print(`text embedding dim ${rows?.[0]?.length}`))
    .catch((error: unknown) => print(`error: ${error instanceof Error ? error.message : String(error)}`));
}
