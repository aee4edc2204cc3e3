/**
 * Four-component (CMYK and YCCK) JPEG → RGBA, exactly as Pillow reads it: libjpeg-turbo's decode (its islow
 * IDCT, fancy upsampling and YCCK conversion, ported here integer for integer) then Pillow's CMYK → RGB.
 *
 * Why our own decoder: a browser's canvas only ever sees RGB, and Blink converts CMYK with a floor where Pillow
 * rounds (one level off on about half the values). Used in Node too, so both environments give one answer.
 *
 * Pillow assumes Adobe's inverted CMYK for every CMYK JPEG: with s = the decoded samples,
 * RGB = s_K − MULDIV255(255 − s_C|M|Y, s_K). Baseline, extended and progressive Huffman JPEGs; 1×1, 2×1, 1×2 and
 * 2×2 sampling ratios. Arithmetic-coded, lossless, 12-bit and other ratios are refused with a reason.
 */
import { applyExifOrientation, readExifOrientation } from './exifOrientation';
import { MAX_IMAGE_PIXELS } from './imageHeader';
import type { RgbaImage } from './preprocess';

export class JpegError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JpegError';
  }
}

/** Zig-zag scan position → natural (row-major) position in the 8×8 block. */
const NATURAL_ORDER = Uint8Array.from([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
  35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47,
  55, 62, 63,
]);

const LOOKUP_BITS = 9;

interface HuffmanTable {
  /** per code length 1–16: the largest code, or -1 */
  maxCode: Int32Array;
  /** per code length: index of its first value in `values` minus its first code */
  offset: Int32Array;
  values: Uint8Array;
  /** the next 9 bits → (code length << 8) | value for codes up to 9 bits long, else 0 */
  lookup: Uint16Array;
}

interface Component {
  id: number;
  h: number;
  v: number;
  quantTable: number;
  /** blocks across and down the component (its own size, not padded to whole MCUs) */
  blocksWide: number;
  blocksHigh: number;
  /** blocks per line and lines of blocks in storage (padded to whole MCUs) */
  storedWide: number;
  storedHigh: number;
  /** coefficients, 64 per block, natural order */
  coefficients: Int32Array;
  dcTable: number;
  acTable: number;
  dcPredictor: number;
}

interface Frame {
  progressive: boolean;
  width: number;
  height: number;
  components: Component[];
  maxH: number;
  maxV: number;
  mcusWide: number;
  mcusHigh: number;
}

function buildHuffman(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  const maxCode = new Int32Array(18).fill(-1);
  const offset = new Int32Array(18);
  const lookup = new Uint16Array(1 << LOOKUP_BITS);
  let code = 0;
  let index = 0;
  for (let length = 1; length <= 16; length++) {
    const count = counts[length - 1];
    offset[length] = index - code;
    for (let i = 0; i < count && length <= LOOKUP_BITS; i++) {
      const first = (code + i) << (LOOKUP_BITS - length);
      lookup.fill((length << 8) | values[index + i], first, first + (1 << (LOOKUP_BITS - length)));
    }
    code += count;
    index += count;
    if (count > 0) maxCode[length] = code - 1;
    code <<= 1;
  }
  return { maxCode, offset, values, lookup };
}

/** Entropy-coded data: bits MSB first, 0xFF00 stuffing, stops at a marker (then reads zeros, as libjpeg does). */
class BitReader {
  private bits = 0;
  private count = 0;
  markerHit = false;
  constructor(
    private readonly bytes: Uint8Array,
    public at: number,
  ) {}

  private fill(): void {
    let byte = 0;
    if (!this.markerHit && this.at < this.bytes.length) {
      byte = this.bytes[this.at];
      if (byte === 0xff) {
        const next = this.bytes[this.at + 1];
        if (next === 0) this.at += 2;
        else {
          this.markerHit = true;
          byte = 0;
        }
      } else this.at++;
    }
    // only the low `count` bits matter: older ones may fall off the 32-bit top
    this.bits = ((this.bits << 8) | byte) >>> 0;
    this.count += 8;
  }

  /** Makes at least `n` (≤ 16) bits available; past the data's end they are zeros. */
  private ensure(n: number): void {
    while (this.count < n) this.fill();
  }

  private peek(n: number): number {
    return (this.bits >>> (this.count - n)) & ((1 << n) - 1);
  }

