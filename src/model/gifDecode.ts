/**
 * GIF → RGBA, first frame, as Pillow 9/10 opens a GIF and convert('RGB') reads it. Decoded in JS in the browser
 * and in Node alike, because both native decoders turn transparent pixels black (RGBA 0,0,0,0), while Pillow
 * keeps the palette colour of the transparent index.
 *
 * Pillow's first-frame rules:
 * - the canvas is the logical screen (grown if the frame reaches past it); where the frame does not cover it,
 *   the canvas holds the transparent index if the frame has one, else index 0;
 * - colours come from the local colour table, else the global one; without either, index i is gray i;
 *   an index past the table's end is gray too (Pillow's palettes start as a gray ramp);
 * - the transparent index keeps its colour (alpha 0 here; CLIP's preprocessing drops alpha like convert('RGB')).
 */
import { MAX_IMAGE_PIXELS } from './imageHeader';
import type { RgbaImage } from './preprocess';

export class GifError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GifError';
  }
}

interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
  interlaced: boolean;
  palette: Uint8Array | null;
  transparentIndex: number;
  minCodeSize: number;
  /** the LZW data, sub-blocks joined */
  data: Uint8Array;
}

class Reader {
  at = 0;
  constructor(readonly bytes: Uint8Array) {}
  need(count: number): void {
    if (this.at + count > this.bytes.length) throw new GifError('truncated GIF');
  }
  u8(): number {
    this.need(1);
    return this.bytes[this.at++];
  }
  u16(): number {
    this.need(2);
    const value = this.bytes[this.at] | (this.bytes[this.at + 1] << 8);
    this.at += 2;
    return value;
  }
  take(count: number): Uint8Array {
    this.need(count);
    const out = this.bytes.subarray(this.at, this.at + count);
    this.at += count;
    return out;
  }
  /** data sub-blocks up to the 0-length terminator */
  subBlocks(): Uint8Array[] {
    const blocks: Uint8Array[] = [];
    for (let size = this.u8(); size > 0; size = this.u8()) blocks.push(this.take(size));
    return blocks;
  }
}

function colourTable(reader: Reader, flags: number): Uint8Array | null {
  return flags & 0x80 ? reader.take(3 << ((flags & 7) + 1)) : null;
}

function firstFrame(reader: Reader, globalPalette: Uint8Array | null): Frame {
  let transparentIndex = -1;
  for (;;) {
    const introducer = reader.u8();
    if (introducer === 0x3b) throw new GifError('GIF without an image');
    if (introducer === 0x21) {
      const label = reader.u8();
      const blocks = reader.subBlocks();
      // graphic control extension: flags, delay (2), transparent index
      if (label === 0xf9 && blocks[0]?.length >= 4) transparentIndex = blocks[0][0] & 1 ? blocks[0][3] : -1;
      continue;
    }
    if (introducer !== 0x2c) throw new GifError(`corrupt GIF (unexpected block 0x${introducer.toString(16)})`);
    const left = reader.u16();
    const top = reader.u16();
    const width = reader.u16();
    const height = reader.u16();
    const flags = reader.u8();
    const palette = colourTable(reader, flags) ?? globalPalette;
    const minCodeSize = reader.u8();
    const blocks = reader.subBlocks();
    const data = new Uint8Array(blocks.reduce((n, block) => n + block.length, 0));
    blocks.reduce((at, block) => (data.set(block, at), at + block.length), 0);
    return { left, top, width, height, interlaced: (flags & 0x40) !== 0, palette, transparentIndex, minCodeSize, data };
  }
}

