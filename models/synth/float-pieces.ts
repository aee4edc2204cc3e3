// Reading a float32 initializer's payload back, piece by piece, so the q8 and fp16 variants can be derived
// from the fp32 weights without holding a whole tensor in memory.

import type { InitializerSpec } from './onnx.ts';

/** The float32 values of a little-endian float32 payload, in order, one piece at a time. */
export function* floatPieces(init: InitializerSpec): Generator<Float32Array> {
  for (const piece of init.data.pieces()) {
    if (piece.byteLength % 4 !== 0) throw new Error(`${init.name}: a float32 piece of ${piece.byteLength} bytes`);
    // A view needs 4-byte alignment; an unaligned piece is copied.
    yield piece.byteOffset % 4 === 0
      ? new Float32Array(piece.buffer, piece.byteOffset, piece.byteLength / 4)
      : new Float32Array(piece.slice().buffer);
  }
}

export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}
