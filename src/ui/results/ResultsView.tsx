import { useEffect, useMemo } from 'react';
import type { Aggregate, MethodId } from '../../core';
import { useDataset } from '../../state/dataset';
import { unavailableRows } from '../../state/derive/methodAvailability';
import { parameterSummary } from '../../state/derive/views';
import { embedPrompts, usePromptEmbedding, useRun } from '../../state/run';
import { useResults } from '../../state/results';
import { AttributeMethodsEditor } from '../dataset/AttributeMethodsEditor';
import { DiscoverView } from '../discover/DiscoverView';
import { InferredAttributeNote } from '../discover/InferredAttribute';
import { InfoTip } from '../InfoTip';
import { TestScopeToggle } from '../train/TestScopeToggle';
import { useTrainingScope } from '../train/useTrainingScope';
import { ComparisonTable } from './ComparisonTable';
import { Headline } from './Headline';
import { KSlider } from './KSlider';
import { useResultsInput } from './useResultsInput';
import { ResultsDetails } from './ResultsDetails';
import { RunComparison } from './RunComparison';
import { GroupsWithoutResults, StaleBanner, useStaleChanges } from './StaleBanner';
import './resultsView.css';

export function ResultsView() {
  const source = useResults((s) => s.source);
  const expected = useResults((s) => s.expected);
  const received = useResults((s) => s.records.length);
  const view = useResults((s) => s.view);
  const setView = useResults((s) => s.setView);
  const templates = useResults((s) => s.templates);
  // issue 15: all images, or every method on the test split with the trained adapter's row
  const fullInput = useResultsInput();
  const scoped = useTrainingScope(fullInput, view);
  const input = scoped.input;
  const stale = useStaleChanges().length > 0;
  const comparison = scoped.comparison;
  const { rows, unavailable } = comparison;
  // every method the table cannot show numbers for gets a row that says why (issue 12 §8)
  const { extraUnavailable } = scoped;
  const cannotRun = useMemo(
    () => (input ? [...unavailableRows(input, comparison), ...extraUnavailable] : []),
    [input, comparison, extraUnavailable],
  );
  const selected = useMemo(
    () => rows.find((r) => r.method === view.method) ?? rows.find((r) => r.method === 'sage'),
    [rows, view.method],
  );
  const notes = useMemo(() => {
    const byMethod: Partial<Record<MethodId, string>> = {};
    if (!input) return byMethod;
    for (const row of rows) {
      const note = parameterSummary(input, row);
      if (note) byMethod[row.method] = note;
    }
    return byMethod;
  }, [input, rows]);
  const pending = usePromptEmbedding((s) => s.pending);
  const embedError = usePromptEmbedding((s) => s.error);
  const runPhase = useRun((s) => s.phase);
  const hasDataset = useDataset((s) => s.images.length > 0);
  // texts the §7 rows miss: embedded with the results' model when it is loaded (again after a run finishes)
  const missing = useMemo(() => [...new Set(unavailable.flatMap((u) => u.missing))], [unavailable]);
  useEffect(() => {
    if (missing.length > 0) void embedPrompts(missing);
  }, [missing, runPhase]);
  if (!source) return null;

  return (
    <section className={`panel results${stale ? ' results-stale' : ''}`} aria-labelledby="results-heading" id="results">
      <h2 id="results-heading">Results</h2>
      <p className="muted" data-testid="results-source">
        {source.kind === 'bundle'
          ? 'From the embeddings bundle '
          : source.kind === 'report'
            ? 'From the report '
            : 'From '}
        <span>{source.label}</span> · {fullInput ? fullInput.analysis.n : 0} of {expected} images analysed
        {received > (fullInput?.analysis.n ?? 0) ? ' (updating…)' : ''}
      </p>
      <StaleBanner />
      <InferredAttributeNote />
      <GroupsWithoutResults analysed={fullInput ? fullInput.analysis.n : 0} />
      {input && selected && (
        <Headline
          rows={rows}
          selected={selected}
          k={view.k}
          classes={input.classes}
          attributeKeys={input.attributeKeys}
          complete={(fullInput?.analysis.n ?? 0) >= expected}
        />
      )}
      <div className="controls">
        <div className="k-field">
          <KSlider />
          <InfoTip term="k" />
        </div>
        <div className="field">
          <div className="field-head">
            <label htmlFor="aggregate-select">SAGE combines its K templates by</label>
            <InfoTip term="aggregate" />
          </div>
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
          <div className="field-head">
            <label htmlFor="zeroshot-select">zero-shot template</label>
            <InfoTip term="zeroshotTemplate" />
          </div>
          <select
            id="zeroshot-select"
            // the template zero-shot really uses: an index past a smaller pool means its last template (methodConfig)
            value={Math.max(0, Math.min(view.zeroshotTemplate, templates.length - 1))}
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
          <div className="field-head">
            <label htmlFor="seed-input">random seed</label>
            <InfoTip term="seed" />
          </div>
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
            <TestScopeToggle counts={scoped.counts} />
            <ComparisonTable
              rows={rows}
              unavailable={cannotRun}
              notes={notes}
              pending={pending}
              selected={selected.method}
              onSelect={(method) => setView({ method })}
              k={view.k}
              footer={
                <>
                  {embedError && (
                    <p className="error" role="alert">
                      {embedError}
                    </p>
                  )}
                </>
              }
            />
            {!hasDataset && input.attributeWords.length > 0 && <AttributeMethodsEditor idPrefix="results-" />}
            {/* the kept runs side by side (issue 13 §5), next to the table they extend */}
            <RunComparison />
            <ResultsDetails input={input} rows={rows} selected={selected} />
            <DiscoverView input={input} rows={rows} />
          </>
        ) : (
          <p className="muted">Waiting for the first batch of images…</p>
        )}
      </div>
    </section>
  );
}
