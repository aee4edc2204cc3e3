/**
 * ClipWorkerClient: the typed, promise-based face of the CLIP worker for the state layer.
 *
 * - One request of each kind at a time is the expected use (the run view drives it), but requests are
 *   keyed by requestId, so overlapping calls are safe.
 * - A crashed worker (its 'error' event) is replaced: the model is loaded again with the last load
 *   arguments and the images not yet answered are sent again. Finished images come back from the
 *   embedding cache, so a resume costs only the unfinished work.
 * - Image bytes are posted by structured clone, not transferred, so they survive a restart
 *   (pass File/Blob objects: cloning those is cheap).
 */
import type { Dtype, RuntimeInfo, BackendId } from '../core/config';
import { probeCapabilities, type Capabilities, type NavigatorLike } from '../model/backend';
import type { EmbeddingCache } from '../model/embeddingCache';
import { IdbEmbeddingCache } from '../model/idbEmbeddingCache';
import { modelIdOf } from '../model/modelId';
import { answerCachedLookup, pageCanAnswer } from './cachedLookup';
import type {
  BackendPreference,
  BatchTimings,
  CachedRunLookup,
  ImageInput,
  LoadedTowers,
  ImageOutcome,
  ModelSource,
  ProgressPhase,
  TimedMark,
  WorkerRequest,
  WorkerResponse,
} from './protocol';

export interface LoadResult {
  runtime: RuntimeInfo;
  /** embedding dimension */
  dim: number;
}

/** Download/initialisation progress: bytes for one file and summed over every file seen so far. */
export interface ModelLoadProgress {
  phase: ProgressPhase;
  file?: string;
  fileLoadedBytes: number;
  fileTotalBytes: number;
  loadedBytes: number;
  totalBytes: number;
}

/** Item progress for embedText / embedImages: `done` of `total`. */
export interface ItemProgress {
  phase: ProgressPhase;
  done: number;
  total: number;
}

export interface TextEmbeddings {
  /** prompts × dim, row-major, unit rows */
  embeddings: Float32Array;
  /** prompts longer than CLIP's 77-token context, embedded from their first 75 tokens */
  truncated: string[];
}

export interface ImageBatch {
  dim: number;
  outcomes: ImageOutcome[];
  timings: BatchTimings;
  /** the persistent cache failed during this batch; embeddings are kept in memory from here on */
  cacheNote?: string;
  /** which towers held a session after this batch */
  towers?: LoadedTowers;
}

/** lookupCached's answer: what a load would run on, and whether the cache holds everything. */
export interface CacheLookupResult {
  runtime: RuntimeInfo;
  lookup: CachedRunLookup;
  /** the worker's steps (epoch ms), for the benchmark's breakdown */
  marks?: TimedMark[];
}

export interface ImageRunSummary {
  embedded: number;
  failed: number;
  fromCache: number;
  cancelled: boolean;
  /** worker restarts during this run */
  restarts: number;
}

export interface BackendFallbackEvent {
  from: BackendId;
  to: BackendId;
  reason: string;
  runtime: RuntimeInfo;
}

export interface WorkerRestartEvent {
  reason: string;
  attempt: number;
}