  bit(): number {
    return this.receive(1);
  }

  receive(length: number): number {
    if (length === 0) return 0;
    this.ensure(length);
    const value = this.peek(length);
    this.count -= length;
    return value;
  }

  /** A `length`-bit magnitude category value, sign-extended (JPEG's EXTEND). */
  receiveExtend(length: number): number {
    if (length === 0) return 0;
    const value = this.receive(length);
    return value < 1 << (length - 1) ? value - (1 << length) + 1 : value;
  }

  decode(table: HuffmanTable): number {
    this.ensure(16);
    const hit = table.lookup[this.peek(LOOKUP_BITS)];
    if (hit !== 0) {
      this.count -= hit >> 8;
      return hit & 0xff;
    }
    for (let length = LOOKUP_BITS + 1; length <= 16; length++) {
      const code = this.peek(length);
      if (code <= table.maxCode[length]) {
        this.count -= length;
        return table.values[table.offset[length] + code];
      }
    }
    throw new JpegError('corrupt JPEG data (bad Huffman code)');
  }

  /** At a restart marker: drop the partial byte and step over RSTn. */
  restart(): void {
    this.bits = 0;
    this.count = 0;
    this.markerHit = false;
    while (this.at + 1 < this.bytes.length && !(this.bytes[this.at] === 0xff && this.bytes[this.at + 1] !== 0))
      this.at++;
    const marker = this.bytes[this.at + 1];
    if (marker >= 0xd0 && marker <= 0xd7) this.at += 2;
  }
}

interface Scan {
  components: Component[];
  spectralStart: number;
  spectralEnd: number;
  approxHigh: number;
  approxLow: number;
}

/** Decodes one scan's entropy-coded data into the components' coefficients. */
function decodeScan(
  reader: BitReader,
  frame: Frame,
  scan: Scan,
  dcTables: (HuffmanTable | null)[],
  acTables: (HuffmanTable | null)[],
  restartInterval: number,
): void {
  const { spectralStart: ss, spectralEnd: se, approxHigh: ah, approxLow: al } = scan;
  let eobRun = 0;
  const table = (tables: (HuffmanTable | null)[], index: number): HuffmanTable => {
    const found = tables[index];
    if (!found) throw new JpegError(`corrupt JPEG (scan uses a missing Huffman table ${index})`);
    return found;
  };

  const decodeBlock = (component: Component, offset: number) => {
    const c = component.coefficients;
    if (!frame.progressive) {
      const t = reader.decode(table(dcTables, component.dcTable));
      component.dcPredictor += reader.receiveExtend(t);
      c[offset] = component.dcPredictor;
      const ac = table(acTables, component.acTable);
      for (let k = 1; k < 64;) {
        const rs = reader.decode(ac);
        const run = rs >> 4;
        const size = rs & 15;
        if (size === 0) {
          if (run < 15) break;
          k += 16;
          continue;
        }
        k += run;
        if (k > 63) throw new JpegError('corrupt JPEG data (coefficient index past 63)');
        c[offset + NATURAL_ORDER[k]] = reader.receiveExtend(size);
        k++;
      }
      return;
    }
    if (ss === 0) {
      // DC scans: first (the value, shifted) or refinement (one more bit)
      if (ah === 0) {
        const t = reader.decode(table(dcTables, component.dcTable));
        component.dcPredictor += reader.receiveExtend(t);
        c[offset] = component.dcPredictor * (1 << al);
      } else if (reader.bit()) c[offset] |= 1 << al;
      return;
    }
    const ac = table(acTables, component.acTable);
    if (ah === 0) {
      if (eobRun > 0) {
        eobRun--;
        return;
      }
      for (let k = ss; k <= se;) {
        const rs = reader.decode(ac);
        const run = rs >> 4;
        const size = rs & 15;
        if (size === 0) {
          if (run < 15) {
            eobRun = (1 << run) - 1 + (run > 0 ? reader.receive(run) : 0);
            break;
          }
          k += 16;
          continue;
        }
        k += run;
        if (k > 63) throw new JpegError('corrupt JPEG data (coefficient index past 63)');
        c[offset + NATURAL_ORDER[k]] = reader.receiveExtend(size) * (1 << al);
        k++;
      }
      return;
    }
    // AC refinement (libjpeg's decode_mcu_AC_refine)
    const p1 = 1 << al;
    const m1 = -1 << al;
    let k = ss;
    if (eobRun === 0) {
      for (; k <= se;) {
        const rs = reader.decode(ac);
        let run = rs >> 4;
        const size = rs & 15;
        let value = 0;
        if (size !== 0) {
          if (size !== 1) throw new JpegError('corrupt JPEG data (bad refinement value)');
          value = reader.bit() ? p1 : m1;
        } else if (run !== 15) {
          eobRun = 1 << run;
          if (run > 0) eobRun += reader.receive(run);
          break;
        }
        // skip `run` zero-history coefficients, refining the nonzero ones passed on the way
        for (; k <= se; k++) {
          const at = offset + NATURAL_ORDER[k];
          if (c[at] !== 0) {
            if (reader.bit() && (c[at] & p1) === 0) c[at] += c[at] >= 0 ? p1 : m1;
          } else {
            if (run === 0) {
              if (value !== 0) c[at] = value;
              k++;
              break;
            }
            run--;
          }
        }
      }
    }
    if (eobRun > 0) {
      // the rest of the band: refine nonzero coefficients only
      for (; k <= se; k++) {
        const at = offset + NATURAL_ORDER[k];
        if (c[at] !== 0 && reader.bit() && (c[at] & p1) === 0) c[at] += c[at] >= 0 ? p1 : m1;
      }
      eobRun--;
    }
  };

  const single = scan.components.length === 1;
  const unitsWide = single ? scan.components[0].blocksWide : frame.mcusWide;
  const unitsHigh = single ? scan.components[0].blocksHigh : frame.mcusHigh;
  const total = unitsWide * unitsHigh;
  for (let unit = 0; unit < total; unit++) {
    if (restartInterval > 0 && unit > 0 && unit % restartInterval === 0) {
      reader.restart();
      eobRun = 0;
      for (const component of scan.components) component.dcPredictor = 0;
    }
    const row = Math.floor(unit / unitsWide);
    const col = unit % unitsWide;
    if (single) {
      const component = scan.components[0];
      decodeBlock(component, (row * component.storedWide + col) * 64);
      continue;
    }
    for (const component of scan.components) {
      for (let by = 0; by < component.v; by++) {
        for (let bx = 0; bx < component.h; bx++) {
          const blockRow = row * component.v + by;
          const blockCol = col * component.h + bx;
          decodeBlock(component, (blockRow * component.storedWide + blockCol) * 64);
        }
      }
    }
  }
}

