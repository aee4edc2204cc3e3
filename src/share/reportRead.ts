/**
 * Reading a `sage-report/1` (format in reportFormat.ts): the format gate and migrations, then valibot schemas for
 * each part (configuration, runtime, dataset, embeddings, results) built from what the earlier parts fixed (class
 * count, image count, template count), and the relations between them. Problems are sentences in the user's
 * words ("result 2 (sage): predictions: 23, expected one per image (24)"); never throws. Also reopens a report as
 * an embedding bundle (reportToBundle).
 */
import * as v from 'valibot';
import type { MethodParameter } from '../core/attributeMethods';
import { Base64Error, base64ToFloats, base64ToUint16 } from '../core/base64';
import type { BackendId, ExplorerConfig } from '../core/config';
import { AdapterError, parseAdapter } from '../core/adapterFormat';
import type { TrainedAdapter } from '../core/adapterTypes';
import { errorMessage } from '../core/errors';
import {
  check,
  describeValue,
  finiteNumber,
  list,
  nth,
  oneOf,
  plainObject,
  problemSentence,
  text,
  valueAt,
  wholeNumber,
  type FieldPath,
  type PlaceNames,
  statement,
  type SchemaProblem,
} from '../core/schemaErrors';
import { SPLITS, type EmbeddingBundle, type Metrics } from '../core/types';
import {
  AGGREGATES,
  CONFIG_LIMITS,
  DTYPES,
  checkExplorerConfig,
  configPlace,
  duplicateProblem,
} from './configValidation';
import {
  REPORT_FORMAT,
  REPORT_LIMITS,
  REPORT_MIGRATIONS,
  REPORT_VERSION,
  type ReportDataset,
  type ReportEmbeddings,
  type ReportImage,
  type ReportParseResult,
  type ReportResult,
  type ReportTraining,
  type SageReport,
} from './reportFormat';
import { migrateToCurrent, type Migrations } from './versioning';

const BACKENDS: readonly BackendId[] = ['webgpu', 'wasm', 'node'];
const THUMBNAIL = /^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/]+={0,2}$/;
const NOT_A_REPORT = 'this file is not a SAGE Explorer report';

// ---------------------------------------------------------------- places, in the user's words

const TOP_LEVEL: Record<string, string> = {
  format: 'format',
  appVersion: 'app version',
  createdAt: 'creation date',
  config: 'configuration',
  runtime: 'runtime',
  dataset: 'dataset',
  embeddings: 'embeddings',
  results: 'result list',
  training: 'trained adapter',
  machineCheck: 'machine check',
};

const METRIC_WORDS: Record<string, string> = {
  n: 'image count (n)',
  correct: 'correct count',
  accuracy: 'accuracy',
  accuracyCi95: 'accuracy interval',
  worstGroupAccuracy: 'worst-group accuracy',
  worstGroup: 'worst group',
  balancedAccuracy: 'balanced accuracy',
  gap: 'gap',
  harmonicMean: 'harmonic mean',
  adjustedAccuracy: 'adjusted accuracy',
  groups: 'group list',
  ci95: 'interval',
  low: 'low end',
  high: 'high end',
};

/** Words for the keys below each top-level part; '' = a level not worth naming ("result 2: K", not "config k"). */
const PART_WORDS: Record<string, Record<string, string>> = {
  runtime: { dtype: 'precision (dtype)', modelId: 'model id', crossOriginIsolated: 'cross-origin isolation' },
  dataset: {
    classes: 'class label list',
    attributes: 'attribute list',
    attributeSource: 'note on how the attributes were inferred',
    images: 'image list',
  },
  embeddings: {
    dim: 'size (dim)',
    text: 'text embeddings',
    images: 'image embeddings',
    groupPrompts: 'group prompt list',
    prompts: 'prompt list',
  },
  results: {
    config: '',
    metrics: '',
    k: 'K',
    template: 'zero-shot template',
    seed: 'random seed',
    aggregate: 'aggregation',
    accept: 'accept pairs',
    groupPromptPattern: 'group prompt pattern',
    lambda: 'λ',
    predicted: 'predictions',
    selected: 'template picks',
    kSelected: 'number of picks',
    ...METRIC_WORDS,
  },
};

