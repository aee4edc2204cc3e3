import { useState } from 'react';
import {
  type ImportFormValues,
  type PendingImport,
  cancelEmbeddingImport,
  guessFormValues,
  submitEmbeddingImport,
  useEmbeddingImport,
} from '../../state/ingest/embeddingImport';
import { useDataset } from '../../state/dataset';
import { ModelChooser } from '../run/ModelChooser';
import './importMappingForm.css';

/**
 * Dropped embeddings (.npy/.npz + a metadata table): which array is which, which column is the id, the class and
 * the attribute, and the names behind numeric ids. Opens the result like a dropped bundle.
 */
export function ImportMappingForm() {
  const pending = useEmbeddingImport((s) => s.pending);
  const error = useEmbeddingImport((s) => s.error);
  const notes = useEmbeddingImport((s) => s.notes);
  if (!pending) {
    if (!error && notes.length === 0) return null;
    return (
      <div className="import-messages">
        {error && (
          <p role="alert" className="import-error" data-testid="import-error">
            {error}
          </p>
        )}
        {notes.map((note) => (
          <p key={note} className="muted">
            Note: {note}
          </p>
        ))}
      </div>
    );
  }
  // keyed by the drop, so a new drop starts from fresh guesses
  return <MappingFields key={pending.label} pending={pending} error={error} notes={notes} />;
}

function MappingFields({ pending, error, notes }: { pending: PendingImport; error: string | null; notes: string[] }) {
  const busy = useEmbeddingImport((s) => s.busy);
  const step = useEmbeddingImport((s) => s.step);
  // the Run panel (and its model chooser) shows only once images are loaded; until then the form offers it
  const runPanelShown = useDataset((s) => s.images.length > 0);
  const [values, setValues] = useState<ImportFormValues>(() => guessFormValues(pending));
  const set = (field: keyof ImportFormValues) => (value: string) => setValues((v) => ({ ...v, [field]: value }));
  const columns = pending.table.columns;
  const preview = pending.table.rows.slice(0, 3);

  const select = (field: keyof ImportFormValues, label: string, options: string[], none?: string) => (
    <label className="import-field">
      <span>{label}</span>
      <select value={values[field]} onChange={(e) => set(field)(e.currentTarget.value)} data-testid={`import-${field}`}>
        {none !== undefined || values[field] === '' ? <option value="">{none ?? 'choose…'}</option> : null}
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </label>
  );
  const text = (field: keyof ImportFormValues, label: string, placeholder: string) => (
    <label className="import-field">
      <span>{label}</span>
      <input
        type="text"
        value={values[field]}
        placeholder={placeholder}
        onChange={(e) => set(field)(e.currentTarget.value)}
        data-testid={`import-${field}`}
      />
    </label>
  );
  const arrays = pending.arrays.map((a) => a.label);

  return (
    <form
      className="import-form"
      data-testid="import-form"
      aria-label="Import embeddings"
      onSubmit={(e) => {
        e.preventDefault();
        void submitEmbeddingImport(values);
      }}
    >
      <h3>Import embeddings</h3>
      <p className="muted">
        Row r of the image array is the image in row r of {pending.table.name} ({pending.table.rows.length} rows).
        Numeric class or attribute ids become names through the lists below (id 0 → the first name). Templates:{' '}
        {pending.templates
          ? `${pending.templates.name} (${pending.templates.list.length})`
          : "CLIP's 80 (no templates file dropped)"}
        .
      </p>
      <div className="import-grid">
        {select('imageArray', 'Image embeddings', arrays)}
        {select(
          'textArray',
          'Text embeddings (template × class rows)',
          arrays,
          '(none: embed the prompts with a model)',
        )}
        {select('idColumn', 'Id column', columns)}
        {select('classColumn', 'Class column', columns)}
        {text('classNames', 'Class names (for ids 0, 1, …)', 'e.g. landbird, waterbird')}
        {select('attributeColumn', 'Attribute column', columns, '(none)')}
        {text('attributeNames', 'Attribute names (for ids 0, 1, …)', 'e.g. land, water')}
        {select('splitColumn', 'Split column', columns, '(none)')}
        {values.splitColumn !== '' && text('split', 'Split to keep', 'e.g. 2 or test')}
      </div>
      {preview.length > 0 && (
        <div className="import-preview">
          <table>
            <caption className="muted">First rows of {pending.table.name}</caption>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, c) => (
                    <td key={c}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {error && (
        <p role="alert" className="import-error" data-testid="import-error">
          {error}
        </p>
      )}
      {notes.map((note) => (
        <p key={note} className="muted">
          {note}
        </p>
      ))}
      {values.textArray === '' && (
        <div className="import-model">
          <p className="muted">
            Without text embeddings, this model embeds the prompts: it must be the model that made the image embeddings.
          </p>
          {runPanelShown ? <p className="muted">(Choose it under “Run”.)</p> : <ModelChooser disabled={busy} />}
        </div>
      )}
      {busy && step && (
        <p className="muted" role="status" data-testid="import-step">
          {step}
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="primary" disabled={busy} data-testid="import-submit">
          {busy ? 'Importing…' : 'Import'}
        </button>
        <button type="button" className="secondary" onClick={cancelEmbeddingImport} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
