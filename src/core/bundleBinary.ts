/**
 * The `sage-embeddings/2` bundle (docs/SPEC.md §5b): a zip holding `bundle.json` (every field of /1 except the
 * vectors) and the vectors as little-endian float32 `.npy` members, stored uncompressed so a reader can take them
 * as they are (numpy: `np.load(path)["images"]`; this reader: one Float32Array view per member, no decoding).
 *
 * Reading goes through a ByteSource (a Blob in the browser's worker, a file handle in the CLI), so only the zip
 * directory and the members are read, never a second copy of the whole file. `readBundle` reads either version.
 */
import { inflateSync, strToU8, zipSync, type Zippable } from 'fflate';
import * as v from 'valibot';
import {
  BINARY_BUNDLE_FORMAT,
  BUNDLE_HEADER_FIELDS,
  BundleError,
  IMAGES_EMPTY,
  IMAGE_RECORD_FIELDS,
  imageRecord,
  bundleError,
  formatProblem,
  parseBundle,
  relationProblem,
  textRowsProblem,
} from './bundle';
import { errorMessage } from './errors';
import { readNpyHeader } from './importNpy';
import { check, describeValue, plainObject, type SchemaProblem } from './schemaErrors';
import type { EmbeddingBundle } from './types';

/** Random access to the bytes of a file: a Blob, a file handle, or bytes in memory. */
export interface ByteSource {
  size: number;
  /** `length` bytes from `offset` (fewer only at the end of the file) */
  read(offset: number, length: number): Promise<Uint8Array>;
}

export function bytesSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: (offset, length) => Promise.resolve(bytes.subarray(offset, offset + length)) };
}

export function blobSource(blob: Blob): ByteSource {
  return {
    size: blob.size,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  };
}

export interface BundleReadProgress {
  /** 'reading': bytes of the file; 'checking': vectors checked for finite, non-zero values */
  stage: 'reading' | 'checking';
  done: number;
  total: number;
}

export type BundleProgressListener = (progress: BundleReadProgress) => void;

/** The members of a /2 bundle: fixed names, so numpy users find the arrays by key. */
export const BINARY_MEMBERS = {
  header: 'bundle.json',
  text: 'text.npy',
  images: 'images.npy',
  groupPrompts: 'group_prompts.npy',
  prompts: 'prompts.npy',
} as const;