/** A list's item noun, and the key inside an item that names it. */
const LIST_ITEMS: Record<string, [string, string?]> = {
  notes: ['note'],
  classes: ['class label'],
  attributes: ['attribute'],
  images: ['image', 'id'],
  groupPrompts: ['group prompt', 'prompt'],
  prompts: ['prompt', 'text'],
  groups: ['group'],
  phrasings: ['phrasing'],
  accept: ['accept pair'],
};

/** The path below a top-level part in words: "image 4 (x.jpg): class", "group 1 (landbird/land) correct count". */
function partWords(top: string, rest: FieldPath, parent: unknown): string {
  const words = PART_WORDS[top] ?? {};
  const out: string[] = [];
  let value = parent;
  rest.forEach((key, i) => {
    value = valueAt(value, [key]);
    if (typeof key === 'string') {
      // a list followed by an index is named by its item ("group 1", not "group list group 1")
      if (typeof rest[i + 1] === 'number' && LIST_ITEMS[key]) return;
      const word = words[key] ?? key;
      // a level left unnamed in the middle of a path is still named when the problem is the level itself
      if (word !== '' || i === rest.length - 1) out.push(word || key);
      return;
    }
    const listKey = String(rest[i - 1]);
    const [noun, nameKey] = LIST_ITEMS[listKey] ?? ['item'];
    const name =
      listKey === 'groups'
        ? `${String(valueAt(value, ['class']))}/${String(valueAt(value, ['attribute']))}`
        : nameKey === undefined
          ? value
          : valueAt(value, [nameKey]);
    // an item with more path after it owns it: "image 4 (x.jpg): class"
    out.push(i < rest.length - 1 ? `${nth(noun, key, name)}:` : nth(noun, key, name));
  });
  return out.join(' ');
}

const REPORT_PLACES: PlaceNames = {
  notA: NOT_A_REPORT,
  place(path: FieldPath, root: unknown): string {
    const [top, second] = path;
    if (path.length === 0) return 'the file';
    const topWords = TOP_LEVEL[top] ?? String(top);
    if (second === undefined) return topWords;
    if (top === 'config') return `configuration: ${configPlace(path.slice(1), valueAt(root, ['config']))}`;
    if (top === 'results' && typeof second === 'number') {
      const result = valueAt(root, ['results', second]);
      const owner = nth('result', second, valueAt(result, ['config', 'method']));
      const rest = partWords('results', path.slice(2), result);
      return rest === '' ? owner : `${owner}: ${rest}`;
    }
    const rest = partWords(String(top), path.slice(1), valueAt(root, [top]));
    // dataset images are named on their own: "image 4 (x.jpg): class"
    return top === 'dataset' && second === 'images' && path.length > 2 ? rest : `${topWords}: ${rest}`;
  },
};

/** Thrown inside the reader with a problem and unwound by parseReportValue into a sentence. */
class ReportProblem extends Error {
  constructor(readonly problem: SchemaProblem) {
    super(problem.text);
  }
}

function fail(path: FieldPath, text: string, form: SchemaProblem['form'] = 'statement'): never {
  throw new ReportProblem({ path, text, form });
}

function checked<S extends v.GenericSchema>(schema: S, value: unknown, at: FieldPath): v.InferOutput<S> {
  const result = check(schema, value, at);
  if (!result.ok) throw new ReportProblem(result.problem);
  return result.value;
}

// ---------------------------------------------------------------- schema pieces

