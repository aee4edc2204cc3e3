/**
 * The `sage-embeddings/1` bundle (SPEC §5): parse + validate (errors name the field and index) and write.
 * Vectors may be arrays of numbers or base64 little-endian float32 strings, mixed freely in one file.
 */
import { Base64Error, base64ToFloats, floatsToBase64 } from './base64';
import { FieldError } from './errors';
import { validateClasses, validateTemplates } from './templates';
import type { EmbeddingBundle, GroupPrompt, ImageRecord } from './types';

export const BUNDLE_FORMAT = 'sage-embeddings/1';

export class BundleError extends FieldError {
  constructor(field: string, message: string) {
    super(field, message);
    this.name = 'BundleError';
  }
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new BundleError(field, `expected a string, got ${describe(value)}`);
  return value;
}

function requireArray(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw new BundleError(field, `expected an array, got ${describe(value)}`);
  return value;
}

function requireObject(value: unknown, field: string): JsonObject {
  if (!isObject(value)) throw new BundleError(field, `expected an object, got ${describe(value)}`);
  return value;
}

/** One vector (number array or base64 float32) into `out` at `offset`, checked for length, finiteness and non-zero norm. */
function readVector(value: unknown, dim: number, field: string, out: Float32Array, offset: number): void {
  let floats: ArrayLike<number>;
  if (typeof value === 'string') {
    try {
      floats = base64ToFloats(value);
    } catch (error) {
      if (error instanceof Base64Error) throw new BundleError(field, `bad base64: ${error.message}`);
      throw error;
    }
    if (floats.length !== dim)
      throw new BundleError(field, `expected ${dim} float32 values, base64 holds ${floats.length}`);
  } else if (Array.isArray(value)) {
    if (value.length !== dim) throw new BundleError(field, `expected ${dim} numbers, got ${value.length}`);
    for (let d = 0; d < dim; d++) {
      if (typeof value[d] !== 'number') {
        throw new BundleError(`${field}[${d}]`, `expected a number, got ${describe(value[d])}`);
      }
    }
    floats = value as number[];
  } else {
    throw new BundleError(field, `expected ${dim} numbers or a base64 float32 string, got ${describe(value)}`);
  }
  let sumSq = 0;
  for (let d = 0; d < dim; d++) {
    const x = floats[d];
    if (!Number.isFinite(x)) throw new BundleError(`${field}[${d}]`, `expected a finite number, got ${x}`);
    out[offset + d] = x;
    sumSq += x * x;
  }
  if (sumSq === 0) throw new BundleError(field, 'vector is all zeros; it has no direction to compare');
}

function parseFormat(value: unknown): typeof BUNDLE_FORMAT {
  if (value === undefined) throw new BundleError('format', `missing; expected "${BUNDLE_FORMAT}"`);
  if (value === BUNDLE_FORMAT) return BUNDLE_FORMAT;
  if (typeof value === 'string' && value.startsWith('sage-embeddings/')) {
    throw new BundleError('format', `unsupported version "${value}"; this build reads "${BUNDLE_FORMAT}"`);
  }
  throw new BundleError('format', `expected "${BUNDLE_FORMAT}", got ${describe(value)}`);
}

function parseStringList(value: unknown, field: string): string[] {
  return requireArray(value, field).map((item, index) => requireString(item, `${field}[${index}]`));
}

function parseImages(
  value: unknown,
  classSet: Set<string>,
  dim: number,
): { images: ImageRecord[]; embeddings: Float32Array } {
  const items = requireArray(value, 'images');
  if (items.length === 0) throw new BundleError('images', 'no images');
  const images: ImageRecord[] = [];
  const embeddings = new Float32Array(items.length * dim);
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const field = `images[${index}]`;
    const image = requireObject(item, field);
    const id = requireString(image.id, `${field}.id`);
    if (id === '') throw new BundleError(`${field}.id`, 'empty id');
    const first = seen.get(id);
    if (first !== undefined) throw new BundleError(`${field}.id`, `duplicate id "${id}" (also images[${first}])`);
    seen.set(id, index);
    const cls = requireString(image.class, `${field}.class`);
    if (!classSet.has(cls))
      throw new BundleError(`${field}.class`, `unknown class "${cls}"; classes are ${[...classSet].join(', ')}`);
    const attribute = image.attribute === undefined ? '' : requireString(image.attribute, `${field}.attribute`);
    readVector(image.embedding, dim, `${field}.embedding`, embeddings, index * dim);
    images.push({ id, class: cls, attribute });
  });
  return { images, embeddings };
}