// ---- libjpeg-turbo's jpeg_idct_islow (jidctint.c), in exact integer arithmetic ----

const CONST_BITS = 13;
const PASS1_BITS = 2;
const FIX_0_298631336 = 2446;
const FIX_0_390180644 = 3196;
const FIX_0_541196100 = 4433;
const FIX_0_765366865 = 6270;
const FIX_0_899976223 = 7373;
const FIX_1_175875602 = 9633;
const FIX_1_501321110 = 12299;
const FIX_1_847759065 = 15137;
const FIX_1_961570560 = 16069;
const FIX_2_053119869 = 16819;
const FIX_2_562915447 = 20995;
const FIX_3_072711026 = 25172;

/**
 * C's DESCALE (add half, arithmetic shift right) on integers that may exceed 32 bits: in doubles, where
 * multiplying by a power of two is exact.
 */
function descale(x: number, n: number): number {
  return Math.floor((x + HALF[n]) * INVERSE[n]);
}
const HALF = Array.from({ length: 32 }, (_, n) => (n > 0 ? 2 ** (n - 1) : 0));
const INVERSE = Array.from({ length: 32 }, (_, n) => 2 ** -n);

/** libjpeg's post-IDCT range limit: sample + 128 clamped to 0…255, on the index masked to 10 bits. */
function rangeLimit(x: number): number {
  const i = x & 1023;
  return i < 128 ? i + 128 : i < 512 ? 255 : i < 896 ? 0 : i - 896;
}

