import { useMemo } from 'react';
import type { Aggregate } from '../../core';
import { useResults } from '../../state/results';
import { ComparisonTable } from './ComparisonTable';
import { KSlider } from './KSlider';
import { useMethodRows, useResultsInput } from './useResultsInput';
import { ResultsDetails } from './ResultsDetails';

export function ResultsView() {
  const source = useResults((s) => s.source);
  const expected = useResults((s) => s.expected);
  const received = useResults((s) => s.records.length);
  const view = useResults((s) => s.view);
  const setView = useResults((s) => s.setView);
  const templates = useResults((s) => s.templates);
  const input = useResultsInput();
  const rows = useMethodRows(input, view);
  const selected = useMemo(
    () => rows.find((r) => r.method === view.method) ?? rows.find((r) => r.method === 'sage'),
    [rows, view.method],
  );
  if (!source) return null;

  return (
    <section className="panel results" aria-labelledby="results-heading" id="results">
      <h2 id="results-heading">Results</h2>
      <p className="muted" data-testid="results-source">
        {source.kind === 'bundle'
          ? 'From the embeddings bundle '
          : source.kind === 'report'
            ? 'From the report '
            : 'From '}
        <span>{source.label}</span> · {input ? input.analysis.n : 0} of {expected} images analysed
        {received > (input?.analysis.n ?? 0) ? ' (updating…)' : ''}
      </p>
      <div className="controls">
        <KSlider />
        <div className="field">
          <label htmlFor="aggregate-select">SAGE combines its K templates by</label>
          <select
            id="aggregate-select"
            value={view.aggregate}
            onChange={(e) => setView({ aggregate: e.target.value as Aggregate })}
          >
            <option value="embedding">averaging text embeddings (authors' code)</option>
            <option value="score">averaging scores (paper's formula)</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="zeroshot-select">zero-shot template</label>
          <select
            id="zeroshot-select"
            value={view.zeroshotTemplate}
            onChange={(e) => setView({ zeroshotTemplate: Number(e.target.value) })}
          >
            {templates.map((t, i) => (
              <option key={i} value={i}>
                {i}: {t}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="seed-input">random seed</label>
          <input
            id="seed-input"
            type="number"
            value={view.seed}
            step={1}
            onChange={(e) => setView({ seed: Math.trunc(Number(e.target.value)) || 0 })}
          />
        </div>
      </div>
      {/* reserve space while the first batches arrive so the page does not jump */}
      <div className="results-body" style={{ minHeight: input ? undefined : 480 }}>
        {input && selected ? (
          <>
            <ComparisonTable
              rows={rows}
              selected={selected.method}
              onSelect={(method) => setView({ method })}
              k={view.k}
            />
            <ResultsDetails input={input} rows={rows} selected={selected} />
          </>
        ) : (
          <p className="muted">Waiting for the first batch of images…</p>
        )}
      </div>
    </section>
  );
}
