// Minimal protobuf wire-format encoder that can stream.
//
// A message is a list of already-encoded byte pieces plus nested messages and "lazy" payloads whose
// length is known up front but whose bytes are produced only while writing. That lets a 600 MB model
// be written with one tensor chunk in memory at a time: every length prefix is computable before any
// weight is generated.

/** Bytes whose length is known now and whose content is produced on demand, in order, piece by piece. */
export interface LazyBytes {
  readonly byteLength: number;
  pieces(): Iterable<Uint8Array>;
}

type Part =
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'message'; header: Uint8Array; message: ProtoMessage }
  | { kind: 'lazy'; header: Uint8Array; payload: LazyBytes };

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

const textEncoder = new TextEncoder();

/** Encodes a non-negative integer (or a negative int64, as ten bytes of two's complement) as a varint. */
export function encodeVarint(value: number | bigint): Uint8Array {
  let v = BigInt(value);
  if (v < 0n) v = BigInt.asUintN(64, v);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

function tag(field: number, wireType: number): Uint8Array {
  return encodeVarint((field << 3) | wireType);
}

function concat(pieces: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of pieces) total += p.byteLength;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of pieces) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

export class ProtoMessage {
  private readonly parts: Part[] = [];
  private cachedSize: number | undefined;

  private push(part: Part): this {
    this.parts.push(part);
    this.cachedSize = undefined;
    return this;
  }

  varint(field: number, value: number | bigint): this {
    return this.push({ kind: 'bytes', bytes: concat([tag(field, WIRE_VARINT), encodeVarint(value)]) });
  }

  float32(field: number, value: number): this {
    const payload = new Uint8Array(4);
    new DataView(payload.buffer).setFloat32(0, value, true);
    return this.push({ kind: 'bytes', bytes: concat([tag(field, WIRE_FIXED32), payload]) });
  }

  bytes(field: number, value: Uint8Array): this {
    return this.push({
      kind: 'bytes',
      bytes: concat([tag(field, WIRE_LENGTH_DELIMITED), encodeVarint(value.byteLength), value]),
    });
  }

  string(field: number, value: string): this {
    return this.bytes(field, textEncoder.encode(value));
  }

  message(field: number, message: ProtoMessage): this {
    // The length prefix is computed at write time so the nested message may still grow until then.
    return this.push({ kind: 'message', header: tag(field, WIRE_LENGTH_DELIMITED), message });
  }

  lazy(field: number, payload: LazyBytes): this {
    return this.push({
      kind: 'lazy',
      header: concat([tag(field, WIRE_LENGTH_DELIMITED), encodeVarint(payload.byteLength)]),
      payload,
    });
  }

  /** Encoded size in bytes, without this message's own tag and length prefix. */
  get byteLength(): number {
    if (this.cachedSize !== undefined) return this.cachedSize;
    let total = 0;
    for (const part of this.parts) {
      switch (part.kind) {
        case 'bytes':
          total += part.bytes.byteLength;
          break;
        case 'message': {
          const inner = part.message.byteLength;
          total += part.header.byteLength + encodeVarint(inner).byteLength + inner;
          break;
        }
        case 'lazy':
          total += part.header.byteLength + part.payload.byteLength;
          break;
      }
    }
    this.cachedSize = total;
    return total;
  }

  /** Yields the encoding piece by piece; lazy payloads are produced only when reached. */
  *pieces(): Generator<Uint8Array> {
    for (const part of this.parts) {
      switch (part.kind) {
        case 'bytes':
          yield part.bytes;
          break;
        case 'message':
          yield part.header;
          yield encodeVarint(part.message.byteLength);
          yield* part.message.pieces();
          break;
        case 'lazy': {
          yield part.header;
          let produced = 0;
          for (const piece of part.payload.pieces()) {
            produced += piece.byteLength;
            yield piece;
          }
          if (produced !== part.payload.byteLength) {
            throw new Error(`lazy payload produced ${produced} bytes, declared ${part.payload.byteLength}`);
          }
          break;
        }
      }
    }
  }

  /** Whole encoding in memory; for small messages and tests. */
  toBytes(): Uint8Array {
    return concat([...this.pieces()]);
  }
}