/** One row or column of the odd/even butterfly; writes 8 outputs scaled by `shift` to out[base + k·step]. */
function idct1d(
  d0: number,
  d1: number,
  d2: number,
  d3: number,
  d4: number,
  d5: number,
  d6: number,
  d7: number,
  out: Int32Array | number[],
  base: number,
  step: number,
  shift: number,
): void {
  let z1 = (d2 + d6) * FIX_0_541196100;
  const tmp2e = z1 - d6 * FIX_1_847759065;
  const tmp3e = z1 + d2 * FIX_0_765366865;
  const tmp0e = (d0 + d4) * (1 << CONST_BITS);
  const tmp1e = (d0 - d4) * (1 << CONST_BITS);
  const tmp10 = tmp0e + tmp3e;
  const tmp13 = tmp0e - tmp3e;
  const tmp11 = tmp1e + tmp2e;
  const tmp12 = tmp1e - tmp2e;

  let tmp0 = d7;
  let tmp1 = d5;
  let tmp2 = d3;
  let tmp3 = d1;
  z1 = tmp0 + tmp3;
  let z2 = tmp1 + tmp2;
  let z3 = tmp0 + tmp2;
  let z4 = tmp1 + tmp3;
  const z5 = (z3 + z4) * FIX_1_175875602;
  tmp0 *= FIX_0_298631336;
  tmp1 *= FIX_2_053119869;
  tmp2 *= FIX_3_072711026;
  tmp3 *= FIX_1_501321110;
  z1 *= -FIX_0_899976223;
  z2 *= -FIX_2_562915447;
  z3 = z3 * -FIX_1_961570560 + z5;
  z4 = z4 * -FIX_0_390180644 + z5;
  tmp0 += z1 + z3;
  tmp1 += z2 + z4;
  tmp2 += z2 + z3;
  tmp3 += z1 + z4;

  out[base] = descale(tmp10 + tmp3, shift);
  out[base + 7 * step] = descale(tmp10 - tmp3, shift);
  out[base + step] = descale(tmp11 + tmp2, shift);
  out[base + 6 * step] = descale(tmp11 - tmp2, shift);
  out[base + 2 * step] = descale(tmp12 + tmp1, shift);
  out[base + 5 * step] = descale(tmp12 - tmp1, shift);
  out[base + 3 * step] = descale(tmp13 + tmp0, shift);
  out[base + 4 * step] = descale(tmp13 - tmp0, shift);
}

/** Whether values 2–8 of a column (step 8) or row (step 1) are zero: libjpeg's shortcut for flat lines. */
function onlyFirstNonzero(values: Int32Array, start: number, step: number): boolean {
  for (let k = 1; k < 8; k++) if (values[start + k * step] !== 0) return false;
  return true;
}

/** Dequantises and inverse-transforms one block into 8×8 samples at plane[at], rows `stride` apart. */
function idctBlock(
  c: Int32Array,
  offset: number,
  quant: Uint16Array,
  plane: Uint8Array,
  at: number,
  stride: number,
  work: Int32Array,
  row: number[],
): void {
  for (let col = 0; col < 8; col++) {
    const at = offset + col;
    if (onlyFirstNonzero(c, at, 8)) {
      const dc = c[at] * quant[col] * (1 << PASS1_BITS);
      for (let k = 0; k < 8; k++) work[k * 8 + col] = dc;
      continue;
    }
    idct1d(
      c[at] * quant[col],
      c[at + 8] * quant[8 + col],
      c[at + 16] * quant[16 + col],
      c[at + 24] * quant[24 + col],
      c[at + 32] * quant[32 + col],
      c[at + 40] * quant[40 + col],
      c[at + 48] * quant[48 + col],
      c[at + 56] * quant[56 + col],
      work,
      col,
      8,
      CONST_BITS - PASS1_BITS,
    );
  }
  for (let r = 0; r < 8; r++) {
    const w = r * 8;
    const out = at + r * stride;
    if (onlyFirstNonzero(work, w, 1)) {
      plane.fill(rangeLimit(descale(work[w], PASS1_BITS + 3)), out, out + 8);
      continue;
    }
    idct1d(
      work[w],
      work[w + 1],
      work[w + 2],
      work[w + 3],
      work[w + 4],
      work[w + 5],
      work[w + 6],
      work[w + 7],
      row,
      0,
      1,
      CONST_BITS + PASS1_BITS + 3,
    );
    for (let k = 0; k < 8; k++) plane[out + k] = rangeLimit(row[k]);
  }
}

// ---- libjpeg-turbo's upsampling (jdsample.c) ----

