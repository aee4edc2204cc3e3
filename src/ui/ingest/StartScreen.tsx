import { useState } from 'react';
import { useRun } from '../../state/run';
import { EXAMPLES, loadExample } from './loadExample';
import { errorMessage } from '../../state/errorMessage';

/** "Try the example": loads the built-in set with its class strings and runs it right away. */
export function TryExample() {
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const example = EXAMPLES[0];
  return (
    <div className="start-actions">
      <button
        type="button"
        className="primary"
        disabled={busy}
        data-testid="try-example"
        onClick={async () => {
          setBusy(true);
          try {
            setStatus('Loading the example…');
            const loaded = await loadExample(example.id, (done, total) =>
              setStatus(`Loading the example: ${done} / ${total} images`),
            );
            setStatus(
              `Loaded ${loaded.images} images${loaded.skipped ? ` (${loaded.skipped} could not be fetched)` : ''}; running…`,
            );
            document.getElementById('run')?.scrollIntoView({ block: 'start' });
            await useRun.getState().start();
            setStatus('');
          } catch (error) {
            setStatus(errorMessage(error));
          } finally {
            setBusy(false);
          }
        }}
      >
        Try the example
      </button>
      <span className="muted">{status || example.label}</span>
    </div>
  );
}