function parseGroupPrompts(value: unknown, classSet: Set<string>, dim: number): GroupPrompt[] {
  return requireArray(value, 'groupPrompts').map((item, index) => {
    const field = `groupPrompts[${index}]`;
    const entry = requireObject(item, field);
    const cls = requireString(entry.class, `${field}.class`);
    if (!classSet.has(cls)) throw new BundleError(`${field}.class`, `unknown class "${cls}"`);
    const embedding = new Float32Array(dim);
    readVector(entry.embedding, dim, `${field}.embedding`, embedding, 0);
    return {
      class: cls,
      attribute: requireString(entry.attribute, `${field}.attribute`),
      prompt: requireString(entry.prompt, `${field}.prompt`),
      embedding,
    };
  });
}

function parsePrompts(value: unknown, dim: number): { text: string; embedding: Float32Array }[] {
  const seen = new Map<string, number>();
  return requireArray(value, 'prompts').map((item, index) => {
    const field = `prompts[${index}]`;
    const entry = requireObject(item, field);
    const text = requireString(entry.text, `${field}.text`);
    const first = seen.get(text);
    if (first !== undefined) {
      throw new BundleError(`${field}.text`, `prompt ${JSON.stringify(text)} appears twice (also prompts[${first}])`);
    }
    seen.set(text, index);
    const embedding = new Float32Array(dim);
    readVector(entry.embedding, dim, `${field}.embedding`, embedding, 0);
    return { text, embedding };
  });
}

function parseSkipped(value: unknown): { id: string; reason: string }[] {
  return requireArray(value, 'skipped').map((item, index) => {
    const entry = requireObject(item, `skipped[${index}]`);
    return {
      id: requireString(entry.id, `skipped[${index}].id`),
      reason: requireString(entry.reason, `skipped[${index}].reason`),
    };
  });
}

function parseMeta(value: unknown): Record<string, string | number | boolean> {
  const meta = requireObject(value, 'meta');
  const out: Record<string, string | number | boolean> = {};
  for (const [key, item] of Object.entries(meta)) {
    if (typeof item !== 'string' && typeof item !== 'boolean' && !(typeof item === 'number' && Number.isFinite(item))) {
      throw new BundleError(`meta.${key}`, `expected a string, finite number or boolean, got ${describe(item)}`);
    }
    out[key] = item;
  }
  return out;
}

/** Parses and validates a bundle from JSON text or an already-parsed value. Throws BundleError naming the field. */
export function parseBundle(input: string | unknown): EmbeddingBundle {
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (error) {
      throw new BundleError('(json)', `not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const root = requireObject(raw, '(root)');
  const format = parseFormat(root.format);
  const model = requireString(root.model, 'model');
  const dim = root.dim;
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1) {
    throw new BundleError('dim', `expected a positive integer, got ${describe(dim)}`);
  }
  const classes = parseStringList(root.classes, 'classes');
  if (classes.length === 0) throw new BundleError('classes', 'no classes');
  const classErrors = validateClasses(classes);
  if (classErrors.length > 0) throw new BundleError(classErrors[0].field, classErrors[0].message);
  const templates = parseStringList(root.templates, 'templates');
  const templateErrors = validateTemplates(templates);
  if (templateErrors.length > 0) throw new BundleError(templateErrors[0].field, templateErrors[0].message);
  const textItems = requireArray(root.text, 'text');
  const rows = templates.length * classes.length;
  if (textItems.length !== rows) {
    throw new BundleError(
      'text',
      `expected M·C = ${templates.length}·${classes.length} = ${rows} rows (template-major), got ${textItems.length}`,
    );
  }
  const text = new Float32Array(rows * dim);
  textItems.forEach((item, r) => readVector(item, dim, `text[${r}]`, text, r * dim));
  const classSet = new Set(classes);
  const { images, embeddings } = parseImages(root.images, classSet, dim);
  const bundle: EmbeddingBundle = { format, model, dim, classes, templates, text, images, imageEmbeddings: embeddings };
  if (root.groupPrompts !== undefined) bundle.groupPrompts = parseGroupPrompts(root.groupPrompts, classSet, dim);
  if (root.prompts !== undefined) bundle.prompts = parsePrompts(root.prompts, dim);
  if (root.skipped !== undefined) bundle.skipped = parseSkipped(root.skipped);
  if (root.meta !== undefined) bundle.meta = parseMeta(root.meta);
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
  const out: JsonObject = {
    format: BUNDLE_FORMAT,
    model: bundle.model,
    dim,
    classes: bundle.classes,
    templates: bundle.templates,
    text: Array.from({ length: bundle.templates.length * bundle.classes.length }, (_, r) => vector(bundle.text, r)),
    images: bundle.images.map((image, i) => ({
      id: image.id,
      class: image.class,
      attribute: image.attribute,
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
