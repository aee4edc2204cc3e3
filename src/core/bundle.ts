/**
 * The `sage-embeddings/1` bundle (SPEC §5): parse + validate and write. The structure is a valibot schema; the
 * relations between fields (class names, M·C text rows, unique ids and prompt texts) are checked after it. Errors
 * are sentences in the user's words ("image 12 (landbird/water/x.jpg): embedding has 511 numbers, expected 512")
 * with the JSON path in `field`. Vectors may be arrays of numbers or base64 little-endian float32 strings, mixed
 * freely in one file.
 */
import * as v from 'valibot';
import { Base64Error, base64ToFloats, floatsToBase64 } from './base64';
import { errorMessage, FieldError } from './errors';
import {
  check,
  describeValue,
  finiteNumber,
  nth,
  oneOf,
  parsePathText,
  pathText,
  plainObject,
  problemSentence,
  valueAt,
  wholeNumber,
  type FieldPath,
  type PlaceNames,
  type SchemaProblem,
} from './schemaErrors';
import { validateClasses, validateTemplates, type FieldIssue } from './templates';
import { type EmbeddingBundle, type GroupPrompt, type ImageRecord, SPLITS } from './types';

export const BUNDLE_FORMAT = 'sage-embeddings/1';

/** `message` is a sentence for the user; `field` the JSON path (`images[3].embedding`, `(json)`, `(root)`). */
export class BundleError extends FieldError {
  constructor(field: string, message: string) {
    super(field, message);
    this.name = 'BundleError';
    this.message = message;
  }
}

const NOT_A_BUNDLE = 'this file is not a SAGE embeddings bundle';

const TOP_LEVEL: Record<string, string> = {
  format: 'format',
  model: 'model name',
  dim: 'embedding size',
  classes: 'class list',
  templates: 'template list',
  text: 'text embeddings',
  images: 'image list',
  groupPrompts: 'group prompt list',
  prompts: 'prompt list',
  skipped: 'skipped list',
  meta: 'meta',
};

/** "text embedding 4 (template 2 with class waterbird)": rows are template-major, r = t·C + c. */
function textRowName(row: number, root: unknown): string {
  const classes = valueAt(root, ['classes']);
  if (!Array.isArray(classes) || classes.length === 0) return `text embedding ${row + 1}`;
  const cls = classes[row % classes.length];
  const name = typeof cls === 'string' ? ` with class ${cls}` : '';
  return `text embedding ${row + 1} (template ${Math.floor(row / classes.length) + 1}${name})`;
}

const BUNDLE_PLACES: PlaceNames = {
  notA: NOT_A_BUNDLE,
  place(path: FieldPath, root: unknown): string {
    const [top, index, ...rest] = path;
    if (path.length === 0) return 'the file';
    if (typeof index !== 'number') {
      if (index === undefined) return TOP_LEVEL[top] ?? String(top);
      return top === 'meta' ? `meta entry ${JSON.stringify(index)}` : pathText(path);
    }
    const named = (noun: string, key: string) => nth(noun, index, valueAt(root, [top, index, key]));
    const owners: Record<string, () => string> = {
      classes: () => nth('class', index, valueAt(root, path.slice(0, 2))),
      templates: () => nth('template', index, valueAt(root, path.slice(0, 2))),
      text: () => textRowName(index, root),
      images: () => named('image', 'id'),
      groupPrompts: () => named('group prompt', 'prompt'),
      prompts: () => named('prompt', 'text'),
      skipped: () => named('skipped entry', 'id'),
    };
    const owner = owners[top]?.() ?? `${top} ${index + 1}`;
    if (rest.length === 0) return owner;
    return `${owner}: ${rest.map((key) => (typeof key === 'number' ? `number ${key + 1}` : key)).join(' ')}`;
  },
};

export function bundleError(problem: SchemaProblem, root: unknown): BundleError {
  return new BundleError(pathText(problem.path), problemSentence(problem, BUNDLE_PLACES, root));
}

