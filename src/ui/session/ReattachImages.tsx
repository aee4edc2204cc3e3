/**
 * Where the drop zone was, while a restored session's images are not attached: drop (or pick) the folder
 * again; files are matched by content (SHA-256), so renamed files still match. Nothing is uploaded.
 */
import { useState, type DragEvent } from 'react';
import { errorMessage } from '../../state/errorMessage';
import { forgetDetached, reattachFiles, useSession } from '../../state/session/session';
import { filesFromDataTransfer, filesFromInput } from '../ingest/openDropped';
import './session.css';
import { useFolderInput } from '../useFolderInput';

export function ReattachImages() {
  const detached = useSession((s) => s.detached);
  const reattached = useSession((s) => s.reattached);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [error, setError] = useState('');
  const { attach: attachFolderInput, open: openFolderPicker } = useFolderInput();

  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError('');
    try {
      await work();
    } catch (problem) {
      setError(`The files could not be read: ${errorMessage(problem)}`);
    } finally {
      setBusy(false);
    }
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const transfer = event.dataTransfer;
    void run(async () => reattachFiles((await filesFromDataTransfer(transfer)).files));
  };

  const status = busy ? 'Matching the files…' : error;
  return (
    <div
      className={`dropzone reattach${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      data-testid="reattach-zone"
    >
      {detached && (
        <p className="dropzone-lead">
          <strong>
            Drop the folder again to re-attach the images
            {detached.images.length > 0 ? ` (${detached.images.length} not attached)` : ''}.
          </strong>{' '}
          Files are matched by their content, so renamed files still match; they are read here and never uploaded.
        </p>
      )}
      <div className="button-row">
        <button type="button" onClick={() => openFolderPicker()} disabled={busy}>
          Choose the folder…
        </button>
        <button type="button" className="secondary" onClick={forgetDetached} disabled={busy}>
          Forget the images not attached
        </button>
      </div>
      <input
        ref={attachFolderInput}
        type="file"
        multiple
        hidden
        data-testid="reattach-input"
        onChange={(e) => {
          const list = e.currentTarget.files;
          if (list && list.length > 0) {
            const files = filesFromInput(list);
            void run(() => reattachFiles(files));
          }
          e.currentTarget.value = '';
        }}
      />
      <p className="status" role="status" aria-live="polite" data-testid="reattach-status">
        {status}
      </p>
      {reattached && reattached.notInSession.length > 0 && (
        <FileList
          title="Dropped, not in the session"
          paths={reattached.notInSession}
          testId="reattach-not-in-session"
        />
      )}
      {detached && detached.images.length > 0 && reattached && (
        <FileList
          title="Still not attached"
          paths={detached.images.map((image) => image.id)}
          testId="reattach-missing"
        />
      )}
    </div>
  );
}

/** What the last re-attach did; stays after the images are all back (the drop zone is gone by then). */
export function ReattachOutcome() {
  const reattached = useSession((s) => s.reattached);
  if (!reattached) return null;
  return (
    <div className="reattach-outcome" data-testid="reattach-outcome">
      <p role="status" data-testid="reattach-status">
        {reattached.sentence}
      </p>
      {reattached.notInSession.length > 0 && (
        <FileList
          title="Dropped, not in the session"
          paths={reattached.notInSession}
          testId="reattach-not-in-session"
        />
      )}
      <button type="button" className="secondary" onClick={() => useSession.setState({ reattached: null })}>
        Dismiss
      </button>
    </div>
  );
}

function FileList({ title, paths, testId }: { title: string; paths: string[]; testId: string }) {
  return (
    <details className="skipped" open={paths.length <= 10} data-testid={testId}>
      <summary>
        {title} ({paths.length})
      </summary>
      <ul>
        {paths.slice(0, 500).map((path) => (
          <li key={path}>
            <span className="path">{path}</span>
          </li>
        ))}
      </ul>
      {paths.length > 500 && <p className="muted">…and {paths.length - 500} more.</p>}
    </details>
  );
}
