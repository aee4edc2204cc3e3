/**
 * Bad (and awkward-but-valid) input files for the robustness suite (issue 7), generated at test time into a
 * temp folder so nothing large is committed: a 20,000 × 20,000 PNG is written as a streamed deflate of zero
 * rows (~400 KB on disk, 400 MP when decoded).
 *
 *   tsx scripts/robustness-fixtures.ts <dir>              writes every fixture, prints the list as JSON
 *   tsx scripts/robustness-fixtures.ts --decode <file>    decodes one file with the Node decoder and prints
 *                                                         { ok, reason?, width?, height?, maxRssMB } (peak RSS)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDeflate } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import { PNG_SIGNATURE, pngChunkBytes, walkPngChunks } from '../src/model/pngChunks';
import { errorMessage } from '../src/core/errors';

/** What a fixture is, and what every decoder must make of it. */
export type FixtureExpectation = { decodes: true; width: number; height: number } | { decodes: false; reason: RegExp };

export interface Fixture {
  /** path relative to the fixture root */
  path: string;
  /** one line for docs and test names */
  what: string;
  expect: FixtureExpectation;
}

/** A long, valid file name: 200 bytes before the extension (ext4 allows 255 bytes). */
export const LONG_NAME = `${'long-name-'.repeat(20)}.png`;
export const UNICODE_NAME = 'ñandú 🐦 鳥の写真 — çà.png';
export const BOMB_SIDE = 20_000;

// ---- PNG building blocks (hand-built so the bomb is never held in memory; chunks and CRCs from src/model) ----

/** Deflates `rows` copies of one zero scanline (filter byte + `rowBytes`) with bounded memory. */
async function deflateZeroRows(rows: number, rowBytes: number): Promise<Buffer> {
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (part: Buffer) => parts.push(part));
  const finished = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  const row = Buffer.alloc(rowBytes + 1);
  for (let y = 0; y < rows; y++) {
    if (!deflate.write(row)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await finished;
  return Buffer.concat(parts);
}

/** A valid 8-bit grayscale PNG of side × side black pixels: a decompression bomb for large sides. */
export async function bombPng(side: number): Promise<Buffer> {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  const idat = await deflateZeroRows(side, side);
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunkBytes('IHDR', ihdr),
    pngChunkBytes('IDAT', idat),
    pngChunkBytes('IEND', new Uint8Array()),
  ]);
}

/** Flips one byte of the first IDAT chunk's CRC; the file is otherwise complete and well-formed. */
export function breakIdatCrc(png: Buffer): Buffer {
  const out = Buffer.from(png);
  for (const chunk of walkPngChunks(out)) {
    if (chunk.type !== 'IDAT') continue;
    out[chunk.dataStart + chunk.length] ^= 0xff;
    return out;
  }
  throw new Error('no IDAT chunk');
}

/** The PNG with one more chunk right after IHDR. */
function withPngChunk(png: Buffer, type: string, data: Uint8Array): Buffer {
  const ihdrEnd = PNG_SIGNATURE.length + 12 + 13;
  return Buffer.concat([png.subarray(0, ihdrEnd), pngChunkBytes(type, data), png.subarray(ihdrEnd)]);
}

/** A minimal big-endian TIFF block with one IFD entry: orientation (0x0112), SHORT, `value`. */
function tiffOrientation(value: number): Uint8Array {
  const tiff = Buffer.alloc(26);
  tiff.write('MM', 0, 'ascii');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  tiff.writeUInt16BE(1, 8);
  tiff.writeUInt16BE(0x0112, 10);
  tiff.writeUInt16BE(3, 12);
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt16BE(value, 18);
  return tiff;
}

/** Makes `colour`'s entry of a one-frame GIF's global colour table its transparent index. */
function transparentColour(gif: Buffer, colour: [number, number, number]): Buffer {
  const out = Buffer.from(gif);
  const entries = 2 << (out[10] & 7);
  let index = -1;
  for (let i = 0; i < entries && index < 0; i++)
    if (out[13 + i * 3] === colour[0] && out[14 + i * 3] === colour[1] && out[15 + i * 3] === colour[2]) index = i;
  const control = out.indexOf(Buffer.from([0x21, 0xf9, 0x04]));
  if (index < 0 || control < 0) throw new Error('GIF without the colour or a graphic control extension');
  out[control + 3] |= 1; // transparency flag
  out[control + 6] = index;
  return out;
}

/** A 16-bit grayscale PNG ramping over the whole 0…65535 range (an 8-bit ramp, widened by 257). */
export function gray16Ramp(width: number, height: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height);
  for (let i = 0; i < raw.length; i++) raw[i] = Math.floor((i * 255) / (raw.length - 1));
  return sharp(raw, { raw: { width, height, channels: 1 } })
    .toColourspace('grey16')
    .png()
    .toBuffer();
}