/** One vector (number array or base64 float32), checked for length, finiteness and a non-zero norm. Hot path. */
function readVector(value: string | unknown[], dim: number): Float32Array | string {
  let floats: ArrayLike<unknown>;
  if (typeof value === 'string') {
    try {
      floats = base64ToFloats(value);
    } catch (error) {
      if (error instanceof Base64Error) return `is not valid base64 float32 text (${error.message})`;
      throw error;
    }
    if (floats.length !== dim) return `holds ${floats.length} float32 values (base64), expected ${dim}`;
  } else {
    if (value.length !== dim) return `has ${value.length} numbers, expected ${dim}`;
    floats = value;
  }
  const out = new Float32Array(dim);
  let sumSq = 0;
  for (let d = 0; d < dim; d++) {
    const x = floats[d];
    if (typeof x !== 'number') return `number ${d + 1} should be a number, but is ${describeValue(x)}`;
    if (!Number.isFinite(x)) return `number ${d + 1} is ${x}, expected a finite number`;
    out[d] = x;
    sumSq += x * x;
  }
  if (sumSq === 0) return 'is all zeros; it has no direction to compare';
  return out;
}

function vector(dim: number) {
  return v.pipe(
    v.custom<string | unknown[]>(
      (value) => typeof value === 'string' || Array.isArray(value),
      (issue) => `should be ${dim} numbers or base64 float32 text, but is ${describeValue(issue.input)}`,
    ),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const floats = readVector(dataset.value, dim);
      if (typeof floats === 'string') {
        addIssue({ message: floats });
        return NEVER;
      }
      return floats;
    }),
  );
}

const metaValue = v.union(
  [v.string(), finiteNumber(), v.boolean()],
  (issue) => `should be text, a finite number or true/false, but is ${describeValue(issue.input)}`,
);

/** Fields both bundle versions share; /1 adds the vectors inline, /2 stores them as `.npy` members. */
export const BUNDLE_HEADER_FIELDS = {
  model: v.string(),
  dim: wholeNumber(1),
  classes: v.array(v.string()),
  templates: v.array(v.string()),
  skipped: v.optional(v.array(plainObject({ id: v.string(), reason: v.string() }))),
  meta: v.optional(v.record(v.string(), metaValue)),
};

export const IMAGE_RECORD_FIELDS = {
  id: v.pipe(v.string(), v.minLength(1, 'is empty')),
  class: v.string(),
  attribute: v.optional(v.string(), ''),
  /** optional (issue 15): the split a trained method treats the image as */
  split: v.optional(oneOf(SPLITS)),
};

export const IMAGES_EMPTY = 'is empty: a bundle needs at least one image';

function bundleSchema(dim: number) {
  return plainObject({
    ...BUNDLE_HEADER_FIELDS,
    text: v.array(vector(dim)),
    images: v.pipe(
      v.array(plainObject({ ...IMAGE_RECORD_FIELDS, embedding: vector(dim) })),
      v.minLength(1, IMAGES_EMPTY),
    ),
    groupPrompts: v.optional(
      v.array(plainObject({ class: v.string(), attribute: v.string(), prompt: v.string(), embedding: vector(dim) })),
    ),
    prompts: v.optional(v.array(plainObject({ text: v.string(), embedding: vector(dim) }))),
  });
}

/** The newest bundle version this code reads: /1 is JSON, /2 a zip of bundle.json + .npy members (bundleBinary.ts). */
export const BINARY_BUNDLE_FORMAT = 'sage-embeddings/2';

/**
 * The format gate: explains another version or another kind of file before anything else is read. `expected` is
 * the version this container holds (JSON text: /1; a zip's bundle.json: /2).
 */
