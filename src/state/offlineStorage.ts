/**
 * What this browser keeps for offline use — model files in Cache Storage, embeddings in IndexedDB — for the
 * "Cached models" panel, which reaches the model layer only through here.
 */
import { IdbEmbeddingCache } from '../model/idbEmbeddingCache';
import {
  type CachedModel,
  type StorageStatus,
  deleteCachedModel,
  listCachedModels,
  storageStatus,
} from '../model/modelFileCache';

export type { CachedModel, StorageStatus };

export interface OfflineStorage {
  models: CachedModel[];
  /** cached embeddings (images and prompts), null when IndexedDB cannot be read */
  embeddings: number | null;
  storage: StorageStatus;
}

export async function readOfflineStorage(): Promise<OfflineStorage> {
  const [models, embeddings, storage] = await Promise.all([
    listCachedModels(),
    IdbEmbeddingCache.count().catch(() => null),
    storageStatus(),
  ]);
  return { models, embeddings, storage };
}

/** Removes one model's cached files; resolves to how many were removed. */
export function deleteModelFiles(modelId: string): Promise<number> {
  return deleteCachedModel(modelId);
}

export function clearEmbeddingCache(): Promise<void> {
  return IdbEmbeddingCache.clearAll();
}