/** A BMP of two colours side by side (libvips cannot write BMP): 24-bit BGR, or 16-bit 5-6-5 with bit fields. */
function bmpHalves(
  width: number,
  height: number,
  left: [number, number, number],
  right: [number, number, number],
  bits: 24 | 16,
): Buffer {
  const stride = Math.ceil((width * bits) / 32) * 4;
  const masks = bits === 16 ? 12 : 0;
  const offset = 14 + 40 + masks;
  const out = Buffer.alloc(offset + stride * height);
  out.write('BM', 0, 'ascii');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(offset, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(bits, 28);
  out.writeUInt32LE(bits === 16 ? 3 : 0, 30);
  if (bits === 16) [0xf800, 0x7e0, 0x1f].forEach((mask, i) => out.writeUInt32LE(mask, 54 + i * 4));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = x < width / 2 ? left : right;
      const at = offset + (height - 1 - y) * stride + (x * bits) / 8;
      if (bits === 24) out.set([b, g, r], at);
      else out.writeUInt16LE(((r >> 3) << 11) | ((g >> 2) << 5) | (b >> 3), at);
    }
  }
  return out;
}

/** Gradients with fine detail (what lossy codecs and chroma upsampling act on), as a sharp pipeline. */
function textured(width: number, height: number): Sharp {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 3;
      raw[at] = (x * 4 + ((x * y) % 23) * 3) & 255;
      raw[at + 1] = (y * 5 + ((x ^ y) & 15) * 6) & 255;
      raw[at + 2] = (128 + 100 * Math.sin(x / 3) * Math.cos(y / 4)) & 255;
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } });
}

/** Two colours side by side (left | right), as a sharp pipeline. */
function twoHalves(
  width: number,
  height: number,
  left: [number, number, number],
  right: [number, number, number],
): Sharp {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set(x < width / 2 ? left : right, (y * width + x) * 3);
  }
  return sharp(raw, { raw: { width, height, channels: 3 } });
}

const RED: [number, number, number] = [230, 20, 20];
const BLUE: [number, number, number] = [20, 20, 230];

/** A plain 64 × 48 JPEG: the base of the truncated-JPEG fixture and a valid image in every group. */
export function solidJpeg(colour: [number, number, number], width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: colour[0], g: colour[1], b: colour[2] } } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** A minimal HEIC container header (ftyp box, brand "heic") followed by junk: what an iPhone photo starts with. */
function heicLike(): Buffer {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write('ftypheic', 4, 'ascii');
  ftyp.writeUInt32BE(0, 12);
  ftyp.write('mif1heic', 16, 'ascii');
  return Buffer.concat([ftyp, Buffer.alloc(200, 7)]);
}

/**
 * Writes every fixture under `dir` and returns the list. Layout: `bad/…` are files that must be skipped
 * with a reason, `odd/…` are valid images that must decode (and how).
 */
