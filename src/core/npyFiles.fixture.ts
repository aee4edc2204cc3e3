/** Writes .npy / .npz bytes as np.save / np.savez do, for tests (float32 or float16, either byte order). */
import { zipSync } from 'fflate';

/** float → binary16 bits, round to nearest even (what numpy's astype(np.float16) does). */
export function floatToHalfBits(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    let half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  return sign | half;
}

/** The float32 value a float16 holds: the numbers an importer of a float16 array must see. */
export function roundToHalf(values: Float32Array): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const h = floatToHalfBits(values[i]);
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    const sign = h & 0x8000 ? -1 : 1;
    out[i] = exponent === 0 ? sign * fraction * 2 ** -24 : sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
  }
  return out;
}

export interface NpyOptions {
  dtype?: 'float32' | 'float16';
  bigEndian?: boolean;
  /** override the header's descr (e.g. '<f8') or fortran_order, to test refusals */
  descr?: string;
  fortran?: boolean;
  shape?: number[];
  version?: 1 | 2;
}

export function npyBytes(data: Float32Array, rows: number, dim: number, options: NpyOptions = {}): Uint8Array {
  const dtype = options.dtype ?? 'float32';
  const width = dtype === 'float32' ? 4 : 2;
  const descr = options.descr ?? `${options.bigEndian ? '>' : '<'}${dtype === 'float32' ? 'f4' : 'f2'}`;
  const shape = options.shape ?? [rows, dim];
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${options.fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const version = options.version ?? 1;
  const prefix = version === 1 ? 10 : 12;
  const padded = Math.ceil((prefix + header.length + 1) / 64) * 64;
  header = header.padEnd(padded - prefix - 1, ' ') + '\n';
  const out = new Uint8Array(prefix + header.length + data.length * width);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  const start = prefix + header.length;
  const little = !options.bigEndian;
  for (let i = 0; i < data.length; i++) {
    if (width === 4) view.setFloat32(start + 4 * i, data[i], little);
    else view.setUint16(start + 2 * i, floatToHalfBits(data[i]), little);
  }
  return out;
}

/** np.savez(path, name=array, …): a zip of name.npy members. */
export function npzBytes(arrays: Record<string, Uint8Array>, compressed = false): Uint8Array {
  const members: Record<string, Uint8Array> = {};
  for (const [name, bytes] of Object.entries(arrays)) members[`${name}.npy`] = bytes;
  return zipSync(members, { level: compressed ? 6 : 0 });
}