/** A zip file starts with a local file header. */
export function isZipHead(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

/**
 * A /2 bundle seen from its first bytes (64 are enough): a zip whose first entry is bundle.json, as this module
 * writes it. Lets the app tell a renamed bundle from a zip of images without reading the file.
 */
export function isBinaryBundleHead(head: Uint8Array): boolean {
  if (!isZipHead(head) || head.length < 30) return false;
  const nameLength = head[26] | (head[27] << 8);
  const name = new TextDecoder().decode(head.subarray(30, 30 + nameLength));
  return name === BINARY_MEMBERS.header;
}

// ---------------------------------------------------------------- writing

/** A little-endian float32 `.npy` (format 1.0) of `rows` × `dim`, header padded so the data starts 64-aligned. */
export function npyBytes(data: Float32Array, rows: number, dim: number): Uint8Array {
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${dim}), }`;
  const unpadded = 10 + dict.length + 1;
  const headerLength = dict.length + 1 + ((64 - (unpadded % 64)) % 64);
  const out = new Uint8Array(10 + headerLength + rows * dim * 4);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, headerLength & 0xff, headerLength >> 8]);
  out.set(strToU8(dict.padEnd(headerLength - 1, ' ') + '\n', true), 10);
  const floats = new DataView(out.buffer, 10 + headerLength);
  const values = data.subarray(0, rows * dim);
  for (let i = 0; i < values.length; i++) floats.setFloat32(4 * i, values[i], true);
  return out;
}

/** Rows of single vectors into one matrix. */
function stackRows(rows: readonly Float32Array[], dim: number): Float32Array {
  const out = new Float32Array(rows.length * dim);
  for (let r = 0; r < rows.length; r++) out.set(rows[r].subarray(0, dim), r * dim);
  return out;
}

// zip timestamps cannot predate 1980; a fixed one makes the same bundle the same bytes
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

/** Writes a bundle as a `sage-embeddings/2` zip: bundle.json first and deflated, the `.npy` members stored. */
export function serializeBinaryBundle(bundle: EmbeddingBundle): Uint8Array<ArrayBuffer> {
  const { dim } = bundle;
  const header: Record<string, unknown> = {
    format: BINARY_BUNDLE_FORMAT,
    model: bundle.model,
    dim,
    classes: bundle.classes,
    templates: bundle.templates,
    images: bundle.images.map(imageRecord),
  };
  const stored = { level: 0 } as const;
  const arrays: Zippable = {
    [BINARY_MEMBERS.text]: [npyBytes(bundle.text, bundle.templates.length * bundle.classes.length, dim), stored],
    [BINARY_MEMBERS.images]: [npyBytes(bundle.imageEmbeddings, bundle.images.length, dim), stored],
  };
  if (bundle.groupPrompts !== undefined) {
    header.groupPrompts = bundle.groupPrompts.map((g) => ({
      class: g.class,
      attribute: g.attribute,
      prompt: g.prompt,
    }));
    const matrix = stackRows(
      bundle.groupPrompts.map((g) => g.embedding),
      dim,
    );
    arrays[BINARY_MEMBERS.groupPrompts] = [npyBytes(matrix, bundle.groupPrompts.length, dim), stored];
  }
  if (bundle.prompts !== undefined) {
    header.prompts = bundle.prompts.map((p) => ({ text: p.text }));
    const matrix = stackRows(
      bundle.prompts.map((p) => p.embedding),
      dim,
    );
    arrays[BINARY_MEMBERS.prompts] = [npyBytes(matrix, bundle.prompts.length, dim), stored];
  }
  if (bundle.skipped !== undefined) header.skipped = bundle.skipped;
  if (bundle.meta !== undefined) header.meta = bundle.meta;
  // bundle.json first: a reader (or a person) sees what the zip is from its first entry
  const members: Zippable = { [BINARY_MEMBERS.header]: [strToU8(JSON.stringify(header)), { level: 6 }], ...arrays };
  return zipSync(members, { mtime: FIXED_MTIME });
}

// ---------------------------------------------------------------- zip directory

interface ZipMember {
  name: string;
  /** 0 stored, 8 deflated */
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const notAZip = (why: string) =>
  new BundleError('(zip)', `this file is not a readable ${BINARY_BUNDLE_FORMAT} bundle: ${why}`);

function u64(view: DataView, at: number): number {
  return Number(view.getBigUint64(at, true));
}

/** The central directory of a zip (zip64 included), read from the end of the file. */
async function zipDirectory(source: ByteSource): Promise<ZipMember[]> {
  const tailLength = Math.min(source.size, 22 + 0xffff + 20);
  const tail = await source.read(source.size - tailLength, tailLength);
  const tailView = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  let end = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tailView.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw notAZip('the end of its zip directory is missing (was the file cut short?)');
  let count = tailView.getUint16(end + 10, true);
  let directorySize = tailView.getUint32(end + 12, true);
  let directoryOffset = tailView.getUint32(end + 16, true);
  if (directoryOffset === 0xffffffff || count === 0xffff) {
    const locator = end - 20;
    if (locator < 0 || tailView.getUint32(locator, true) !== 0x07064b50)
      throw notAZip('its zip64 directory is missing');
    const record = await source.read(u64(tailView, locator + 8), 56);
    const recordView = new DataView(record.buffer, record.byteOffset, record.byteLength);
    if (record.length < 56 || recordView.getUint32(0, true) !== 0x06064b50)
      throw notAZip('its zip64 directory is damaged');
    count = u64(recordView, 32);
    directorySize = u64(recordView, 40);
    directoryOffset = u64(recordView, 48);
  }
  if (directoryOffset + directorySize > source.size) throw notAZip('its zip directory points past the end of the file');
  const directory = await source.read(directoryOffset, directorySize);
  const view = new DataView(directory.buffer, directory.byteOffset, directory.byteLength);
  const decoder = new TextDecoder();
  const members: ZipMember[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > directory.length || view.getUint32(at, true) !== 0x02014b50)
      throw notAZip('its zip directory is damaged');
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const member: ZipMember = {
      name: decoder.decode(directory.subarray(at + 46, at + 46 + nameLength)),
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      localHeaderOffset: view.getUint32(at + 42, true),
    };
    // zip64 extra field: the 64-bit values, in this order, for the 32-bit fields that are saturated
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = view.getUint16(extra, true);
      const length = view.getUint16(extra + 2, true);
      if (id === 0x0001) {
        let field = extra + 4;
        for (const key of ['size', 'compressedSize', 'localHeaderOffset'] as const) {
          if (member[key] === 0xffffffff && field + 8 <= extra + 4 + length) {
            member[key] = u64(view, field);
            field += 8;
          }
        }
      }
      extra += 4 + length;
    }
    members.push(member);
    at = extraEnd + commentLength;
  }
  return members;
}

// ---------------------------------------------------------------- reading

const READ_CHUNK = 8 * 1024 * 1024;

/** Tracks bytes read over the whole file, for progress. */
interface ReadContext {
  source: ByteSource;
  onProgress?: BundleProgressListener;
  bytesRead: number;
}

/** A member's bytes in a buffer of their own (so float views over it are aligned and can be transferred). */
async function memberBytes(context: ReadContext, member: ZipMember): Promise<Uint8Array> {
  const { source } = context;
  const local = await source.read(member.localHeaderOffset, 30);
  const localView = new DataView(local.buffer, local.byteOffset, local.byteLength);
  if (local.length < 30 || localView.getUint32(0, true) !== 0x04034b50) {
    throw notAZip(`the entry for ${member.name} is damaged`);
  }
  const start = member.localHeaderOffset + 30 + localView.getUint16(26, true) + localView.getUint16(28, true);
  if (start + member.compressedSize > source.size) throw notAZip(`${member.name} is cut short`);
  if (member.method !== 0 && member.method !== 8) {
    throw notAZip(`${member.name} is compressed with a method this app cannot read (zip method ${member.method})`);
  }
  const raw = new Uint8Array(member.compressedSize);
  for (let at = 0; at < raw.length; at += READ_CHUNK) {
    const chunk = await source.read(start + at, Math.min(READ_CHUNK, raw.length - at));
    raw.set(chunk, at);
    context.bytesRead += chunk.length;
    context.onProgress?.({ stage: 'reading', done: context.bytesRead, total: source.size });
  }
  if (member.method === 0) return raw;
  try {
    return inflateSync(raw, { out: new Uint8Array(member.size) });
  } catch (error) {
    throw notAZip(`${member.name} cannot be decompressed (${errorMessage(error)})`);
  }
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** One `.npy` member as `rows` × `dim` float32 (little-endian, C order, 2-D); a problem sentence otherwise. */
function npyMatrix(bytes: Uint8Array, dim: number): { rows: number; data: Float32Array } | string {
  const header = readNpyHeader(bytes);
  if (typeof header === 'string') return header;
  const { descr, shape: sizes, shapeText, dataStart } = header;
  if (descr !== '<f4') {
    return `holds ${descr === '>f4' ? 'big-endian ' : ''}values of type '${descr}'; a bundle stores little-endian float32 ('<f4'): np.asarray(x, dtype="<f4")`;
  }
  if (header.fortranOrder) return 'is in Fortran (column) order; save np.ascontiguousarray(x)';
  if (sizes.length !== 2) return `has shape ${shapeText}; expected 2-D: one row per vector, ${dim} columns`;
  const [rows, columns] = sizes;
  if (columns !== dim) return `has rows of ${columns} numbers, expected ${dim} (the bundle's embedding size)`;
  const count = rows * dim;
  if (bytes.length - dataStart < count * 4)
    return `is cut short: shape (${rows}, ${dim}) needs ${count * 4} bytes of data`;
  const offset = bytes.byteOffset + dataStart;
  // a view when the floats are aligned and in host order (always, for files this module writes); a copy otherwise
  if (LITTLE_ENDIAN_HOST && offset % 4 === 0) return { rows, data: new Float32Array(bytes.buffer, offset, count) };
  const data = new Float32Array(count);
  const floats = new DataView(bytes.buffer, offset, count * 4);
  for (let i = 0; i < count; i++) data[i] = floats.getFloat32(4 * i, true);
  return { rows, data };
}