export function formatProblem(format: unknown, expected: string = BUNDLE_FORMAT): string | null {
  if (format === expected) return null;
  if (format === undefined) {
    return `${NOT_A_BUNDLE}: it has no "format" field (a bundle says "format": "${expected}")`;
  }
  if (format === BINARY_BUNDLE_FORMAT) {
    return `this is the bundle.json of a ${BINARY_BUNDLE_FORMAT} bundle, which keeps its vectors in .npy files beside it: open the whole .sage.zip file instead`;
  }
  if (format === BUNDLE_FORMAT) {
    return `bundle.json inside this zip says ${BUNDLE_FORMAT}; a zipped bundle says "format": "${BINARY_BUNDLE_FORMAT}" (or open the ${BUNDLE_FORMAT} JSON file on its own)`;
  }
  const version = typeof format === 'string' ? /^sage-embeddings\/(\d+)$/.exec(format) : null;
  if (version && Number(version[1]) > 2) {
    return `this bundle is ${format}, a newer version than this app reads (${BUNDLE_FORMAT} and ${BINARY_BUNDLE_FORMAT}): update the app, or write the bundle as ${BUNDLE_FORMAT}`;
  }
  if (typeof format === 'string' && format.startsWith('sage-embeddings/')) {
    return `this bundle's format ${JSON.stringify(format)} is not one this app reads (it reads ${BUNDLE_FORMAT} and ${BINARY_BUNDLE_FORMAT})`;
  }
  if (typeof format === 'string' && format.startsWith('sage-report/')) {
    return `this is a SAGE Explorer report (${format}), not an embeddings bundle: open it as a report`;
  }
  return `${NOT_A_BUNDLE}: its format is ${describeValue(format)}, expected "${expected}"`;
}

/** The first problem a core validator found, as a statement at its field. */
function issueProblem(issues: readonly FieldIssue[]): SchemaProblem | null {
  return issues.length === 0
    ? null
    : { path: parsePathText(issues[0].field), text: issues[0].message, form: 'statement' };
}

function listOf(names: readonly string[]): string {
  return names.length <= 10 ? names.join(', ') : `${names.slice(0, 10).join(', ')} … (${names.length} in all)`;
}

/** What the relation checks read: the same in both bundle versions. */
export interface BundleRelations {
  classes: string[];
  templates: string[];
  images: { id: string; class: string }[];
  groupPrompts?: { class: string }[];
  prompts?: { text: string }[];
}

/** The relations between fields that a per-field schema cannot see (the text row count is checked by each reader). */
export function relationProblem(bundle: BundleRelations): SchemaProblem | null {
  const { classes, templates, images } = bundle;
  const fieldProblem = issueProblem(validateClasses(classes)) ?? issueProblem(validateTemplates(templates));
  if (fieldProblem) return fieldProblem;
  const classSet = new Set(classes);
  const unknownClass = (cls: string) =>
    `${JSON.stringify(cls)} is not one of the bundle's classes (${listOf(classes)})`;
  const ids = new Map<string, number>();
  for (let i = 0; i < images.length; i++) {
    const { id, class: cls } = images[i];
    const first = ids.get(id);
    if (first !== undefined)
      return { path: ['images', i, 'id'], text: `repeats the id of image ${first + 1}`, form: 'predicate' };
    ids.set(id, i);
    if (!classSet.has(cls)) return { path: ['images', i, 'class'], text: unknownClass(cls), form: 'predicate' };
  }
  const groupPrompts = bundle.groupPrompts ?? [];
  for (let i = 0; i < groupPrompts.length; i++) {
    const cls = groupPrompts[i].class;
    if (!classSet.has(cls)) return { path: ['groupPrompts', i, 'class'], text: unknownClass(cls), form: 'predicate' };
  }
  const texts = new Map<string, number>();
  const prompts = bundle.prompts ?? [];
  for (let i = 0; i < prompts.length; i++) {
    const first = texts.get(prompts[i].text);
    if (first !== undefined) {
      return {
        path: ['prompts', i, 'text'],
        text: `${JSON.stringify(prompts[i].text)} appears twice (also prompt ${first + 1}); each prompt text may appear once`,
        form: 'predicate',
      };
    }
    texts.set(prompts[i].text, i);
  }
  return null;
}

/** The text embeddings must hold one row per template and class. */
export function textRowsProblem(
  rows: number,
  bundle: { templates: readonly string[]; classes: readonly string[] },
): SchemaProblem | null {
  const { templates, classes } = bundle;
  const expected = templates.length * classes.length;
  if (rows === expected) return null;
  return {
    path: ['text'],
    text: `has ${rows} rows, expected one per template and class: ${templates.length} × ${classes.length} = ${expected} (template-major)`,
    form: 'predicate',
  };
}

