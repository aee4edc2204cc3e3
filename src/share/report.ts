/**
 * The JSON report `sage-report/1`: everything needed to reopen a run in the full results view.
 *
 *   { format: "sage-report/1", appVersion, createdAt (ISO),
 *     config: ExplorerConfig, runtime: RuntimeInfo | null (null: results came from an embedding bundle),
 *     dataset: { classes, attributes, images: [{ id, class, attribute, thumbnail? }] },
 *     embeddings?: { dim, text, images, groupPrompts?, prompts? },          // base64 little-endian float32
 *     results: [{ config: MethodConfig, metrics: Metrics, kSelected,
 *                 predicted: number[N], scores: base64 f32 N×C, selected: base64 u16 N×kSelected,
 *                 parameters? (SPEC §7 methods: what they used and found; NaN written as null) }] }
 *
 * Decisions:
 * - `dataset.classes[c]` is the label images carry (`images[i].class`, usually the folder name) for class
 *   index c; `config.classes[c]` is the string inserted into templates. Same length, same order.
 * - Embeddings are optional. With them (image + text embeddings of `config.templates` × `config.classes`,
 *   template-major like the bundle) the report rebuilds an EmbeddingBundle (`reportToBundle`) and the
 *   whole results view works, K slider included. Without them the stored metrics and predictions are
 *   shown. Stored as base64 float32: exact, and ~4× smaller than decimal text.
 * - Metric NaNs (empty groups) are written as null (JSON has no NaN) and read back as NaN.
 * - Thumbnails must be `data:image/(png|jpeg|webp);base64,…` and small; anything else (a remote URL
 *   would make the page fetch it; SVG can carry script) is dropped with a warning.
 * - Every string in a report (class names, file names, notes) is data: the UI must render it as text,
 *   never as HTML.
 */
import {
  METHOD_IDS,
  type Aggregate,
  type EmbeddingBundle,
  type GroupPrompt,
  type GroupStats,
  type ImageRecord,
  type Interval,
  type MethodConfig,
  type MethodResult,
  type Metrics,
} from '../core/types';
import type { MethodParameter } from '../core/attributeMethods';
import type { BackendId, ExplorerConfig, RuntimeInfo } from '../core/config';
import { APP_VERSION } from './appVersion';
import { Base64Error, base64ToFloats, base64ToUint16, floatsToBase64, uint16ToBase64 } from '../core/base64';
import { AGGREGATES, CONFIG_LIMITS, DTYPES, validateExplorerConfig } from './configValidation';
import {
  describe,
  expectArray,
  expectBoolean,
  expectFiniteNumber,
  expectInteger,
  expectNumberOrNaN,
  expectOneOf,
  expectRecord,
  expectString,
  expectUnique,
  fail,
  isRecord,
  messageOf,
} from './fields';
import { migrateToCurrent, type Migrations } from './versioning';

export const REPORT_VERSION = 1;
export const REPORT_FORMAT = `sage-report/${REPORT_VERSION}` as const;

/** Older report versions → one step newer. Empty while v1 is the only version. */
export const REPORT_MIGRATIONS: Migrations = {};

export const REPORT_LIMITS = {
  images: 1_000_000,
  results: 64,
  dim: 8192,
  idLength: 4096,
  /** characters of one thumbnail data URL (~48 KB of image) */
  thumbnailChars: 65_536,
  notes: 100,
  /** extra text embeddings (attribute phrases, accept phrases) */
  prompts: 100_000,
} as const;

const BACKENDS: readonly BackendId[] = ['webgpu', 'wasm', 'node'];
const THUMBNAIL = /^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/]+={0,2}$/;

export interface ReportImage extends ImageRecord {
  /** small data:image URL, optional */
  thumbnail?: string;
}

export interface ReportDataset {
  /** the labels images carry, index-aligned with config.classes */
  classes: string[];
  attributes: string[];
  images: ReportImage[];
}

