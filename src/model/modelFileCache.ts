/**
 * What transformers.js keeps in Cache Storage (hub model files, and the ORT WASM files via useWasmCache),
 * grouped per model for the "cached models" panel: list with sizes, delete one model.
 *
 * Main-thread safe: no transformers.js import (that would pull it into the page bundle). Cache Storage is
 * shared by the page and the worker (same origin), so the page reads it directly.
 */

/** transformers.js' `env.cacheKey` default: the one Cache Storage bucket it writes to. */
export const TRANSFORMERS_CACHE_NAME = 'transformers-cache';

/** Group id for the ONNX Runtime files (not a model, but part of what a second offline visit needs). */
export const RUNTIME_GROUP = 'ONNX Runtime (WASM)';

export interface CachedFile {
  url: string;
  /** file path inside the model repo (hub files), else the URL's last segment */
  file: string;
  bytes: number;
}

export interface CachedModel {
  /** hub id ("Xenova/clip-vit-base-patch32") or RUNTIME_GROUP / the URL's origin for anything else */
  id: string;
  files: CachedFile[];
  bytes: number;
}

/** The slice of the Cache Storage API used here (tests pass an in-memory fake). */
export interface CacheLike {
  keys(): Promise<readonly Request[]>;
  match(request: Request): Promise<Response | undefined>;
  delete(request: Request): Promise<boolean>;
}

export interface CacheStorageLike {
  has(name: string): Promise<boolean>;
  open(name: string): Promise<CacheLike>;
}

const HUB_FILE = /^\/([\w.-]+\/[\w.-]+)\/resolve\/[^/]+\/(.+)$/;

/** Which model a cached URL belongs to. */
export function modelOfUrl(url: string): { id: string; file: string } {
  const parsed = new URL(url);
  const last = decodeURIComponent(parsed.pathname.split('/').pop() ?? '');
  const hub = HUB_FILE.exec(parsed.pathname);
  if (hub) return { id: hub[1], file: decodeURIComponent(hub[2]) };
  if (/^ort-wasm.*\.(wasm|mjs)$/.test(last)) return { id: RUNTIME_GROUP, file: last };
  return { id: parsed.origin, file: last };
}

async function sizeOf(response: Response | undefined): Promise<number> {
  if (!response) return 0;
  const header = Number(response.headers.get('content-length'));
  if (Number.isFinite(header) && header > 0) return header;
  // transformers.js sets content-length when it stores a file; fall back to the body for anything else
  return (await response.blob()).size;
}

function browserCaches(): CacheStorageLike | null {
  return typeof caches === 'undefined' ? null : caches;
}

/** Models in the transformers.js cache, largest first. Empty when Cache Storage is unavailable. */
export async function listCachedModels(storage: CacheStorageLike | null = browserCaches()): Promise<CachedModel[]> {
  if (!storage || !(await storage.has(TRANSFORMERS_CACHE_NAME))) return [];
  const cache = await storage.open(TRANSFORMERS_CACHE_NAME);
  const groups = new Map<string, CachedModel>();
  for (const request of await cache.keys()) {
    const { id, file } = modelOfUrl(request.url);
    const bytes = await sizeOf(await cache.match(request));
    const group = groups.get(id) ?? { id, files: [], bytes: 0 };
    group.files.push({ url: request.url, file, bytes });
    group.bytes += bytes;
    groups.set(id, group);
  }
  for (const group of groups.values()) group.files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return [...groups.values()].sort((a, b) => b.bytes - a.bytes || (a.id < b.id ? -1 : 1));
}

/** Deletes every cached file of one model (as grouped by listCachedModels); returns how many were removed. */
export async function deleteCachedModel(
  id: string,
  storage: CacheStorageLike | null = browserCaches(),
): Promise<number> {
  if (!storage || !(await storage.has(TRANSFORMERS_CACHE_NAME))) return 0;
  const cache = await storage.open(TRANSFORMERS_CACHE_NAME);
  let removed = 0;
  for (const request of await cache.keys()) {
    if (modelOfUrl(request.url).id === id && (await cache.delete(request))) removed++;
  }
  return removed;
}

export interface StorageStatus {
  usedBytes: number | null;
  quotaBytes: number | null;
  /** true when the browser granted persistent storage (navigator.storage.persist()) */
  persisted: boolean | null;
}

/** Origin-wide usage, quota and persistence, where the browser tells. */
export async function storageStatus(
  storage: StorageManager | undefined = globalThis.navigator?.storage,
): Promise<StorageStatus> {
  if (!storage) return { usedBytes: null, quotaBytes: null, persisted: null };
  const [estimate, persisted] = await Promise.all([
    storage.estimate?.().catch(() => null) ?? null,
    storage.persisted?.().catch(() => null) ?? null,
  ]);
  return { usedBytes: estimate?.usage ?? null, quotaBytes: estimate?.quota ?? null, persisted };
}
