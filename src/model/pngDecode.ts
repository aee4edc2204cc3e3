/**
 * PNG → RGBA with Pillow's conversion rules, on fast-png for the decoding itself. Why PNG is decoded in JS in
 * the browser too: a canvas stores pixels premultiplied, so getImageData loses the colour of translucent pixels
 * (alpha 0 → RGB 0), while Pillow's convert('RGB') keeps it.
 *
 * What is ours is only how samples become 8-bit RGBA, as Pillow's PNG modes and convert('RGB') do it:
 * - gray below 8 bits is scaled to 0…255 (1 bit → 0/255, 2 bits → ×85, 4 bits → ×17);
 * - 16-bit colour and gray + alpha keep their high byte; 16-bit gray is clipped to 255 (Pillow opens it as a
 *   32-bit integer image, whose conversion to RGB clips), so most 16-bit X-rays come out nearly white, as in
 *   Python: a product decision, see README "Image decoding" and decodingNotes.ts;
 * - palette indices take the palette colour, tRNS alpha per entry; a tRNS gray or RGB value marks alpha 0;
 * - no gamma (gAMA) or colour profile (iCCP): no colour management anywhere in the pipeline;
 * - the eXIf chunk's orientation is applied (before or after the image data), as ImageOps.exif_transpose does.
 * Every chunk's CRC is checked (Pillow skips IDAT's): a damaged file is refused, not decoded into noise.
 */
import { decode as decodeFastPng, type DecodedPng } from 'fast-png';
import { unzlibSync, zlibSync } from 'fflate';
import { applyExifOrientation, readExifOrientation } from './exifOrientation';
import { PNG_SIGNATURE, pngChunkBytes, pngChunkCrcMatches, pngChunkData, readU32BE, walkPngChunks } from './pngChunks';
import type { RgbaImage } from './preprocess';
import { errorMessage } from '../core/errors';

export class PngError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PngError';
  }
}

interface PngHeader {
  width: number;
  height: number;
  depth: number;
  colorType: number;
  interlaced: boolean;
}

const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const; // [x0, y0, dx, dy]

/** Samples unpacked to one array element per channel per pixel, plus what the conversion needs. */
interface Samples {
  values: Uint8Array | Uint16Array;
  palette?: number[][];
  transparency?: Uint16Array;
}

interface PngChunks {
  header: PngHeader;
  idat: Uint8Array[];
  /** PLTE and tRNS, whole chunks */
  ancillary: Uint8Array[];
  orientation: number;
}

/** Walks the chunks once: the header, the EXIF orientation, and every CRC. */
function readChunks(bytes: Uint8Array): PngChunks {
  let header: PngHeader | null = null;
  let orientation = 1;
  const idat: Uint8Array[] = [];
  const ancillary: Uint8Array[] = [];
  for (const chunk of walkPngChunks(bytes)) {
    if (!chunk.complete) throw new PngError(`truncated PNG chunk ${chunk.type}`);
    if (!pngChunkCrcMatches(bytes, chunk))
      throw new PngError(`PNG chunk ${chunk.type} has a bad CRC (file is corrupted)`);
    const data = pngChunkData(bytes, chunk);
    if (chunk.type === 'IHDR' && data.length >= 13) {
      header = {
        width: readU32BE(data, 0),
        height: readU32BE(data, 4),
        depth: data[8],
        colorType: data[9],
        interlaced: data[12] === 1,
      };
    } else if (chunk.type === 'IDAT') idat.push(data);
    else if (chunk.type === 'eXIf') orientation = readExifOrientation(data);
    else if (chunk.type === 'PLTE' || chunk.type === 'tRNS')
      ancillary.push(bytes.subarray(chunk.offset, chunk.dataStart + chunk.length + 4));
  }
  if (!header) throw new PngError('PNG without an IHDR header chunk');
  return { header, idat, ancillary, orientation };
}

/** Packed rows of `bits`-bit samples (rows start on a byte) → one sample per element. */
function unpackRows(packed: Uint8Array, samplesPerRow: number, rows: number, bits: number): Uint8Array {
  const out = new Uint8Array(samplesPerRow * rows);
  const rowBytes = Math.ceil((samplesPerRow * bits) / 8);
  const mask = (1 << bits) - 1;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < samplesPerRow; x++) {
      const bit = x * bits;
      out[y * samplesPerRow + x] = (packed[y * rowBytes + (bit >> 3)] >> (8 - bits - (bit & 7))) & mask;
    }
  }
  return out;
}

/**
 * fast-png 8.0 reads Adam7 passes of 1/2/4-bit images as if each pixel took a byte. Each pass is a complete
 * non-interlaced image, so it is handed to fast-png as one (with the file's PLTE/tRNS) and scattered back.
 */
