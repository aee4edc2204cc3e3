/**
 * What produced an export: app version, model, dtype, backend and date. Recorded in every report,
 * CSV and PNG (issue 5 §5), in the same words everywhere.
 */
import type { ExplorerConfig, RuntimeInfo } from '../core/config';
import { APP_NAME, APP_VERSION } from './appVersion';

export interface Provenance {
  appVersion: string;
  model: string;
  dtype: string;
  /** "wasm", "webgpu", "node", or a note when embeddings came from a bundle */
  backend: string;
  /** ISO 8601, UTC */
  date: string;
}

/** Backend label when results were computed from a dropped embedding bundle (no runtime of ours). */
export const BUNDLE_BACKEND = 'precomputed embeddings';

export function makeProvenance(
  config: Pick<ExplorerConfig, 'model' | 'dtype'>,
  runtime: RuntimeInfo | null,
  date: Date = new Date(),
  appVersion: string = APP_VERSION,
): Provenance {
  return {
    appVersion,
    model: runtime?.modelId ?? config.model,
    dtype: runtime?.dtype ?? config.dtype,
    backend: runtime
      ? `${runtime.backend}${runtime.backend === 'wasm' ? ` (${runtime.threads} threads)` : ''}`
      : BUNDLE_BACKEND,
    date: date.toISOString(),
  };
}

/** key/value pairs in a fixed order: the CSV provenance columns (key = column name) and report viewers. */
export function provenanceEntries(provenance: Provenance): [string, string][] {
  return [
    ['app', `${APP_NAME} ${provenance.appVersion}`],
    ['model', provenance.model],
    ['dtype', provenance.dtype],
    ['backend', provenance.backend],
    ['date', provenance.date],
  ];
}

/** One line for a chart footer: `SAGE Explorer 0.1.0 · Xenova/clip-vit-base-patch32 · fp32 · wasm (2 threads) · 2026-11-23 14:07 UTC`. */
export function provenanceLine(provenance: Provenance): string {
  const date = provenance.date.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
  return [`${APP_NAME} ${provenance.appVersion}`, provenance.model, provenance.dtype, provenance.backend, date]
    .map(singleLine)
    .join(' · ');
}

/** Line breaks in a model id or note must not break a one-line footer or a CSV comment line. */
export function singleLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}
