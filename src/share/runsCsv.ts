/**
 * The runs-compared table as CSV (issue 13 §5): long format, one row per run × method × (class, attribute) group,
 * so `pd.read_csv(path)` and a pivot give any side-by-side view. The same format rules as the other exports
 * (csv.ts): RFC 4180, text cells guarded against formula injection, and the provenance columns app, model,
 * dtype, backend, date last — here per row, since each run has its own model, precision, backend and time.
 */
import type { Metrics } from '../core/types';
import { APP_NAME, APP_VERSION } from './appVersion';
import { csvNumber, csvText } from './csv';
import { singleLine } from './provenance';

/** What the CSV needs of a kept run (state's SavedRun, in the share layer's own terms). */
export interface RunForCsv {
  label: string;
  /** ISO time the run finished */
  finishedAt: string;
  model?: string;
  dtype?: string;
  backend?: string;
  k: number;
  rows: readonly { method: string; label: string; metrics: Metrics }[];
}

const HEADER = [
  'run',
  'run_label',
  'method',
  'k',
  'class',
  'attribute',
  'n',
  'correct',
  'accuracy',
  'ci95_low',
  'ci95_high',
  'method_accuracy',
  'method_worst_group_accuracy',
  'app',
  'model',
  'dtype',
  'backend',
  'date',
];

/** Runs are lettered as on screen (A, B, …) in the `run` column; `run_label` is the name the user sees. */
export function runsCsv(runs: readonly RunForCsv[], appVersion: string = APP_VERSION): string {
  const lines = [HEADER.join(',')];
  runs.forEach((run, i) => {
    const provenance = [
      `${APP_NAME} ${appVersion}`,
      run.model ?? '',
      run.dtype ?? '',
      run.backend ?? '',
      run.finishedAt,
    ];
    for (const row of run.rows) {
      for (const group of row.metrics.groups) {
        lines.push(
          [
            csvText(String.fromCharCode(65 + i)),
            csvText(singleLine(run.label)),
            csvText(row.method),
            csvNumber(run.k),
            csvText(group.class),
            csvText(group.attribute),
            csvNumber(group.n),
            csvNumber(group.correct),
            csvNumber(group.accuracy),
            csvNumber(group.ci95.low),
            csvNumber(group.ci95.high),
            csvNumber(row.metrics.accuracy),
            csvNumber(row.metrics.worstGroupAccuracy),
            ...provenance.map((value) => csvText(singleLine(value))),
          ].join(','),
        );
      }
    }
  });
  return lines.join('\r\n') + '\r\n';
}
