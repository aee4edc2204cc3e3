/**
 * A small PNG decoder (fflate for inflate). Why: a browser canvas stores pixels premultiplied, so
 * getImageData loses the colour of translucent pixels (alpha 0 → RGB 0), while PIL's convert('RGB') and
 * sharp keep it. Decoding PNG in JS gives the worker the exact stored RGBA, identical to Node.
 * Supports every colour type, bit depths 1–16 (16-bit → high byte, as PIL does), tRNS, Adam7 interlacing.
 * Ignores gAMA/iCCP (no colour management, like the rest of the pipeline).
 */
import { crc32 } from './crc32';
import { unzlibSync } from 'fflate';
import type { RgbaImage } from './preprocess';

const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const; // [x0, y0, dx, dy]

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export class PngError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PngError';
  }
}

function u32(b: Uint8Array, i: number): number {
  return ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3];
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Reverses the per-scanline filters in place; returns the unfiltered rows (without filter bytes). */
function unfilter(
  data: Uint8Array,
  offset: number,
  width: number,
  height: number,
  bitsPerPixel: number,
): { rows: Uint8Array; end: number } {
  const bpp = Math.max(1, bitsPerPixel >> 3);
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const rows = new Uint8Array(stride * height);
  let src = offset;
  for (let y = 0; y < height; y++) {
    if (src + 1 + stride > data.length) throw new PngError('truncated PNG image data');
    const filter = data[src++];
    const row = y * stride;
    const prev = row - stride;
    for (let x = 0; x < stride; x++) {
      const raw = data[src + x];
      const a = x >= bpp ? rows[row + x - bpp] : 0;
      const b = y > 0 ? rows[prev + x] : 0;
      const c = x >= bpp && y > 0 ? rows[prev + x - bpp] : 0;
      let value: number;
      switch (filter) {
        case 0:
          value = raw;
          break;
        case 1:
          value = raw + a;
          break;
        case 2:
          value = raw + b;
          break;
        case 3:
          value = raw + ((a + b) >> 1);
          break;
        case 4:
          value = raw + paeth(a, b, c);
          break;
        default:
          throw new PngError(`bad PNG filter type ${filter} on row ${y}`);
      }
      rows[row + x] = value & 0xff;
    }
    src += stride;
  }
  return { rows, end: src };
}