/** A metric that may legitimately be NaN (an empty group): JSON has no NaN, so null reads back as NaN. */
function rateOrNaN(min: number, max: number) {
  return v.pipe(
    v.custom<number | null>(
      (value) => value === null || typeof value === 'number',
      (issue) => `should be a number from ${min} to ${max}, but is ${describeValue(issue.input)}`,
    ),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const value = dataset.value;
      if (value === null || Number.isNaN(value)) return Number.NaN;
      if (!Number.isFinite(value) || value < min || value > max) {
        addIssue({ message: `should be a number from ${min} to ${max}, but is ${value}` });
        return NEVER;
      }
      return value;
    }),
  );
}

interface Packing<T extends Float32Array | Uint16Array> {
  /** "float32", "uint16" */
  name: string;
  is(value: unknown): value is T;
  decode(text: string): T;
}

const FLOAT32: Packing<Float32Array> = {
  name: 'float32',
  is: (value): value is Float32Array => value instanceof Float32Array,
  decode: base64ToFloats,
};

const UINT16: Packing<Uint16Array> = {
  name: 'uint16',
  is: (value): value is Uint16Array => value instanceof Uint16Array,
  decode: base64ToUint16,
};

/**
 * `length` packed values: base64 text in a file, or the typed array itself when a report about to be written is
 * checked (nothing is encoded twice). `problem` judges the values; `lengthNote` explains the expected length.
 */
function packed<T extends Float32Array | Uint16Array>(
  packing: Packing<T>,
  length: number,
  problem: (values: T) => string | null,
  lengthNote = '',
) {
  return v.pipe(
    v.custom<string | T>(
      (value) => typeof value === 'string' || packing.is(value),
      (issue) => `should be base64 ${packing.name} text, but is ${describeValue(issue.input)}`,
    ),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      let values: T;
      try {
        values = typeof dataset.value === 'string' ? packing.decode(dataset.value) : dataset.value;
      } catch (error) {
        if (!(error instanceof Base64Error)) throw error;
        addIssue({ message: statement(`not valid base64 (${error.message})`) });
        return NEVER;
      }
      const found =
        values.length === length
          ? problem(values)
          : `${values.length} ${packing.name} values, expected ${length}${lengthNote}`;
      if (found === null) return values;
      addIssue({ message: statement(found) });
      return NEVER;
    }),
  );
}

/** Float32 rows of `rowLength` (named `rowNoun` in messages), every value finite. Hot path: a plain loop. */
function floats(length: number, rowLength: number, rowNoun: string) {
  return packed(FLOAT32, length, (values) => {
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) {
        const where = `${rowNoun} ${Math.floor(i / rowLength) + 1}, number ${(i % rowLength) + 1}`;
        return `${values[i]} at ${where}; every value must be a finite number`;
      }
    }
    return null;
  });
}

const parameterValue = v.union(
  [
    text({ maxLength: CONFIG_LIMITS.stringLength * 3, noControl: true }),
    rateOrNaN(-Number.MAX_VALUE, Number.MAX_VALUE),
    v.array(text({ maxLength: CONFIG_LIMITS.stringLength * 3, noControl: true })),
    v.array(rateOrNaN(-Number.MAX_VALUE, Number.MAX_VALUE)),
  ],
  (issue) => `should be a number, a text, or a list of numbers or of texts, but is ${describeValue(issue.input)}`,
);

/** A §7 result's recorded parameters: names are identifiers, which also keeps "__proto__" off the object. */
const parametersSchema = v.pipe(
  v.custom<Record<string, unknown>>(
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    (issue) => `should be an object, but is ${describeValue(issue.input)}`,
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const keys = Object.keys(dataset.value);
    if (keys.length > REPORT_LIMITS.parameters) {
      addIssue({ message: `has ${keys.length} entries; at most ${REPORT_LIMITS.parameters}` });
      return;
    }
    const bad = keys.find((key) => !/^[A-Za-z]\w{0,63}$/.test(key));
    if (bad !== undefined) addIssue({ message: `have ${JSON.stringify(bad)}, which is not a parameter name` });
  }),
  v.record(v.string(), parameterValue),
);

