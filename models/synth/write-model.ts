// Streams an ONNX model to disk and hashes it on the way, so memory stays at one weight piece.

import { createHash } from 'node:crypto';
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { modelMessage, type ModelSpec } from './onnx.ts';

export interface WrittenFile {
  bytes: number;
  sha256: string;
}

/** Small writes are batched into a buffer of this size to keep syscalls few. */
const WRITE_BUFFER_BYTES = 4 << 20;

export function writeModel(spec: ModelSpec, path: string): WrittenFile {
  const message = modelMessage(spec);
  const expected = message.byteLength;
  const hash = createHash('sha256');
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w');
  let written = 0;
  const buffer = new Uint8Array(WRITE_BUFFER_BYTES);
  let buffered = 0;
  const flush = () => {
    if (buffered === 0) return;
    const view = buffer.subarray(0, buffered);
    hash.update(view);
    let offset = 0;
    while (offset < buffered) offset += writeSync(fd, view, offset, buffered - offset);
    written += buffered;
    buffered = 0;
  };
  try {
    for (const piece of message.pieces()) {
      if (piece.byteLength >= WRITE_BUFFER_BYTES / 2) {
        flush();
        hash.update(piece);
        let offset = 0;
        while (offset < piece.byteLength) offset += writeSync(fd, piece, offset, piece.byteLength - offset);
        written += piece.byteLength;
      } else {
        if (buffered + piece.byteLength > WRITE_BUFFER_BYTES) flush();
        buffer.set(piece, buffered);
        buffered += piece.byteLength;
      }
    }
    flush();
  } finally {
    closeSync(fd);
  }
  if (written !== expected) throw new Error(`${path}: wrote ${written} bytes, expected ${expected}`);
  // Renamed only when complete, so an interrupted run never leaves a truncated model under the real name.
  renameSync(partial, path);
  return { bytes: written, sha256: hash.digest('hex') };
}
