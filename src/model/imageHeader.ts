/**
 * Image format sniffing from file bytes, dimensions from the header (before any decode, so a decompression
 * bomb is refused without allocating it), and truncation checks for JPEG/PNG. Shared by the browser and
 * Node decoders so both reject the same files with the same reason.
 */

import { pngChunkCrcMatches, readU32BE, walkPngChunks } from './pngChunks';

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'bmp' | 'avif' | 'heic' | 'tiff' | 'svg' | 'unknown';

/** Formats the app decodes everywhere (browser and Node). */
export const SUPPORTED_FORMATS: readonly ImageFormat[] = ['jpeg', 'png', 'gif', 'webp', 'bmp'];

/** 50 megapixels: a 20,000 × 20,000 image (400 MP, 1.6 GB as RGBA) is refused before decoding. */
export const MAX_IMAGE_PIXELS = 50_000_000;

export function sniffFormat(bytes: Uint8Array): ImageFormat {
  const b = bytes;
  const ascii = (start: number, text: string) => {
    if (b.length < start + text.length) return false;
    for (let i = 0; i < text.length; i++) if (b[start + i] !== text.charCodeAt(i)) return false;
    return true;
  };
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (ascii(0, '\x89PNG\r\n\x1a\n')) return 'png';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'gif';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'webp';
  if (ascii(0, 'BM') && b.length >= 26) return 'bmp';
  if (ascii(4, 'ftyp')) {
    const brand = String.fromCharCode(b[8], b[9], b[10], b[11]);
    if (brand === 'avif' || brand === 'avis') return 'avif';
    if (['heic', 'heix', 'hevc', 'hevx', 'mif1', 'msf1', 'heim', 'heis'].includes(brand)) return 'heic';
  }
  if (ascii(0, 'II*\0') || ascii(0, 'MM\0*')) return 'tiff';
  // SVG is text: look for an <svg tag near the start
  const head = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(0, Math.min(b.length, 1024))).toLowerCase();
  if (head.includes('<svg')) return 'svg';
  return 'unknown';
}

function readU16BE(b: Uint8Array, i: number): number {
  return (b[i] << 8) | b[i + 1];
}
function readU16LE(b: Uint8Array, i: number): number {
  return b[i] | (b[i + 1] << 8);
}
function readI32LE(b: Uint8Array, i: number): number {
  return b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
}

/** Width and height from the header, or null when the header is too short or malformed. */
export function readDimensions(bytes: Uint8Array, format: ImageFormat): { width: number; height: number } | null {
  const b = bytes;
  switch (format) {
    case 'png':
      if (b.length < 24) return null;
      return { width: readU32BE(b, 16), height: readU32BE(b, 20) };
    case 'gif':
      if (b.length < 10) return null;
      return { width: readU16LE(b, 6), height: readU16LE(b, 8) };
    case 'bmp':
      if (b.length < 26) return null;
      // OS/2 bitmaps (12-byte header) store 16-bit sides; Windows ones 32-bit, negative height = top-down
      if (readI32LE(b, 14) === 12) return { width: readU16LE(b, 18), height: readU16LE(b, 20) };
      return { width: Math.abs(readI32LE(b, 18)), height: Math.abs(readI32LE(b, 22)) };
    case 'webp': {
      if (b.length < 30) return null;
      const chunk = String.fromCharCode(b[12], b[13], b[14], b[15]);
      if (chunk === 'VP8 ') return { width: readU16LE(b, 26) & 0x3fff, height: readU16LE(b, 28) & 0x3fff };
      if (chunk === 'VP8L') {
        const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
        return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
      }
      if (chunk === 'VP8X') {
        return {
          width: 1 + (b[24] | (b[25] << 8) | (b[26] << 16)),
          height: 1 + (b[27] | (b[28] << 8) | (b[29] << 16)),
        };
      }
      return null;
    }
    case 'jpeg': {
      const frame = readJpegFrame(b);
      return frame && { width: frame.width, height: frame.height };
    }
    default:
      return null;
  }
}

