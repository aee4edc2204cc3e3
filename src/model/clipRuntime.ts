/**
 * One entry point for worker and CLI: resolve the model source, choose backend/dtype/threads, load the
 * tokenizer and preprocessing config, load the towers asked for (the others on first use), and return a ClipEmbedder plus the RuntimeInfo every result records.
 */
import { env } from '@huggingface/transformers';
import type { BackendId, Dtype, RuntimeInfo } from '../core/config';
import { chooseBackend, type BackendPreference, type Capabilities } from './backend';
import type { ImageDecoder } from './decode';
import { ClipEmbedder, type ClipEncoders, type FallbackEvent } from './embedder';
import { modelKey, type EmbeddingCache } from './embeddingCache';
import { configureModelSource, culpritFile, downloadFailureMessage, type ModelLocation } from './modelSource';
import {
  loadTokenizerAndPreprocess,
  loadTransformersEncoders,
  type FileProgress,
  type LoadedTowers,
  type LoadTracker,
} from './transformersClip';
import { errorMessage } from '../core/errors';

export class ModelLoadError extends Error {
  readonly file?: string;
  readonly url?: string;
  constructor(message: string, file?: string, url?: string) {
    super(message);
    this.name = 'ModelLoadError';
    this.file = file;
    this.url = url;
  }
}

export interface LoadClipOptions {
  location: ModelLocation;
  preference: BackendPreference;
  dtype?: Dtype;
  capabilities: Capabilities;
  decode: ImageDecoder;
  cache: EmbeddingCache;
  /** browser: absolute URL of the app root (for models/ and ort/) */
  appBaseUrl?: string;
  onFile?: (progress: FileProgress) => void;
  onFallback?: (event: FallbackEvent, runtime: RuntimeInfo) => void;
  /**
   * Which towers the load creates (default both, so a missing file fails the load); the others are created on
   * first use (issue 16 §4: the browser worker leaves out the text tower when every prompt is cached).
   */
  towersAtLoad?: LoadedTowers;
}

export interface LoadedClip {
  embedder: ClipEmbedder;
  runtime: RuntimeInfo;
  dim: number;
}

/**
 * The ORT WASM build a backend loads. WebGPU needs the asyncify build; the CPU-only WASM backend gets the plain
 * build, because asyncify's instrumentation makes the fp32 kernels ~2.4× slower per CPU-second (base vision
 * model, batch 8, 1 thread: 512 vs 1225 CPU-ms per image; see bench/RESULTS.md). ORT loads one build per
 * worker, so a WebGPU → WASM fallback keeps the asyncify build it already has.
 */
export function ortWasmFiles(backend: 'wasm' | 'webgpu'): { mjs: string; wasm: string } {
  const stem = backend === 'webgpu' ? 'ort-wasm-simd-threaded.asyncify' : 'ort-wasm-simd-threaded';
  return { mjs: `${stem}.mjs`, wasm: `${stem}.wasm` };
}

/** Self-hosted ORT WASM files (copied to public/ort/ by the Vite plugin); never a CDN. */
export function configureOrtWasm(appBaseUrl: string, threads: number, backend: 'wasm' | 'webgpu'): void {
  const wasm = env.backends.onnx.wasm;
  if (!wasm) return;
  const base = new URL('ort/', appBaseUrl).href;
  const files = ortWasmFiles(backend);
  wasm.wasmPaths = { mjs: `${base}${files.mjs}`, wasm: `${base}${files.wasm}` };
  wasm.numThreads = threads;
  wasm.simd = true;
}

