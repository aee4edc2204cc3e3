/**
 * BMP → RGBA as Pillow's BmpImagePlugin reads it and convert('RGB') sees it, in JS for the browser and Node
 * (libvips, under sharp, has no BMP loader; a browser's BMP decoder scales 16-bit colour its own way).
 *
 * Pillow's rules, and so ours:
 * - headers: OS/2 (12 bytes) and Windows 40/64/108/124 bytes; negative height = stored top-down;
 * - 1/4/8-bit palette (BGR or BGRX entries, the colour count from the header); an index past the palette's end
 *   reads as gray (Pillow's palettes start as a gray ramp); RLE8 and RLE4 compression, with Pillow's handling
 *   of runs past a row's end and of odd absolute runs;
 * - 16-bit 5-5-5 (default) or 5-6-5 (bit fields): each field scaled by ⌊v · 255 / max⌋;
 * - 24-bit BGR; 32-bit BGRX, or the bit-field layouts Pillow accepts (BGRA, RGBA, ABGR, XBGR);
 * - anything else (other bit fields, JPEG/PNG inside BMP, other depths) is refused, as Pillow refuses it.
 */
import { MAX_IMAGE_PIXELS } from './imageHeader';
import type { RgbaImage } from './preprocess';

export class BmpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BmpError';
  }
}

const RAW = 0;
const RLE8 = 1;
const RLE4 = 2;
const BITFIELDS = 3;

/** Byte positions of R, G, B (and A, or -1) in a 32-bit pixel, for each 32-bit mask layout Pillow accepts. */
const LAYOUTS_32: Record<string, [number, number, number, number]> = {
  'ff0000,ff00,ff,0': [2, 1, 0, -1], // BGRX
  'ff000000,ff0000,ff00,0': [3, 2, 1, -1], // XBGR
  'ff000000,ff0000,ff00,ff': [3, 2, 1, 0], // ABGR
  'ff,ff00,ff0000,ff000000': [0, 1, 2, 3], // RGBA
  'ff0000,ff00,ff,ff000000': [2, 1, 0, 3], // BGRA
  '0,0,0,0': [2, 1, 0, 3], // BGRA
};

interface BmpInfo {
  width: number;
  height: number;
  topDown: boolean;
  bits: number;
  compression: number;
  colours: number;
  /** where the palette starts (right after the header and its masks) */
  paletteStart: number;
  paletteEntrySize: number;
  dataStart: number;
  masks: number[] | null;
}

function readInfo(b: Uint8Array): BmpInfo {
  if (b.length < 26) throw new BmpError('truncated BMP header');
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let dataStart = view.getUint32(10, true);
  const headerSize = view.getUint32(14, true);
  if (headerSize === 12) {
    return {
      width: view.getUint16(18, true),
      height: view.getUint16(20, true),
      topDown: false,
      bits: view.getUint16(24, true),
      compression: RAW,
      colours: 0,
      paletteStart: 26,
      paletteEntrySize: 3,
      dataStart,
      masks: null,
    };
  }
  if (![40, 64, 108, 124].includes(headerSize)) throw new BmpError(`unsupported BMP header type (${headerSize} bytes)`);
  if (b.length < 14 + headerSize) throw new BmpError('truncated BMP header');
  const storedHeight = view.getInt32(22, true);
  const bits = view.getUint16(28, true);
  const compression = view.getUint32(30, true);
  let paletteStart = 14 + headerSize;
  let masks: number[] | null = null;
  if (compression === BITFIELDS) {
    if (headerSize >= 56) masks = [0, 1, 2, 3].map((i) => view.getUint32(54 + i * 4, true));
    else {
      if (b.length < paletteStart + 12) throw new BmpError('truncated BMP header');
      masks = [0, 1, 2].map((i) => view.getUint32(paletteStart + i * 4, true)).concat(0);
      paletteStart += 12;
    }
  }
  const colours = view.getUint32(46, true);
  // Pillow: a data offset pointing at the palette (a common writer bug) means the pixels follow the palette
  if (dataStart === 14 + headerSize && bits <= 8) dataStart += 4 * (colours || 1 << bits);
  return {
    width: view.getInt32(18, true),
    height: Math.abs(storedHeight),
    topDown: storedHeight < 0,
    bits,
    compression,
    colours,
    paletteStart,
    paletteEntrySize: 4,
    dataStart,
    masks,
  };
}

function readPalette(b: Uint8Array, info: BmpInfo): Uint8Array {
  const count = info.colours || 1 << info.bits;
  if (!(count > 0 && count <= 65536)) throw new BmpError(`unsupported BMP palette size (${count})`);
  const end = info.paletteStart + count * info.paletteEntrySize;
  if (end > b.length) throw new BmpError('truncated BMP palette');
  const palette = new Uint8Array(count * 3);
  for (let i = 0; i < count; i++) {
    const at = info.paletteStart + i * info.paletteEntrySize;
    palette[i * 3] = b[at + 2];
    palette[i * 3 + 1] = b[at + 1];
    palette[i * 3 + 2] = b[at];
  }
  return palette;
}

