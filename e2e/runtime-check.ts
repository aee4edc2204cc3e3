/**
 * Runtime self-check page (built as runtime-check.html): exposes window.__sageRuntime for Playwright and,
 * with ?model=<folder>, runs a quick load + text embedding by hand.
 */
import type { Dtype } from '../src/core/config';
import { ClipWorkerClient, createClipWorker, type LoadResult, type WorkerLike } from '../src/worker/client';
import type { BackendPreference, ModelSource, WorkerRequest, WorkerResponse } from '../src/worker/protocol';
import { errorMessage } from '../src/core/errors';

export interface RuntimeCheckImage {
  id: string;
  base64: string;
}

export type RuntimeCheckOutcome =
  { id: string; ok: true; embedding: number[]; fromCache: boolean } | { id: string; ok: false; reason: string };

export interface RuntimeCheckApi {
  load(source: ModelSource, backend: BackendPreference, dtype?: Dtype): Promise<LoadResult>;
  embedImages(
    images: RuntimeCheckImage[],
    batchSize: number,
  ): Promise<{ outcomes: RuntimeCheckOutcome[]; ms: number; batches: number; restarts: number }>;
  embedText(prompts: string[]): Promise<number[][]>;
  /** the current worker dies (terminated + error event, as on an out-of-memory crash) after n more image batches */
  crashAfterBatches(n: number): void;
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

/** Batches left before the next simulated crash (null: none planned). Consumed once, so the restarted worker lives. */
let crashPlan: number | null = null;

/** The real CLIP worker, which can be made to die the way a crashed worker does: terminated, then an 'error' event. */
class CrashableWorker implements WorkerLike {
  private readonly worker = createClipWorker();
  private readonly errorListeners: ((event: ErrorEvent) => void)[] = [];
  postMessage(message: WorkerRequest): void {
    this.worker.postMessage(message);
  }
  terminate(): void {
    this.worker.terminate();
  }
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerResponse>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  addEventListener(
    type: 'message' | 'error',
    listener: ((event: MessageEvent<WorkerResponse>) => void) | ((event: ErrorEvent) => void),
  ): void {
    if (type === 'error') {
      const onError = listener as (event: ErrorEvent) => void;
      this.errorListeners.push(onError);
      this.worker.addEventListener('error', onError);
      return;
    }
    const onMessage = listener as (event: MessageEvent<WorkerResponse>) => void;
    this.worker.addEventListener('message', (event: MessageEvent<WorkerResponse>) => {
      onMessage(event);
      if (event.data.type !== 'imageBatch' || crashPlan === null || --crashPlan > 0) return;
      crashPlan = null;
      this.worker.terminate();
      const crash = new ErrorEvent('error', { message: 'simulated worker crash' });
      for (const errorListener of this.errorListeners) errorListener(crash);
    });
  }
}

// the page lives in e2e/, the app root (models/, ort/) is one level up
const client = new ClipWorkerClient({
  appBaseUrl: new URL('../', location.href).href,
  createWorker: () => new CrashableWorker(),
});
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
    const result = await client.load(source, backend, dtype, (p) =>
      print(`${p.file ?? p.phase}: ${p.fileLoadedBytes}/${p.fileTotalBytes} bytes`),
    );
    dim = result.dim;
    print(
      `loaded ${result.runtime.modelId} on ${result.runtime.backend} (${result.runtime.dtype}, ${result.runtime.threads} threads)`,
    );
    return result;
  },
  async embedImages(images, batchSize) {
    const outcomes: RuntimeCheckOutcome[] = [];
    let batches = 0;
    const start = performance.now();
    const summary = await client.embedImages(
      images.map((image) => ({ id: image.id, data: new Blob([fromBase64(image.base64)]) })),
      batchSize,
      (batch) => {
        batches++;
        for (const outcome of batch.outcomes) {
          outcomes.push(
            outcome.ok
              ? { id: outcome.id, ok: true, embedding: Array.from(outcome.embedding), fromCache: outcome.fromCache }
              : outcome,
          );
        }
      },
    );
    return { outcomes, ms: performance.now() - start, batches, restarts: summary.restarts };
  },
  crashAfterBatches(n) {
    crashPlan = n;
  },
  async embedText(prompts) {
    const { embeddings } = await client.embedText(prompts);
    return prompts.map((_, i) => Array.from(embeddings.subarray(i * dim, (i + 1) * dim)));
  },
};

const model = new URLSearchParams(location.search).get('model');
if (model) {
  window.__sageRuntime
    .load({ kind: 'local', name: model }, 'auto')
    .then(() => window.__sageRuntime?.embedText(['a photo of a cat']))
    .then((rows) => print(`text embedding dim ${rows?.[0]?.length}`))
    .catch((error: unknown) => print(`error: ${errorMessage(error)}`));
}