/** An image's record without extra keys; `split` only when it has one (older readers never see the key). */
export function imageRecord(image: ImageRecord): ImageRecord {
  const record: ImageRecord = { id: image.id, class: image.class, attribute: image.attribute };
  if (image.split !== undefined) record.split = image.split;
  return record;
}

/** Rows of length `dim` into one row-major matrix. */
function stack(rows: readonly Float32Array[], dim: number): Float32Array {
  const out = new Float32Array(rows.length * dim);
  for (let r = 0; r < rows.length; r++) out.set(rows[r], r * dim);
  return out;
}

/** Parses and validates a bundle from JSON text or an already-parsed value. Throws BundleError. */
export function parseBundle(input: string | unknown): EmbeddingBundle {
  let root: unknown = input;
  if (typeof input === 'string') {
    try {
      root = JSON.parse(input);
    } catch (error) {
      throw new BundleError('(json)', `this file is not valid JSON (${errorMessage(error)})`);
    }
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw new BundleError('(root)', `${NOT_A_BUNDLE}: it should be a JSON object, but is ${describeValue(root)}`);
  }
  const formatError = formatProblem((root as Record<string, unknown>).format);
  if (formatError !== null) throw new BundleError('format', formatError);
  // dim first: every vector's schema depends on it
  const header = check(plainObject({ dim: wholeNumber(1) }), root);
  if (!header.ok) throw bundleError(header.problem, root);
  const parsed = check(bundleSchema(header.value.dim), root);
  if (!parsed.ok) throw bundleError(parsed.problem, root);
  const json = parsed.value;
  const relation = relationProblem(json) ?? textRowsProblem(json.text.length, json);
  if (relation) throw bundleError(relation, root);
  const { dim } = json;
  const bundle: EmbeddingBundle = {
    format: BUNDLE_FORMAT,
    model: json.model,
    dim,
    classes: json.classes,
    templates: json.templates,
    text: stack(json.text, dim),
    images: json.images.map(imageRecord),
    imageEmbeddings: stack(
      json.images.map((image) => image.embedding),
      dim,
    ),
  };
  if (json.groupPrompts) bundle.groupPrompts = json.groupPrompts satisfies GroupPrompt[];
  if (json.prompts) bundle.prompts = json.prompts;
  if (json.skipped) bundle.skipped = json.skipped;
  if (json.meta) bundle.meta = json.meta;
  return bundle;
}

export interface SerializeOptions {
  /** 'float': arrays of numbers (readable, ~2.5× larger); 'base64': little-endian float32 strings (exact, compact) */
  vectors: 'float' | 'base64';
}

/** Writes a bundle as JSON text. Both vector encodings reproduce the float32 values exactly on parse. */
export function serializeBundle(bundle: EmbeddingBundle, options: SerializeOptions = { vectors: 'base64' }): string {
  const { dim } = bundle;
  const vector = (data: Float32Array, row: number): string | number[] => {
    const slice = data.subarray(row * dim, (row + 1) * dim);
    return options.vectors === 'base64' ? floatsToBase64(slice) : Array.from(slice);
  };
  const out: Record<string, unknown> = {
    format: BUNDLE_FORMAT,
    model: bundle.model,
    dim,
    classes: bundle.classes,
    templates: bundle.templates,
    text: Array.from({ length: bundle.templates.length * bundle.classes.length }, (_, r) => vector(bundle.text, r)),
    images: bundle.images.map((image, i) => ({
      ...imageRecord(image),
      embedding: vector(bundle.imageEmbeddings, i),
    })),
  };
  if (bundle.groupPrompts !== undefined) {
    out.groupPrompts = bundle.groupPrompts.map((g) => ({
      class: g.class,
      attribute: g.attribute,
      prompt: g.prompt,
      embedding: vector(g.embedding, 0),
    }));
  }
  if (bundle.prompts !== undefined) {
    out.prompts = bundle.prompts.map((p) => ({ text: p.text, embedding: vector(p.embedding, 0) }));
  }
  if (bundle.skipped !== undefined) out.skipped = bundle.skipped;
  if (bundle.meta !== undefined) out.meta = bundle.meta;
  return JSON.stringify(out);
}