export interface ReportEmbeddings {
  dim: number;
  /** M·C rows of `dim`, template-major over config.templates × config.classes */
  text: Float32Array;
  /** N rows of `dim`, in dataset.images order */
  images: Float32Array;
  groupPrompts?: GroupPrompt[];
  /** extra text embeddings by exact text (issue 11: what the SPEC §7 methods need), as in the bundle */
  prompts?: { text: string; embedding: Float32Array }[];
}

export interface ReportResult extends MethodResult {
  metrics: Metrics;
  /** SPEC §7 methods: their recorded parameters (α per attribute, directions kept, λ, …) */
  parameters?: Record<string, MethodParameter>;
}

export interface SageReport {
  format: typeof REPORT_FORMAT;
  appVersion: string;
  /** ISO 8601 */
  createdAt: string;
  config: ExplorerConfig;
  /** null when results were computed from a dropped embedding bundle */
  runtime: RuntimeInfo | null;
  dataset: ReportDataset;
  embeddings?: ReportEmbeddings;
  results: ReportResult[];
}

export type ReportParseResult =
  { ok: true; report: SageReport; warnings: string[]; migratedFrom?: number } | { ok: false; error: string };
export type ReportBuildResult = { ok: true; report: SageReport; warnings: string[] } | { ok: false; error: string };

// ---------------------------------------------------------------- building

export interface BuildReportInput {
  config: ExplorerConfig;
  runtime: RuntimeInfo | null;
  dataset: { classes: readonly string[]; attributes: readonly string[]; images: readonly ImageRecord[] };
  /** image id → small data:image URL; only included when given */
  thumbnails?: ReadonlyMap<string, string>;
  embeddings?: ReportEmbeddings;
  results: readonly ReportResult[];
  createdAt?: Date;
  appVersion?: string;
}

/**
 * Assembles a report and checks it with the same rules a reader applies, so an export that would not
 * reopen is caught at export time. Never throws.
 */
export function buildReport(input: BuildReportInput): ReportBuildResult {
  try {
    const images: ReportImage[] = input.dataset.images.map((image) => {
      const thumbnail = input.thumbnails?.get(image.id);
      const record: ReportImage = { id: image.id, class: image.class, attribute: image.attribute };
      if (thumbnail !== undefined) record.thumbnail = thumbnail;
      return record;
    });
    const report: SageReport = {
      format: REPORT_FORMAT,
      appVersion: input.appVersion ?? APP_VERSION,
      createdAt: (input.createdAt ?? new Date()).toISOString(),
      config: input.config,
      runtime: input.runtime,
      dataset: { classes: [...input.dataset.classes], attributes: [...input.dataset.attributes], images },
      results: input.results.map((result) => ({ ...result })),
    };
    if (input.embeddings) report.embeddings = input.embeddings;
    // The reader's validation on the in-memory form (typed arrays are checked, not re-encoded):
    // one set of rules for writing and reading.
    const reread = parseReportValue(toReportJson(report, 'typed'));
    if (!reread.ok) return { ok: false, error: `cannot export this report: ${reread.error}` };
    return { ok: true, report, warnings: reread.warnings };
  } catch (e) {
    return { ok: false, error: `cannot export this report: ${messageOf(e)}` };
  }
}

/** The report as JSON text (compact; large arrays are base64). */
export function stringifyReport(report: SageReport): string {
  return JSON.stringify(toReportJson(report));
}

