import { useRef, useState, type DragEvent } from 'react';
import { describeLabel, filesFromDataTransfer, filesFromInput, openDropped, type OpenOutcome } from './openDropped';
import { errorMessage } from '../../state/errorMessage';
import { isEmbeddingImport, prepareEmbeddingImport } from '../../state/ingest/embeddingImport';
import { ImportMappingForm } from './ImportMappingForm';
import { describeBundleProgress, useBundleLoading } from '../../state/openBundleFile';
import { chooseModelFolder, looksLikeModelFolder, modelFolderName } from '../../state/modelFolder';
import { EMPTY_DROP, type DroppedFile, type SkippedFile } from '../../state/ingest/ingest';
import { useDataset } from '../../state/dataset';
import './dropZone.css';
import { useFolderInput } from '../useFolderInput';

/** Drop zone plus real buttons (folder picker, file picker) so everything works from the keyboard. */
export function DropZone({ compact = false }: { compact?: boolean }) {
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<OpenOutcome | null>(null);
  /** a model folder dropped here: offered as the model rather than read as (10 unusable) data files */
  const [modelOffer, setModelOffer] = useState<{ name: string; files: DroppedFile[] } | null>(null);
  const bundleProgress = useBundleLoading((s) => s.progress);
  const { attach: attachFolderInput, open: openFolderPicker } = useFolderInput();
  const filesInput = useRef<HTMLInputElement | null>(null);

  const run = async (work: () => Promise<OpenOutcome>) => {
    setBusy(true);
    setModelOffer(null);
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

  const openFiles = async (files: DroppedFile[], skipped: SkippedFile[]): Promise<OpenOutcome> => {
    if (looksLikeModelFolder(files.map((f) => f.path))) {
      setModelOffer({ name: modelFolderName(files), files });
      return { images: 0, skipped: 0, opened: 'nothing', error: 'This is a CLIP model folder, not images.' };
    }
    // .npy/.npz + a metadata table: the import form takes over (issue 17)
    if (isEmbeddingImport(files)) return importOutcome(await prepareEmbeddingImport(files));
    return openDropped(files, skipped, describeLabel(files));
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const transfer = event.dataTransfer;
    void run(async () => {
      const { files, skipped } = await filesFromDataTransfer(transfer);
      return openFiles(files, skipped);
    });
  };

  const onPicked = (list: FileList | null) => {
    if (!list) return;
    // a picked empty folder gives no files at all
    if (list.length === 0) {
      setStatus({ images: 0, skipped: 0, opened: 'nothing', error: EMPTY_DROP });
      return;
    }
    const files = filesFromInput(list);
    void run(() => openFiles(files, []));
  };

  const acceptModelOffer = async (offer: { name: string; files: DroppedFile[] }) => {
    setModelOffer(null);
    try {
      const name = await chooseModelFolder(offer.files);
      const hasImages = useDataset.getState().images.length > 0;
      setStatus({
        images: 0,
        skipped: 0,
        opened: 'nothing',
        error: `Model folder "${name}" chosen as the model${hasImages ? ': Run uses it.' : '. Now add your images.'}`,
      });
    } catch (error) {
      setStatus({ images: 0, skipped: 0, opened: 'nothing', error: errorMessage(error) });
    }
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
        <button type="button" onClick={() => openFolderPicker()} disabled={busy}>
          {compact ? 'Add a folder…' : 'Choose a folder…'}
        </button>
        <button type="button" className="secondary" onClick={() => filesInput.current?.click()} disabled={busy}>
          Choose files…
        </button>
      </div>
      <input
        ref={attachFolderInput}
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
      {modelOffer && (
        <div className="model-offer" data-testid="model-folder-offer">
          <p>
            <strong>{modelOffer.name}</strong> holds a CLIP model (config.json, tokenizer files and ONNX weights), not
            images. Use it as the model for runs?
          </p>
          <div className="button-row">
            <button type="button" className="primary" onClick={() => void acceptModelOffer(modelOffer)}>
              Use {modelOffer.name} as the model
            </button>
            <button type="button" className="secondary" onClick={() => setModelOffer(null)}>
              No
            </button>
          </div>
        </div>
      )}
      {!busy && status?.notUsed && status.notUsed.length > 0 && (
        <details className="skipped" open={status.notUsed.length <= 20} data-testid="drop-not-used">
          <summary>Also dropped, not used ({status.notUsed.length})</summary>
          <ul>
            {status.notUsed.slice(0, 500).map((s, i) => (
              <li key={`${s.path}-${i}`}>
                <span className="path">{s.path}</span> — <span className="reason">{s.reason}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
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
