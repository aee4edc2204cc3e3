import { describe, expect, it } from 'vitest';
import { encodeBase64, floatsToBase64 } from '../core/base64';
import {
  decodeBase64Url,
  decodeFloat32,
  decodeUint16,
  encodeBase64Fast,
  encodeBase64Url,
  encodeFloat32,
  encodeUint16,
} from './base64';
import { randomInt, seededRandom } from './testSupport';

describe('share base64', () => {
  it('the fast encoder writes exactly what the core encoder writes, at every length mod 3 (seed 31)', () => {
    const random = seededRandom(31);
    for (let length = 0; length < 200; length++) {
      const bytes = Uint8Array.from({ length }, () => randomInt(random, 256));
      expect(encodeBase64Fast(bytes)).toBe(encodeBase64(bytes));
    }
    const floats = Float32Array.from({ length: 1001 }, () => random() * 2 - 1);
    expect(encodeFloat32(floats)).toBe(floatsToBase64(floats));
  });

  it('round-trips float32 (NaN and ±Infinity included) and uint16', () => {
    const floats = Float32Array.from([0, -0, 1.5, -3.25e-20, NaN, Infinity, -Infinity, 3.4e38]);
    const decoded = decodeFloat32(encodeFloat32(floats), floats.length);
    expect(decoded.ok && Array.from(decoded.values)).toEqual(Array.from(floats));
    const shorts = Uint16Array.from([0, 1, 79, 65535]);
    const back = decodeUint16(encodeUint16(shorts), 4);
    expect(back.ok && Array.from(back.values)).toEqual([0, 1, 79, 65535]);
  });

  it('reports length mismatches and bad characters without throwing', () => {
    expect(decodeFloat32(encodeFloat32(new Float32Array(3)), 4)).toEqual({
      ok: false,
      error: 'expected 4 float32 values, got 3',
    });
    expect(decodeUint16(encodeUint16(new Uint16Array(3)), 2)).toEqual({
      ok: false,
      error: 'expected 2 uint16 values, got 3',
    });
    expect(decodeFloat32('AA!A', 1).ok).toBe(false);
    expect(decodeBase64Url('abc+')).toEqual({ ok: false, error: 'invalid character U+002B at position 3' });
    expect(decodeBase64Url('abcde')).toEqual({ ok: false, error: 'length 5 is not a valid base64 length' });
  });

  it('base64url round-trips every length, unpadded and URL-safe (seed 32)', () => {
    const random = seededRandom(32);
    for (let length = 0; length < 100; length++) {
      const bytes = Uint8Array.from({ length }, () => randomInt(random, 256));
      const text = encodeBase64Url(bytes);
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
      const back = decodeBase64Url(text);
      expect(back.ok && Array.from(back.bytes)).toEqual(Array.from(bytes));
    }
  });
});