/** 'base64' is the file form; 'typed' keeps typed arrays in place so validation skips encoding. */
function toReportJson(report: SageReport, arrays: 'base64' | 'typed' = 'base64'): Record<string, unknown> {
  const floats = (values: Float32Array): string | Float32Array =>
    arrays === 'typed' ? values : floatsToBase64(values);
  const json: Record<string, unknown> = {
    format: report.format,
    appVersion: report.appVersion,
    createdAt: report.createdAt,
    config: report.config,
    runtime: report.runtime,
    dataset: report.dataset,
  };
  if (report.embeddings) {
    const { dim, text, images, groupPrompts, prompts } = report.embeddings;
    const embeddings: Record<string, unknown> = { dim, text: floats(text), images: floats(images) };
    if (groupPrompts) {
      embeddings.groupPrompts = groupPrompts.map((g) => ({
        class: g.class,
        attribute: g.attribute,
        prompt: g.prompt,
        embedding: floats(g.embedding),
      }));
    }
    if (prompts) embeddings.prompts = prompts.map((p) => ({ text: p.text, embedding: floats(p.embedding) }));
    json.embeddings = embeddings;
  }
  json.results = report.results.map((result) => {
    const entry: Record<string, unknown> = {
      config: result.config,
      metrics: result.metrics,
      kSelected: result.kSelected,
      predicted: arrays === 'typed' ? result.predicted : Array.from(result.predicted),
      scores: floats(result.scores),
      selected: arrays === 'typed' ? result.selected : uint16ToBase64(result.selected),
    };
    if (result.parameters) entry.parameters = result.parameters;
    return entry;
  });
  return json;
}

// ---------------------------------------------------------------- reading

export interface ParseReportOptions {
  /** for tests of the migration hook; defaults to REPORT_MIGRATIONS */
  migrations?: Migrations;
}