export async function loadClip(options: LoadClipOptions): Promise<LoadedClip> {
  const resolved = configureModelSource(options.location, options.appBaseUrl);
  const choice = chooseBackend(options.capabilities, options.preference, options.dtype);
  if (choice.backend === 'wasm' || choice.backend === 'webgpu') {
    if (!options.appBaseUrl)
      throw new Error('appBaseUrl is required in the browser (to find the self-hosted ORT files)');
    configureOrtWasm(options.appBaseUrl, choice.backend === 'wasm' ? choice.threads : 1, choice.backend);
  }
  const tracker: LoadTracker = { onFile: options.onFile, pending: new Set() };
  const loadError = (error: unknown): ModelLoadError => {
    if (error instanceof ModelLoadError) return error;
    const cause = errorMessage(error);
    const file = culpritFile([...tracker.pending], cause);
    if (file) {
      const message = downloadFailureMessage(
        file,
        resolved.urlOf(file),
        cause,
        options.capabilities.node ? 'node' : 'browser',
      );
      return new ModelLoadError(message, file, resolved.urlOf(file));
    }
    return new ModelLoadError(`could not load model ${resolved.modelId}: ${cause}`);
  };
  const fail = (error: unknown): never => {
    throw loadError(error);
  };

  const { tokenizer, preprocess } = await loadTokenizerAndPreprocess(resolved.ref, tracker).catch(fail);
  const createEncoders = async (backend: typeof choice.backend) => {
    if (backend === 'wasm' && options.appBaseUrl)
      configureOrtWasm(options.appBaseUrl, fallbackThreads(options.capabilities), 'wasm');
    return loadTransformersEncoders(resolved.ref, backend, choice.dtype, tokenizer, tracker, {
      atLoad: options.towersAtLoad,
      mapLoadError: loadError,
    });
  };
  const { encoders, note: loadNote } = await loadEncodersWithFallback(choice.backend, createEncoders).catch(fail);
  const switched = encoders.backend !== choice.backend;

  const notes = [...choice.notes];
  if (loadNote) notes.push(loadNote);
  if (options.cache.note) notes.push(options.cache.note);
  const runtime: RuntimeInfo = {
    backend: encoders.backend,
    dtype: choice.dtype,
    threads: switched ? fallbackThreads(options.capabilities) : choice.threads,
    modelId: resolved.modelId,
    crossOriginIsolated: options.capabilities.crossOriginIsolated,
    notes,
  };
  const embedder = new ClipEmbedder({
    model: modelKey(resolved.modelId, choice.dtype),
    encoders,
    createEncoders,
    preprocess,
    decode: options.decode,
    cache: options.cache,
    onFallback: (event) => {
      applyFallback(runtime, event, options.capabilities);
      options.onFallback?.(event, { ...runtime, notes: [...runtime.notes] });
    },
  });
  return { embedder, runtime, dim: encoders.dim };
}

/**
 * Builds the encoders; when WebGPU cannot even create its sessions (unsupported op, no device), builds them on
 * WASM instead and says so. A WASM/Node failure is final (the caller turns it into a ModelLoadError).
 */
export async function loadEncodersWithFallback(
  backend: BackendId,
  create: (backend: BackendId) => Promise<ClipEncoders>,
): Promise<{ encoders: ClipEncoders; note: string | null }> {
  try {
    return { encoders: await create(backend), note: null };
  } catch (error) {
    if (backend !== 'webgpu') throw error;
    const reason = errorMessage(error);
    return { encoders: await create('wasm'), note: `WebGPU could not load the model (${reason}); using WASM` };
  }
}

/**
 * Records a mid-run backend switch in the RuntimeInfo every result carries: the new backend, its thread count,
 * and a note saying which batch failed and why.
 */
export function applyFallback(runtime: RuntimeInfo, event: FallbackEvent, capabilities: Capabilities): void {
  runtime.backend = event.to;
  runtime.threads = fallbackThreads(capabilities);
  runtime.notes.push(
    `${event.from} failed at batch ${event.batchIndex + 1} (${event.reason}); continued on ${event.to}`,
  );
}

function fallbackThreads(capabilities: Capabilities): number {
  return chooseBackend({ ...capabilities, webgpu: false }, 'wasm').threads;
}
