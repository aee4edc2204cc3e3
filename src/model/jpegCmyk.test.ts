/**
 * The CMYK JPEG decoder against libjpeg-turbo as sharp runs it (raw CMYK samples, Pillow's conversion applied),
 * without Python; the Pillow comparison itself is in pillowReference.test.ts.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImageNode } from './decodeNode';
import { decodeCmykJpeg } from './jpegCmyk';

async function cmykJpeg(progressive: boolean): Promise<Uint8Array> {
  const raw = Buffer.alloc(83 * 61 * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 29 + ((i / 249) | 0) * 7) & 255;
  return new Uint8Array(
    await sharp(raw, { raw: { width: 83, height: 61, channels: 3 } })
      .toColourspace('cmyk')
      .jpeg({ quality: 85, progressive })
      .toBuffer(),
  );
}

/** libvips un-inverts Adobe CMYK to ink values; Pillow's RGB is then W − MULDIV255(ink, W), W = 255 − K. */
async function libjpegRgb(bytes: Uint8Array): Promise<number[]> {
  const ink = await sharp(bytes).pipelineColourspace('cmyk').toColourspace('cmyk').raw().toBuffer();
  const out: number[] = [];
  const mulDiv255 = (a: number, b: number) => {
    const t = a * b + 128;
    return ((t >> 8) + t) >> 8;
  };
  for (let i = 0; i < ink.length; i += 4) {
    const white = 255 - ink[i + 3];
    out.push(
      white - mulDiv255(ink[i], white),
      white - mulDiv255(ink[i + 1], white),
      white - mulDiv255(ink[i + 2], white),
    );
  }
  return out;
}

describe('decodeCmykJpeg', () => {
  for (const progressive of [false, true]) {
    it(`${progressive ? 'progressive' : 'baseline'}: the samples libjpeg-turbo decodes, converted as Pillow does`, async () => {
      const bytes = await cmykJpeg(progressive);
      const image = decodeCmykJpeg(bytes);
      const rgb: number[] = [];
      for (let i = 0; i < image.data.length; i += 4) rgb.push(image.data[i], image.data[i + 1], image.data[i + 2]);
      expect(rgb).toEqual(await libjpegRgb(bytes));
    });
  }

  it('refuses what it does not decode, saying why', async () => {
    const bytes = await cmykJpeg(false);
    const sof = Buffer.from(bytes).indexOf(Buffer.from([0xff, 0xc0]));
    const arithmetic = bytes.slice();
    arithmetic[sof + 1] = 0xc9;
    expect((await decodeImageNode(arithmetic)).ok).toBe(false);
    expect(() => decodeCmykJpeg(arithmetic)).toThrow(/unsupported JPEG coding/);
    const twelveBit = bytes.slice();
    twelveBit[sof + 4] = 12;
    expect(() => decodeCmykJpeg(twelveBit)).toThrow(/sample precision \(12 bits\)/);
  });
});
