import { useState } from 'react';
import { DEFAULT_TEMPLATES, useDataset } from '../../state/dataset';
import { templateProblems } from '../../state/datasetChecks';

/** The template pool: add, remove, edit, reset to the 80 CLIP defaults, with validation messages. */
export function TemplateEditor() {
  const templates = useDataset((s) => s.templates);
  const setTemplates = useDataset((s) => s.setTemplates);
  const resetTemplates = useDataset((s) => s.resetTemplates);
  const [draft, setDraft] = useState('');
  const problems = templateProblems(templates);
  const errorFor = (i: number) => problems.perTemplate[i];
  const general = problems.general;
  const isDefault =
    templates.length === DEFAULT_TEMPLATES.length && templates.every((t, i) => t === DEFAULT_TEMPLATES[i]);

  return (
    <details className="template-editor">
      <summary>
        Template pool: {templates.length} templates{isDefault ? ' (the 80 CLIP defaults)' : ' (edited)'}
        {problems.count > 0 ? ` — ${problems.count} problem(s)` : ''}
      </summary>
      {general.map((message, i) => (
        <p className="error" key={i}>
          {message}
        </p>
      ))}
      <ol className="template-list">
        {templates.map((t, i) => (
          <li key={i}>
            <input
              aria-label={`template ${i}`}
              value={t}
              onChange={(e) => setTemplates(templates.map((x, j) => (j === i ? e.target.value : x)))}
              aria-invalid={errorFor(i) ? true : undefined}
            />
            <button
              type="button"
              className="secondary small"
              aria-label={`remove template ${i}`}
              onClick={() => setTemplates(templates.filter((_, j) => j !== i))}
            >
              Remove
            </button>
            {errorFor(i) && <span className="error">{errorFor(i)}</span>}
          </li>
        ))}
      </ol>
      <form
        className="button-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (draft.trim() === '') return;
          setTemplates([...templates, draft.trim()]);
          setDraft('');
        }}
      >
        <input
          aria-label="new template"
          placeholder='e.g. "a photo of a {} in the wild."'
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit">Add template</button>
        <button type="button" className="secondary" onClick={resetTemplates} disabled={isDefault}>
          Reset to the 80 defaults
        </button>
      </form>
    </details>
  );
}
