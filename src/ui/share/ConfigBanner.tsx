import { useState } from 'react';
import { METHOD_LABELS } from '../../state/derive/views';
import type { ExplorerConfig } from '../../core/config';
import { usePendingConfig } from '../../state/config';
import { errorMessage } from '../../state/errorMessage';
import { useResults } from '../../state/results';
import { useRun } from '../../state/run';
import { groupLabel } from '../format';
import { EXAMPLES, loadExample } from '../ingest/loadExample';
import { LinkResults } from './LinkResults';

/**
 * What a shared link or a reopened report set up, or why it could not be opened, worded by origin (issue 13 §5):
 * - a link with results shows them at once (LinkResults) and, when they came from the built-in example, offers to
 *   run the same thing here; otherwise it asks for the recipient's own images;
 * - a link with the configuration only asks for images (or the example);
 * - a reopened report already shows its results below: no call to drop images.
 * The link's numbers give way to the recipient's own once a run (or any results) is on screen.
 */
export function ConfigBanner() {
  const { config, origin, kind, results, resultsError, warnings, error } = usePendingConfig();
  const hasResults = useResults((s) => s.source !== null);
  if (error) {
    return (
      <p className="panel error" role="alert" data-testid="link-error">
        {error}
      </p>
    );
  }
  if (!config) return null;
  const heading =
    kind === 'report'
      ? `Reopened from ${origin}`
      : results
        ? `Set up from a ${origin} with results`
        : `Set up from a ${origin}`;
  return (
    <section
      className="panel config-banner"
      aria-label={kind === 'report' ? 'configuration from a report' : 'configuration from a link'}
      data-testid="config-banner"
      data-origin={kind === 'report' ? 'report' : results ? 'link-results' : 'link'}
    >
      <p>
        <strong>{heading}:</strong> <ConfigSummary config={config} />
      </p>
      {resultsError && (
        <p className="note" role="alert" data-testid="link-results-error">
          The results in this link could not be read ({resultsError}); its configuration was set up.
        </p>
      )}
      {kind === 'report' ? (
        <p className="muted" data-testid="banner-next">
          The report's results are below, with its embeddings: change K, methods or templates and the numbers follow.
        </p>
      ) : hasResults ? (
        results && (
          <p className="muted" data-testid="banner-next">
            The results below are from this device; the link's numbers are no longer shown.
          </p>
        )
      ) : results ? (
        <>
          <NextStep example={results.example} />
          <LinkResults report={results} />
        </>
      ) : (
        <p className="muted" data-testid="banner-next">
          This link carries the configuration only, never images: drop your images (or open the example) to run it.
        </p>
      )}
      {warnings.map((w, i) => (
        <p className="note" key={i}>
          {w}
        </p>
      ))}
    </section>
  );
}

function ConfigSummary({ config }: { config: ExplorerConfig }) {
  return (
    <>
      model <span data-testid="config-model">{config.model}</span> ({config.dtype}), classes{' '}
      <span data-testid="config-classes">{config.classes.map((c) => `“${c}”`).join(', ')}</span>
      {config.attributes.length > 0 && (
        <>, attributes {config.attributes.map((a) => groupLabel(a, '')).join(', ')}</>
      )}, {config.templates.length} templates, method {METHOD_LABELS[config.method]}, K ={' '}
      <span data-testid="config-k">{config.k}</span>, seed {config.seed}.
    </>
  );
}

/**
 * Results made on the built-in example: one button loads it, applies the link's configuration (already in the
 * panels; loadExample applies the link's class strings) and runs. Otherwise: the recipient's own images.
 */
function NextStep({ example }: { example: string | null }) {
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const known = EXAMPLES.find((e) => e.id === example);
  if (!known) {
    return (
      <p className="muted" data-testid="banner-next">
        {example
          ? `These results came from an example this copy of the app does not have (${example}): drop your images to run it yourself.`
          : 'The images stay with the sender: drop your images (the same classes and attributes) to run it yourself.'}
      </p>
    );
  }
  const run = async () => {
    setBusy(true);
    try {
      setStatus('Loading the example…');
      const loaded = await loadExample(known.id, (done, total) =>
        setStatus(`Loading the example: ${done} / ${total} images`),
      );
      setStatus(
        `Loaded ${loaded.images} images${loaded.skipped ? ` (${loaded.skipped} could not be fetched)` : ''}; running with the link's configuration…`,
      );
      document.getElementById('run')?.scrollIntoView({ block: 'start' });
      await useRun.getState().start();
      setStatus('');
    } catch (e) {
      setStatus(`The example could not be run: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="banner-actions" data-testid="banner-next">
      <button type="button" className="primary" disabled={busy} onClick={() => void run()} data-testid="run-on-example">
        Run this on the example
      </button>
      <span className="muted" role="status">
        {status || `These results came from the built-in example, ${known.label}: run it here to explore them.`}
      </span>
    </div>
  );
}