const runtimeSchema = v.nullable(
  plainObject({
    backend: oneOf(BACKENDS),
    dtype: oneOf(DTYPES),
    threads: wholeNumber(0, 1024),
    modelId: text({ maxLength: CONFIG_LIMITS.modelLength, nonEmpty: true, noControl: true }),
    crossOriginIsolated: v.boolean(),
    notes: list(text({ maxLength: 2000 }), REPORT_LIMITS.notes),
  }),
);

const label = text({ maxLength: CONFIG_LIMITS.stringLength, noControl: true });

const datasetSchema = plainObject({
  classes: list(
    text({ maxLength: CONFIG_LIMITS.stringLength, nonEmpty: true, noControl: true }),
    CONFIG_LIMITS.classes,
  ),
  attributes: list(label, CONFIG_LIMITS.attributes),
  attributeSource: v.optional(text({ maxLength: 2000, noControl: true })),
  images: v.pipe(
    list(
      plainObject({
        id: text({ maxLength: REPORT_LIMITS.idLength, nonEmpty: true }),
        class: label,
        attribute: label,
        thumbnail: v.optional(v.unknown()),
      }),
      REPORT_LIMITS.images,
    ),
    v.minLength(1, 'is empty: the report has no images'),
  ),
});

const TOP_KEYS = [
  'format',
  'appVersion',
  'createdAt',
  'config',
  'runtime',
  'dataset',
  'embeddings',
  'results',
  'training',
  'machineCheck',
];

const topSchema = plainObject({
  appVersion: text({ maxLength: 64, nonEmpty: true, noControl: true }),
  createdAt: v.pipe(
    text({ maxLength: 64, noControl: true }),
    v.check(
      (value) => /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value) && !Number.isNaN(Date.parse(value)),
      (issue) => `should be an ISO 8601 date, but is ${describeValue(issue.input)}`,
    ),
  ),
  config: v.unknown(),
  runtime: v.unknown(),
  dataset: v.unknown(),
  embeddings: v.optional(v.unknown()),
  results: v.unknown(),
  training: v.optional(v.unknown()),
  machineCheck: v.optional(v.unknown()),
});

const machineCheckSchema = plainObject({
  model: text({ maxLength: CONFIG_LIMITS.modelLength, nonEmpty: true, noControl: true }),
  measuredAt: text({ maxLength: 64, noControl: true }),
  images: wholeNumber(0, 1_000_000),
  batchSize: wholeNumber(1, 1024),
  rows: list(
    plainObject({
      backend: oneOf(BACKENDS),
      dtype: oneOf(DTYPES),
      imagesPerSecond: v.nullable(finiteNumber(0)),
      fidelity: v.nullable(finiteNumber(-1, 1.000001)),
      problem: v.optional(text({ maxLength: 2000 })),
    }),
    24,
  ),
  recommended: v.nullable(plainObject({ backend: oneOf(BACKENDS), dtype: oneOf(DTYPES) })),
  applied: v.boolean(),
});

// ---------------------------------------------------------------- reading

export interface ParseReportOptions {
  /** for tests of the migration hook; defaults to REPORT_MIGRATIONS */
  migrations?: Migrations;
}

/** Parses and validates report JSON text. Never throws. */
export function parseReport(text: string, options: ParseReportOptions = {}): ReportParseResult {
  if (typeof text !== 'string')
    return { ok: false, error: `the report should be JSON text, but is ${describeValue(text)}` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `this file is not valid JSON (${errorMessage(e)})` };
  }
  return parseReportValue(value, options);
}

