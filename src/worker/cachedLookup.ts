/**
 * Issue 16 §3, the all-cached check, shared by the page and the worker. The page asks first, on its own thread:
 * IndexedDB and crypto.subtle need no worker, so a run whose every embedding is cached never starts the worker
 * (whose start — fetching and evaluating transformers.js and ORT's JS — took most of a cached run on a fresh page).
 * The page cannot tokenize, so when a prompt may be longer than CLIP's context, or the cache cannot be opened
 * there, it leaves the question to the worker (answerCachedLookup returns null).
 */
import type { RuntimeInfo } from '../core/config';
import { chooseBackend, type Capabilities } from '../model/backend';
import type { ImageSource } from '../model/embedder';
import { modelKey, type EmbeddingCache } from '../model/embeddingCache';
import { lookupCachedEmbeddings, mayExceedContext } from '../model/embeddingCacheLookup';
import type { BackendPreference, CachedRunLookup, ImageInput, TimedMark } from './protocol';
import type { Dtype } from '../core/config';

/** Epoch ms now: comparable across the page and the worker (performance marks of the benchmark's breakdown). */
export const epochNow = (): number => performance.timeOrigin + performance.now();

export interface CachedLookupRequest {
  modelId: string;
  backend: BackendPreference;
  dtype: Dtype | undefined;
  prompts: readonly string[];
  images: readonly ImageInput[];
}

export interface CachedLookupAnswer {
  runtime: RuntimeInfo;
  lookup: CachedRunLookup;
  marks: TimedMark[];
}

export interface CachedLookupDeps {
  capabilities(): Promise<Capabilities>;
  openCache(): Promise<EmbeddingCache>;
  /**
   * The prompts CLIP's tokenizer cuts, among those that may be too long (the worker loads the tokenizer);
   * absent on the page, which then leaves a setup with such a prompt to the worker.
   */
  truncatedPrompts?: (long: readonly string[]) => Promise<string[]>;
  /** names the thread in the marks ("page" / "worker") */
  where: string;
}

/** The page can answer alone unless a prompt needs the tokenizer to say whether it is cut. */
export function pageCanAnswer(prompts: readonly string[]): boolean {
  return !prompts.some(mayExceedContext);
}

export function toImageSource(image: ImageInput, index: number): ImageSource {
  if (typeof image.id !== 'string' || image.id === '')
    throw new Error(`images[${index}].id: expected a non-empty string`);
  const data = image.data;
  if (!(data instanceof ArrayBuffer) && !(data instanceof Blob))
    throw new Error(`images[${index}].data: expected an ArrayBuffer or Blob`);
  return {
    id: image.id,
    sha256: image.sha256,
    read: async () => new Uint8Array(data instanceof Blob ? await data.arrayBuffer() : data),
  };
}

/**
 * Whether the cache holds every prompt and image of the run, and the runtime a load would choose (backend,
 * precision, threads) with a note that nothing was loaded. Null when this thread cannot tell (see the file comment).
 */
export async function answerCachedLookup(
  request: CachedLookupRequest,
  deps: CachedLookupDeps,
): Promise<CachedLookupAnswer | null> {
  const long = request.prompts.filter(mayExceedContext);
  if (long.length > 0 && !deps.truncatedPrompts) return null;
  const marks: TimedMark[] = [];
  const mark = (name: string) => marks.push({ name: `${deps.where}: ${name}`, at: epochNow() });
  const [capabilities, cache] = await Promise.all([deps.capabilities(), deps.openCache()]);
  const choice = chooseBackend(capabilities, request.backend, request.dtype);
  mark('backend chosen, IndexedDB opened');
  const found = await lookupCachedEmbeddings(
    cache,
    modelKey(request.modelId, choice.dtype),
    request.prompts,
    request.images.map(toImageSource),
    mark,
  );
  const notes = [...choice.notes];
  if (cache.note) notes.push(cache.note);
  let lookup: CachedRunLookup;
  if (found.complete) {
    notes.push('every embedding came from the cache in this browser, so the model was not loaded');
    lookup = {
      complete: true,
      dim: found.dim,
      text: found.text,
      images: found.images.map((image) => ({ ...image, ok: true, fromCache: true })),
      hashes: found.hashes,
      truncated: long.length > 0 && deps.truncatedPrompts ? await deps.truncatedPrompts(long) : [],
    };
    if (long.length > 0) mark('long prompts checked');
  } else lookup = found;
  const runtime: RuntimeInfo = {
    backend: choice.backend,
    dtype: choice.dtype,
    threads: choice.threads,
    modelId: request.modelId,
    crossOriginIsolated: capabilities.crossOriginIsolated,
    notes,
  };
  return { runtime, lookup, marks };
}