/** Error raised for a failed request; `file`/`url` are set for failed model downloads. */
export class ClipWorkerError extends Error {
  readonly file?: string;
  readonly url?: string;
  constructor(message: string, file?: string, url?: string) {
    super(message);
    this.name = 'ClipWorkerError';
    this.file = file;
    this.url = url;
  }
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

export interface ClipWorkerClientOptions {
  /** how to start a worker; tests inject fakes */
  createWorker?: () => WorkerLike;
  /** restarts allowed per request before giving up (default 3) */
  maxRestarts?: number;
  /** absolute URL of the app root (where models/ and ort/ live); default: the page's base URL */
  appBaseUrl?: string;
  /**
   * The embedding cache as this thread opens it, for the all-cached check without the worker (default: IndexedDB
   * where the page has it); null: always ask the worker.
   */
  pageCache?: (() => Promise<EmbeddingCache>) | null;
}

/** IndexedDB on this thread, when there is one (not in Node tests). */
function defaultPageCache(): (() => Promise<EmbeddingCache>) | null {
  if (typeof indexedDB === 'undefined') return null;
  return async () => IdbEmbeddingCache.open();
}

let pageProbe: Promise<Capabilities> | null = null;

/**
 * This page's capabilities, probed once: asking for a WebGPU adapter took 150–600 ms on the test machine, most of
 * a cached run. The app starts it when it loads (state/run.ts), so a run finds it done.
 */
export function pageCapabilities(): Promise<Capabilities> {
  pageProbe ??= probeCapabilities(
    typeof navigator === 'undefined' ? undefined : (navigator as unknown as NavigatorLike),
    globalThis.crossOriginIsolated === true,
  );
  return pageProbe;
}

/** Performance marks of a run's steps carry this prefix (the benchmark reads them from the page). */
export const RUN_MARK_PREFIX = 'sage-run: ';

/** Puts a step at its time on this page's performance timeline (`at`: epoch ms, e.g. from the worker). */
export function markRunStep(name: string, at?: number): void {
  if (typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
  const startTime = at === undefined ? performance.now() : at - performance.timeOrigin;
  performance.mark(`${RUN_MARK_PREFIX}${name}`, { startTime: Math.max(0, startTime) });
}

/** The part of the Worker interface the client uses (lets tests pass a fake). */
export interface WorkerLike {
  postMessage(message: WorkerRequest): void;
  terminate(): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerResponse>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
}

export function createClipWorker(): WorkerLike {
  markRunStep('worker created');
  return new Worker(new URL('./clipWorker.ts', import.meta.url), { type: 'module', name: 'clip-worker' });
}

type ResponseHandler = (message: WorkerResponse) => void;

interface LoadArgs {
  source: ModelSource;
  backend: BackendPreference;
  dtype: Dtype | undefined;
  /** which towers the load creates (default both) */
  towers?: LoadedTowers;
  embeddingCache?: 'persistent' | 'memory';
}

export class ClipWorkerClient {
  private worker: WorkerLike | null = null;
  private nextRequestId = 1;
  private readonly handlers = new Map<number, ResponseHandler>();
  /** called with a reason when the worker dies; each active request re-issues itself */
  private readonly crashListeners = new Set<(reason: string) => void>();
  private readonly fallbackListeners = new Set<(event: BackendFallbackEvent) => void>();
  private readonly restartListeners = new Set<(event: WorkerRestartEvent) => void>();
  private lastLoad: LoadArgs | null = null;
  private loadedRuntime: LoadResult | null = null;
  private readonly createWorker: () => WorkerLike;
  private readonly maxRestarts: number;
  private readonly appBaseUrl: string | undefined;

  private readonly pageCache: (() => Promise<EmbeddingCache>) | null;
  private pageCachePromise: Promise<EmbeddingCache> | null = null;

  constructor(options: ClipWorkerClientOptions = {}) {
    this.pageCache = options.pageCache === undefined ? defaultPageCache() : options.pageCache;
    this.createWorker = options.createWorker ?? createClipWorker;
    this.maxRestarts = options.maxRestarts ?? 3;
    this.appBaseUrl = options.appBaseUrl ?? defaultAppBaseUrl();
  }

  /** the runtime of the last successful load (updated on backend fallback) */
  get runtime(): RuntimeInfo | null {
    return this.loadedRuntime?.runtime ?? null;
  }

  onBackendFallback(listener: (event: BackendFallbackEvent) => void): () => void {
    this.fallbackListeners.add(listener);
    return () => this.fallbackListeners.delete(listener);
  }

  onRestart(listener: (event: WorkerRestartEvent) => void): () => void {
    this.restartListeners.add(listener);
    return () => this.restartListeners.delete(listener);
  }

  /**
   * Loads (or switches) the model; the same model again is kept as it is. Progress reports bytes per file and in
   * total. `towers`: which towers to create now (default both); the others load on first use.
   */
  async load(
    source: ModelSource,
    backend: BackendPreference = 'auto',
    dtype?: Dtype,
    onProgress?: (progress: ModelLoadProgress) => void,
    towers?: LoadedTowers,
    embeddingCache?: 'persistent' | 'memory',
  ): Promise<LoadResult> {
    this.lastLoad = { source, backend, dtype, towers, embeddingCache };
    requestPersistentStorage();
    const result = await this.sendLoad(this.lastLoad, onProgress);
    this.loadedRuntime = result;
    return result;
  }

  /**
   * Whether the embedding cache already holds every prompt and image for this model and precision, without loading
   * the model (issue 16 §3). Asked on this thread first (no worker is started when it can tell: cachedLookup.ts),
   * else in the worker. A worker crash is not retried: the caller then simply loads the model.
   */
  async lookupCached(
    source: ModelSource,
    backend: BackendPreference,
    dtype: Dtype | undefined,
    prompts: string[],
    images: ImageInput[],
  ): Promise<CacheLookupResult> {
    const here = await this.lookupOnThisThread(source, backend, dtype, prompts, images).catch(() => null);
    if (here) return here;
    return this.request<CacheLookupResult>(
      { type: 'lookupCached', source, backend, dtype, appBaseUrl: this.appBaseUrl, prompts, images },
      (message, resolve, reject) => {
        if (message.type === 'cacheLookup')
          resolve({ runtime: message.runtime, lookup: message.lookup, marks: message.marks ?? [] });
        else this.handleCommon(message, reject);
      },
      0,
    );
  }

  /**
   * Starts what the all-cached check needs on this page — the capability probe and opening IndexedDB — so a run
   * finds both ready (on a fresh page they were 100–150 ms of a cached run). Starts no worker.
   */
  warmUpCacheCheck(): void {
    void pageCapabilities();
    this.openPageCache()?.catch(() => undefined);
  }

  private openPageCache(): Promise<EmbeddingCache> | null {
    const openCache = this.pageCache;
    if (!openCache) return null;
    // a failed open is not remembered: the next run asks again (and the worker meanwhile)
    this.pageCachePromise ??= openCache().catch((error: unknown) => {
      this.pageCachePromise = null;
      throw error;
    });
    return this.pageCachePromise;
  }

  /** The all-cached check with this thread's cache; null when only the worker can tell. */
  private async lookupOnThisThread(
    source: ModelSource,
    backend: BackendPreference,
    dtype: Dtype | undefined,
    prompts: string[],
    images: ImageInput[],
  ): Promise<CacheLookupResult | null> {
    const id = modelIdOf(source);
    if (!this.pageCache || !id.ok || !pageCanAnswer(prompts)) return null;
    const cache = this.openPageCache();
    if (!cache) return null;
    return answerCachedLookup(
      { modelId: id.modelId, backend, dtype, prompts, images },
      {
        capabilities: pageCapabilities,
        openCache: () => cache,
        where: 'page',
      },
    );
  }

  /** Frees the text tower's session (the memory benchmark's steps; the next text request creates it again). */
  releaseTextTower(): Promise<void> {
    return this.request<undefined>(
      { type: 'releaseTextTower' },
      (message, resolve, reject) => {
        if (message.type === 'done') resolve(undefined);
        else this.handleCommon(message, reject);
      },
      0,
    );
  }

  /**
   * Embeds prompts: prompts.length rows of `dim` floats, row-major, unit norm, and the prompts that were longer
   * than CLIP's context and were cut.
   */
  async embedText(prompts: string[], onProgress?: (progress: ItemProgress) => void): Promise<TextEmbeddings> {
    return this.withRestarts((attempt) =>
      this.request<TextEmbeddings>(
        { type: 'embedText', prompts },
        (message, resolve, reject) => {
          if (message.type === 'textEmbeddings')
            resolve({ embeddings: message.embeddings, truncated: message.truncated });
          else if (message.type === 'progress')
            onProgress?.({ phase: message.phase, done: message.loaded, total: message.total });
          else this.handleCommon(message, reject);
        },
        attempt,
      ),
    );
  }

  /**
   * Embeds images, streaming one callback per batch. Resolves when every image has an outcome,
   * or with `cancelled: true` after cancel() (the worker stops within one batch).
   */
  async embedImages(
    images: ImageInput[],
    batchSize: number,
    onBatch: (batch: ImageBatch) => void,
    onProgress?: (progress: ItemProgress) => void,
    options: { releaseTextTower?: boolean } = {},
  ): Promise<ImageRunSummary> {
    const answered = new Set<string>();
    const summary: ImageRunSummary = { embedded: 0, failed: 0, fromCache: 0, cancelled: false, restarts: 0 };
    const total = images.length;
    await this.withRestarts((attempt) => {
      if (attempt > 0) summary.restarts++;
      const remaining = images.filter((image) => !answered.has(image.id));
      if (remaining.length === 0) return Promise.resolve();
      return this.request<undefined>(
        { type: 'embedImages', images: remaining, batchSize, releaseTextTower: options.releaseTextTower },
        (message, resolve, reject) => {
          switch (message.type) {
            case 'imageBatch':
              for (const outcome of message.outcomes) {
                answered.add(outcome.id);
                if (outcome.ok) {
                  summary.embedded++;
                  if (outcome.fromCache) summary.fromCache++;
                } else summary.failed++;
              }
              onBatch({
                dim: message.dim,
                outcomes: message.outcomes,
                timings: message.timings,
                cacheNote: message.cacheNote,
                towers: message.towers,
              });
              onProgress?.({ phase: 'images', done: answered.size, total });
              break;
            case 'progress':
              // the worker counts within the (possibly resumed) request; report against the whole run
              onProgress?.({ phase: message.phase, done: total - remaining.length + message.loaded, total });
              break;
            case 'done':
              resolve(undefined);
              break;
            case 'cancelled':
              summary.cancelled = true;
              resolve(undefined);
              break;
            default:
              this.handleCommon(message, reject);
          }
        },
        attempt,
      );
    });
    return summary;
  }

  /** Asks every active request to stop; embedImages resolves with cancelled: true, others reject with CancelledError. */
  cancel(): void {
    if (!this.worker) return;
    for (const requestId of this.handlers.keys()) this.worker.postMessage({ type: 'cancel', requestId });
  }

  terminate(): void {
    this.worker?.terminate();
    this.worker = null;
    for (const listener of [...this.crashListeners]) listener('terminated');
    this.handlers.clear();
  }

  // ---- internals ----

  private ensureWorker(): WorkerLike {
    if (this.worker) return this.worker;
    const worker = this.createWorker();
    worker.addEventListener('message', (event: MessageEvent<WorkerResponse>) => {
      const message = event.data;
      if (message.type === 'backendFallback' && this.loadedRuntime) {
        this.loadedRuntime = { ...this.loadedRuntime, runtime: message.runtime };
        for (const listener of this.fallbackListeners) {
          listener({ from: message.from, to: message.to, reason: message.reason, runtime: message.runtime });
        }
      }
      this.handlers.get(message.requestId)?.(message);
    });
    worker.addEventListener('error', (event: ErrorEvent) => {
      if (this.worker !== worker) return;
      event.preventDefault?.();
      this.worker = null;
      worker.terminate();
      const reason = event.message || 'worker crashed';
      for (const listener of [...this.crashListeners]) listener(reason);
    });
    this.worker = worker;
    return worker;
  }

  private handleCommon(message: WorkerResponse, reject: (error: Error) => void): void {
    if (message.type === 'error') reject(new ClipWorkerError(message.message, message.file, message.url));
    else if (message.type === 'cancelled') reject(new CancelledError());
  }

  private sendLoad(args: LoadArgs, onProgress?: (progress: ModelLoadProgress) => void): Promise<LoadResult> {
    const perFile = new Map<string, { loaded: number; total: number }>();
    return this.request<LoadResult>(
      {
        type: 'load',
        source: args.source,
        backend: args.backend,
        dtype: args.dtype,
        appBaseUrl: this.appBaseUrl,
        towers: args.towers,
        embeddingCache: args.embeddingCache,
      },
      (message, resolve, reject) => {
        if (message.type === 'loaded') resolve({ runtime: message.runtime, dim: message.dim });
        else if (message.type === 'progress') {
          const file = message.file ?? message.phase;
          perFile.set(file, { loaded: message.loaded, total: message.total });
          let loadedBytes = 0;
          let totalBytes = 0;
          for (const entry of perFile.values()) {
            loadedBytes += entry.loaded;
            totalBytes += entry.total;
          }
          onProgress?.({
            phase: message.phase,
            file: message.file,
            fileLoadedBytes: message.loaded,
            fileTotalBytes: message.total,
            loadedBytes,
            totalBytes,
          });
        } else this.handleCommon(message, reject);
      },
      0,
    );
  }

  /**
   * Sends one request. If the worker crashes meanwhile, the promise rejects with WorkerCrashed so
   * withRestarts can start a new worker, reload the model and call the request again.
   */
  private request<T>(
    body: DistributiveOmit<WorkerRequest, 'requestId'>,
    onMessage: (message: WorkerResponse, resolve: (value: T) => void, reject: (error: Error) => void) => void,
    _attempt: number,
  ): Promise<T> {
    const worker = this.ensureWorker();
    const requestId = this.nextRequestId++;
    return new Promise<T>((resolve, reject) => {
      const finish = () => {
        this.handlers.delete(requestId);
        this.crashListeners.delete(onCrash);
      };
      const onCrash = (reason: string) => {
        finish();
        reject(new WorkerCrashed(reason));
      };
      this.crashListeners.add(onCrash);
      this.handlers.set(requestId, (message) =>
        onMessage(
          message,
          (value) => {
            finish();
            resolve(value);
          },
          (error) => {
            finish();
            reject(error);
          },
        ),
      );
      worker.postMessage({ ...body, requestId } as WorkerRequest);
    });
  }

  private async withRestarts<T>(run: (attempt: number) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        if (attempt > 0 && this.lastLoad) this.loadedRuntime = await this.sendLoad(this.lastLoad);
        return await run(attempt);
      } catch (error) {
        if (!(error instanceof WorkerCrashed)) throw error;
        if (attempt >= this.maxRestarts || !this.lastLoad) {
          throw new ClipWorkerError(`the CLIP worker crashed ${attempt + 1} time(s): ${error.message}`);
        }
        for (const listener of this.restartListeners) listener({ reason: error.message, attempt: attempt + 1 });
      }
    }
  }
}

class WorkerCrashed extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'WorkerCrashed';
  }
}

/** The app root as an absolute URL (the worker resolves models/ and ort/ against it). */
function defaultAppBaseUrl(): string | undefined {
  return typeof document !== 'undefined' ? new URL('./', document.baseURI).href : undefined;
}

/** Ask once that Cache Storage/IndexedDB survive storage pressure (only the page, not a worker, may ask). */
let persistRequested = false;
function requestPersistentStorage(): void {
  if (persistRequested || typeof navigator === 'undefined') return;
  persistRequested = true;
  void navigator.storage?.persist?.().catch(() => false);
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