/** A JPEG's frame header (the first SOFn): size and number of components (1 gray, 3 colour, 4 CMYK/YCCK). */
export function readJpegFrame(b: Uint8Array): { width: number; height: number; components: number } | null {
  // walk marker segments up to the first SOFn
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++;
      continue;
    }
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) return { width: readU16BE(b, i + 7), height: readU16BE(b, i + 5), components: b[i + 9] };
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    i += 2 + readU16BE(b, i + 2);
  }
  return null;
}

/** JPEG: an EOI marker must follow the first SOS (scan data byte-stuffs 0xFF, so FF D9 only appears as EOI). */
function jpegIsComplete(b: Uint8Array): boolean {
  let sos = -1;
  for (let i = 2; i + 1 < b.length; i++) {
    if (b[i] === 0xff && b[i + 1] === 0xda) {
      sos = i;
      break;
    }
  }
  if (sos < 0) return false;
  for (let i = b.length - 2; i > sos; i--) if (b[i] === 0xff && b[i + 1] === 0xd9) return true;
  return false;
}

/** PNG: the chunk list reaches IEND. */
function pngIsComplete(b: Uint8Array): boolean {
  for (const chunk of walkPngChunks(b)) if (chunk.complete && chunk.type === 'IEND') return true;
  return false;
}

export interface HeaderCheckOk {
  ok: true;
  format: ImageFormat;
  width: number;
  height: number;
}
export interface HeaderCheckFailed {
  ok: false;
  format: ImageFormat;
  reason: string;
}

/**
 * Everything decidable from the bytes alone: empty, not an image, unsupported format, truncated,
 * over the pixel limit. A pass does not guarantee the decoder succeeds (e.g. a bad CRC).
 */
export function checkImageBytes(
  bytes: Uint8Array,
  supported: readonly ImageFormat[] = SUPPORTED_FORMATS,
  maxPixels: number = MAX_IMAGE_PIXELS,
): HeaderCheckOk | HeaderCheckFailed {
  if (bytes.length === 0) return { ok: false, format: 'unknown', reason: 'empty file (0 bytes)' };
  const format = sniffFormat(bytes);
  if (format === 'unknown') return { ok: false, format, reason: 'not an image (unrecognised file header)' };
  if (!supported.includes(format)) {
    return { ok: false, format, reason: `unsupported format ${format.toUpperCase()} (convert it to JPEG or PNG)` };
  }
  if (format === 'jpeg' && !jpegIsComplete(bytes))
    return { ok: false, format, reason: 'truncated JPEG (no end-of-image marker)' };
  if (format === 'png' && !pngIsComplete(bytes)) return { ok: false, format, reason: 'truncated PNG (no IEND chunk)' };
  const size = readDimensions(bytes, format);
  if (!size || size.width <= 0 || size.height <= 0)
    return { ok: false, format, reason: `corrupt ${format.toUpperCase()} header` };
  const pixels = size.width * size.height;
  if (pixels > maxPixels) {
    return {
      ok: false,
      format,
      reason: `image is ${size.width}×${size.height} (${(pixels / 1e6).toFixed(0)} MP), above the ${(maxPixels / 1e6).toFixed(0)} MP limit; downscale it first`,
    };
  }
  return { ok: true, format, width: size.width, height: size.height };
}

/**
 * The first PNG chunk whose CRC does not match, e.g. "IDAT chunk at byte 33"; null when every CRC matches.
 * Called only after a decode failed (robustness suite), to turn "libpng read error" into a reason a user can act on.
 */
export function pngCorruptChunk(b: Uint8Array): string | null {
  for (const chunk of walkPngChunks(b)) {
    if (chunk.complete && !pngChunkCrcMatches(b, chunk)) return `${chunk.type} chunk at byte ${chunk.offset}`;
  }
  return null;
}

/** Why a file that passed checkImageBytes still failed to decode, when the bytes can tell (else the decoder's words). */
export function explainDecodeFailure(bytes: Uint8Array, format: ImageFormat, decoderMessage: string): string {
  const corrupt = format === 'png' ? pngCorruptChunk(bytes) : null;
  if (corrupt) return `corrupt PNG: CRC mismatch in the ${corrupt} (the file is damaged)`;
  return `cannot decode ${format.toUpperCase()}: ${decoderMessage}`;
}
