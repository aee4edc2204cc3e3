import { useCallback, useRef, useState } from 'react';
import type { Dtype } from '../../core/config';
import { HUB_MODELS, dtypesInModelFolder, useSettings } from '../../state/settings';
import type { BackendPreference } from '../../worker/protocol';

const DTYPES: Dtype[] = ['q8', 'fp16', 'fp32'];
const BACKENDS: BackendPreference[] = ['auto', 'webgpu', 'wasm'];

/** Which CLIP to run: a hub model, a folder the app serves (models/<name>), or a model folder from disk. */
export function ModelChooser({ disabled }: { disabled: boolean }) {
  const { model, dtype, backend, batchSize, droppedModel, setModel, setDtype, setBackend, setBatchSize, setDroppedModel } = useSettings();
  const kind = model.startsWith('local:') ? 'local' : model.startsWith('files:') ? 'files' : 'hub';
  const [localName, setLocalName] = useState(kind === 'local' ? model.slice(6) : 'tiny-clip');
  const folderInput = useRef<HTMLInputElement | null>(null);
  const setFolderInput = useCallback((node: HTMLInputElement | null) => {
    folderInput.current = node;
    node?.setAttribute('webkitdirectory', '');
  }, []);
  const hubKnown = HUB_MODELS.some((h) => h.id === model);

  return (
    <fieldset className="model-chooser" disabled={disabled}>
      <legend>Model</legend>
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
            }
            else if (value === 'files') folderInput.current?.click();
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
          <option value="files">{droppedModel ? `Model folder from disk: ${droppedModel.name}` : 'Model folder from disk…'}</option>
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
        ref={setFolderInput}
        type="file"
        multiple
        hidden
        data-testid="model-folder-input"
        onChange={async (e) => {
          const files = Array.from(e.currentTarget.files ?? []);
          if (files.length === 0) return;
          const root = (files[0].webkitRelativePath || files[0].name).split('/')[0];
          const loaded = await Promise.all(
            files.map(async (f) => ({ path: (f.webkitRelativePath || f.name).split('/').slice(1).join('/') || f.name, data: await f.arrayBuffer() })),
          );
          setDroppedModel({ name: root, files: loaded });
          const available = dtypesInModelFolder(loaded.map((f) => f.path));
          if (available.length > 0 && !available.includes(useSettings.getState().dtype)) setDtype(available[0]);
        }}
      />
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
          <input id="batch-size" type="number" min={1} max={64} value={batchSize} onChange={(e) => setBatchSize(Number(e.target.value))} />
        </div>
      </div>
    </fieldset>
  );
}