export async function writeRobustnessFixtures(dir: string): Promise<Fixture[]> {
  const fixtures: Fixture[] = [];
  const put = (path: string, bytes: Uint8Array | string, what: string, expectation: FixtureExpectation) => {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, bytes);
    fixtures.push({ path, what, expect: expectation });
  };

  const jpeg = await solidJpeg(RED);
  const png = await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 10, g: 200, b: 30 } } })
    .png()
    .toBuffer();

  put('bad/zero-byte.jpg', new Uint8Array(), 'zero-byte file', { decodes: false, reason: /empty file \(0 bytes\)/ });
  put('bad/truncated.jpg', jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'truncated JPEG (first half)', {
    decodes: false,
    reason: /truncated JPEG/,
  });
  put('bad/bad-crc.png', breakIdatCrc(png), 'PNG with a corrupted IDAT CRC', {
    decodes: false,
    reason: /corrupt PNG: CRC mismatch in the IDAT chunk/,
  });
  put('bad/text-named.jpg', 'This is a text file that someone named .jpg\n', 'a text file named .jpg', {
    decodes: false,
    reason: /not an image/,
  });
  put(
    'bad/vector.svg',
    '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n',
    'an SVG',
    { decodes: false, reason: /unsupported format SVG/ },
  );
  put('bad/iphone.heic', heicLike(), 'a HEIC photo', { decodes: false, reason: /unsupported format HEIC/ });
  put('bad/scan.tiff', await sharp(png).tiff().toBuffer(), 'a TIFF scan', {
    decodes: false,
    reason: /unsupported format TIFF/,
  });
  put('bad/bomb-20000.png', await bombPng(BOMB_SIDE), '20,000 × 20,000 PNG (decompression bomb, 400 MP)', {
    decodes: false,
    reason: /20000×20000 \(400 MP\), above the 50 MP limit/,
  });

  put('odd/rgb16.png', await twoHalves(40, 30, RED, BLUE).toColourspace('rgb16').png().toBuffer(), '16-bit RGB PNG', {
    decodes: true,
    width: 40,
    height: 30,
  });
  put('odd/cmyk.jpg', await twoHalves(40, 30, RED, BLUE).toColourspace('cmyk').jpeg().toBuffer(), 'CMYK JPEG', {
    decodes: true,
    width: 40,
    height: 30,
  });
  put('odd/gray.jpg', await twoHalves(40, 30, RED, BLUE).grayscale().jpeg().toBuffer(), '8-bit grayscale JPEG', {
    decodes: true,
    width: 40,
    height: 30,
  });
  put(
    'odd/alpha.png',
    await twoHalves(40, 30, RED, BLUE)
      .joinChannel(Buffer.alloc(40 * 30, 0), { raw: { width: 40, height: 30, channels: 1 } })
      .png()
      .toBuffer(),
    'RGBA PNG, fully transparent',
    { decodes: true, width: 40, height: 30 },
  );
  // stored 40 wide × 20 high, red left / blue right; EXIF orientation 6 = display rotated 90° clockwise,
  // so the photo is seen 20 wide × 40 high with red on top
  put(
    'odd/exif-rotate-90.jpg',
    await twoHalves(40, 20, RED, BLUE).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer(),
    'JPEG with EXIF orientation 6 (rotate 90° CW)',
    { decodes: true, width: 20, height: 40 },
  );
  put(
    'odd/exif-rotate-90.webp',
    await twoHalves(40, 20, RED, BLUE).webp({ lossless: true }).withMetadata({ orientation: 6 }).toBuffer(),
    'WebP with EXIF orientation 6 (rotate 90° CW)',
    { decodes: true, width: 20, height: 40 },
  );
  put(
    'odd/exif-rotate-90.png',
    withPngChunk(await twoHalves(40, 20, RED, BLUE).png().toBuffer(), 'eXIf', tiffOrientation(6)),
    'PNG with an eXIf chunk, orientation 6 (rotate 90° CW)',
    { decodes: true, width: 20, height: 40 },
  );
  put(
    'odd/transparent-red.gif',
    transparentColour(await twoHalves(40, 30, RED, BLUE).gif().toBuffer(), RED),
    'GIF whose red half is the transparent index (its colour must survive, as in Pillow)',
    { decodes: true, width: 40, height: 30 },
  );
  put('odd/gray16.png', await gray16Ramp(40, 30), '16-bit grayscale PNG (full range, like an X-ray)', {
    decodes: true,
    width: 40,
    height: 30,
  });
  put(
    'odd/textured-420.jpg',
    await textured(61, 47).jpeg({ quality: 80 }).toBuffer(),
    'textured JPEG, 4:2:0, odd size',
    {
      decodes: true,
      width: 61,
      height: 47,
    },
  );
  put('odd/textured-lossy.webp', await textured(61, 47).webp({ quality: 75 }).toBuffer(), 'textured lossy WebP', {
    decodes: true,
    width: 61,
    height: 47,
  });
  put('odd/halves-24.bmp', bmpHalves(40, 30, RED, BLUE, 24), '24-bit BMP', { decodes: true, width: 40, height: 30 });
  put('odd/halves-565.bmp', bmpHalves(40, 30, RED, BLUE, 16), '16-bit 5-6-5 BMP (bit fields)', {
    decodes: true,
    width: 40,
    height: 30,
  });
  put(`odd/${UNICODE_NAME}`, png, 'unicode file name', { decodes: true, width: 32, height: 24 });
  put(`odd/${LONG_NAME}`, png, 'very long (200-byte) file name', { decodes: true, width: 32, height: 24 });
  put('odd/duplicate-a.jpg', jpeg, 'duplicate file (same bytes as duplicate-b.jpg)', {
    decodes: true,
    width: 64,
    height: 48,
  });
  put('odd/duplicate-b.jpg', jpeg, 'duplicate file (same bytes as duplicate-a.jpg)', {
    decodes: true,
    width: 64,
    height: 48,
  });
  return fixtures;
}

/** Mean RGB of a rectangle of an RGBA image (for orientation and colour checks). */
export function meanRgb(
  image: { width: number; height: number; data: Uint8Array | Uint8ClampedArray },
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): [number, number, number] {
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * image.width + x) * 4;
      sum[0] += image.data[i];
      sum[1] += image.data[i + 1];
      sum[2] += image.data[i + 2];
      n++;
    }
  }
  return [sum[0] / n, sum[1] / n, sum[2] / n];
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--decode') {
    const file = argv[1];
    if (!file) throw new Error('--decode needs a file');
    const { readFileSync } = await import('node:fs');
    const { decodeImageNode } = await import('../src/model/decodeNode');
    const result = await decodeImageNode(new Uint8Array(readFileSync(file)));
    const maxRssMB = process.resourceUsage().maxRSS / 1024;
    const summary = result.ok
      ? { ok: true, width: result.image.width, height: result.image.height, maxRssMB }
      : { ok: false, reason: result.reason, maxRssMB };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  const dir = argv[0];
  if (!dir) throw new Error('usage: tsx scripts/robustness-fixtures.ts <dir> | --decode <file>');
  const fixtures = await writeRobustnessFixtures(dir);
  process.stdout.write(
    `${JSON.stringify(
      fixtures.map((f) => ({ path: f.path, what: f.what })),
      null,
      1,
    )}\n`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${errorMessage(error)}\n`);
    process.exit(1);
  });
}
