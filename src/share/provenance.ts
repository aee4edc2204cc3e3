/**
 * What produced an export: app version, model, dtype, backend and date. Recorded in every report,
 * CSV and PNG (issue 5 §5), in the same words everywhere. When the attribute column is CLIP's guess (issue 14's
 * discovery hand-off) rather than the images' own labels, the export says so too.
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
  /** set only when the attribute labels were inferred by CLIP: how (inferredAttributeNote) */
  attributes?: string;
}

/** How inferred attribute labels were made (results.inferred): from these words' presence tags, or the closest. */
export interface InferredAttributeSource {
  words: readonly string[];
  how: 'tags' | 'argmax';
}

/** "inferred from CLIP tags for the words water, grass (not the images' own labels)" */
export function inferredAttributeNote(source: InferredAttributeSource): string {
  const words = source.words.map(singleLine).join(', ');
  const how =
    source.how === 'tags'
      ? `inferred from CLIP tags for the word${source.words.length === 1 ? '' : 's'} ${words}`
      : `inferred as the closest of the words ${words} by CLIP`;
  return `${how} (not the images' own labels)`;
}

/** Backend label when results were computed from a dropped embedding bundle (no runtime of ours). */
export const BUNDLE_BACKEND = 'precomputed embeddings';

/** `config.inferred`: the results' inferred attribute (results.inferred), or null when the labels are the images' own. */
export function makeProvenance(
  config: Pick<ExplorerConfig, 'model' | 'dtype'> & { inferred?: InferredAttributeSource | null },
  runtime: RuntimeInfo | null,
  date: Date = new Date(),
  appVersion: string = APP_VERSION,
): Provenance {
  return {
    ...(config.inferred ? { attributes: inferredAttributeNote(config.inferred) } : {}),
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

/**
 * One line for a chart footer: `SAGE Explorer 0.1.0 · Xenova/clip-vit-base-patch32 · fp32 · wasm (2 threads) ·
 * 2026-11-23 14:07 UTC`, then `· attribute: inferred from CLIP tags for the word water (…)` when it was.
 */
export function provenanceLine(provenance: Provenance): string {
  const date = provenance.date.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
  const parts = [`${APP_NAME} ${provenance.appVersion}`, provenance.model, provenance.dtype, provenance.backend, date];
  if (provenance.attributes) parts.push(`attribute: ${provenance.attributes}`);
  return parts.map(singleLine).join(' · ');
}

/** Line breaks in a model id or note must not break a one-line footer or a CSV comment line. */
export function singleLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}
