/** BMPs Pillow refuses are refused with a reason (its pixel rules are checked in pillowReference.test.ts). */
import { describe, expect, it } from 'vitest';
import { decodeBmp } from './bmpDecode';
import { decodeImageNode } from './decodeNode';

/** A 4×2 24-bit BMP; `patch` edits the header before the pixels are appended. */
function bmp(patch: (view: DataView) => void = () => undefined): Uint8Array {
  const bytes = new Uint8Array(54 + 2 * 12);
  const view = new DataView(bytes.buffer);
  bytes.set([0x42, 0x4d]);
  view.setUint32(2, bytes.length, true);
  view.setUint32(10, 54, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, 4, true);
  view.setInt32(22, 2, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, 24, true);
  for (let i = 54; i < bytes.length; i++) bytes[i] = i;
  patch(view);
  return bytes;
}

describe('decodeBmp', () => {
  it('reads bottom-up BGR rows', () => {
    const image = decodeBmp(bmp());
    // the first stored row is the bottom one: its first pixel's B, G, R are bytes 54, 55, 56
    expect(Array.from(image.data.subarray(4 * 4, 4 * 4 + 4))).toEqual([56, 55, 54, 255]);
  });

  it('refuses what Pillow refuses, naming it', async () => {
    expect(() => decodeBmp(bmp((view) => view.setUint32(30, 4, true)))).toThrow(/unsupported BMP compression \(4\)/);
    expect(() => decodeBmp(bmp((view) => view.setUint16(28, 2, true)))).toThrow(/pixel depth \(2 bits\)/);
    expect(() => decodeBmp(bmp((view) => view.setUint32(14, 52, true)))).toThrow(/header type \(52 bytes\)/);
    const cut = bmp().subarray(0, 60);
    expect(await decodeImageNode(cut)).toEqual({ ok: false, reason: 'cannot decode BMP: truncated BMP pixel data' });
  });
});
