import { describe, expect, it } from 'vitest';
import { Base64Error, base64ToFloats, decodeBase64, encodeBase64, floatsToBase64 } from './base64';

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

  it('packs float32 little-endian', () => {
    // 1.0f = 0x3f800000 → bytes 00 00 80 3f → "AACAPw=="; -2.5f = 0xc0200000 → 00 00 20 c0
    expect(floatsToBase64(Float32Array.from([1]))).toBe('AACAPw==');
    expect(Array.from(base64ToFloats('AACAPwAAIMA='))).toEqual([1, -2.5]);
    const values = Float32Array.from([0.1, -3.4e38, 1e-45, 7]);
    expect(Array.from(base64ToFloats(floatsToBase64(values)))).toEqual(Array.from(values));
  });

  it('rejects bad lengths, characters and byte counts', () => {
    expect(() => decodeBase64('abc')).toThrow(/length 3 is not a multiple of 4/);
    expect(() => decodeBase64('ab$d')).toThrow(/invalid base64 character "\$" at position 2/);
    expect(() => decodeBase64('a=bc')).toThrow(Base64Error);
    expect(() => base64ToFloats('AAAA')).toThrow(/3 bytes, not a whole number of float32/);
  });
});