/** A component plane at full resolution: as is, or libjpeg-turbo's fancy (triangle) upsampling. */
function upsample(plane: Uint8Array, stride: number, component: Component, frame: Frame): Uint8Array {
  const { width, height, maxH, maxV } = frame;
  const inWidth = Math.ceil((width * component.h) / maxH);
  const inHeight = Math.ceil((height * component.v) / maxV);
  const hRatio = maxH / component.h;
  const vRatio = maxV / component.v;
  const out = new Uint8Array(width * height);
  const sample = (x: number, y: number) => plane[Math.min(y, inHeight - 1) * stride + x];
  if (hRatio === 1 && vRatio === 1) {
    for (let y = 0; y < height; y++) out.set(plane.subarray(y * stride, y * stride + width), y * width);
    return out;
  }
  // libjpeg-turbo: triangle filters for 2×1 and 2×2 when the plane is wider than 2 samples, and for 1×2
  const fancy = (hRatio === 2 && (vRatio === 1 || vRatio === 2) && inWidth > 2) || (hRatio === 1 && vRatio === 2);
  if (!fancy) {
    if (!Number.isInteger(hRatio) || !Number.isInteger(vRatio))
      throw new JpegError(`unsupported JPEG sampling (${component.h}×${component.v} of ${maxH}×${maxV})`);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) out[y * width + x] = sample(Math.floor(x / hRatio), Math.floor(y / vRatio));
    return out;
  }
  const row = new Uint8Array(inWidth * 2);
  for (let y = 0; y < height; y++) {
    const inY = Math.floor(y / vRatio);
    if (vRatio === 1) {
      // h2v1: 3/4 of the nearer sample + 1/4 of the farther, biased 1 and 2
      const s = (x: number) => sample(x, inY);
      row[0] = s(0);
      row[1] = (s(0) * 3 + s(1) + 2) >> 2;
      for (let x = 1; x < inWidth - 1; x++) {
        row[2 * x] = (s(x) * 3 + s(x - 1) + 1) >> 2;
        row[2 * x + 1] = (s(x) * 3 + s(x + 1) + 2) >> 2;
      }
      row[2 * inWidth - 2] = (s(inWidth - 1) * 3 + s(inWidth - 2) + 1) >> 2;
      row[2 * inWidth - 1] = s(inWidth - 1);
    } else {
      // v2: the nearer row ×3 + the farther row (above for even output rows, below for odd; edges repeat)
      const other = y % 2 === 0 ? Math.max(inY - 1, 0) : Math.min(inY + 1, inHeight - 1);
      const column = (x: number) => sample(x, inY) * 3 + sample(x, other);
      if (hRatio === 1) {
        const bias = y % 2 === 0 ? 1 : 2;
        for (let x = 0; x < inWidth; x++) row[x] = (column(x) + bias) >> 2;
      } else {
        row[0] = (column(0) * 4 + 8) >> 4;
        row[1] = (column(0) * 3 + column(1) + 7) >> 4;
        for (let x = 1; x < inWidth - 1; x++) {
          row[2 * x] = (column(x) * 3 + column(x - 1) + 8) >> 4;
          row[2 * x + 1] = (column(x) * 3 + column(x + 1) + 7) >> 4;
        }
        row[2 * inWidth - 2] = (column(inWidth - 1) * 3 + column(inWidth - 2) + 8) >> 4;
        row[2 * inWidth - 1] = (column(inWidth - 1) * 4 + 7) >> 4;
      }
    }
    out.set(row.subarray(0, width), y * width);
  }
  return out;
}

// ---- libjpeg-turbo's YCCK → CMYK (jdcolor.c ycck_cmyk_convert) ----

const SCALEBITS = 16;
const ONE_HALF = 1 << (SCALEBITS - 1);
const fix = (x: number) => Math.floor(x * (1 << SCALEBITS) + 0.5);

function ycckToCmyk(y: Uint8Array, cb: Uint8Array, cr: Uint8Array): void {
  const crR = new Int32Array(256);
  const cbB = new Int32Array(256);
  const crG = new Float64Array(256);
  const cbG = new Float64Array(256);
  for (let i = 0; i < 256; i++) {
    const x = i - 128;
    crR[i] = Math.floor((fix(1.402) * x + ONE_HALF) / 2 ** SCALEBITS);
    cbB[i] = Math.floor((fix(1.772) * x + ONE_HALF) / 2 ** SCALEBITS);
    crG[i] = -fix(0.71414) * x;
    cbG[i] = -fix(0.34414) * x + ONE_HALF;
  }
  const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);
  for (let i = 0; i < y.length; i++) {
    const luma = y[i];
    const blue = cb[i];
    const red = cr[i];
    y[i] = clamp(255 - (luma + crR[red]));
    cb[i] = clamp(255 - (luma + Math.floor((cbG[blue] + crG[red]) / 2 ** SCALEBITS)));
    cr[i] = clamp(255 - (luma + cbB[blue]));
  }
}

