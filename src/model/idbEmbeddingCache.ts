/** IndexedDB embedding store (browser and worker), via idb. Values are stored as Float32Array (structured clone). */
import { openDB, type IDBPDatabase } from 'idb';
import type { EmbeddingCache } from './embeddingCache';

const DB_NAME = 'sage-explorer-embeddings';
const STORE = 'embeddings';

export class IdbEmbeddingCache implements EmbeddingCache {
  readonly kind = 'indexeddb' as const;
  readonly note = null;
  private constructor(private readonly db: IDBPDatabase) {}

  /** Opens the store; throws when IndexedDB is unavailable (callers fall back to memory). */
  static async open(): Promise<IdbEmbeddingCache> {
    if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available');
    const db = await openDB(DB_NAME, 1, {
      upgrade(database) {
        database.createObjectStore(STORE);
      },
    });
    return new IdbEmbeddingCache(db);
  }

  async getMany(keys: readonly string[]): Promise<(Float32Array | undefined)[]> {
    const tx = this.db.transaction(STORE, 'readonly');
    const values = await Promise.all(keys.map((key) => tx.store.get(key) as Promise<unknown>));
    await tx.done;
    return values.map((value) => (value instanceof Float32Array ? value : undefined));
  }

  async putMany(entries: readonly { key: string; embedding: Float32Array }[]): Promise<void> {
    if (entries.length === 0) return;
    const tx = this.db.transaction(STORE, 'readwrite');
    await Promise.all([...entries.map(({ key, embedding }) => tx.store.put(embedding, key)), tx.done]);
  }

  /** How many embeddings are stored (images and prompts, every model), for the "cached models" panel. */
  static async count(): Promise<number> {
    const cache = await IdbEmbeddingCache.open();
    try {
      return await cache.db.count(STORE);
    } finally {
      cache.db.close();
    }
  }

  /** Drops every cached embedding (for the "cached models" panel). */
  static async clearAll(): Promise<void> {
    const cache = await IdbEmbeddingCache.open();
    try {
      await cache.db.clear(STORE);
    } finally {
      cache.db.close();
    }
  }
}
