/**
 * The page's side of the bundle worker: one short-lived worker per file, so the memory it used while reading
 * (the file's bytes, JSON text for /1) is released as soon as the bundle has been handed over.
 */
import type { EmbeddingBundle } from '../core/types';
import type { BundleAnalysisRequest, PrecomputedBundleAnalysis } from './bundleAnalysis';
import type { BundleParseRequest, BundleParseResponse } from './protocol';

export interface BundleParseProgress {
  stage: Extract<BundleParseResponse, { type: 'bundleProgress' }>['stage'];
  done: number;
  total: number;
}

/** A read bundle, and the first results tables when the worker was asked to build them (bundleAnalysis.ts). */
export interface ParsedBundle {
  bundle: EmbeddingBundle;
  precomputed?: PrecomputedBundleAnalysis;
}

/** The part of Worker this uses (tests pass a fake). */
export interface BundleWorkerLike {
  postMessage(message: BundleParseRequest): void;
  terminate(): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<BundleParseResponse>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
}

export function createBundleWorker(): BundleWorkerLike {
  return new Worker(new URL('./bundleWorker.ts', import.meta.url), { type: 'module', name: 'bundle-worker' });
}

/** A bundle that could not be read: `message` is the sentence for the user, `field` where (when known). */
export class BundleParseError extends Error {
  readonly field?: string;
  constructor(message: string, field?: string) {
    super(message);
    this.name = 'BundleParseError';
    this.field = field;
  }
}

export function parseBundleInWorker(
  file: Blob,
  onProgress?: (progress: BundleParseProgress) => void,
  analyse?: BundleAnalysisRequest,
  createWorker: () => BundleWorkerLike = createBundleWorker,
): Promise<ParsedBundle> {
  const worker = createWorker();
  return new Promise<ParsedBundle>((resolve, reject) => {
    worker.addEventListener('message', (event) => {
      const message = event.data;
      if (message.type === 'bundleProgress') {
        onProgress?.({ stage: message.stage, done: message.done, total: message.total });
        return;
      }
      worker.terminate();
      if (message.type === 'bundleParsed') resolve({ bundle: message.bundle, precomputed: message.precomputed });
      else reject(new BundleParseError(message.message, message.field));
    });
    worker.addEventListener('error', (event) => {
      worker.terminate();
      // a worker that dies while reading is almost always out of memory on a very large file
      reject(new BundleParseError(`the file could not be read (${event.message || 'the reader stopped'})`));
    });
    worker.postMessage({ type: 'parseBundle', requestId: 1, file, ...(analyse ? { analyse } : {}) });
  });
}
