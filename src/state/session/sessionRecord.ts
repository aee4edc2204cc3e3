/**
 * The saved session (issue 13 §5, "work that lasts"): what is written to IndexedDB and read back after a
 * reload. Pure: building, checking (valibot) and describing the record; the database is sessionDb.ts, the
 * saving and restoring is session.ts.
 *
 * Two values, written in one transaction:
 * - the record (key 'session', small, rewritten on every change): per image a reference — path (the id), SHA-256
 *   of the file, size, class folder, attribute folder, split — never the pixels; class strings, attribute words,
 *   templates, the group-prompt pattern; the results' description (model, source, the setup that produced them,
 *   runtime, view settings: method, K, aggregate, seed, zero-shot template); the runs kept side by side.
 * - the results (key 'results', rewritten only when the results themselves change, not on a K change): the
 *   current results as a sage-embeddings bundle with its Float32Arrays stored as they are (structured clone,
 *   no JSON text). Above RESULTS_BYTE_CAP they are not stored and the record says so.
 *
 * Everything read back is checked: a record of another format or a damaged one is discarded with a note, never
 * trusted. The two values carry one `resultsId`, so results from another save are never paired with a record.
 */
import * as v from 'valibot';
import { METHOD_IDS, type EmbeddingBundle, type GroupPrompt, type ImageRecord } from '../../core';
import { check, oneOf, pathText } from '../../core/schemaErrors';
import type { RuntimeInfo } from '../../core/config';
import type { ResultsSourceKind, ViewParams } from '../results';
import type { SavedRun } from '../runHistory';
import type { SetupSnapshot } from '../staleness';
import type { ImageSplit } from '../ingest/layout';

export const SESSION_FORMAT = 'sage-session/1';

/**
 * Results whose embeddings (images, prompts) take more bytes than this are not kept: IndexedDB copies the
 * value on the page's thread when it is written, and browsers give a site a limited share of the disk.
 */
export const RESULTS_BYTE_CAP = 200 * 1024 * 1024;

/** One image of the dataset, without its pixels: enough to re-attach the file later and give back its labels. */
export interface ImageReference {
  /** the path it was dropped with (the dataset's id) */
  id: string;
  /** SHA-256 of the file bytes, hex: a re-dropped file is matched by it, whatever its name now */
  sha256: string;
  size: number;
  classFolder: string;
  attributeFolder: string;
  split?: ImageSplit;
}

export interface SessionDataset {
  sourceLabel: string;
  images: ImageReference[];
  classText: Record<string, string>;
  attributeText: Record<string, string>;
  templates: string[];
  groupPromptPattern: string;
}

export interface SessionResultsMeta {
  /** the stored results with the same id belong to this record */
  resultsId: string;
  /** ISO time these results were first saved (shortly after they were made) */
  madeAt: string;
  sourceKind: ResultsSourceKind;
  sourceLabel: string;
  model: string;
  images: number;
  classes: number;
  producedBy: SetupSnapshot | null;
  runtime: RuntimeInfo | null;
  view: ViewParams;
  /** bytes of the embeddings; above RESULTS_BYTE_CAP they were not stored (`stored` false) */
  bytes: number;
  stored: boolean;
  /** the kept run (runHistory) these results are, so Compare runs marks it "on screen" again after a restore */
  shownRunId?: string;
}

export interface SessionRecord {
  format: typeof SESSION_FORMAT;
  savedAt: string;
  dataset: SessionDataset;
  results: SessionResultsMeta | null;
  runs: SavedRun[];
}

/** The results' embeddings as stored: a sage-embeddings bundle's fields, Float32Arrays as they are. */
export interface StoredResults {
  resultsId: string;
  model: string;
  dim: number;
  classes: string[];
  templates: string[];
  text: Float32Array;
  images: ImageRecord[];
  imageEmbeddings: Float32Array;
  groupPrompts: GroupPrompt[];
  prompts: { text: string; embedding: Float32Array }[];
}

// ------------------------------------------------------------------------------------------ building

/** A Float32Array with its own buffer of exactly its length: structured clone copies a view's whole buffer. */
function ownBuffer(values: Float32Array): Float32Array {
  return values.byteOffset === 0 && values.byteLength === values.buffer.byteLength ? values : values.slice();
}

/** Bytes the bundle's embeddings take. */
export function embeddingBytes(bundle: EmbeddingBundle): number {
  let floats = bundle.text.length + bundle.images.length * bundle.dim;
  for (const g of bundle.groupPrompts ?? []) floats += g.embedding.length;
  for (const p of bundle.prompts ?? []) floats += p.embedding.length;
  return floats * 4;
}