/** The first row with a non-finite value or all zeros, worded; null when every row is usable. Hot path. */
function rowsProblem(
  data: Float32Array,
  rows: number,
  dim: number,
  onRows?: (done: number) => void,
): { row: number; text: string } | null {
  for (let r = 0; r < rows; r++) {
    const base = r * dim;
    let sumSq = 0;
    for (let d = 0; d < dim; d++) {
      const x = data[base + d];
      sumSq += x * x;
    }
    // one sum per row catches NaN and ±Infinity too; the slow scan only runs on a bad row
    if (!Number.isFinite(sumSq) || sumSq === 0) {
      for (let d = 0; d < dim; d++) {
        const x = data[base + d];
        if (!Number.isFinite(x)) return { row: r, text: `number ${d + 1} is ${x}, expected a finite number` };
      }
      if (sumSq === 0) return { row: r, text: 'is all zeros; it has no direction to compare' };
    }
    if (onRows !== undefined && (r + 1) % 8192 === 0) onRows(r + 1);
  }
  onRows?.(rows);
  return null;
}

function binaryHeaderSchema() {
  return plainObject({
    ...BUNDLE_HEADER_FIELDS,
    images: v.pipe(v.array(plainObject(IMAGE_RECORD_FIELDS)), v.minLength(1, IMAGES_EMPTY)),
    groupPrompts: v.optional(v.array(plainObject({ class: v.string(), attribute: v.string(), prompt: v.string() }))),
    prompts: v.optional(v.array(plainObject({ text: v.string() }))),
  });
}

