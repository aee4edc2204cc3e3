import { useCallback, useRef, useState, type DragEvent } from 'react';
import { describeLabel, filesFromDataTransfer, filesFromInput, openDropped, type OpenOutcome } from './openDropped';
import { errorMessage } from '../../state/errorMessage';
import { isEmbeddingImport, prepareEmbeddingImport } from '../../state/ingest/embeddingImport';
import { ImportMappingForm } from './ImportMappingForm';
import { describeBundleProgress, useBundleLoading } from '../../state/openBundleFile';

/** Drop zone plus real buttons (folder picker, file picker) so everything works from the keyboard. */
export function DropZone({ compact = false }: { compact?: boolean }) {
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<OpenOutcome | null>(null);
  const bundleProgress = useBundleLoading((s) => s.progress);
  const folderInput = useRef<HTMLInputElement | null>(null);
  const filesInput = useRef<HTMLInputElement | null>(null);

  const setFolderInput = useCallback((node: HTMLInputElement | null) => {
    folderInput.current = node;
    // not in React's attribute types; Chromium, Firefox and Safari all support it
    node?.setAttribute('webkitdirectory', '');
  }, []);

  const run = async (work: () => Promise<OpenOutcome>) => {
    setBusy(true);
    try {
      setStatus(await work());
    } catch (error) {
      setStatus({
        images: 0,
        skipped: 0,
        opened: 'nothing',
        error: errorMessage(error),
      });
    } finally {
      setBusy(false);
    }
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const transfer = event.dataTransfer;
    void run(async () => {
      const { files, skipped } = await filesFromDataTransfer(transfer);
      // .npy/.npz + a metadata table: the import form takes over (issue 17)
      if (isEmbeddingImport(files)) return importOutcome(await prepareEmbeddingImport(files));
      return openDropped(files, skipped, describeLabel(files));
    });
  };

  const onPicked = (list: FileList | null) => {
    if (!list || list.length === 0) return;
    const files = filesFromInput(list);
    if (isEmbeddingImport(files)) void run(async () => importOutcome(await prepareEmbeddingImport(files)));
    else void run(() => openDropped(files, [], describeLabel(files)));
  };

  return (
    <div
      className={`dropzone${dragging ? ' dragging' : ''}${compact ? ' compact' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      data-testid="dropzone"
    >
      {!compact && (
        <p className="dropzone-lead">
          Drop a folder laid out as <code>class/attribute/image</code> (or <code>class/image</code>), a .zip, a CSV
          manifest (<code>path,class,attribute</code>) with its images, an embeddings bundle, or a report.
        </p>
      )}
      <div className="button-row">
        <button type="button" onClick={() => folderInput.current?.click()} disabled={busy}>
          {compact ? 'Add a folder…' : 'Choose a folder…'}
        </button>
        <button type="button" className="secondary" onClick={() => filesInput.current?.click()} disabled={busy}>
          Choose files…
        </button>
      </div>
      <input
        ref={setFolderInput}
        type="file"
        multiple
        hidden
        data-testid="folder-input"
        onChange={(e) => {
          onPicked(e.currentTarget.files);
          e.currentTarget.value = '';
        }}
      />
      <input
        ref={filesInput}
        type="file"
        multiple
        hidden
        data-testid="files-input"
        onChange={(e) => {
          onPicked(e.currentTarget.files);
          e.currentTarget.value = '';
        }}
      />
      <p className="status" role="status" aria-live="polite">
        {bundleProgress
          ? describeBundleProgress(bundleProgress)
          : busy
            ? 'Reading files…'
            : status
              ? describeOutcome(status)
              : ''}
      </p>
      {bundleProgress && (
        <progress
          max={Math.max(1, bundleProgress.total)}
          value={bundleProgress.done}
          aria-label={describeBundleProgress(bundleProgress)}
          data-testid="bundle-progress"
        />
      )}
      <ImportMappingForm />
    </div>
  );
}

/** The drop status while the import form asks for the columns (its own errors show in the form). */
function importOutcome(ready: boolean): OpenOutcome {
  return {
    images: 0,
    skipped: 0,
    opened: 'nothing',
    error: ready
      ? 'Embeddings read: say which column is which below.'
      : 'The embeddings could not be imported: see below.',
  };
}

function describeOutcome(outcome: OpenOutcome): string {
  if (outcome.error) return outcome.error;
  switch (outcome.opened) {
    case 'bundle':
      return `Opened an embeddings bundle with ${outcome.images} images.`;
    case 'report':
      return 'Opened the report.';
    case 'dataset':
      return `Added ${outcome.images} images${outcome.skipped ? `; ${outcome.skipped} file(s) skipped (see the list below)` : ''}.`;
    case 'nothing':
      return outcome.skipped
        ? `No usable images; ${outcome.skipped} file(s) skipped (see the list below).`
        : 'Nothing to open.';
  }
}