/** The bundle as stored; null when its embeddings are above the cap. */
export function storedResultsOf(bundle: EmbeddingBundle, resultsId: string): StoredResults | null {
  if (embeddingBytes(bundle) > RESULTS_BYTE_CAP) return null;
  return {
    resultsId,
    model: bundle.model,
    dim: bundle.dim,
    classes: [...bundle.classes],
    templates: [...bundle.templates],
    text: ownBuffer(bundle.text),
    images: bundle.images.map((r) => ({ ...r })),
    imageEmbeddings: ownBuffer(bundle.imageEmbeddings.subarray(0, bundle.images.length * bundle.dim)),
    groupPrompts: (bundle.groupPrompts ?? []).map((g) => ({ ...g, embedding: ownBuffer(g.embedding) })),
    prompts: (bundle.prompts ?? []).map((p) => ({ text: p.text, embedding: ownBuffer(p.embedding) })),
  };
}

/** The stored results as a bundle for the results store. */
export function bundleOf(stored: StoredResults): EmbeddingBundle {
  return {
    format: 'sage-embeddings/1',
    model: stored.model,
    dim: stored.dim,
    classes: stored.classes,
    templates: stored.templates,
    text: stored.text,
    images: stored.images,
    imageEmbeddings: stored.imageEmbeddings,
    groupPrompts: stored.groupPrompts.length > 0 ? stored.groupPrompts : undefined,
    prompts: stored.prompts.length > 0 ? stored.prompts : undefined,
  };
}

/** The note for results too large to keep. */
export function tooLargeNote(bytes: number): string {
  return `The results' embeddings (${Math.round(bytes / 1024 ** 2)} MB) are too large to keep in this browser (at most ${Math.round(RESULTS_BYTE_CAP / 1024 ** 2)} MB), so they were not saved: after a reload, run again or open an exported embeddings bundle.`;
}

// ------------------------------------------------------------------------------------------ checking

/** Any number, NaN included: metrics of a group without images are NaN. */
const anyNumber = v.custom<number>((x) => typeof x === 'number', 'should be a number');
const string = v.string();
const stringRecord = v.record(v.string(), v.string());
const float32 = v.instance(Float32Array, 'should be a list of 32-bit numbers');
const split = oneOf(['train', 'val', 'test'] as const);

const imageReference = v.object({
  id: string,
  sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'should be a SHA-256 in hex')),
  size: v.pipe(v.number(), v.integer(), v.minValue(0)),
  classFolder: string,
  attributeFolder: string,
  split: v.optional(split),
});

const setupSnapshot = v.object({
  classes: v.array(string),
  attributes: v.array(string),
  templates: v.array(string),
  groupPromptPattern: v.optional(string),
  model: v.optional(string),
  dtype: v.optional(oneOf(['fp32', 'fp16', 'q8'] as const)),
  images: v.optional(v.array(string)),
});

const runtimeInfo = v.object({
  backend: oneOf(['webgpu', 'wasm', 'node'] as const),
  dtype: oneOf(['fp32', 'fp16', 'q8'] as const),
  threads: anyNumber,
  modelId: string,
  crossOriginIsolated: v.boolean(),
  notes: v.array(string),
});

