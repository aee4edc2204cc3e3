/**
 * The one PNG chunk walker (the header check, the decoder and the robustness fixtures all use it): after the
 * 8-byte signature, chunks of length (4, big endian) · type (4 ASCII) · data · CRC-32 of type + data (4).
 */
import { crc32 } from './crc32';

export const PNG_SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngChunk {
  type: string;
  /** byte offset of the chunk's length field */
  offset: number;
  /** byte offset of the data */
  dataStart: number;
  length: number;
  /** false when the file ends inside this chunk (it is then the last one walked) */
  complete: boolean;
}

export function readU32BE(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) >>> 0) + (bytes[at + 1] << 16) + (bytes[at + 2] << 8) + bytes[at + 3];
}

/** Chunks in file order, up to IEND or the first chunk the file is too short for. */
export function* walkPngChunks(bytes: Uint8Array): Generator<PngChunk> {
  let offset = PNG_SIGNATURE.length;
  while (offset + 8 <= bytes.length) {
    const length = readU32BE(bytes, offset);
    const type = String.fromCharCode(bytes[offset + 4], bytes[offset + 5], bytes[offset + 6], bytes[offset + 7]);
    const end = offset + 12 + length;
    const complete = end <= bytes.length;
    yield { type, offset, dataStart: offset + 8, length, complete };
    if (!complete || type === 'IEND') return;
    offset = end;
  }
}

export function pngChunkData(bytes: Uint8Array, chunk: PngChunk): Uint8Array {
  return bytes.subarray(chunk.dataStart, chunk.dataStart + chunk.length);
}

/** Whether the stored CRC matches type + data (only for complete chunks). */
export function pngChunkCrcMatches(bytes: Uint8Array, chunk: PngChunk): boolean {
  const crcAt = chunk.dataStart + chunk.length;
  return crc32(bytes, chunk.offset + 4, crcAt) === readU32BE(bytes, crcAt);
}

/** One chunk's bytes with its CRC, for writing PNGs (test fixtures, re-wrapped image data). */
export function pngChunkBytes(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}
