/**
 * NumPy `.npy` (format versions 1–3) and `.npz` (a zip of `.npy` members) readers for embedding matrices:
 * 2-D, C order, float32 or float16 (either byte order), returned as row-major float32. Anything else is refused
 * with a sentence that says how to save the array so it can be read. Pure: bytes in, typed arrays out.
 */
import { unzipSync } from 'fflate';
import { errorMessage } from './errors';
import { ImportError } from './importError';

export interface EmbeddingMatrix {
  rows: number;
  dim: number;
  /** rows × dim float32, row-major */
  data: Float32Array;
  /** the dtype stored in the file */
  dtype: 'float32' | 'float16';
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const SAVE_AS_FLOAT32 = 'save it with np.save(path, np.ascontiguousarray(x, dtype=np.float32))';

/** half → single precision (IEEE 754 binary16), exact. */
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** One `'key': value` of the header dict (a Python literal; only the three keys numpy writes are read). */
function headerField(header: string, key: string): string | undefined {
  const match = new RegExp(`['"]${key}['"]\\s*:\\s*`).exec(header);
  if (!match) return undefined;
  const rest = header.slice(match.index + match[0].length);
  if (rest.startsWith('(')) return rest.slice(0, rest.indexOf(')') + 1);
  return /^('[^']*'|"[^"]*"|True|False)/.exec(rest)?.[0];
}

function describeDtype(descr: string): string {
  const kind = descr.replace(/^[<>|=]/, '');
  const names: Record<string, string> = {
    f8: 'float64',
    i8: 'int64',
    i4: 'int32',
    i2: 'int16',
    i1: 'int8',
    u1: 'uint8',
    b1: 'bool',
  };
  return names[kind] ? `${names[kind]} ('${descr}')` : `'${descr}'`;
}

/** What a `.npy` header says (format versions 1–3): the array's dtype, order and shape, and where its data starts. */
export interface NpyHeader {
  /** numpy's dtype string, e.g. '<f4' */
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** the shape as written, e.g. "(15,)" */
  shapeText: string;
  /** byte offset of the first value */
  dataStart: number;
}

/**
 * Reads the header of a `.npy` file: the one header reader of the app, for imported arrays (parseNpy) and a
 * `sage-embeddings/2` bundle's members (bundleBinary.ts), each with its own rule on dtypes. A problem is a
 * sentence that continues the file's name ("emb.npy ends inside its header").
 */
export function readNpyHeader(bytes: Uint8Array): NpyHeader | string {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    return 'is not a NumPy .npy file (it does not start with \\x93NUMPY); save the array with np.save';
  }
  const major = bytes[6];
  if (major < 1 || major > 3)
    return `uses .npy format version ${major}, which this reader does not know (it reads versions 1 to 3)`;
  if (major !== 1 && bytes.length < 12) return 'ends inside its header';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerStart = major === 1 ? 10 : 12;
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) return 'ends inside its header';
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  const descr = headerField(header, 'descr')?.slice(1, -1);
  const fortran = headerField(header, 'fortran_order');
  const shapeText = headerField(header, 'shape');
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    return 'has a header without descr, fortran_order and shape; it was not written by np.save';
  }
  const shape = shapeText
    .slice(1, -1)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.some((n) => !Number.isSafeInteger(n) || n < 0))
    return `has a shape ${shapeText} that is not a list of sizes`;
  return { descr, fortranOrder: fortran === 'True', shape, shapeText, dataStart };
}

/**
 * Parses one `.npy` file. `name` is how the file is called in messages ("emb.npy", "emb.npz: img.npy").
 * Throws ImportError with a sentence when the file is not a 2-D C-order float32/float16 array.
 */
export function parseNpy(bytes: Uint8Array, name: string): EmbeddingMatrix {
  const fail = (message: string): never => {
    throw new ImportError(name, `${name}: ${message}`);
  };
  const header = readNpyHeader(bytes);
  if (typeof header === 'string') return fail(header);
  const { descr, shape, shapeText, dataStart } = header;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (shape.length !== 2) {
    fail(
      `holds a ${shape.length}-D array of shape ${shapeText}; expected 2-D (one row per image or prompt, one column per dimension)` +
        (shape.length > 2 ? ': reshape it with x.reshape(len(x), -1)' : ''),
    );
  }
  if (header.fortranOrder) {
    fail(`is stored in Fortran (column-major) order; ${SAVE_AS_FLOAT32}`);
  }
  const little = descr.startsWith('<') || descr.startsWith('|') || descr.startsWith('=');
  const kind = descr.replace(/^[<>|=]/, '');
  if (kind !== 'f4' && kind !== 'f2') {
    fail(`holds ${describeDtype(descr)} values; expected float32 or float16: ${SAVE_AS_FLOAT32}`);
  }
  const [rows, dim] = shape;
  if (rows === 0) fail('has no rows');
  if (dim === 0) fail('has rows of length 0');
  const width = kind === 'f4' ? 4 : 2;
  const expected = rows * dim * width;
  if (bytes.length - dataStart < expected) {
    fail(
      `is cut short: shape (${rows}, ${dim}) needs ${expected} bytes of data, the file has ${bytes.length - dataStart}`,
    );
  }
  const data = new Float32Array(rows * dim);
  const count = rows * dim;
  if (width === 4) {
    for (let i = 0; i < count; i++) data[i] = view.getFloat32(dataStart + 4 * i, little);
  } else {
    for (let i = 0; i < count; i++) data[i] = halfToFloat(view.getUint16(dataStart + 2 * i, little));
  }
  return { rows, dim, data, dtype: width === 4 ? 'float32' : 'float16' };
}

/** The arrays of an `.npz` (np.savez / np.savez_compressed), keyed by name without ".npy". */
export function parseNpz(bytes: Uint8Array, name: string): Map<string, Uint8Array> {
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(bytes);
  } catch (error) {
    throw new ImportError(name, `${name}: is not a readable .npz (zip) file (${errorMessage(error)})`);
  }
  const arrays = new Map<string, Uint8Array>();
  for (const [member, data] of Object.entries(members)) {
    if (member.endsWith('.npy')) arrays.set(member.slice(0, -4), data);
  }
  if (arrays.size === 0) throw new ImportError(name, `${name}: holds no .npy arrays`);
  return arrays;
}

/**
 * One matrix from an `.npy` or `.npz`. In an `.npz`, `key` names the array ("emb.npz:text" on the command line);
 * without it the file must hold exactly one array.
 */
export function readEmbeddingMatrix(bytes: Uint8Array, name: string, key?: string): EmbeddingMatrix {
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b; // PK: np.savez writes a zip
  if (!isZip) {
    if (key !== undefined) throw new ImportError(name, `${name}: is an .npy file; only an .npz has named arrays`);
    return parseNpy(bytes, name);
  }
  const arrays = parseNpz(bytes, name);
  const names = [...arrays.keys()];
  const chosen = key ?? (names.length === 1 ? names[0] : undefined);
  if (chosen === undefined) {
    throw new ImportError(
      name,
      `${name}: holds ${names.length} arrays (${names.join(', ')}); say which one, e.g. ${name}:${names[0]}`,
    );
  }
  const member = arrays.get(chosen);
  if (member === undefined) {
    throw new ImportError(name, `${name}: has no array named "${chosen}" (it holds ${names.join(', ')})`);
  }
  return parseNpy(member, `${name}: ${chosen}`);
}

/** The arrays' names in an `.npz` (for the app's form), or [] for an `.npy`. */
export function npzArrayNames(bytes: Uint8Array, name: string): string[] {
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b)) return [];
  return [...parseNpz(bytes, name).keys()];
}
