import { describe, expect, it } from 'vitest';
import { encodeVarint, ProtoMessage } from './protobuf.ts';

describe('encodeVarint', () => {
  it('encodes protobuf varints, negatives as ten-byte two-complement', () => {
    expect([...encodeVarint(0)]).toEqual([0]);
    expect([...encodeVarint(1)]).toEqual([1]);
    expect([...encodeVarint(300)]).toEqual([0xac, 0x02]);
    expect([...encodeVarint(2 ** 32)]).toEqual([0x80, 0x80, 0x80, 0x80, 0x10]);
    expect([...encodeVarint(-1)]).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  });
});

describe('ProtoMessage', () => {
  it('encodes nested messages with length prefixes and predicts its own size', () => {
    const inner = new ProtoMessage().varint(1, 150);
    const outer = new ProtoMessage().string(2, 'hi').message(3, inner);
    // field 2 (len) "hi"; field 3 (len) { field 1 varint 150 }
    expect([...outer.toBytes()]).toEqual([0x12, 0x02, 0x68, 0x69, 0x1a, 0x03, 0x08, 0x96, 0x01]);
    expect(outer.byteLength).toBe(9);
  });

  it('streams a lazy payload and rejects one that breaks its declared length', () => {
    const good = new ProtoMessage().lazy(9, { byteLength: 3, pieces: () => [Uint8Array.of(1, 2), Uint8Array.of(3)] });
    expect([...good.toBytes()]).toEqual([0x4a, 0x03, 1, 2, 3]);
    const bad = new ProtoMessage().lazy(9, { byteLength: 4, pieces: () => [Uint8Array.of(1, 2, 3)] });
    expect(() => bad.toBytes()).toThrow(/produced 3 bytes, declared 4/);
  });
});