/** Validates an already-parsed JSON value. Never throws. */
export function parseReportValue(value: unknown, options: ParseReportOptions = {}): ReportParseResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: `${NOT_A_REPORT}: it should be a JSON object, but is ${describeValue(value)}` };
  }
  const format = (value as Record<string, unknown>).format;
  const version = typeof format === 'string' ? /^sage-report\/(\d{1,9})$/.exec(format) : null;
  if (!version) {
    if (typeof format === 'string' && format.startsWith('sage-embeddings/')) {
      return {
        ok: false,
        error: `this is an embedding bundle (${format}), not a report: drop it as embeddings to open it`,
      };
    }
    if (format === undefined) return { ok: false, error: `${NOT_A_REPORT}: it has no "format" field` };
    return { ok: false, error: `${NOT_A_REPORT}: its format is ${describeValue(format)}, expected "${REPORT_FORMAT}"` };
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
  const root = migrated.payload;
  const warnings: Warning[] = [];
  let report: SageReport;
  try {
    report = readReport(root, warnings);
  } catch (e) {
    if (e instanceof ReportProblem) return { ok: false, error: problemSentence(e.problem, REPORT_PLACES, root) };
    return { ok: false, error: `internal error while reading the report: ${errorMessage(e)}` };
  }
  const worded = warnings.map((w) => (w.path ? `${REPORT_PLACES.place(w.path, root)} ${w.text}` : w.text));
  return migrated.migratedFrom === undefined
    ? { ok: true, report, warnings: worded }
    : { ok: true, report, warnings: worded, migratedFrom: migrated.migratedFrom };
}

/** A warning, about the value at `path` when there is one (its place is named once the whole report is read). */
interface Warning {
  path?: FieldPath;
  text: string;
}

function readReport(root: unknown, warnings: Warning[]): SageReport {
  const top = checked(topSchema, root, []);
  const config = readConfig(top.config, warnings);
  const dataset = readDataset(top.dataset, config, warnings);
  const report: SageReport = {
    format: REPORT_FORMAT,
    appVersion: top.appVersion,
    createdAt: top.createdAt,
    config,
    runtime: checked(runtimeSchema, top.runtime, ['runtime']),
    dataset,
    results: readResults(top.results, config, dataset, warnings),
  };
  if (top.embeddings !== undefined) report.embeddings = readEmbeddings(top.embeddings, config, dataset.images.length);
  if (top.training !== undefined) report.training = readTraining(top.training, config, dataset.images.length);
  if (top.machineCheck !== undefined) {
    const machineCheck = checked(machineCheckSchema, top.machineCheck, ['machineCheck']);
    report.machineCheck = { ...machineCheck, rows: machineCheck.rows.map((row) => ({ ...row })) };
  }
  for (const key of Object.keys(root as object)) {
    if (!TOP_KEYS.includes(key)) warnings.push({ text: `unknown field ${JSON.stringify(key)} ignored` });
  }
  return report;
}

/** The fractions of a split made in the app: each ≥ 0, not all 0. */
const fractionSchema = finiteNumber(0);

function trainingSchema(n: number) {
  return plainObject({
    adapter: v.unknown(),
    settings: plainObject({
      variant: oneOf(['ls', 'vs'] as const),
      epochs: wholeNumber(1),
      templateCount: wholeNumber(1),
      optimizer: oneOf(['adam', 'sgd'] as const),
      seed: v.pipe(v.number(), v.integer('should be a whole number')),
    }),
    split: plainObject({
      origin: oneOf(['given', 'made'] as const),
      seed: v.pipe(v.number(), v.integer('should be a whole number')),
      fractions: v.pipe(
        plainObject({ train: fractionSchema, val: fractionSchema, test: fractionSchema }),
        v.check((f) => f.train + f.val + f.test > 0, 'are all 0: a split needs some images in it'),
      ),
      images: v.pipe(
        v.array(oneOf(SPLITS)),
        v.length(n, (issue) => `has ${String(issue.received)} entries, but the report has ${n} images`),
      ),
    }),
  });
}