export function decodePng(bytes: Uint8Array): RgbaImage {
  let width = 0;
  let height = 0;
  let bitDepth = 0;
  let colorType = -1;
  let interlace = 0;
  let palette: Uint8Array | null = null;
  let transparency: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  let i = 8;
  while (i + 8 <= bytes.length) {
    const length = u32(bytes, i);
    const type = String.fromCharCode(bytes[i + 4], bytes[i + 5], bytes[i + 6], bytes[i + 7]);
    const body = bytes.subarray(i + 8, i + 8 + length);
    if (body.length !== length || i + 12 + length > bytes.length) throw new PngError(`truncated PNG chunk ${type}`);
    if (crc32(bytes, i + 4, i + 8 + length) !== u32(bytes, i + 8 + length))
      throw new PngError(`PNG chunk ${type} has a bad CRC (file is corrupted)`);
    if (type === 'IHDR') {
      width = u32(body, 0);
      height = u32(body, 4);
      bitDepth = body[8];
      colorType = body[9];
      interlace = body[12];
    } else if (type === 'PLTE') palette = body;
    else if (type === 'tRNS') transparency = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    i += 12 + length;
  }
  const channels = CHANNELS[colorType];
  if (!width || !height || channels === undefined || ![1, 2, 4, 8, 16].includes(bitDepth)) {
    throw new PngError(`unsupported or corrupt PNG header (colour type ${colorType}, bit depth ${bitDepth})`);
  }
  if (colorType === 3 && !palette) throw new PngError('palette PNG without a PLTE chunk');
  const compressed = new Uint8Array(idat.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of idat) {
    compressed.set(part, at);
    at += part.length;
  }
  let data: Uint8Array;
  try {
    data = unzlibSync(compressed);
  } catch (error) {
    throw new PngError(`corrupt PNG image data (${error instanceof Error ? error.message : String(error)})`);
  }

  const out = new Uint8Array(width * height * 4);
  const bitsPerPixel = channels * bitDepth;
  const maxSample = (1 << Math.min(bitDepth, 8)) - 1;
  // tRNS for gray/RGB: the one colour that is fully transparent (compared at full bit depth)
  const transparentGray =
    colorType === 0 && transparency && transparency.length >= 2 ? (transparency[0] << 8) | transparency[1] : -1;
  const transparentRgb =
    colorType === 2 && transparency && transparency.length >= 6
      ? [
          (transparency[0] << 8) | transparency[1],
          (transparency[2] << 8) | transparency[3],
          (transparency[4] << 8) | transparency[5],
        ]
      : null;

  const readSample = (rows: Uint8Array, rowStart: number, index: number): number => {
    if (bitDepth === 8) return rows[rowStart + index];
    if (bitDepth === 16) return (rows[rowStart + index * 2] << 8) | rows[rowStart + index * 2 + 1];
    const bit = index * bitDepth;
    return (rows[rowStart + (bit >> 3)] >> (8 - bitDepth - (bit & 7))) & ((1 << bitDepth) - 1);
  };
  const to8 = (sample: number): number =>
    bitDepth === 16 ? sample >> 8 : bitDepth === 8 ? sample : Math.round((sample * 255) / maxSample);

  const writePass = (
    rows: Uint8Array,
    passWidth: number,
    passHeight: number,
    x0: number,
    y0: number,
    dx: number,
    dy: number,
  ) => {
    const stride = Math.ceil((passWidth * bitsPerPixel) / 8);
    for (let py = 0; py < passHeight; py++) {
      const rowStart = py * stride;
      for (let px = 0; px < passWidth; px++) {
        const o = ((y0 + py * dy) * width + (x0 + px * dx)) * 4;
        const s = px * channels;
        switch (colorType) {
          case 0: {
            const g = readSample(rows, rowStart, s);
            const v = to8(g);
            out[o] = out[o + 1] = out[o + 2] = v;
            out[o + 3] = g === transparentGray ? 0 : 255;
            break;
          }
          case 2: {
            const r = readSample(rows, rowStart, s);
            const g = readSample(rows, rowStart, s + 1);
            const b = readSample(rows, rowStart, s + 2);
            out[o] = to8(r);
            out[o + 1] = to8(g);
            out[o + 2] = to8(b);
            out[o + 3] =
              transparentRgb && r === transparentRgb[0] && g === transparentRgb[1] && b === transparentRgb[2] ? 0 : 255;
            break;
          }
          case 3: {
            const index = readSample(rows, rowStart, s);
            const p = palette as Uint8Array;
            out[o] = p[index * 3] ?? 0;
            out[o + 1] = p[index * 3 + 1] ?? 0;
            out[o + 2] = p[index * 3 + 2] ?? 0;
            out[o + 3] = transparency && index < transparency.length ? transparency[index] : 255;
            break;
          }
          case 4: {
            const v = to8(readSample(rows, rowStart, s));
            out[o] = out[o + 1] = out[o + 2] = v;
            out[o + 3] = to8(readSample(rows, rowStart, s + 1));
            break;
          }
          case 6:
            out[o] = to8(readSample(rows, rowStart, s));
            out[o + 1] = to8(readSample(rows, rowStart, s + 1));
            out[o + 2] = to8(readSample(rows, rowStart, s + 2));
            out[o + 3] = to8(readSample(rows, rowStart, s + 3));
            break;
        }
      }
    }
  };

  if (interlace === 0) {
    const { rows } = unfilter(data, 0, width, height, bitsPerPixel);
    writePass(rows, width, height, 0, 0, 1, 1);
  } else {
    let offset = 0;
    for (const [x0, y0, dx, dy] of ADAM7) {
      const passWidth = Math.ceil((width - x0) / dx);
      const passHeight = Math.ceil((height - y0) / dy);
      if (passWidth <= 0 || passHeight <= 0) continue;
      const { rows, end } = unfilter(data, offset, passWidth, passHeight, bitsPerPixel);
      writePass(rows, passWidth, passHeight, x0, y0, dx, dy);
      offset = end;
    }
  }
  return { width, height, data: out };
}