/** Parses and validates report JSON text. Never throws. */
export function parseReport(text: string, options: ParseReportOptions = {}): ReportParseResult {
  if (typeof text !== 'string') return { ok: false, error: `report: expected JSON text, got ${describe(text)}` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `this file is not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  return parseReportValue(value, options);
}

/** Validates an already-parsed JSON value. Never throws. */
export function parseReportValue(value: unknown, options: ParseReportOptions = {}): ReportParseResult {
  try {
    if (!isRecord(value)) return { ok: false, error: `report: expected a JSON object, got ${describe(value)}` };
    const format = value.format;
    const version = typeof format === 'string' ? /^sage-report\/(\d{1,9})$/.exec(format) : null;
    if (!version) {
      if (typeof format === 'string' && format.startsWith('sage-embeddings/')) {
        return {
          ok: false,
          error: `this is an embedding bundle (${format}), not a report: drop it as embeddings to open it`,
        };
      }
      return {
        ok: false,
        error: `format: expected "${REPORT_FORMAT}", got ${describe(format)}; this is not a SAGE Explorer report`,
      };
    }
    const migrated = migrateToCurrent(
      value,
      Number(version[1]),
      REPORT_VERSION,
      options.migrations ?? REPORT_MIGRATIONS,
      'report',
      (v) => `sage-report/${v}`,
    );
    if (!migrated.ok) return migrated;
    const warnings: string[] = [];
    const report = readReport(migrated.payload, warnings);
    return migrated.migratedFrom === undefined
      ? { ok: true, report, warnings }
      : { ok: true, report, warnings, migratedFrom: migrated.migratedFrom };
  } catch (e) {
    return { ok: false, error: messageOf(e) };
  }
}

const TOP_KEYS = ['format', 'appVersion', 'createdAt', 'config', 'runtime', 'dataset', 'embeddings', 'results'];

function readReport(value: unknown, warnings: string[]): SageReport {
  const json = expectRecord(value, 'report');
  const appVersion = expectString(json.appVersion, 'appVersion', {
    maxLength: 64,
    nonEmpty: 'empty app version',
    noControl: true,
  });
  const createdAt = expectString(json.createdAt, 'createdAt', { maxLength: 64, noControl: true });
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(createdAt) || Number.isNaN(Date.parse(createdAt))) {
    fail('createdAt', `expected an ISO 8601 date, got ${describe(createdAt)}`);
  }
  const validated = validateExplorerConfig(json.config, 'config.');
  warnings.push(...validated.warnings);
  const config = validated.config;
  const runtime = json.runtime === null ? null : readRuntime(json.runtime);
  const dataset = readDataset(json.dataset, config, warnings);
  const report: SageReport = {
    format: REPORT_FORMAT,
    appVersion,
    createdAt,
    config,
    runtime,
    dataset,
    results: readResults(json.results, config, dataset, warnings),
  };
  if (json.embeddings !== undefined) report.embeddings = readEmbeddings(json.embeddings, config, dataset.images.length);
  for (const key of Object.keys(json)) if (!TOP_KEYS.includes(key)) warnings.push(`${key}: unknown field, ignored`);
  return report;
}

function readRuntime(value: unknown): RuntimeInfo {
  const json = expectRecord(value, 'runtime');
  const notes = expectArray(json.notes, 'runtime.notes', REPORT_LIMITS.notes).map((note, i) =>
    expectString(note, `runtime.notes[${i}]`, { maxLength: 2000 }),
  );
  return {
    backend: expectOneOf(json.backend, 'runtime.backend', BACKENDS),
    dtype: expectOneOf(json.dtype, 'runtime.dtype', DTYPES),
    threads: expectInteger(json.threads, 'runtime.threads', 0, 1024),
    modelId: expectString(json.modelId, 'runtime.modelId', {
      maxLength: CONFIG_LIMITS.modelLength,
      nonEmpty: 'empty model id',
      noControl: true,
    }),
    crossOriginIsolated: expectBoolean(json.crossOriginIsolated, 'runtime.crossOriginIsolated'),
    notes,
  };
}

function readDataset(value: unknown, config: ExplorerConfig, warnings: string[]): ReportDataset {
  const json = expectRecord(value, 'dataset');
  const label = { maxLength: CONFIG_LIMITS.stringLength, noControl: true };
  const classes = expectArray(json.classes, 'dataset.classes', CONFIG_LIMITS.classes).map((c, i) =>
    expectString(c, `dataset.classes[${i}]`, { ...label, nonEmpty: 'empty class label' }),
  );
  if (classes.length !== config.classes.length) {
    fail(
      'dataset.classes',
      `expected ${config.classes.length} labels (one per config.classes entry), got ${classes.length}`,
    );
  }
  expectUnique(classes, 'dataset.classes', 'class label');
  const attributes = expectArray(json.attributes, 'dataset.attributes', CONFIG_LIMITS.attributes).map((a, i) =>
    expectString(a, `dataset.attributes[${i}]`, label),
  );
  expectUnique(attributes, 'dataset.attributes', 'attribute');
  const classSet = new Set(classes);
  const attributeSet = new Set(attributes);
  const ids = new Map<string, number>();
  let dropped = 0;
  const images = expectArray(json.images, 'dataset.images', REPORT_LIMITS.images).map((item, i): ReportImage => {
    const field = `dataset.images[${i}]`;
    const record = expectRecord(item, field);
    const id = expectString(record.id, `${field}.id`, {
      maxLength: REPORT_LIMITS.idLength,
      nonEmpty: 'empty image id',
    });
    const first = ids.get(id);
    if (first !== undefined) fail(`${field}.id`, `duplicate of dataset.images[${first}].id ${describe(id)}`);
    ids.set(id, i);
    const cls = expectString(record.class, `${field}.class`, label);
    if (!classSet.has(cls)) fail(`${field}.class`, `${describe(cls)} is not one of dataset.classes`);
    const attribute = expectString(record.attribute, `${field}.attribute`, label);
    if (attribute !== '' && !attributeSet.has(attribute))
      fail(`${field}.attribute`, `${describe(attribute)} is not one of dataset.attributes`);
    const image: ReportImage = { id, class: cls, attribute };
    if (record.thumbnail !== undefined) {
      const thumbnail = record.thumbnail;
      if (
        typeof thumbnail === 'string' &&
        thumbnail.length <= REPORT_LIMITS.thumbnailChars &&
        THUMBNAIL.test(thumbnail)
      ) {
        image.thumbnail = thumbnail;
      } else {
        dropped++;
        if (dropped <= 3) warnings.push(`${field}.thumbnail: not a small data:image/png, jpeg or webp URL; ignored`);
      }
    }
    return image;
  });
  if (dropped > 3) warnings.push(`${dropped - 3} more thumbnails ignored for the same reason`);
  if (images.length === 0) fail('dataset.images', 'the report has no images');
  return { classes, attributes, images };
}

function readEmbeddings(value: unknown, config: ExplorerConfig, n: number): ReportEmbeddings {
  const json = expectRecord(value, 'embeddings');
  const dim = expectInteger(json.dim, 'embeddings.dim', 1, REPORT_LIMITS.dim);
  const m = config.templates.length;
  const c = config.classes.length;
  const text = readFloats(json.text, 'embeddings.text', m * c * dim, dim, 'text row');
  const images = readFloats(json.images, 'embeddings.images', n * dim, dim, 'image');
  const embeddings: ReportEmbeddings = { dim, text, images };
  if (json.groupPrompts !== undefined) {
    const limit = CONFIG_LIMITS.classes * Math.max(1, config.attributes.length);
    embeddings.groupPrompts = expectArray(json.groupPrompts, 'embeddings.groupPrompts', limit).map((item, i) => {
      const field = `embeddings.groupPrompts[${i}]`;
      const record = expectRecord(item, field);
      const text = { maxLength: CONFIG_LIMITS.stringLength * 3, noControl: true };
      return {
        class: expectString(record.class, `${field}.class`, text),
        attribute: expectString(record.attribute, `${field}.attribute`, text),
        prompt: expectString(record.prompt, `${field}.prompt`, text),
        embedding: readFloats(record.embedding, `${field}.embedding`, dim, dim, 'vector'),
      };
    });
  }
  if (json.prompts !== undefined) {
    const seen = new Set<string>();
    embeddings.prompts = expectArray(json.prompts, 'embeddings.prompts', REPORT_LIMITS.prompts).map((item, i) => {
      const field = `embeddings.prompts[${i}]`;
      const record = expectRecord(item, field);
      const text = expectString(record.text, `${field}.text`, {
        maxLength: CONFIG_LIMITS.stringLength * 3,
        nonEmpty: 'empty prompt text',
      });
      if (seen.has(text)) fail(`${field}.text`, `${describe(text)} is listed twice`);
      seen.add(text);
      return { text, embedding: readFloats(record.embedding, `${field}.embedding`, dim, dim, 'vector') };
    });
  }
  return embeddings;
}

/** A §7 result's recorded parameters: numbers (null = NaN), strings, or lists of either. */
function readParameters(value: unknown, field: string): Record<string, MethodParameter> {
  const json = expectRecord(value, field);
  const keys = Object.keys(json);
  if (keys.length > 64) fail(field, `expected at most 64 parameters, got ${keys.length}`);
  const parameters: Record<string, MethodParameter> = {};
  // JSON has no NaN: a file holds null; a report checked before writing still holds NaN
  const number = (v: unknown, at: string): number =>
    v === null || (typeof v === 'number' && Number.isNaN(v)) ? NaN : expectFiniteNumber(v, at);
  const text = (v: unknown, at: string): string =>
    expectString(v, at, { maxLength: CONFIG_LIMITS.stringLength * 3, noControl: true });
  for (const key of keys) {
    // names are identifiers ("alpha", "rejectDirections"); this also keeps "__proto__" off the object
    if (!/^[A-Za-z]\w{0,63}$/.test(key)) fail(field, `${describe(key)} is not a parameter name`);
    const at = `${field}.${key}`;
    const item = json[key];
    if (typeof item === 'string') parameters[key] = text(item, at);
    else if (typeof item === 'number' || item === null) parameters[key] = number(item, at);
    else {
      const list = expectArray(item, at, CONFIG_LIMITS.templates);
      parameters[key] = list.every((v) => typeof v === 'string')
        ? list.map((v, i) => text(v, `${at}[${i}]`))
        : list.map((v, i) => number(v, `${at}[${i}]`));
    }
  }
  return parameters;
}

/** Base64 text from a file, or a Float32Array when validating a report about to be written. */
function readFloats(value: unknown, field: string, length: number, rowLength: number, rowName: string): Float32Array {
  let values: Float32Array;
  if (value instanceof Float32Array) {
    if (value.length !== length) fail(field, `expected ${length} float32 values, got ${value.length}`);
    values = value;
  } else {
    if (typeof value !== 'string') fail(field, `expected base64 float32 text, got ${describe(value)}`);
    values = decodeOrFail(base64ToFloats, value, field);
    if (values.length !== length) fail(field, `expected ${length} float32 values, got ${values.length}`);
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      fail(
        field,
        `${rowName} ${Math.floor(i / rowLength)}, component ${i % rowLength}: ${values[i]} is not a finite number`,
      );
    }
  }
  return values;
}

function readResults(
  value: unknown,
  config: ExplorerConfig,
  dataset: ReportDataset,
  warnings: string[],
): ReportResult[] {
  const n = dataset.images.length;
  const c = config.classes.length;
  const m = config.templates.length;
  const classIndex = new Map(dataset.classes.map((label, i) => [label, i]));
  const truth = Int32Array.from(dataset.images, (image) => classIndex.get(image.class) ?? -1);
  const results = expectArray(value, 'results', REPORT_LIMITS.results);
  return results.map((item, r) => {
    const field = `results[${r}]`;
    const json = expectRecord(item, field);
    const methodConfig = readMethodConfig(json.config, `${field}.config`, m);
    const kSelected = expectInteger(json.kSelected, `${field}.kSelected`, 0, m);
    const predictedList =
      json.predicted instanceof Int32Array
        ? json.predicted
        : expectArray(json.predicted, `${field}.predicted`, REPORT_LIMITS.images);
    if (predictedList.length !== n)
      fail(`${field}.predicted`, `expected ${n} predictions (one per image), got ${predictedList.length}`);
    const predicted = new Int32Array(n);
    let correct = 0;
    for (let i = 0; i < n; i++) {
      predicted[i] = expectInteger(predictedList[i], `${field}.predicted[${i}]`, 0, c - 1);
      if (predicted[i] === truth[i]) correct++;
    }
    const scores = readFloats(json.scores, `${field}.scores`, n * c, c, 'image');
    const selected = readSelected(json.selected, `${field}.selected`, n * kSelected);
    for (let i = 0; i < selected.length; i++) {
      if (selected[i] >= m) {
        fail(
          `${field}.selected`,
          `image ${Math.floor(i / kSelected)}, pick ${i % kSelected}: template ${selected[i]} does not exist (the pool has ${m})`,
        );
      }
    }
    const metrics = readMetrics(json.metrics, `${field}.metrics`, dataset);
    if (metrics.n !== n)
      warnings.push(
        `${field}.metrics.n: ${metrics.n}, but the report has ${n} images; the stored metrics may have been edited`,
      );
    if (metrics.correct !== correct) {
      warnings.push(
        `${field}.metrics.correct: ${metrics.correct}, but the stored predictions give ${correct}; the stored metrics may have been edited`,
      );
    }
    const result: ReportResult = { config: methodConfig, predicted, scores, selected, kSelected, metrics };
    if (json.parameters !== undefined) result.parameters = readParameters(json.parameters, `${field}.parameters`);
    return result;
  });
}

function readSelected(value: unknown, field: string, length: number): Uint16Array {
  if (value instanceof Uint16Array) {
    if (value.length !== length) fail(field, `expected ${length} uint16 values, got ${value.length}`);
    return value;
  }
  if (typeof value !== 'string') fail(field, `expected base64 uint16 text, got ${describe(value)}`);
  const values = decodeOrFail(base64ToUint16, value, field);
  if (values.length !== length) fail(field, `expected ${length} uint16 values, got ${values.length}`);
  return values;
}

function decodeOrFail<T>(decode: (text: string) => T, text: string, field: string): T {
  try {
    return decode(text);
  } catch (e) {
    if (e instanceof Base64Error) fail(field, e.message);
    throw e;
  }
}

function readMethodConfig(value: unknown, field: string, m: number): MethodConfig {
  const json = expectRecord(value, field);
  const method = expectOneOf(json.method, `${field}.method`, METHOD_IDS);
  const aggregate = (): Aggregate => expectOneOf(json.aggregate, `${field}.aggregate`, AGGREGATES);
  const k = (): number => expectInteger(json.k, `${field}.k`, 1, m);
  switch (method) {
    case 'zeroshot':
      return { method, template: expectInteger(json.template, `${field}.template`, 0, m - 1) };
    case 'ensemble':
      return { method, aggregate: aggregate() };
    case 'random':
      return {
        method,
        k: k(),
        seed: expectInteger(json.seed, `${field}.seed`, 0, CONFIG_LIMITS.seedMax),
        aggregate: aggregate(),
      };
    case 'sage':
      return { method, k: k(), aggregate: aggregate() };
    case 'groupprompt':
      return { method };
    case 'roboshot':
    case 'tiestar':
    case 'tie':
    case 'orthproj':
    case 'orthcali':
      return readAttributeMethodConfig(json, field, method, m);
  }
}

/** SPEC §7 method configs: zero-shot template, phrasings, and each method's own settings. */
function readAttributeMethodConfig(
  json: Record<string, unknown>,
  field: string,
  method: 'roboshot' | 'tiestar' | 'tie' | 'orthproj' | 'orthcali',
  m: number,
): MethodConfig {
  const text = (value: unknown, at: string): string =>
    expectString(value, at, { maxLength: CONFIG_LIMITS.stringLength, noControl: true });
  const template = expectInteger(json.template, `${field}.template`, 0, m - 1);
  const phrasings = expectArray(json.phrasings, `${field}.phrasings`, CONFIG_LIMITS.templates).map((p, i) =>
    text(p, `${field}.phrasings[${i}]`),
  );
  switch (method) {
    case 'roboshot': {
      const accept = expectArray(json.accept, `${field}.accept`, CONFIG_LIMITS.templates).map(
        (pair, i): [string, string] => {
          const at = `${field}.accept[${i}]`;
          const parts = expectArray(pair, at, 2);
          if (parts.length !== 2) fail(at, 'expected two phrases');
          return [text(parts[0], `${at}[0]`), text(parts[1], `${at}[1]`)];
        },
      );
      return { method, template, phrasings, accept };
    }
    case 'tiestar':
    case 'tie':
      return { method, template, phrasings };
    case 'orthproj':
      return {
        method,
        template,
        phrasings,
        groupPromptPattern: text(json.groupPromptPattern, `${field}.groupPromptPattern`),
      };
    case 'orthcali':
      return {
        method,
        template,
        phrasings,
        groupPromptPattern: text(json.groupPromptPattern, `${field}.groupPromptPattern`),
        lambda: expectFiniteNumber(json.lambda, `${field}.lambda`, 0),
      };
  }
}

function readInterval(value: unknown, field: string): Interval {
  const json = expectRecord(value, field);
  return {
    low: expectFiniteNumber(json.low, `${field}.low`, 0, 1),
    high: expectFiniteNumber(json.high, `${field}.high`, 0, 1),
  };
}

function readGroup(value: unknown, field: string, dataset: ReportDataset): GroupStats {
  const json = expectRecord(value, field);
  const cls = expectString(json.class, `${field}.class`, { maxLength: CONFIG_LIMITS.stringLength });
  if (!dataset.classes.includes(cls)) fail(`${field}.class`, `${describe(cls)} is not one of dataset.classes`);
  const attribute = expectString(json.attribute, `${field}.attribute`, { maxLength: CONFIG_LIMITS.stringLength });
  const n = expectInteger(json.n, `${field}.n`, 0, REPORT_LIMITS.images);
  return {
    class: cls,
    attribute,
    n,
    correct: expectInteger(json.correct, `${field}.correct`, 0, n),
    accuracy: expectNumberOrNaN(json.accuracy, `${field}.accuracy`, 0, 1),
    ci95: readInterval(json.ci95, `${field}.ci95`),
  };
}

function readMetrics(value: unknown, field: string, dataset: ReportDataset): Metrics {
  const json = expectRecord(value, field);
  const n = expectInteger(json.n, `${field}.n`, 0, REPORT_LIMITS.images);
  const groupLimit = dataset.classes.length * (dataset.attributes.length + 1);
  const metrics: Metrics = {
    n,
    correct: expectInteger(json.correct, `${field}.correct`, 0, n),
    accuracy: expectNumberOrNaN(json.accuracy, `${field}.accuracy`, 0, 1),
    accuracyCi95: readInterval(json.accuracyCi95, `${field}.accuracyCi95`),
    worstGroupAccuracy: expectNumberOrNaN(json.worstGroupAccuracy, `${field}.worstGroupAccuracy`, 0, 1),
    worstGroup: readGroup(json.worstGroup, `${field}.worstGroup`, dataset),
    balancedAccuracy: expectNumberOrNaN(json.balancedAccuracy, `${field}.balancedAccuracy`, 0, 1),
    gap: expectNumberOrNaN(json.gap, `${field}.gap`, -1, 1),
    harmonicMean: expectNumberOrNaN(json.harmonicMean, `${field}.harmonicMean`, 0, 1),
    groups: expectArray(json.groups, `${field}.groups`, groupLimit).map((g, i) =>
      readGroup(g, `${field}.groups[${i}]`, dataset),
    ),
  };
  if (json.adjustedAccuracy !== undefined) {
    metrics.adjustedAccuracy = expectNumberOrNaN(json.adjustedAccuracy, `${field}.adjustedAccuracy`, 0, 1);
  }
  return metrics;
}

// ---------------------------------------------------------------- reopening

/**
 * The embedding bundle a report carries, for the full results view (K slider, separation charts,
 * embedding map). null when the report was saved without embeddings. Image labels are mapped to the
 * class strings (config.classes), the bundle's convention.
 */
export function reportToBundle(report: SageReport): EmbeddingBundle | null {
  const embeddings = report.embeddings;
  if (!embeddings) return null;
  const toClassString = new Map(report.dataset.classes.map((label, i) => [label, report.config.classes[i]]));
  const bundle: EmbeddingBundle = {
    format: 'sage-embeddings/1',
    model: report.runtime?.modelId ?? report.config.model,
    dim: embeddings.dim,
    classes: [...report.config.classes],
    templates: [...report.config.templates],
    text: embeddings.text,
    images: report.dataset.images.map((image) => ({
      id: image.id,
      class: toClassString.get(image.class) ?? image.class,
      attribute: image.attribute,
    })),
    imageEmbeddings: embeddings.images,
    meta: { source: 'sage-report', appVersion: report.appVersion, createdAt: report.createdAt },
  };
  if (embeddings.groupPrompts) bundle.groupPrompts = embeddings.groupPrompts;
  if (embeddings.prompts) bundle.prompts = embeddings.prompts;
  if (report.runtime)
    Object.assign(bundle.meta ?? {}, { backend: report.runtime.backend, dtype: report.runtime.dtype });
  return bundle;
}