/** Issue 15: the trained adapter (core's sage-adapter/1 schema), its settings and the split it was trained on. */
function readTraining(value: unknown, config: ExplorerConfig, n: number): ReportTraining {
  const training = checked(trainingSchema(n), value, ['training']);
  let adapter: TrainedAdapter;
  try {
    adapter = parseAdapter(training.adapter);
  } catch (error) {
    if (!(error instanceof AdapterError)) throw error;
    return fail(['training', 'adapter'], `is not a usable trained adapter: ${error.message}`);
  }
  if (adapter.classes.join('\u0000') !== config.classes.join('\u0000')) {
    fail(['training', 'adapter'], `was trained for the classes ${adapter.classes.join(', ')}, not the report's`);
  }
  return { adapter, settings: training.settings, split: { ...training.split, images: [...training.split.images] } };
}

function readConfig(value: unknown, warnings: Warning[]): ExplorerConfig {
  const result = checkExplorerConfig(value, ['config'], (path) => REPORT_PLACES.place(path, { config: value }));
  if (!result.ok) throw new ReportProblem(result.problem);
  warnings.push(...result.warnings.map((text) => ({ text })));
  return result.config;
}

function readDataset(value: unknown, config: ExplorerConfig, warnings: Warning[]): ReportDataset {
  const json = checked(datasetSchema, value, ['dataset']);
  const { classes, attributes } = json;
  if (classes.length !== config.classes.length) {
    fail(
      ['dataset', 'classes'],
      `has ${classes.length} entries, expected one per class of the configuration (${config.classes.length})`,
      'predicate',
    );
  }
  const duplicate =
    duplicateProblem(classes, ['dataset', 'classes'], 'class label') ??
    duplicateProblem(attributes, ['dataset', 'attributes'], 'attribute');
  if (duplicate) throw new ReportProblem(duplicate);
  const classSet = new Set(classes);
  const attributeSet = new Set(attributes);
  const ids = new Map<string, number>();
  let dropped = 0;
  const images = json.images.map((image, i): ReportImage => {
    const at = ['dataset', 'images', i];
    const first = ids.get(image.id);
    if (first !== undefined) fail([...at, 'id'], `repeats the id of image ${first + 1}`, 'predicate');
    ids.set(image.id, i);
    if (!classSet.has(image.class)) {
      fail([...at, 'class'], `${describeValue(image.class)} is not one of the dataset's class labels`, 'predicate');
    }
    if (image.attribute !== '' && !attributeSet.has(image.attribute)) {
      fail(
        [...at, 'attribute'],
        `${describeValue(image.attribute)} is not one of the dataset's attributes`,
        'predicate',
      );
    }
    const record: ReportImage = { id: image.id, class: image.class, attribute: image.attribute };
    const thumbnail = image.thumbnail;
    if (thumbnail !== undefined) {
      if (
        typeof thumbnail === 'string' &&
        thumbnail.length <= REPORT_LIMITS.thumbnailChars &&
        THUMBNAIL.test(thumbnail)
      ) {
        record.thumbnail = thumbnail;
      } else if (++dropped <= 3) {
        warnings.push({ path: [...at, 'thumbnail'], text: 'is not a small data:image/png, jpeg or webp URL; ignored' });
      }
    }
    return record;
  });
  if (dropped > 3) warnings.push({ text: `${dropped - 3} more thumbnails ignored for the same reason` });
  return json.attributeSource === undefined
    ? { classes, attributes, images }
    : { classes, attributes, attributeSource: json.attributeSource, images };
}

