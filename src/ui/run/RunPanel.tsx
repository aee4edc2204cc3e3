import { useMemo } from 'react';
import { useDataset } from '../../state/dataset';
import { summariseDataset } from '../../state/datasetSummary';
import { useRun } from '../../state/run';
import { bytes, duration } from '../format';
import { CachedModels } from './CachedModels';
import { ModelChooser } from './ModelChooser';

/** One button to run; a progress bar with images/s, ETA and the backend in use; cancel. */
export function RunPanel() {
  const images = useDataset((s) => s.images);
  const summary = useMemo(() => summariseDataset(images), [images]);
  const { phase, message, error, progress, runtime, notes, start, cancel } = useRun();
  const running = phase === 'loading' || phase === 'text' || phase === 'images';
  const runnable = summary.classFolders.length >= 2;
  const fraction =
    phase === 'loading'
      ? progress.totalBytes > 0
        ? progress.loadedBytes / progress.totalBytes
        : 0
      : progress.total > 0
        ? progress.done / progress.total
        : 0;
  if (images.length === 0) return null;

  return (
    <section className="panel run-panel" aria-labelledby="run-heading" id="run">
      <h2 id="run-heading">Run CLIP</h2>
      <ModelChooser disabled={running} />
      <CachedModels disabled={running} />
      <div className="button-row">
        <button
          type="button"
          className="primary"
          onClick={() => void start()}
          disabled={running || !runnable}
          data-testid="run-button"
        >
          {phase === 'done' || phase === 'cancelled' ? 'Run again' : 'Run'}
        </button>
        {running && (
          <button type="button" className="secondary" onClick={cancel}>
            Cancel
          </button>
        )}
      </div>
      {/* reserved height: the panel never changes size while a run streams */}
      <div className="progress-area" aria-live="polite">
        <progress value={running ? fraction : phase === 'done' ? 1 : 0} max={1} aria-label="run progress" />
        <p className="progress-text" data-testid="run-status">
          {phase === 'loading' && progress.totalBytes > 0
            ? `Loading the model: ${bytes(progress.loadedBytes)} of ${bytes(progress.totalBytes)}${progress.file ? ` (${progress.file}: ${bytes(progress.fileLoadedBytes ?? 0)} of ${bytes(progress.fileTotalBytes ?? 0)})` : ''}`
            : phase === 'images'
              ? `${progress.done} / ${progress.total} images · ${progress.imagesPerSecond.toFixed(1)} images/s · ETA ${duration(progress.etaSeconds)}`
              : message || (runnable ? 'Ready.' : 'Needs at least two classes.')}
        </p>
        <p className="runtime-text" data-testid="runtime">
          {runtime
            ? `Backend ${runtime.backend} · ${runtime.dtype} · ${runtime.threads} thread${runtime.threads === 1 ? '' : 's'}${runtime.crossOriginIsolated ? '' : ' · not cross-origin isolated'}`
            : '\u00a0'}
        </p>
      </div>
      {error && (
        <p className="error" role="alert" data-testid="run-error">
          {error}
        </p>
      )}
      {notes.map((n, i) => (
        <p className="note" key={i}>
          {n}
        </p>
      ))}
    </section>
  );
}
