/**
 * One entry point for worker and CLI: resolve the model source, choose backend/dtype/threads, load the
 * tokenizer, preprocessing config and both towers, and return a ClipEmbedder plus the RuntimeInfo every
 * result records.
 */
import { env } from '@huggingface/transformers';
import type { Dtype, RuntimeInfo } from '../core/config';
import { chooseBackend, type BackendPreference, type Capabilities } from './backend';
import type { ImageDecoder } from './decode';
import { ClipEmbedder, type FallbackEvent } from './embedder';
import { modelKey, type EmbeddingCache } from './embeddingCache';
import { configureModelSource, downloadFailureMessage, type ModelLocation } from './modelSource';
import { loadTokenizerAndPreprocess, loadTransformersEncoders, type FileProgress, type LoadTracker } from './transformersClip';

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
}

export interface LoadedClip {
  embedder: ClipEmbedder;
  runtime: RuntimeInfo;
  dim: number;
}

/** Self-hosted ORT WASM files (copied to public/ort/ by the Vite plugin); never a CDN. */
export function configureOrtWasm(appBaseUrl: string, threads: number): void {
  const wasm = env.backends.onnx.wasm;
  if (!wasm) return;
  const base = new URL('ort/', appBaseUrl).href;
  wasm.wasmPaths = {
    mjs: `${base}ort-wasm-simd-threaded.asyncify.mjs`,
    wasm: `${base}ort-wasm-simd-threaded.asyncify.wasm`,
  };
  wasm.numThreads = threads;
  wasm.simd = true;
}

export async function loadClip(options: LoadClipOptions): Promise<LoadedClip> {
  const resolved = configureModelSource(options.location, options.appBaseUrl);
  const choice = chooseBackend(options.capabilities, options.preference, options.dtype);
  if (choice.backend === 'wasm' || choice.backend === 'webgpu') {
    if (!options.appBaseUrl) throw new Error('appBaseUrl is required in the browser (to find the self-hosted ORT files)');
    configureOrtWasm(options.appBaseUrl, choice.backend === 'wasm' ? choice.threads : 1);
  }
  const tracker: LoadTracker = { onFile: options.onFile, pending: new Set() };
  const fail = (error: unknown): never => {
    const cause = error instanceof Error ? error.message : String(error);
    const file = [...tracker.pending][0];
    if (file) throw new ModelLoadError(downloadFailureMessage(file, resolved.urlOf(file), cause), file, resolved.urlOf(file));
    throw new ModelLoadError(`could not load model ${resolved.modelId}: ${cause}`);
  };

  const { tokenizer, preprocess } = await loadTokenizerAndPreprocess(resolved.ref, tracker).catch(fail);
  const createEncoders = async (backend: typeof choice.backend) => {
    if (backend === 'wasm' && options.appBaseUrl) configureOrtWasm(options.appBaseUrl, fallbackThreads(options.capabilities));
    return loadTransformersEncoders(resolved.ref, backend, choice.dtype, tokenizer, tracker);
  };
  const encoders = await createEncoders(choice.backend).catch(fail);

  const notes = [...choice.notes];
  if (options.cache.note) notes.push(options.cache.note);
  const runtime: RuntimeInfo = {
    backend: choice.backend,
    dtype: choice.dtype,
    threads: choice.threads,
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
      runtime.backend = event.to;
      runtime.threads = fallbackThreads(options.capabilities);
      runtime.notes.push(`${event.from} failed at batch ${event.batchIndex + 1} (${event.reason}); continued on ${event.to}`);
      options.onFallback?.(event, { ...runtime, notes: [...runtime.notes] });
    },
  });
  return { embedder, runtime, dim: encoders.dim };
}

function fallbackThreads(capabilities: Capabilities): number {
  return chooseBackend({ ...capabilities, webgpu: false }, 'wasm').threads;
}
