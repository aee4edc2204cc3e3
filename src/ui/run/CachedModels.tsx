import { useCallback, useState } from 'react';
import { errorMessage } from '../../state/errorMessage';
import {
  type OfflineStorage,
  clearEmbeddingCache,
  deleteModelFiles,
  readOfflineStorage,
} from '../../state/offlineStorage';
import { bytes } from '../format';

/** What this browser keeps for offline use: model files (Cache Storage) and embeddings (IndexedDB), with delete. */
export function CachedModels({ disabled }: { disabled: boolean }) {
  const [snapshot, setSnapshot] = useState<OfflineStorage | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      setSnapshot(await readOfflineStorage());
      setError(null);
    } catch (e) {
      setError(`Cannot read the browser's caches: ${errorMessage(e)}`);
    }
  }, []);

  const act = (work: () => Promise<unknown>) => () =>
    void work().then(refresh, (e: unknown) => setError(errorMessage(e)));

  return (
    <details
      className="cached-models"
      data-testid="cached-models"
      onToggle={(e) => e.currentTarget.open && void refresh()}
    >
      <summary>Cached models</summary>
      {error && <p className="error">{error}</p>}
      {snapshot && (
        <>
          {snapshot.models.length === 0 ? (
            <p className="note">
              No model files are cached in this browser (local folders are served by the app and not cached again).
            </p>
          ) : (
            <ul>
              {snapshot.models.map((model) => (
                <li key={model.id} data-testid="cached-model">
                  <span title={model.files.map((f) => `${f.file}: ${bytes(f.bytes)}`).join('\n')}>
                    {model.id} — {bytes(model.bytes)} in {model.files.length} file{model.files.length === 1 ? '' : 's'}
                  </span>{' '}
                  <button
                    type="button"
                    className="secondary"
                    disabled={disabled}
                    onClick={act(() => deleteModelFiles(model.id))}
                  >
                    Delete
                  </button>
                </li>
              ))}
            </ul>
          )}
          <p>
            {snapshot.embeddings === null
              ? 'Embedding cache unavailable.'
              : `${snapshot.embeddings} cached embeddings (images and prompts).`}{' '}
            {snapshot.embeddings ? (
              <button type="button" className="secondary" disabled={disabled} onClick={act(clearEmbeddingCache)}>
                Clear embeddings
              </button>
            ) : null}
          </p>
          <button type="button" className="secondary" onClick={() => void refresh()}>
            Refresh
          </button>
          <p className="note" data-testid="storage-status">
            {snapshot.storage.usedBytes !== null && snapshot.storage.quotaBytes !== null
              ? `This site uses ${bytes(snapshot.storage.usedBytes)} of ${bytes(snapshot.storage.quotaBytes)} available. `
              : ''}
            {snapshot.storage.persisted === true
              ? 'Storage is persistent (the browser will not evict it under pressure).'
              : snapshot.storage.persisted === false
                ? 'Storage is not persistent: the browser may evict it when space runs low.'
                : ''}
          </p>
        </>
      )}
    </details>
  );
}
