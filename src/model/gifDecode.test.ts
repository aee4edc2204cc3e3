/** Damaged GIFs are refused with a reason (Pillow's pixel rules are checked in pillowReference.test.ts). */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImageNode } from './decodeNode';
import { decodeGif, GifError } from './gifDecode';

async function gif(): Promise<Uint8Array> {
  const raw = Buffer.alloc(64 * 48 * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 37) & 255;
  return new Uint8Array(
    await sharp(raw, { raw: { width: 64, height: 48, channels: 3 } })
      .gif()
      .toBuffer(),
  );
}

describe('decodeGif', () => {
  it('decodes the first frame at the screen size', async () => {
    const image = decodeGif(await gif());
    expect([image.width, image.height, image.data.length]).toEqual([64, 48, 64 * 48 * 4]);
  });

  it('refuses a GIF cut in its image data, saying so', async () => {
    const bytes = await gif();
    const cut = bytes.subarray(0, Math.floor(bytes.length * 0.6));
    expect(() => decodeGif(cut)).toThrow(GifError);
    expect(await decodeImageNode(cut)).toEqual({
      ok: false,
      reason: expect.stringMatching(/^cannot decode GIF: truncated GIF/),
    });
  });

  it('refuses a GIF that ends before any image', async () => {
    const bytes = await gif();
    const headerOnly = Uint8Array.from([...bytes.subarray(0, 13 + 3 * (2 << (bytes[10] & 7))), 0x3b]);
    expect(() => decodeGif(headerOnly)).toThrow(/GIF without an image/);
  });
});
