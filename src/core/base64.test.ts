import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import {
  Base64Error,
  base64ToFloats,
  base64ToUint16,
  decodeBase64,
  decodeBase64Url,
  encodeBase64,
  encodeBase64Url,
  floatsToBase64,
  uint16ToBase64,
} from './base64';
import { mulberry32 } from './random';

describe('base64', () => {
  it('matches the RFC 4648 test vectors', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) {
      const bytes = new TextEncoder().encode(plain);
      expect(encodeBase64(bytes)).toBe(encoded);
      expect(new TextDecoder().decode(decodeBase64(encoded))).toBe(plain);
    }
  });

  it("writes exactly what Node's Buffer writes, at every length mod 3 (seed 31)", () => {
    const random = mulberry32(31);
    for (let length = 0; length < 200; length++) {
      const bytes = Uint8Array.from({ length }, () => Math.floor(random() * 256));
      const reference = Buffer.from(bytes).toString('base64');
      expect(encodeBase64(bytes)).toBe(reference);
      expect(encodeBase64Url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
      expect(Array.from(decodeBase64(reference))).toEqual(Array.from(bytes));
    }
  });

  it('packs float32 little-endian', () => {
    // 1.0f = 0x3f800000 → bytes 00 00 80 3f → "AACAPw=="; -2.5f = 0xc0200000 → 00 00 20 c0
    expect(floatsToBase64(Float32Array.from([1]))).toBe('AACAPw==');
    expect(Array.from(base64ToFloats('AACAPwAAIMA='))).toEqual([1, -2.5]);
    const values = Float32Array.from([0.1, -3.4e38, 1e-45, 7, 0, -0, NaN, Infinity, -Infinity]);
    expect(Array.from(base64ToFloats(floatsToBase64(values)))).toEqual(Array.from(values));
  });

  it('packs uint16 little-endian', () => {
    // 1 → 01 00, 258 = 0x0102 → 02 01
    expect(uint16ToBase64(Uint16Array.from([1, 258]))).toBe('AQACAQ==');
    expect(Array.from(base64ToUint16(uint16ToBase64(Uint16Array.from([0, 1, 79, 65535]))))).toEqual([0, 1, 79, 65535]);
  });

  it('rejects bad lengths, characters and byte counts', () => {
    expect(() => decodeBase64('abc')).toThrow(/length 3 is not a multiple of 4/);
    expect(() => decodeBase64('ab$d')).toThrow(/invalid base64 character "\$" at position 2/);
    expect(() => decodeBase64('a=bc')).toThrow(Base64Error);
    expect(() => base64ToFloats('AAAA')).toThrow(/3 bytes, not a whole number of float32/);
    expect(() => base64ToUint16('AAAA')).toThrow(/3 bytes, not a whole number of uint16/);
  });

  it('base64url round-trips every length, unpadded and URL-safe, and reports bad input without throwing (seed 32)', () => {
    const random = mulberry32(32);
    for (let length = 0; length < 100; length++) {
      const bytes = Uint8Array.from({ length }, () => Math.floor(random() * 256));
      const text = encodeBase64Url(bytes);
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
      const back = decodeBase64Url(text);
      expect(back.ok && Array.from(back.bytes)).toEqual(Array.from(bytes));
    }
    expect(decodeBase64Url('abc+')).toEqual({ ok: false, error: 'invalid character U+002B at position 3' });
    expect(decodeBase64Url('abcde')).toEqual({ ok: false, error: 'length 5 is not a valid base64 length' });
  });
});