/** GIF's LZW: variable-width codes, LSB first, a clear code, an end code, at most 4096 table entries. */
function decodeLzw(data: Uint8Array, minCodeSize: number, pixelCount: number): Uint8Array {
  if (minCodeSize < 1 || minCodeSize > 11) throw new GifError(`corrupt GIF (LZW code size ${minCodeSize})`);
  const clear = 1 << minCodeSize;
  const end = clear + 1;
  const prefix = new Int16Array(4096);
  const suffix = new Uint8Array(4096);
  const firstByte = new Uint8Array(4096);
  const lengths = new Uint16Array(4096);
  for (let code = 0; code < clear; code++) {
    suffix[code] = code;
    firstByte[code] = code;
    lengths[code] = 1;
  }
  const out = new Uint8Array(pixelCount);
  let written = 0;
  let codeSize = minCodeSize + 1;
  let next = end + 1;
  let previous = -1;
  let bits = 0;
  let bitCount = 0;
  let at = 0;
  while (written < pixelCount) {
    while (bitCount < codeSize) {
      if (at >= data.length) throw new GifError('truncated GIF image data');
      bits |= data[at++] << bitCount;
      bitCount += 8;
    }
    const code = bits & ((1 << codeSize) - 1);
    bits >>>= codeSize;
    bitCount -= codeSize;
    if (code === clear) {
      codeSize = minCodeSize + 1;
      next = end + 1;
      previous = -1;
      continue;
    }
    if (code === end) break;
    if (code > next || (code === next && previous < 0)) throw new GifError('corrupt GIF image data');
    // a new entry: the previous string + the first byte of this one (of itself, when the code is the one being made)
    if (previous >= 0 && next < 4096) {
      prefix[next] = previous;
      suffix[next] = code === next ? firstByte[previous] : firstByte[code];
      firstByte[next] = firstByte[previous];
      lengths[next] = lengths[previous] + 1;
      next++;
      if (next === 1 << codeSize && codeSize < 12) codeSize++;
    }
    // write the string for `code` backwards from its end
    const length = lengths[code];
    let position = written + length - 1;
    for (let c = code; position >= written; c = prefix[c], position--)
      if (position < pixelCount) out[position] = suffix[c];
    written += length;
    previous = code;
  }
  return out;
}

/** Row order of an interlaced frame: every 8th row from 0, every 8th from 4, every 4th from 2, every 2nd from 1. */
function interlacedRows(height: number): number[] {
  const rows: number[] = [];
  for (const [start, step] of [
    [0, 8],
    [4, 8],
    [2, 4],
    [1, 2],
  ])
    for (let y = start; y < height; y += step) rows.push(y);
  return rows;
}

export function decodeGif(bytes: Uint8Array): RgbaImage {
  const reader = new Reader(bytes);
  reader.take(6); // GIF87a / GIF89a, checked by the sniffer
  const screenWidth = reader.u16();
  const screenHeight = reader.u16();
  const flags = reader.u8();
  reader.take(2); // background index (Pillow does not paint it on the first frame), aspect ratio
  const frame = firstFrame(reader, colourTable(reader, flags));
  const width = Math.max(screenWidth, frame.left + frame.width);
  const height = Math.max(screenHeight, frame.top + frame.height);
  if (width * height > MAX_IMAGE_PIXELS) throw new GifError(`GIF frame reaches ${width}×${height}, above the limit`);
  if (width === 0 || height === 0) throw new GifError('GIF with an empty image');

  const indices = new Uint8Array(width * height).fill(Math.max(frame.transparentIndex, 0));
  const pixels = decodeLzw(frame.data, frame.minCodeSize, frame.width * frame.height);
  const rows = frame.interlaced ? interlacedRows(frame.height) : null;
  for (let y = 0; y < frame.height; y++) {
    const target = ((rows ? rows[y] : y) + frame.top) * width + frame.left;
    indices.set(pixels.subarray(y * frame.width, (y + 1) * frame.width), target);
  }

  const palette = frame.palette;
  const entries = palette ? palette.length / 3 : 0;
  const out = new Uint8Array(width * height * 4);
  for (let p = 0; p < indices.length; p++) {
    const index = indices[p];
    const o = p * 4;
    if (palette && index < entries) {
      out[o] = palette[index * 3];
      out[o + 1] = palette[index * 3 + 1];
      out[o + 2] = palette[index * 3 + 2];
    } else out[o] = out[o + 1] = out[o + 2] = index;
    out[o + 3] = index === frame.transparentIndex ? 0 : 255;
  }
  return { width, height, data: out };
}
