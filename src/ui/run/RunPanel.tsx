import { useMemo } from 'react';
import { useDataset } from '../../state/dataset';
import { runInputProblems } from '../../state/datasetChecks';
import { summariseDataset } from '../../state/datasetSummary';
import { useRun } from '../../state/run';
import { describeRunFailure } from '../../state/runFailure';
import { useSettings } from '../../state/settings';
import { bytes, duration } from '../format';
import { CachedModels } from './CachedModels';
import { MachineCheck } from './MachineCheck';
import './runPanel.css';
import { ModelChooser } from './ModelChooser';
import { RunCues } from './RunCues';

/**
 * The sentence said beside a disabled Run: the first input problem, and how many more there are. The pinned Run
 * cue shows the same sentence while Run is refused, so the two never disagree.
 */
export function runBlockedSentence(problems: readonly string[]): string {
  return `${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more: see the labels and templates above)` : ''}`;
}

/** One button to run; a progress bar with images/s, ETA and the backend in use; cancel. */
export function RunPanel() {
  const images = useDataset((s) => s.images);
  const classText = useDataset((s) => s.classText);
  const templates = useDataset((s) => s.templates);
  const groupPromptPattern = useDataset((s) => s.groupPromptPattern);
  const model = useSettings((s) => s.model);
  const summary = useMemo(() => summariseDataset(images), [images]);
  const { phase, message, error, progress, runtime, notes, start, cancel, modelSkipped, lastRunMs } = useRun();
  const running = phase === 'loading' || phase === 'text' || phase === 'images';
  // every input error keeps Run disabled, its first problem said beside the button (issue 13 §3)
  const problems = useMemo(
    () =>
      runInputProblems({
        classFolders: summary.classFolders,
        classes: summary.classFolders.map((f) => classText[f] ?? f),
        templates,
        groupPromptPattern,
        hasAttributes: summary.attributeFolders.some((a) => a !== ''),
      }),
    [summary, classText, templates, groupPromptPattern],
  );
  const runnable = problems.length === 0;
  const failure = useMemo(() => (error ? describeRunFailure(error, model) : null), [error, model]);
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
      <MachineCheck disabled={running} />
      <div className="button-row">
        <button
          type="button"
          className="primary"
          onClick={() => void start()}
          disabled={running || !runnable}
          aria-describedby={runnable ? undefined : 'run-blocked'}
          data-testid="run-button"
        >
          {phase === 'done' || phase === 'cancelled' ? 'Run again' : 'Run'}
        </button>
        {running && (
          <button type="button" className="secondary" onClick={cancel}>
            Cancel
          </button>
        )}
        {!runnable && !running && (
          <p className="run-blocked error" id="run-blocked" data-testid="run-blocked">
            {runBlockedSentence(problems)}
          </p>
        )}
      </div>
      {/* reserved height: the panel never changes size while a run streams */}
      <div className="progress-area" aria-live="polite">
        <progress value={running ? fraction : phase === 'done' ? 1 : 0} max={1} aria-label="run progress" />
        {/* data-run-ms / data-model-skipped: Run-to-results time and whether the model was skipped (the benchmark reads them) */}
        <p
          className="progress-text"
          data-testid="run-status"
          data-run-ms={lastRunMs === null ? undefined : Math.round(lastRunMs)}
          data-model-skipped={phase === 'done' ? String(modelSkipped) : undefined}
        >
          {phase === 'loading' && progress.totalBytes > 0
            ? `Loading the model: ${bytes(progress.loadedBytes)} of ${bytes(progress.totalBytes)}${progress.file ? ` (${progress.file}: ${bytes(progress.fileLoadedBytes ?? 0)} of ${bytes(progress.fileTotalBytes ?? 0)})` : ''}`
            : phase === 'images'
              ? `${progress.done} / ${progress.total} images · ${progress.imagesPerSecond.toFixed(1)} images/s · ETA ${duration(progress.etaSeconds)}`
              : message || (runnable ? 'Ready.' : 'Not ready: see the reason beside Run.')}
        </p>
        <p className="runtime-text" data-testid="runtime">
          {runtime
            ? `Backend ${runtime.backend} · ${runtime.dtype} · ${runtime.threads} thread${runtime.threads === 1 ? '' : 's'}${runtime.crossOriginIsolated ? '' : ' · not cross-origin isolated'}${modelSkipped ? ' · model not loaded (every embedding was cached)' : ''}`
            : '\u00a0'}
        </p>
      </div>
      {failure && (
        <div className="run-failure" role="alert" data-testid="run-error">
          <p className="error run-failure-headline" data-testid="run-error-headline">
            {failure.headline}
          </p>
          {failure.advice && <p className="run-failure-advice">{failure.advice}</p>}
          {failure.retry && (
            <div className="button-row">
              <button
                type="button"
                className="primary"
                onClick={() => void start()}
                disabled={running || !runnable}
                data-testid="run-retry"
              >
                Retry
              </button>
            </div>
          )}
          {failure.details && (
            <details className="run-failure-details">
              <summary>Details</summary>
              <p className="run-failure-raw">{failure.details}</p>
            </details>
          )}
        </div>
      )}
      {notes.map((n, i) => (
        <p className="note" key={i}>
          {n}
        </p>
      ))}
      <RunCues blockedReason={runnable ? null : runBlockedSentence(problems)} />
    </section>
  );
}
