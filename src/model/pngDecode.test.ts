import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { decodePng, PngError } from './pngDecode';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Reference: libpng via sharp, RGBA 8-bit, unpremultiplied. */
async function sharpRgba(bytes: Uint8Array): Promise<Uint8Array> {
  const { data } = await sharp(bytes)
    .toColourspace('srgb')
    .ensureAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return new Uint8Array(data);
}

async function variants(): Promise<Record<string, Uint8Array>> {
  const alpha = readFileSync(`${fixtures}alpha.png`);
  const gray = readFileSync(`${fixtures}gray.png`);
  const small = sharp(alpha).resize(37, 23);
  return {
    'alpha.png (RGBA 8-bit)': new Uint8Array(alpha),
    'gray.png (gray 8-bit)': new Uint8Array(gray),
    'interlaced RGBA': new Uint8Array(await small.clone().png({ progressive: true }).toBuffer()),
    'palette with transparency': new Uint8Array(await small.clone().png({ palette: true, colours: 16 }).toBuffer()),
    'palette 2-bit': new Uint8Array(await sharp(gray).resize(31, 17).png({ palette: true, colours: 4 }).toBuffer()),
    'gray + alpha': new Uint8Array(await small.clone().toColourspace('b-w').png().toBuffer()),
  };
}

describe('decodePng', () => {
  it('matches libpng (sharp) exactly, alpha kept unpremultiplied', async () => {
    for (const [name, bytes] of Object.entries(await variants())) {
      const decoded = decodePng(bytes);
      const reference = await sharpRgba(bytes);
      let mismatches = 0;
      for (let i = 0; i < reference.length; i++) if (decoded.data[i] !== reference[i]) mismatches++;
      expect(mismatches, name).toBe(0);
    }
  });

  it('keeps the colour of fully transparent pixels (what a canvas loses)', () => {
    const image = decodePng(new Uint8Array(readFileSync(`${fixtures}alpha.png`)));
    // left column has alpha 0 in the fixture
    expect(image.data[3]).toBe(0);
    expect(image.data[0] + image.data[1] + image.data[2]).toBeGreaterThan(0);
  });

  it('rejects corrupt image data with a reason', () => {
    const bytes = new Uint8Array(readFileSync(`${fixtures}gray.png`));
    const idat = Buffer.from(bytes).indexOf('IDAT');
    const broken = bytes.slice();
    for (let i = idat + 10; i < idat + 60; i++) broken[i] ^= 0x5a;
    expect(() => decodePng(broken)).toThrow(/bad CRC/);
  });

  it('rejects a chunk with a bad CRC even when the data would inflate', () => {
    const bytes = new Uint8Array(readFileSync(`${fixtures}gray.png`));
    const crcAt = 8 + 8 + 13; // IHDR CRC
    const broken = bytes.slice();
    broken[crcAt] ^= 0xff;
    expect(() => decodePng(broken)).toThrow(PngError);
    expect(() => decodePng(broken)).toThrow(/IHDR has a bad CRC/);
  });
});