function readEmbeddings(value: unknown, config: ExplorerConfig, n: number): ReportEmbeddings {
  const { dim } = checked(plainObject({ dim: wholeNumber(1, REPORT_LIMITS.dim) }), value, ['embeddings']);
  const m = config.templates.length;
  const c = config.classes.length;
  const textLimit = CONFIG_LIMITS.stringLength * 3;
  const promptText = text({ maxLength: textLimit, noControl: true });
  const schema = plainObject({
    dim: v.number(),
    text: floats(m * c * dim, dim, 'text row'),
    images: floats(n * dim, dim, 'image'),
    groupPrompts: v.optional(
      list(
        plainObject({
          class: promptText,
          attribute: promptText,
          prompt: promptText,
          embedding: floats(dim, dim, 'vector'),
        }),
        CONFIG_LIMITS.classes * Math.max(1, config.attributes.length),
      ),
    ),
    prompts: v.optional(
      list(
        plainObject({
          text: text({ maxLength: textLimit, nonEmpty: true }),
          embedding: floats(dim, dim, 'vector'),
        }),
        REPORT_LIMITS.prompts,
      ),
    ),
  });
  const json = checked(schema, value, ['embeddings']);
  const embeddings: ReportEmbeddings = { dim, text: json.text, images: json.images };
  if (json.groupPrompts) embeddings.groupPrompts = json.groupPrompts;
  if (json.prompts) {
    const texts = json.prompts.map((prompt) => prompt.text);
    const duplicate = duplicateProblem(texts, ['embeddings', 'prompts'], 'prompt');
    if (duplicate) throw new ReportProblem(duplicate);
    embeddings.prompts = json.prompts;
  }
  return embeddings;
}

function methodConfigSchema(m: number) {
  const aggregate = oneOf(AGGREGATES);
  const k = wholeNumber(1, m);
  const template = wholeNumber(0, m - 1);
  const phrasings = list(text({ maxLength: CONFIG_LIMITS.stringLength, noControl: true }), CONFIG_LIMITS.templates);
  const pattern = text({ maxLength: CONFIG_LIMITS.stringLength, noControl: true });
  const phrase = text({ maxLength: CONFIG_LIMITS.stringLength, noControl: true });
  return v.variant(
    'method',
    [
      v.object({ method: v.literal('zeroshot'), template }),
      v.object({ method: v.literal('ensemble'), aggregate }),
      v.object({ method: v.literal('random'), k, seed: wholeNumber(0, CONFIG_LIMITS.seedMax), aggregate }),
      v.object({ method: v.literal('sage'), k, aggregate }),
      v.object({ method: v.literal('groupprompt') }),
      v.object({
        method: v.literal('roboshot'),
        template,
        phrasings,
        accept: list(
          v.tuple([phrase, phrase], (issue) => `should be two phrases [p, q], but is ${describeValue(issue.input)}`),
          CONFIG_LIMITS.templates,
        ),
      }),
      v.object({ method: v.literal('tiestar'), template, phrasings }),
      v.object({ method: v.literal('tie'), template, phrasings }),
      v.object({ method: v.literal('orthproj'), template, phrasings, groupPromptPattern: pattern }),
      v.object({
        method: v.literal('orthcali'),
        template,
        phrasings,
        groupPromptPattern: pattern,
        lambda: finiteNumber(0),
      }),
    ],
    (issue) => `should be a known method, but is ${describeValue(issue.input)}`,
  );
}

function intervalSchema() {
  return plainObject({ low: finiteNumber(0, 1), high: finiteNumber(0, 1) });
}

/** A count out of `n` cannot exceed it. */
function correctAtMostN<T extends { n: number; correct: number }>() {
  return v.check(
    (counts: T) => counts.correct <= counts.n,
    (issue: v.CheckIssue<T>) => `has ${issue.input.correct} correct, more than its n (${issue.input.n})`,
  );
}

function metricsSchema(dataset: ReportDataset) {
  const count = wholeNumber(0, REPORT_LIMITS.images);
  const rate = rateOrNaN(0, 1);
  const group = v.pipe(
    v.object({
      class: v.pipe(
        text({ maxLength: CONFIG_LIMITS.stringLength }),
        v.check(
          (cls) => dataset.classes.includes(cls),
          (issue) => `${describeValue(issue.input)} is not one of the dataset's class labels`,
        ),
      ),
      attribute: text({ maxLength: CONFIG_LIMITS.stringLength }),
      n: count,
      correct: count,
      accuracy: rate,
      ci95: intervalSchema(),
    }),
    correctAtMostN(),
  );
  return v.pipe(
    v.object({
      n: count,
      correct: count,
      accuracy: rate,
      accuracyCi95: intervalSchema(),
      worstGroupAccuracy: rate,
      worstGroup: group,
      balancedAccuracy: rate,
      gap: rateOrNaN(-1, 1),
      harmonicMean: rate,
      groups: list(group, dataset.classes.length * (dataset.attributes.length + 1)),
      adjustedAccuracy: v.optional(rate),
    }),
    correctAtMostN(),
  );
}

