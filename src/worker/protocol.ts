/**
 * The typed message protocol between the UI thread and the CLIP worker.
 * Requests carry a requestId; every response names the request it answers.
 * Following the transformers.js examples: the worker streams progress and results per batch.
 */
import type { BackendId, Dtype, RuntimeInfo } from '../core/config';
import type { ModelSource } from '../core/modelCatalog';
import type { EmbeddingBundle } from '../core/types';
import type { CacheLookup } from '../model/embeddingCacheLookup';
import type { BundleAnalysisRequest, PrecomputedBundleAnalysis } from './bundleAnalysis';

/** Where model files come from (issue 4 §3); defined in core so the model loader can use it too. */
export type { ModelSource };

export type BackendPreference = 'auto' | BackendId;

export interface ImageInput {
  id: string;
  /** raw file bytes; the worker decodes them */
  data: ArrayBuffer | Blob;
  /** SHA-256 of the bytes if the UI already has it (cache key) */
  sha256?: string;
}

export type WorkerRequest =
  | {
      type: 'load';
      requestId: number;
      source: ModelSource;
      backend: BackendPreference;
      dtype?: Dtype;
      /** absolute URL of the app root, so the worker finds models/ and ort/ (ClipWorkerClient fills it in) */
      appBaseUrl?: string;
      /** which towers the load creates (default both); the others are created on first use (issue 16 §4) */
      towers?: LoadedTowers;
      /** 'memory': this load's embeddings are kept in memory only and nothing is read from the browser's cache (the machine check times real work) */
      embeddingCache?: 'persistent' | 'memory';
    }
  | {
      /**
       * Issue 16 §3: are these prompts and images all in the embedding cache for this model and precision?
       * Answers without loading the model (the tokenizer only when a prompt is long enough to have been cut).
       */
      type: 'lookupCached';
      requestId: number;
      source: ModelSource;
      backend: BackendPreference;
      dtype?: Dtype;
      appBaseUrl?: string;
      prompts: string[];
      images: ImageInput[];
    }
  | { type: 'embedText'; requestId: number; prompts: string[] }
  /** frees the text tower's session now (it comes back on the next text); answered with 'done' */
  | { type: 'releaseTextTower'; requestId: number }
  | {
      type: 'embedImages';
      requestId: number;
      images: ImageInput[];
      batchSize: number;
      /** free the text tower before the first image batch (memory is tight; state/run.ts decides) */
      releaseTextTower?: boolean;
    }
  | { type: 'cancel'; requestId: number };

/** Which towers hold an inference session (the text tower is released when memory is tight). */
export interface LoadedTowers {
  text: boolean;
  vision: boolean;
}

/** A named instant as epoch milliseconds (performance.timeOrigin + performance.now()), comparable across threads. */
export interface TimedMark {
  name: string;
  at: number;
}

/** The answer to lookupCached. */
export type CachedRunLookup =
  | {
      complete: true;
      dim: number;
      /** prompts × dim, row-major, unit rows, in the order asked */
      text: Float32Array;
      images: ImageOk[];
      /** prompts longer than CLIP's 77-token context (they were embedded from their first 75 tokens) */
      truncated: string[];
      /** SHA-256 of each image, by id (pass them back as ImageInput.sha256 to skip reading the files again) */
      hashes: Record<string, string>;
    }
  /** what was missing, and the hashes of the images read (pass them back as ImageInput.sha256) */
  | Extract<CacheLookup, { complete: false }>;

export type ProgressPhase = 'download' | 'init' | 'text' | 'images';

export interface ImageOk {
  id: string;
  ok: true;
  embedding: Float32Array;
  fromCache: boolean;
  /** SHA-256 of the file's bytes (the cache key): a later cache check passes it back instead of reading the file */
  sha256?: string;
  /** how the file was read differs from what a viewer shows, e.g. a 16-bit grayscale PNG (model/decodingNotes.ts) */
  note?: string;
}

export interface ImageFailed {
  id: string;
  ok: false;
  reason: string;
}

export type ImageOutcome = ImageOk | ImageFailed;

/** Per-batch timing, for the run view and the benchmark (issue 7). Milliseconds. */
export interface BatchTimings {
  decode: number;
  preprocess: number;
  encode: number;
  batchSize: number;
}

export type WorkerResponse =
  | {
      type: 'progress';
      requestId: number;
      phase: ProgressPhase;
      /** model file being downloaded, for phase 'download' */
      file?: string;
      loaded: number;
      total: number;
    }
  | { type: 'loaded'; requestId: number; runtime: RuntimeInfo; dim: number }
  /** `runtime`: what would run (backend, precision, threads), though nothing was loaded */
  | {
      type: 'cacheLookup';
      requestId: number;
      runtime: RuntimeInfo;
      lookup: CachedRunLookup;
      /** when each step of the lookup ended in the worker, as epoch ms (timeOrigin + now): the benchmark's breakdown */
      marks?: TimedMark[];
    }
  | {
      type: 'textEmbeddings';
      requestId: number;
      dim: number;
      embeddings: Float32Array;
      fromCache: number;
      /** prompts longer than CLIP's 77-token context, embedded from their first 75 tokens */
      truncated: string[];
    }
  | {
      type: 'imageBatch';
      requestId: number;
      dim: number;
      outcomes: ImageOutcome[];
      timings: BatchTimings;
      /** set once, on the batch where the persistent embedding cache failed (quota, eviction): why, and that memory took over */
      cacheNote?: string;
      /** which towers held a session after this batch (the memory benchmark reads it) */
      towers?: LoadedTowers;
    }
  | { type: 'backendFallback'; requestId: number; from: BackendId; to: BackendId; reason: string; runtime: RuntimeInfo }
  | { type: 'done'; requestId: number }
  | { type: 'cancelled'; requestId: number }
  | { type: 'error'; requestId: number; message: string; file?: string; url?: string };

/**
 * Additive extensions (runtime helper):
 * - `progress` for phase 'images'/'text' counts items (loaded = done, total = requested); for 'download' it
 *   counts bytes of `file`.
 * - `error.url` names the URL a failed download came from.
 */
export const PROTOCOL_VERSION = 1;

// ---------------------------------------------------------------- bundle parsing (issue 17)

/**
 * The bundle worker (./bundleWorker.ts) reads a dropped bundle file, either version, off the page's thread: a
 * 100,000-image bundle takes seconds to read and check, which would freeze the page. It answers with the bundle,
 * its Float32Arrays transferred (not copied). Its own small worker: parsing needs neither the model nor ORT.
 */
export interface BundleParseRequest {
  type: 'parseBundle';
  requestId: number;
  /** the dropped file (a File is a Blob; posting it copies no bytes) */
  file: Blob;
  /** also score the images and build the results' first tables in the worker (bundleAnalysis.ts) */
  analyse?: BundleAnalysisRequest;
}

export type BundleParseResponse =
  | {
      type: 'bundleProgress';
      requestId: number;
      /**
       * 'reading': bytes of the file; 'checking': vectors checked; 'scoring': images scored against the prompts;
       * 'analysing': steps of the first tables (analysis, random row, K curve, templates, map)
       */
      stage: 'reading' | 'checking' | 'scoring' | 'analysing';
      done: number;
      total: number;
    }
  | { type: 'bundleParsed'; requestId: number; bundle: EmbeddingBundle; precomputed?: PrecomputedBundleAnalysis }
  /** `field`: the bundle field or member the problem is at (BundleError.field), when known */
  | { type: 'bundleError'; requestId: number; message: string; field?: string };
