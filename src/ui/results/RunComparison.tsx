import { useMemo, useState } from 'react';
import type { MethodId } from '../../core';
import {
  compareRuns,
  groupBreakdown,
  type BestMark,
  type GroupRunRow,
  type MethodRunRow,
} from '../../state/derive/runComparison';
import { useShownRun } from '../../state/runCapture';
import { useRunHistory, type SavedRun } from '../../state/runHistory';
import { downloadText, exportFilename } from '../../share/download';
import { runsCsv } from '../../share/runsCsv';
import { groupLabel, pct } from '../format';
import { InfoTip } from '../InfoTip';
import './runComparison.css';

/** Columns are lettered so the difference column can say which is subtracted from which. */
const letter = (i: number): string => String.fromCharCode(65 + i);

/** "+5.0 pts", "−1.2 pts", "0.0 pts". */
function points(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const rounded = Math.round(value * 1000) / 10;
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : ''}${Math.abs(rounded).toFixed(1)} pts`;
}

function Mark({ mark }: { mark: BestMark }) {
  if (!mark) return null;
  return (
    <span className="best-mark" data-testid="best-mark">
      <span aria-hidden="true">★ </span>
      {mark}
    </span>
  );
}

/** "fp32 · wasm · 150 images · K = 3", and where opened results came from. */
function runDetails(run: SavedRun): string {
  const n = run.rows[0]?.metrics.n ?? 0;
  const parts = [
    run.runtime?.dtype ?? run.setup.dtype,
    run.runtime?.backend,
    `${n} image${n === 1 ? '' : 's'}`,
    `K = ${run.k}`,
  ].filter((p): p is string => !!p);
  const from = run.source && run.source.kind !== 'run' ? ` · from the ${run.source.kind} ${run.source.label}` : '';
  return parts.join(' · ') + from;
}

/** The kept runs as a long-format CSV (one row per run, method and group). */
function downloadRunsCsv(runs: readonly SavedRun[]): void {
  const csv = runsCsv(
    runs.map((run) => ({
      label: run.label,
      finishedAt: run.finishedAt,
      model: run.runtime?.modelId ?? run.setup.model,
      dtype: run.runtime?.dtype ?? run.setup.dtype,
      backend: run.runtime?.backend,
      k: run.k,
      rows: run.rows,
    })),
  );
  downloadText(csv, exportFilename('runs', 'csv'), 'text/csv');
}

/** A run's column header: letter and name, what it was run with, and rename / remove. */
function RunHeader({ run, index }: { run: SavedRun; index: number }) {
  const [editing, setEditing] = useState<string | null>(null);
  const { rename, remove } = useRunHistory.getState();
  const shown = useShownRun((s) => s.id === run.id);
  const commit = () => {
    const name = editing?.trim();
    if (name) rename(run.id, name);
    setEditing(null);
  };
  return (
    <th scope="col" className="run-head" data-run={run.id}>
      <span className="run-letter">Run {letter(index)}</span>
      {editing === null ? (
        <span className="run-name" data-testid="run-name">
          {run.label}
        </span>
      ) : (
        <input
          className="run-rename"
          aria-label={`New name for run ${letter(index)}`}
          value={editing}
          // the user asked to rename: the field takes the focus
          // eslint-disable-next-line jsx-a11y/no-autofocus
          autoFocus
          onChange={(e) => setEditing(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'Escape') setEditing(null);
          }}
        />
      )}
      <span className="sub">{runDetails(run)}</span>
      {shown && (
        <span className="sub on-screen" data-testid="run-on-screen">
          the results on screen: follows the K slider
        </span>
      )}
      <span className="run-actions">
        <button
          type="button"
          className="secondary small"
          onClick={() => setEditing(run.label)}
          aria-label={`Rename run ${letter(index)} (${run.label})`}
        >
          Rename
        </button>
        <button
          type="button"
          className="secondary small"
          onClick={() => remove(run.id)}
          aria-label={`Remove run ${letter(index)} (${run.label}) from the comparison`}
          data-testid="remove-run"
        >
          Remove
        </button>
      </span>
    </th>
  );
}

function DeltaHeader({ what }: { what: string }) {
  return (
    <th scope="col" className="delta-head">
      Δ {what}, run B − run A
      <InfoTip term="deltaRuns" />
    </th>
  );
}

function MethodRow({ row, runs }: { row: MethodRunRow; runs: readonly SavedRun[] }) {
  return (
    <tr data-run-method={row.method}>
      <th scope="row">{row.label}</th>
      {row.cells.map((cell, i) => (
        <td key={runs[i].id} data-run={runs[i].id} className={cell?.mark ? 'best' : undefined}>
          {cell ? (
            <>
              <span className="figure">
                WGA <strong data-testid="run-wga">{pct(cell.worstGroupAccuracy)}</strong> <Mark mark={cell.mark} />
              </span>
              <span className="sub figure">
                accuracy <span data-testid="run-accuracy">{pct(cell.accuracy)}</span>, n = {cell.n}
              </span>
              <span className="sub">
                worst group: {groupLabel(cell.worstGroup.class, cell.worstGroup.attribute)} (n = {cell.worstGroup.n})
              </span>
            </>
          ) : (
            <span className="muted">not in this run</span>
          )}
        </td>
      ))}
      {runs.length === 2 && (
        <td data-testid="run-delta">
          {row.delta ? (
            <>
              <span className="figure">WGA {points(row.delta.worstGroupAccuracy)}</span>
              <span className="sub">accuracy {points(row.delta.accuracy)}</span>
            </>
          ) : (
            <span className="muted">needs both runs</span>
          )}
        </td>
      )}
    </tr>
  );
}

function GroupRow({ row, runs }: { row: GroupRunRow; runs: readonly SavedRun[] }) {
  return (
    <tr data-group={row.key}>
      <th scope="row">
        {groupLabel(row.class, row.attribute)}
        {row.otherClassNames.length > 0 && (
          <span className="sub">class also called {row.otherClassNames.map((n) => `“${n}”`).join(', ')}</span>
        )}
      </th>
      {row.cells.map((cell, i) => (
        <td key={runs[i].id} data-run={runs[i].id} className={cell?.mark ? 'best' : undefined}>
          {cell ? (
            <>
              <span className="figure">
                accuracy <strong>{pct(cell.accuracy)}</strong> <Mark mark={cell.mark} />
              </span>
              <span className="sub figure">
                {cell.correct} right of n = {cell.n}
              </span>
            </>
          ) : (
            <span className="muted">no images in this run</span>
          )}
        </td>
      ))}
      {runs.length === 2 && (
        <td>{row.delta === null ? <span className="muted">needs both runs</span> : points(row.delta)}</td>
      )}
    </tr>
  );
}

/**
 * The kept runs side by side (issue 13 §5): with one run, a hint to run again with another model or precision;
 * with two or more, one table of each method's WGA and accuracy per run, and a per-group table for one method.
 */
export function RunComparison() {
  const runs = useRunHistory((s) => s.runs);
  const data = useMemo(() => compareRuns(runs), [runs]);
  const [chosen, setChosen] = useState<MethodId>('sage');
  const method = data.methods.some((m) => m.method === chosen) ? chosen : (data.methods[0]?.method ?? chosen);
  const groups = useMemo(() => groupBreakdown(runs, method), [runs, method]);
  if (runs.length === 0) return null;
  if (runs.length === 1) {
    return (
      <section className="run-comparison" aria-labelledby="run-comparison-heading" data-testid="run-comparison-hint">
        <h3 id="run-comparison-heading">Compare runs</h3>
        <p className="muted">
          Kept for comparison: “{runs[0].label}”.{' '}
          {runs[0].source && runs[0].source.kind !== 'run'
            ? 'Open another bundle or report of the same images, or run them here with a model,'
            : 'Run again with another model or precision (or edited class strings)'}{' '}
          to compare: each run becomes a column here, its worst-group accuracy beside this one’s.
        </p>
      </section>
    );
  }
  const methodLabel = data.methods.find((m) => m.method === method)?.label ?? method;
  return (
    <section className="run-comparison" aria-labelledby="run-comparison-heading">
      <h3 id="run-comparison-heading">
        Compare runs ({runs.length})
        <InfoTip term="runsCompared" />
      </h3>
      {data.notes.map((note) => (
        <p className="note run-comparison-note" key={note} data-testid="run-comparison-note">
          {note}
        </p>
      ))}
      {/* outside the table: a caption would scroll sideways with the runs on a narrow screen */}
      <p className="run-table-about" id="run-comparison-about">
        Each method’s worst-group accuracy (WGA
        <InfoTip term="wga" />) and accuracy in each kept run. ★ marks the run with the best WGA in the row
        <InfoTip term="bestRun" />; n is the number of images
        <InfoTip term="n" />.
      </p>
      <div className="table-wrap run-comparison-wrap">
        <table
          className="run-table"
          data-testid="run-comparison"
          aria-labelledby="run-comparison-heading"
          aria-describedby="run-comparison-about"
        >
          <thead>
            <tr>
              <th scope="col">method</th>
              {runs.map((run, i) => (
                <RunHeader key={run.id} run={run} index={i} />
              ))}
              {runs.length === 2 && <DeltaHeader what="WGA" />}
            </tr>
          </thead>
          <tbody>
            {data.methods.map((row) => (
              <MethodRow key={row.method} row={row} runs={runs} />
            ))}
          </tbody>
        </table>
      </div>
      <div className="field run-group-method">
        <label htmlFor="run-group-method">per group, for the method</label>
        <select id="run-group-method" value={method} onChange={(e) => setChosen(e.target.value as MethodId)}>
          {data.methods.map((m) => (
            <option key={m.method} value={m.method}>
              {m.label}
            </option>
          ))}
        </select>
      </div>
      <p className="run-table-about" id="run-groups-about">
        {methodLabel}: accuracy on each class × attribute group in each run, with how many of the group’s n images it
        got right. ★ marks the best run for the group.
      </p>
      <div className="table-wrap run-comparison-wrap">
        <table className="run-table" data-testid="run-comparison-groups" aria-describedby="run-groups-about">
          <thead>
            <tr>
              <th scope="col">group</th>
              {runs.map((run, i) => (
                <th scope="col" key={run.id} className="run-head">
                  <span className="run-letter">Run {letter(i)}</span>
                  <span className="run-name">{run.label}</span>
                </th>
              ))}
              {runs.length === 2 && <DeltaHeader what="accuracy" />}
            </tr>
          </thead>
          <tbody>
            {groups.map((row) => (
              <GroupRow key={row.key} row={row} runs={runs} />
            ))}
          </tbody>
        </table>
      </div>
      <div className="button-row">
        <button
          type="button"
          className="secondary"
          onClick={() => downloadRunsCsv(runs)}
          data-testid="download-runs-csv"
        >
          Download the runs as CSV
        </button>
        <span className="muted">one row per run, method and group, with each run’s model, precision and date</span>
      </div>
    </section>
  );
}
