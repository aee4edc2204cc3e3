/**
 * Issue 13 §5 on the start screen: "Restore your last session?" with what the saved session holds, and a
 * note when a saved session could not be used.
 */
import { useState } from 'react';
import { describeSession, shortTime } from '../../state/session/sessionRecord';
import { discardSession, restoreSession, useSession } from '../../state/session/session';
import './session.css';

export function RestoreSession() {
  const offer = useSession((s) => s.offer);
  const note = useSession((s) => s.note);
  const [busy, setBusy] = useState(false);
  if (!offer)
    return note ? (
      <p className="session-note" data-testid="session-note">
        {note}
      </p>
    ) : null;
  const lines = describeSession(offer);
  return (
    <section className="restore-session" aria-labelledby="restore-session-heading" data-testid="restore-session">
      <h3 id="restore-session-heading">Restore your last session?</h3>
      <p className="muted">Saved in this browser at {shortTime(offer.savedAt)}. It holds:</p>
      <ul>
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <p className="muted">
        The images themselves were not saved: after restoring, drop the folder again to re-attach them. Starting
        something new instead replaces the saved session.
      </p>
      <div className="button-row">
        <button
          type="button"
          className="primary"
          disabled={busy}
          data-testid="restore-session-button"
          onClick={async () => {
            setBusy(true);
            try {
              await restoreSession();
            } finally {
              setBusy(false);
            }
          }}
        >
          {busy ? 'Restoring…' : 'Restore'}
        </button>
        <button
          type="button"
          className="secondary"
          disabled={busy}
          data-testid="discard-session-button"
          onClick={() => void discardSession()}
        >
          Discard
        </button>
      </div>
    </section>
  );
}