const viewParams = v.object({
  method: oneOf(METHOD_IDS),
  k: v.pipe(v.number(), v.integer(), v.minValue(1)),
  aggregate: oneOf(['embedding', 'score'] as const),
  seed: v.pipe(v.number(), v.integer()),
  zeroshotTemplate: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

const interval = v.object({ low: anyNumber, high: anyNumber });
const groupStats = v.object({
  class: string,
  attribute: string,
  n: anyNumber,
  correct: anyNumber,
  accuracy: anyNumber,
  ci95: interval,
});
const metrics = v.object({
  n: anyNumber,
  correct: anyNumber,
  accuracy: anyNumber,
  accuracyCi95: interval,
  worstGroupAccuracy: anyNumber,
  worstGroup: groupStats,
  balancedAccuracy: anyNumber,
  adjustedAccuracy: v.optional(anyNumber),
  gap: anyNumber,
  harmonicMean: anyNumber,
  groups: v.array(groupStats),
});
// loose: fields the run history adds later survive a save and restore
const savedRun = v.looseObject({
  id: string,
  label: string,
  finishedAt: string,
  setup: setupSnapshot,
  runtime: v.nullable(runtimeInfo),
  k: anyNumber,
  rows: v.array(v.looseObject({ method: oneOf(METHOD_IDS), label: string, metrics })),
});

const resultsMeta = v.object({
  resultsId: string,
  madeAt: string,
  sourceKind: oneOf(['run', 'bundle', 'report'] as const),
  sourceLabel: string,
  model: string,
  images: v.number(),
  classes: v.number(),
  producedBy: v.nullable(setupSnapshot),
  runtime: v.nullable(runtimeInfo),
  view: viewParams,
  bytes: v.number(),
  stored: v.boolean(),
  shownRunId: v.optional(string),
});

const sessionRecord = v.object({
  format: v.literal(SESSION_FORMAT, `should be "${SESSION_FORMAT}"`),
  savedAt: string,
  dataset: v.object({
    sourceLabel: string,
    images: v.array(imageReference),
    classText: stringRecord,
    attributeText: stringRecord,
    templates: v.array(string),
    groupPromptPattern: string,
  }),
  results: v.nullable(resultsMeta),
  runs: v.array(savedRun),
});

const storedResults = v.object({
  resultsId: string,
  model: string,
  dim: v.pipe(v.number(), v.integer(), v.minValue(1)),
  classes: v.array(string),
  templates: v.array(string),
  text: float32,
  images: v.array(v.object({ id: string, class: string, attribute: string, split: v.optional(split) })),
  imageEmbeddings: float32,
  groupPrompts: v.array(v.object({ class: string, attribute: string, prompt: string, embedding: float32 })),
  prompts: v.array(v.object({ text: string, embedding: float32 })),
});

export type Parsed<T> = { ok: true; value: T } | { ok: false; note: string };

const DISCARDED = 'Your last session could not be restored and was discarded';

/** The record read back, or why it is discarded (another format, a damaged field). */
export function parseSessionRecord(input: unknown): Parsed<SessionRecord> {
  const format = typeof input === 'object' && input !== null ? (input as { format?: unknown }).format : undefined;
  if (format !== SESSION_FORMAT)
    return {
      ok: false,
      note: `${DISCARDED}: it was saved by ${typeof format === 'string' ? `another version of the app (${format})` : 'something else'}.`,
    };
  const checked = check(sessionRecord, input);
  if (!checked.ok)
    return { ok: false, note: `${DISCARDED}: its ${pathText(checked.problem.path)} ${checked.problem.text}.` };
  return { ok: true, value: checked.value as SessionRecord };
}

/** The stored results read back for `meta`, with every array the length its counts require. */
export function parseStoredResults(input: unknown, meta: SessionResultsMeta): Parsed<StoredResults> {
  const unusable = (why: string): Parsed<StoredResults> => ({
    ok: false,
    note: `The saved results could not be restored (${why}); run again to get them back.`,
  });
  if (input === undefined) return unusable('they are missing from this browser’s storage');
  const checked = check(storedResults, input);
  if (!checked.ok) return unusable(`their ${pathText(checked.problem.path)} ${checked.problem.text}`);
  const stored = checked.value;
  if (stored.resultsId !== meta.resultsId) return unusable('they belong to another save');
  const { dim } = stored;
  if (stored.text.length !== stored.templates.length * stored.classes.length * dim)
    return unusable('the prompt embeddings do not match the templates and classes');
  if (stored.imageEmbeddings.length !== stored.images.length * dim)
    return unusable('the image embeddings do not match the images');
  if ([...stored.groupPrompts, ...stored.prompts].some((p) => p.embedding.length !== dim))
    return unusable('a prompt embedding has the wrong length');
  return { ok: true, value: stored };
}

// ------------------------------------------------------------------------------------------ describing

function classCount(dataset: SessionDataset): number {
  return new Set(dataset.images.map((i) => i.classFolder).filter((c) => c !== '')).size;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "10:42" today, else "3 Dec, 10:42": when, in the user's clock. */
export function shortTime(iso: string, now = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return 'an unknown time';
  const time = at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return at.toDateString() === now.toDateString()
    ? time
    : `${at.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })}, ${time}`;
}

/** What the saved session holds, as the restore prompt lists it. */
export function describeSession(record: SessionRecord, now = new Date()): string[] {
  const lines: string[] = [];
  const { dataset, results, runs } = record;
  if (dataset.images.length > 0)
    lines.push(
      `${plural(dataset.images.length, 'image')} in ${plural(classCount(dataset), 'class', 'classes')}${dataset.sourceLabel ? ` (${dataset.sourceLabel})` : ''}, with your class strings and templates`,
    );
  if (results)
    lines.push(
      results.stored
        ? `results from ${results.model} on ${plural(results.images, 'image')}, made at ${shortTime(results.madeAt, now)}`
        : `the description of results from ${results.model} (${Math.round(results.bytes / 1024 ** 2)} MB of embeddings, too large to keep: run again after restoring)`,
    );
  if (runs.length > 0) lines.push(`${plural(runs.length, 'run')} kept side by side`);
  return lines;
}
