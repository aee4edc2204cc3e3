/**
 * Embedding caches. Keys: images by SHA-256 of the file bytes + model id + dtype; texts by model id + dtype +
 * prompt. One interface, three stores: IndexedDB (browser, idbEmbeddingCache.ts), memory, and a JSON-lines
 * file (Node CLI, fileEmbeddingCache.ts). `ResilientEmbeddingCache` keeps a run going in memory when the
 * persistent store fails (private mode, quota exceeded) and says so.
 */
import { errorMessage } from '../core/errors';

export interface EmbeddingCache {
  readonly kind: 'indexeddb' | 'memory' | 'file';
  /** set when the cache runs degraded, e.g. "IndexedDB unavailable: …; embeddings kept in memory" */
  readonly note: string | null;
  getMany(keys: readonly string[]): Promise<(Float32Array | undefined)[]>;
  putMany(entries: readonly { key: string; embedding: Float32Array }[]): Promise<void>;
}

/** `${modelId}@${dtype}` — one embedding space. */
export function modelKey(modelId: string, dtype: string): string {
  return `${modelId}@${dtype}`;
}

export function imageCacheKey(model: string, sha256: string): string {
  return `img|${model}|${sha256}`;
}

export function textCacheKey(model: string, prompt: string): string {
  return `txt|${model}|${prompt}`;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  const view = new Uint8Array(digest);
  let hex = '';
  for (let i = 0; i < view.length; i++) hex += view[i].toString(16).padStart(2, '0');
  return hex;
}

export class MemoryEmbeddingCache implements EmbeddingCache {
  readonly kind = 'memory' as const;
  readonly note: string | null;
  private readonly entries = new Map<string, Float32Array>();
  constructor(note: string | null = null) {
    this.note = note;
  }
  get size(): number {
    return this.entries.size;
  }
  async getMany(keys: readonly string[]): Promise<(Float32Array | undefined)[]> {
    return keys.map((key) => this.entries.get(key));
  }
  async putMany(entries: readonly { key: string; embedding: Float32Array }[]): Promise<void> {
    for (const { key, embedding } of entries) this.entries.set(key, embedding);
  }
}

/** Wraps a persistent cache; on its first failure, continues in memory and reports why in `note`. */
export class ResilientEmbeddingCache implements EmbeddingCache {
  private primary: EmbeddingCache | null;
  private readonly memory = new MemoryEmbeddingCache();
  private failure: string | null = null;

  constructor(primary: EmbeddingCache | null, unavailableReason?: string) {
    this.primary = primary;
    if (!primary) this.failure = unavailableReason ?? 'no persistent store';
  }

  get kind(): EmbeddingCache['kind'] {
    return this.primary ? this.primary.kind : 'memory';
  }

  get note(): string | null {
    return this.failure
      ? `embedding cache unavailable (${this.failure}); embeddings kept in memory for this session`
      : null;
  }

  async getMany(keys: readonly string[]): Promise<(Float32Array | undefined)[]> {
    const fromMemory = await this.memory.getMany(keys);
    if (!this.primary) return fromMemory;
    try {
      const stored = await this.primary.getMany(keys);
      return stored.map((value, i) => value ?? fromMemory[i]);
    } catch (error) {
      this.degrade(error);
      return fromMemory;
    }
  }

  async putMany(entries: readonly { key: string; embedding: Float32Array }[]): Promise<void> {
    await this.memory.putMany(entries);
    if (!this.primary) return;
    try {
      await this.primary.putMany(entries);
    } catch (error) {
      this.degrade(error);
    }
  }

  private degrade(error: unknown): void {
    const name =
      error instanceof Error && error.name === 'QuotaExceededError' ? 'storage quota exceeded' : errorMessage(error);
    this.failure = name;
    this.primary = null;
  }
}