function decodeLowDepthInterlaced(header: PngHeader, idat: Uint8Array[], ancillary: Uint8Array[]): Samples {
  const { width, height, depth, colorType } = header;
  const compressed = new Uint8Array(idat.reduce((n, part) => n + part.length, 0));
  idat.reduce((at, part) => (compressed.set(part, at), at + part.length), 0);
  const data = unzlibSync(compressed);
  const values = new Uint8Array(width * height);
  let meta: DecodedPng | null = null;
  let offset = 0;
  for (const [x0, y0, dx, dy] of ADAM7) {
    const passWidth = Math.ceil((width - x0) / dx);
    const passHeight = Math.ceil((height - y0) / dy);
    if (passWidth <= 0 || passHeight <= 0) continue;
    const size = passHeight * (1 + Math.ceil((passWidth * depth) / 8));
    const ihdr = new Uint8Array(13);
    new DataView(ihdr.buffer).setUint32(0, passWidth);
    new DataView(ihdr.buffer).setUint32(4, passHeight);
    ihdr.set([depth, colorType, 0, 0, 0], 8);
    const parts = [
      PNG_SIGNATURE,
      pngChunkBytes('IHDR', ihdr),
      ...ancillary,
      pngChunkBytes('IDAT', zlibSync(data.subarray(offset, offset + size), { level: 0 })),
      pngChunkBytes('IEND', new Uint8Array(0)),
    ];
    const pass = decodeFastPng(concat(parts));
    meta ??= pass;
    const passValues = unpackRows(pass.data as Uint8Array, passWidth, passHeight, depth);
    for (let py = 0; py < passHeight; py++) {
      for (let px = 0; px < passWidth; px++)
        values[(y0 + py * dy) * width + x0 + px * dx] = passValues[py * passWidth + px];
    }
    offset += size;
  }
  return { values, palette: meta?.palette, transparency: meta?.transparency };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  parts.reduce((at, part) => (out.set(part, at), at + part.length), 0);
  return out;
}

function decodeSamples(bytes: Uint8Array, header: PngHeader, idat: Uint8Array[], ancillary: Uint8Array[]): Samples {
  if (header.interlaced && header.depth < 8) return decodeLowDepthInterlaced(header, idat, ancillary);
  const png = decodeFastPng(bytes, { checkCrc: false });
  const values = png.depth < 8 ? unpackRows(png.data as Uint8Array, header.width, header.height, png.depth) : png.data;
  return { values: values as Uint8Array | Uint16Array, palette: png.palette, transparency: png.transparency };
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export function decodePng(bytes: Uint8Array): RgbaImage {
  const { header, idat, ancillary, orientation } = readChunks(bytes);
  const { width, height, depth, colorType } = header;
  const channels = CHANNELS[colorType];
  if (!width || !height || channels === undefined || ![1, 2, 4, 8, 16].includes(depth)) {
    throw new PngError(`unsupported or corrupt PNG header (colour type ${colorType}, bit depth ${depth})`);
  }
  let samples: Samples;
  try {
    samples = decodeSamples(bytes, header, idat, ancillary);
  } catch (error) {
    throw new PngError(`corrupt PNG image data (${errorMessage(error)})`);
  }
  const { values, palette, transparency } = samples;
  if (values.length < width * height * channels) throw new PngError('truncated PNG image data');
  if (colorType === 3 && !palette) throw new PngError('palette PNG without a PLTE chunk');

  const out = new Uint8Array(width * height * 4);
  const pixels = width * height;
  // 8 bits: as stored; 16: the high byte (gray: clipped); 1/2/4-bit gray: scaled to 0…255
  const shift = depth === 16 ? 8 : 0;
  const scale = depth < 8 ? 255 / ((1 << depth) - 1) : 1;
  const transparentGray = colorType === 0 && transparency ? transparency[0] : -1;
  switch (colorType) {
    case 0:
      for (let p = 0; p < pixels; p++) {
        const sample = values[p];
        const v = depth < 8 ? Math.round(sample * scale) : sample > 255 ? 255 : sample;
        out[p * 4] = out[p * 4 + 1] = out[p * 4 + 2] = v;
        out[p * 4 + 3] = sample === transparentGray ? 0 : 255;
      }
      break;
    case 2: {
      const key = transparency && transparency.length >= 3 ? transparency : null;
      for (let p = 0; p < pixels; p++) {
        const r = values[p * 3];
        const g = values[p * 3 + 1];
        const b = values[p * 3 + 2];
        out[p * 4] = r >> shift;
        out[p * 4 + 1] = g >> shift;
        out[p * 4 + 2] = b >> shift;
        out[p * 4 + 3] = key && r === key[0] && g === key[1] && b === key[2] ? 0 : 255;
      }
      break;
    }
    case 3: {
      const colours = palette ?? [];
      for (let p = 0; p < pixels; p++) {
        const entry = colours[values[p]];
        out[p * 4] = entry?.[0] ?? 0;
        out[p * 4 + 1] = entry?.[1] ?? 0;
        out[p * 4 + 2] = entry?.[2] ?? 0;
        out[p * 4 + 3] = entry?.[3] ?? 255;
      }
      break;
    }
    case 4:
      for (let p = 0; p < pixels; p++) {
        out[p * 4] = out[p * 4 + 1] = out[p * 4 + 2] = values[p * 2] >> shift;
        out[p * 4 + 3] = values[p * 2 + 1] >> shift;
      }
      break;
    case 6:
      for (let i = 0; i < pixels * 4; i++) out[i] = values[i] >> shift;
      break;
  }
  return applyExifOrientation({ width, height, data: out }, orientation);
}