/** round(a · b / 255) for bytes, in Pillow's integer form (MULDIV255 in libImaging). */
function mulDiv255(a: number, b: number): number {
  const t = a * b + 128;
  return ((t >> 8) + t) >> 8;
}

// ---- markers ----

function u16(b: Uint8Array, at: number): number {
  if (at + 2 > b.length) throw new JpegError('truncated JPEG');
  return (b[at] << 8) | b[at + 1];
}

function readFrame(b: Uint8Array, at: number, marker: number): Frame {
  const precision = b[at + 2];
  if (precision !== 8) throw new JpegError(`unsupported JPEG sample precision (${precision} bits)`);
  const height = u16(b, at + 3);
  const width = u16(b, at + 5);
  const count = b[at + 7];
  if (count !== 4) throw new JpegError(`expected a 4-component (CMYK) JPEG, found ${count} components`);
  if (width === 0 || height === 0) throw new JpegError('JPEG with no size in its frame header');
  if (width * height > MAX_IMAGE_PIXELS) throw new JpegError(`JPEG of ${width}×${height} is above the pixel limit`);
  const components: Component[] = [];
  for (let i = 0; i < count; i++) {
    const p = at + 8 + i * 3;
    const h = b[p + 1] >> 4;
    const v = b[p + 1] & 15;
    if (h < 1 || h > 4 || v < 1 || v > 4) throw new JpegError('corrupt JPEG frame header (sampling factors)');
    components.push({
      id: b[p],
      h,
      v,
      quantTable: b[p + 2] & 3,
      blocksWide: 0,
      blocksHigh: 0,
      storedWide: 0,
      storedHigh: 0,
      coefficients: new Int32Array(0),
      dcTable: 0,
      acTable: 0,
      dcPredictor: 0,
    });
  }
  const maxH = Math.max(...components.map((c) => c.h));
  const maxV = Math.max(...components.map((c) => c.v));
  const mcusWide = Math.ceil(width / (8 * maxH));
  const mcusHigh = Math.ceil(height / (8 * maxV));
  for (const c of components) {
    c.blocksWide = Math.ceil(Math.ceil((width * c.h) / maxH) / 8);
    c.blocksHigh = Math.ceil(Math.ceil((height * c.v) / maxV) / 8);
    c.storedWide = mcusWide * c.h;
    c.storedHigh = mcusHigh * c.v;
    c.coefficients = new Int32Array(c.storedWide * c.storedHigh * 64);
  }
  return { progressive: marker === 0xc2, width, height, components, maxH, maxV, mcusWide, mcusHigh };
}