/** Pillow's BmpRleDecoder: palette indices, top row last, undecoded pixels 0; fails if the data ends early. */
function decodeRle(b: Uint8Array, info: BmpInfo, rle4: boolean): Uint8Array {
  const { width, height } = info;
  const total = width * height;
  const data = new Uint8Array(total);
  let length = 0;
  let x = 0;
  let at = info.dataStart;
  const push = (value: number) => {
    if (length < total) data[length] = value;
    length++;
  };
  while (length < total && at + 2 <= b.length) {
    const count = b[at];
    const byte = b[at + 1];
    at += 2;
    if (count > 0) {
      const pixels = x + count > width ? Math.max(0, width - x) : count;
      for (let i = 0; i < pixels; i++) push(rle4 ? (i % 2 === 0 ? byte >> 4 : byte & 0x0f) : byte);
      x += pixels;
    } else if (byte === 0) {
      // end of line: pad to the row's end
      while (length % width !== 0) push(0);
      x = 0;
    } else if (byte === 1) break;
    else if (byte === 2) {
      if (at + 2 > b.length) break;
      const skip = b[at] + b[at + 1] * width;
      at += 2;
      for (let i = 0; i < skip; i++) push(0);
      x = length % width;
    } else {
      // absolute run; RLE4 reads ⌊count / 2⌋ bytes, as Pillow does
      const bytes = rle4 ? byte >> 1 : byte;
      const available = Math.min(bytes, b.length - at);
      for (let i = 0; i < available; i++) {
        if (rle4) {
          push(b[at + i] >> 4);
          push(b[at + i] & 0x0f);
        } else push(b[at + i]);
      }
      at += available;
      if (available < bytes) break;
      x += byte;
      if (at % 2 !== 0) at++; // word alignment, counted from the file's start as Pillow's file offset is
    }
  }
  if (length < total) throw new BmpError('BMP RLE data ends before the image does');
  return data;
}

export function decodeBmp(b: Uint8Array): RgbaImage {
  const info = readInfo(b);
  const { width, height, bits, compression } = info;
  if (width <= 0 || height <= 0) throw new BmpError(`corrupt BMP size ${width}×${height}`);
  if (width * height > MAX_IMAGE_PIXELS) throw new BmpError(`BMP of ${width}×${height} is above the pixel limit`);
  if (![1, 4, 8, 16, 24, 32].includes(bits)) throw new BmpError(`unsupported BMP pixel depth (${bits} bits)`);

  let layout: [number, number, number, number] | null = null; // 32-bit byte positions
  let green6 = false; // 16-bit 5-6-5
  if (compression === BITFIELDS) {
    // Pillow matches all four masks for 32 bits, the colour masks for 24 and 16
    const masks = (info.masks ?? []).map((m) => m.toString(16));
    const colourMasks = masks.slice(0, 3).join(',');
    let supported = false;
    if (bits === 32) {
      layout = LAYOUTS_32[masks.join(',')] ?? null;
      supported = layout !== null;
    } else if (bits === 24) supported = colourMasks === 'ff0000,ff00,ff';
    else if (bits === 16) {
      green6 = colourMasks === 'f800,7e0,1f';
      supported = green6 || colourMasks === '7c00,3e0,1f';
    }
    if (!supported) throw new BmpError(`unsupported BMP bit-field layout (${bits} bits, masks ${masks.join(', ')})`);
  } else if (compression === RLE8 || compression === RLE4) {
    if (bits > 8) throw new BmpError(`unsupported BMP: RLE with ${bits}-bit pixels`);
  } else if (compression !== RAW) throw new BmpError(`unsupported BMP compression (${compression})`);

  const out = new Uint8Array(width * height * 4);
  const palette = bits <= 8 ? readPalette(b, info) : null;
  const entries = palette ? palette.length / 3 : 0;
  const setIndex = (o: number, index: number) => {
    if (palette && index < entries) {
      out[o] = palette[index * 3];
      out[o + 1] = palette[index * 3 + 1];
      out[o + 2] = palette[index * 3 + 2];
    } else out[o] = out[o + 1] = out[o + 2] = index;
    out[o + 3] = 255;
  };

  if (compression === RLE8 || compression === RLE4) {
    const indices = decodeRle(b, info, compression === RLE4);
    for (let row = 0; row < height; row++) {
      const y = info.topDown ? row : height - 1 - row;
      for (let x = 0; x < width; x++) setIndex((y * width + x) * 4, indices[row * width + x]);
    }
    return { width, height, data: out };
  }

  const stride = (((width * bits + 31) >> 3) & ~3) >>> 0;
  if (info.dataStart + stride * height > b.length) throw new BmpError('truncated BMP pixel data');
  const bytesPerPixel = bits >> 3;
  const [r, g, bl, a] = layout ?? [2, 1, 0, -1];
  for (let row = 0; row < height; row++) {
    const y = info.topDown ? row : height - 1 - row;
    const start = info.dataStart + row * stride;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      if (bits <= 8) {
        const bit = x * bits;
        setIndex(o, (b[start + (bit >> 3)] >> (8 - bits - (bit & 7))) & ((1 << bits) - 1));
      } else if (bits === 16) {
        const pixel = b[start + x * 2] | (b[start + x * 2 + 1] << 8);
        out[o] = green6 ? Math.floor((((pixel >> 11) & 31) * 255) / 31) : Math.floor((((pixel >> 10) & 31) * 255) / 31);
        out[o + 1] = green6
          ? Math.floor((((pixel >> 5) & 63) * 255) / 63)
          : Math.floor((((pixel >> 5) & 31) * 255) / 31);
        out[o + 2] = Math.floor(((pixel & 31) * 255) / 31);
        out[o + 3] = 255;
      } else {
        const p = start + x * bytesPerPixel;
        out[o] = b[p + r];
        out[o + 1] = b[p + g];
        out[o + 2] = b[p + bl];
        out[o + 3] = a >= 0 ? b[p + a] : 255;
      }
    }
  }
  return { width, height, data: out };
}
