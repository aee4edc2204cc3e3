import { useState, type DragEvent } from 'react';
import type { Dtype } from '../../core/config';
import { chooseModelFolder, type ModelFolderFile } from '../../state/modelFolder';
import { HUB_MODELS, useSettings } from '../../state/settings';
import { filesFromDataTransfer } from '../ingest/openDropped';
import type { BackendPreference } from '../../state/settings';
import { errorMessage } from '../../state/errorMessage';
import { useFolderInput } from '../useFolderInput';

const DTYPES: Dtype[] = ['q8', 'fp16', 'fp32'];
const BACKENDS: BackendPreference[] = ['auto', 'webgpu', 'wasm'];

/** Which CLIP to run: a hub model, a folder the app serves (models/<name>), or a model folder from disk. */
export function ModelChooser({ disabled }: { disabled: boolean }) {
  const { model, dtype, backend, batchSize, droppedModel, setModel, setDtype, setBackend, setBatchSize } =
    useSettings();
  const kind = model.startsWith('local:') ? 'local' : model.startsWith('files:') ? 'files' : 'hub';
  const [localName, setLocalName] = useState(kind === 'local' ? model.slice(6) : 'tiny-clip');
  const { attach: attachFolderInput, open: openFolderPicker } = useFolderInput();
  const hubKnown = HUB_MODELS.some((h) => h.id === model);
  const [folderError, setFolderError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  // picked (webkitdirectory) and dropped folders end up here alike
  const openModelFolder = async (files: ModelFolderFile[]) => {
    if (files.length === 0) return;
    try {
      await chooseModelFolder(files);
      setFolderError(null);
    } catch (error) {
      setFolderError(errorMessage(error));
    }
  };

  const onDrop = (event: DragEvent<HTMLFieldSetElement>) => {
    if (disabled) return;
    // a model folder dropped here is the model, not data for the dataset drop zone
    event.preventDefault();
    event.stopPropagation();
    setDragging(false);
    const transfer = event.dataTransfer;
    void filesFromDataTransfer(transfer).then(({ files }) => openModelFolder(files));
  };

  return (
    <fieldset
      className={`model-chooser${dragging ? ' dragging' : ''}`}
      disabled={disabled}
      data-testid="model-chooser"
      onDragOver={(e) => {
        if (disabled) return;
        e.preventDefault();
        e.stopPropagation();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <legend>Model</legend>
      <p className="muted">Or drop a model folder (config.json, the tokenizer files and onnx/) here to run offline.</p>
      <div className="field">
        <label htmlFor="model-select">CLIP model</label>
        <select
          id="model-select"
          value={kind === 'hub' ? model : kind}
          onChange={(e) => {
            const value = e.target.value;
            if (value === 'local') {
              setModel(`local:${localName}`);
              // self-hosted and synthetic models usually ship full-precision weights only
              setDtype('fp32');
            } else if (value === 'files') openFolderPicker();
            else setModel(value);
          }}
        >
          {HUB_MODELS.map((h) => (
            <option key={h.id} value={h.id}>
              {h.label} — {h.id}
            </option>
          ))}
          {kind === 'hub' && !hubKnown && <option value={model}>{model}</option>}
          <option value="local">Local folder served by this app (models/&lt;name&gt;)</option>
          <option value="files">
            {droppedModel ? `Model folder from disk: ${droppedModel.name}` : 'Model folder from disk…'}
          </option>
        </select>
      </div>
      {kind === 'local' && (
        <div className="field">
          <label htmlFor="local-model-name">models/</label>
          <input
            id="local-model-name"
            value={localName}
            onChange={(e) => {
              setLocalName(e.target.value);
              setModel(`local:${e.target.value}`);
            }}
          />
        </div>
      )}
      <input
        ref={attachFolderInput}
        type="file"
        multiple
        hidden
        data-testid="model-folder-input"
        onChange={(e) => {
          const files = Array.from(e.currentTarget.files ?? []).map((f) => ({
            path: f.webkitRelativePath || f.name,
            blob: f as Blob,
          }));
          void openModelFolder(files);
        }}
      />
      {folderError && (
        <p className="error" role="alert" data-testid="model-folder-error">
          {folderError}
        </p>
      )}
      <div className="field-row">
        <div className="field">
          <label htmlFor="dtype-select">precision</label>
          <select id="dtype-select" value={dtype} onChange={(e) => setDtype(e.target.value as Dtype)}>
            {DTYPES.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="backend-select">backend</label>
          <select id="backend-select" value={backend} onChange={(e) => setBackend(e.target.value as BackendPreference)}>
            {BACKENDS.map((b) => (
              <option key={b} value={b}>
                {b === 'auto' ? 'auto (WebGPU if available)' : b}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="batch-size">batch</label>
          <input
            id="batch-size"
            type="number"
            min={1}
            max={64}
            value={batchSize}
            onChange={(e) => setBatchSize(Number(e.target.value))}
          />
        </div>
      </div>
    </fieldset>
  );
}