export function decodeCmykJpeg(b: Uint8Array): RgbaImage {
  const quantTables: (Uint16Array | null)[] = [null, null, null, null];
  const dcTables: (HuffmanTable | null)[] = [null, null, null, null];
  const acTables: (HuffmanTable | null)[] = [null, null, null, null];
  let frame: Frame | null = null;
  let restartInterval = 0;
  let adobeTransform = -1;
  let orientation = 1;
  let at = 2;
  let finished = false;
  while (!finished) {
    if (at + 2 > b.length) throw new JpegError('truncated JPEG (no end-of-image marker)');
    if (b[at] !== 0xff) throw new JpegError(`corrupt JPEG (no marker at byte ${at})`);
    const marker = b[at + 1];
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (marker === 0xd9) break;
    const length = u16(b, at + 2);
    const start = at + 4;
    const end = at + 2 + length;
    if (end > b.length) throw new JpegError('truncated JPEG');
    switch (marker) {
      case 0xdb: // DQT
        for (let p = start; p < end;) {
          const wide = b[p] >> 4;
          const id = b[p] & 3;
          const table = new Uint16Array(64);
          for (let k = 0; k < 64; k++) table[NATURAL_ORDER[k]] = wide ? u16(b, p + 1 + k * 2) : b[p + 1 + k];
          quantTables[id] = table;
          p += 1 + 64 * (wide ? 2 : 1);
        }
        break;
      case 0xc4: // DHT
        for (let p = start; p < end;) {
          const kind = b[p] >> 4;
          const id = b[p] & 3;
          const counts = b.subarray(p + 1, p + 17);
          const total = counts.reduce((sum, n) => sum + n, 0);
          const table = buildHuffman(counts, b.slice(p + 17, p + 17 + total));
          if (kind === 0) dcTables[id] = table;
          else acTables[id] = table;
          p += 17 + total;
        }
        break;
      case 0xdd: // DRI
        restartInterval = u16(b, start);
        break;
      case 0xee: // APP14: Adobe's transform flag (2 = YCCK)
        if (length >= 14 && String.fromCharCode(...b.subarray(start, start + 5)) === 'Adobe')
          adobeTransform = b[start + 11];
        break;
      case 0xe1: // APP1: EXIF orientation, applied as Pillow's exif_transpose does
        if (String.fromCharCode(...b.subarray(start, start + 4)) === 'Exif')
          orientation = readExifOrientation(b.subarray(start, end));
        break;
      case 0xc0:
      case 0xc1:
      case 0xc2:
        frame = readFrame(b, at + 2, marker);
        break;
      case 0xda: {
        // SOS
        if (!frame) throw new JpegError('corrupt JPEG (scan before frame header)');
        const count = b[start];
        const components: Component[] = [];
        for (let i = 0; i < count; i++) {
          const id = b[start + 1 + i * 2];
          const tables = b[start + 2 + i * 2];
          const component = frame.components.find((c) => c.id === id);
          if (!component) throw new JpegError('corrupt JPEG (scan names an unknown component)');
          component.dcTable = tables >> 4;
          component.acTable = tables & 15;
          component.dcPredictor = 0;
          components.push(component);
        }
        const p = start + 1 + count * 2;
        const scan: Scan = {
          components,
          spectralStart: b[p],
          spectralEnd: b[p + 1],
          approxHigh: b[p + 2] >> 4,
          approxLow: b[p + 2] & 15,
        };
        const reader = new BitReader(b, end);
        decodeScan(reader, frame, scan, dcTables, acTables, restartInterval);
        // continue at the next marker after the entropy-coded data
        at = reader.at;
        while (at + 1 < b.length && !(b[at] === 0xff && b[at + 1] !== 0 && (b[at + 1] < 0xd0 || b[at + 1] > 0xd7)))
          at++;
        if (at + 1 >= b.length) finished = true;
        continue;
      }
      default:
        if (
          (marker >= 0xc3 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) ||
          marker === 0xc8
        )
          throw new JpegError('unsupported JPEG coding (lossless, hierarchical or arithmetic)');
    }
    at = end;
  }
  if (!frame) throw new JpegError('JPEG without a frame header');

  // samples per component, at full resolution
  const work = new Int32Array(64);
  const row: number[] = new Array<number>(8).fill(0);
  const planes = frame.components.map((component) => {
    const quant = quantTables[component.quantTable];
    if (!quant) throw new JpegError(`corrupt JPEG (missing quantisation table ${component.quantTable})`);
    const stride = component.storedWide * 8;
    const plane = new Uint8Array(stride * component.storedHigh * 8);
    for (let by = 0; by < component.storedHigh; by++)
      for (let bx = 0; bx < component.storedWide; bx++)
        idctBlock(
          component.coefficients,
          (by * component.storedWide + bx) * 64,
          quant,
          plane,
          by * 8 * stride + bx * 8,
          stride,
          work,
          row,
        );
    return upsample(plane, stride, component, frame);
  });
  if (adobeTransform === 2) ycckToCmyk(planes[0], planes[1], planes[2]);
  const [c, m, y, k] = planes;
  const pixels = frame.width * frame.height;
  const out = new Uint8Array(pixels * 4);
  for (let i = 0; i < pixels; i++) {
    const white = k[i];
    out[i * 4] = white - mulDiv255(255 - c[i], white);
    out[i * 4 + 1] = white - mulDiv255(255 - m[i], white);
    out[i * 4 + 2] = white - mulDiv255(255 - y[i], white);
    out[i * 4 + 3] = 255;
  }
  return applyExifOrientation({ width: frame.width, height: frame.height, data: out }, orientation);
}