/** Predictions: N class indices (a list in a file, an Int32Array when checking a report about to be written). */
function predictionsSchema(n: number, c: number) {
  return v.pipe(
    v.custom<unknown[] | Int32Array>(
      (value) => Array.isArray(value) || value instanceof Int32Array,
      (issue) => `should be a list of class numbers, but is ${describeValue(issue.input)}`,
    ),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const list = dataset.value;
      if (list.length !== n) {
        addIssue({ message: statement(`${list.length}, expected one per image (${n})`) });
        return NEVER;
      }
      const predicted = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const value = list[i];
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= c) {
          addIssue({
            message: statement(`image ${i + 1} is ${describeValue(value)}, expected a class number from 0 to ${c - 1}`),
          });
          return NEVER;
        }
        predicted[i] = value;
      }
      return predicted;
    }),
  );
}

/** Template picks: N × kSelected uint16, each inside the pool of `m`. */
function picksSchema(n: number, kSelected: number, m: number) {
  const picks = (values: Uint16Array): string | null => {
    for (let i = 0; i < values.length; i++) {
      if (values[i] >= m) {
        const where = `image ${Math.floor(i / kSelected) + 1}, pick ${(i % kSelected) + 1}`;
        return `${where} is template ${values[i]}, which does not exist (the pool has ${m})`;
      }
    }
    return null;
  };
  return packed(UINT16, n * kSelected, picks, ` (${kSelected} per image)`);
}

function readResults(
  value: unknown,
  config: ExplorerConfig,
  dataset: ReportDataset,
  warnings: Warning[],
): ReportResult[] {
  const n = dataset.images.length;
  const c = config.classes.length;
  const m = config.templates.length;
  const classIndex = new Map(dataset.classes.map((label, i) => [label, i]));
  const truth = Int32Array.from(dataset.images, (image) => classIndex.get(image.class) ?? -1);
  const items = checked(list(v.unknown(), REPORT_LIMITS.results), value, ['results']);
  const methodConfig = methodConfigSchema(m);
  const predicted = predictionsSchema(n, c);
  const scores = floats(n * c, c, 'image');
  const metrics = metricsSchema(dataset);
  return items.map((item, r): ReportResult => {
    const at = ['results', r];
    const { kSelected } = checked(plainObject({ kSelected: wholeNumber(0, m) }), item, at);
    const json = checked(
      plainObject({
        config: methodConfig,
        kSelected: v.number(),
        predicted,
        scores,
        selected: picksSchema(n, kSelected, m),
        metrics,
        parameters: v.optional(parametersSchema),
      }),
      item,
      at,
    );
    let correct = 0;
    for (let i = 0; i < n; i++) if (json.predicted[i] === truth[i]) correct++;
    const stored: Metrics = json.metrics;
    if (stored.n !== n) {
      warnings.push({
        path: [...at, 'metrics', 'n'],
        text: `is ${stored.n}, but the report has ${n} images; the stored metrics may have been edited`,
      });
    }
    if (stored.correct !== correct) {
      warnings.push({
        path: [...at, 'metrics', 'correct'],
        text: `is ${stored.correct}, but the stored predictions give ${correct}; the stored metrics may have been edited`,
      });
    }
    const result: ReportResult = {
      config: json.config,
      predicted: json.predicted,
      scores: json.scores,
      selected: json.selected,
      kSelected,
      metrics: stored,
    };
    if (json.parameters) result.parameters = json.parameters as Record<string, MethodParameter>;
    return result;
  });
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