/** What each matrix member holds, for messages: "images.npy (image embeddings)". */
const MEMBER_NOUNS = {
  text: 'text embeddings',
  images: 'image embeddings',
  groupPrompts: 'group prompt embeddings',
  prompts: 'prompt embeddings',
} as const;

type MatrixKey = keyof typeof MEMBER_NOUNS;

/** Reads and validates a `sage-embeddings/2` zip. Throws BundleError naming the member or field. */
export async function readBinaryBundle(
  source: ByteSource,
  onProgress?: BundleProgressListener,
): Promise<EmbeddingBundle> {
  const members = await zipDirectory(source);
  const byName = new Map(members.map((m) => [m.name, m]));
  const context: ReadContext = { source, onProgress, bytesRead: 0 };
  const headerMember = byName.get(BINARY_MEMBERS.header);
  if (headerMember === undefined) {
    throw new BundleError(
      BINARY_MEMBERS.header,
      `this zip is not a SAGE embeddings bundle: it has no ${BINARY_MEMBERS.header} (it holds ${members
        .slice(0, 5)
        .map((m) => m.name)
        .join(', ')}${members.length > 5 ? ', …' : ''})`,
    );
  }
  let root: unknown;
  try {
    root = JSON.parse(new TextDecoder().decode(await memberBytes(context, headerMember)));
  } catch (error) {
    if (error instanceof BundleError) throw error;
    throw new BundleError('(json)', `${BINARY_MEMBERS.header} is not valid JSON (${errorMessage(error)})`);
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw new BundleError('(root)', `${BINARY_MEMBERS.header} should be a JSON object, but is ${describeValue(root)}`);
  }
  const formatError = formatProblem((root as Record<string, unknown>).format, BINARY_BUNDLE_FORMAT);
  if (formatError !== null) throw new BundleError('format', formatError);
  const parsed = check(binaryHeaderSchema(), root);
  if (!parsed.ok) throw bundleError(parsed.problem, root);
  const header = parsed.value;
  const relation = relationProblem(header);
  if (relation) throw bundleError(relation, root);
  const { dim } = header;

  const expectedRows: Record<MatrixKey, number | undefined> = {
    text: header.templates.length * header.classes.length,
    images: header.images.length,
    groupPrompts: header.groupPrompts?.length,
    prompts: header.prompts?.length,
  };
  const totalRows = Object.values(expectedRows).reduce<number>((sum, rows) => sum + (rows ?? 0), 0);
  let rowsChecked = 0;
  const matrices: Partial<Record<MatrixKey, Float32Array>> = {};
  for (const key of Object.keys(MEMBER_NOUNS) as MatrixKey[]) {
    const rows = expectedRows[key];
    if (rows === undefined) continue;
    const name = BINARY_MEMBERS[key];
    const place = `${name} (${MEMBER_NOUNS[key]})`;
    const member = byName.get(name);
    if (member === undefined) {
      throw new BundleError(
        name,
        `this bundle has no ${place}: a ${BINARY_BUNDLE_FORMAT} zip needs it beside bundle.json`,
      );
    }
    const matrix = npyMatrix(await memberBytes(context, member), dim);
    if (typeof matrix === 'string') throw new BundleError(name, `${place} ${matrix}`);
    if (key === 'text') {
      const problem = textRowsProblem(matrix.rows, header);
      if (problem) throw new BundleError(name, `${place} ${problem.text}`);
    } else if (matrix.rows !== rows) {
      const listed = { images: 'images', groupPrompts: 'group prompts', prompts: 'prompts' }[key];
      throw new BundleError(
        name,
        `${place} has ${matrix.rows} rows, expected one per entry of ${listed} in bundle.json (${rows})`,
      );
    }
    const bad = rowsProblem(matrix.data, rows, dim, (done) =>
      onProgress?.({ stage: 'checking', done: rowsChecked + done, total: totalRows }),
    );
    if (bad !== null) {
      const path = key === 'text' ? ['text', bad.row] : [key, bad.row, 'embedding'];
      const problem: SchemaProblem = { path, text: bad.text, form: 'statement' };
      throw bundleError(problem, root);
    }
    rowsChecked += rows;
    matrices[key] = matrix.data;
  }

  const rowOf = (data: Float32Array | undefined, r: number) =>
    data === undefined ? new Float32Array(dim) : data.subarray(r * dim, (r + 1) * dim);
  const bundle: EmbeddingBundle = {
    format: 'sage-embeddings/1',
    model: header.model,
    dim,
    classes: header.classes,
    templates: header.templates,
    text: matrices.text ?? new Float32Array(0),
    images: header.images,
    imageEmbeddings: matrices.images ?? new Float32Array(0),
  };
  if (header.groupPrompts) {
    bundle.groupPrompts = header.groupPrompts.map((g, r) => ({ ...g, embedding: rowOf(matrices.groupPrompts, r) }));
  }
  if (header.prompts) {
    bundle.prompts = header.prompts.map((p, r) => ({ text: p.text, embedding: rowOf(matrices.prompts, r) }));
  }
  if (header.skipped) bundle.skipped = header.skipped;
  if (header.meta) bundle.meta = header.meta;
  return bundle;
}

/** Reads a bundle of either version: a zip is `sage-embeddings/2`, anything else JSON (`sage-embeddings/1`). */
export async function readBundle(source: ByteSource, onProgress?: BundleProgressListener): Promise<EmbeddingBundle> {
  const head = await source.read(0, 4);
  if (isZipHead(head)) return readBinaryBundle(source, onProgress);
  const bytes = new Uint8Array(source.size);
  for (let at = 0; at < bytes.length; at += READ_CHUNK) {
    const chunk = await source.read(at, Math.min(READ_CHUNK, bytes.length - at));
    bytes.set(chunk, at);
    onProgress?.({ stage: 'reading', done: at + chunk.length, total: source.size });
  }
  return parseBundle(new TextDecoder().decode(bytes));
}
