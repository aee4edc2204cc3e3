/**
 * The Node decode + preprocess path against Pillow, on images generated at test time by
 * fixtures/pillow_reference.py (sizes, modes, bit depths, palettes, interlacing, EXIF orientations, lossy and
 * lossless codecs). Pillow's `exif_transpose(open(f)).convert('RGB')` is the reference for the decoded pixels
 * and its bicubic resize + center crop for the preprocessed ones; both must be equal byte for byte.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeImageNode } from './decodeNode';
import { checkReferencePython, REFERENCE_PYTHON, requireInCi } from './fixtures/referencePython';
import { resizeAndCrop } from './preprocess';
import { parsePreprocessorConfig } from './preprocessConfig';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const config = parsePreprocessorConfig(JSON.parse(readFileSync(`${fixtures}preprocessor_config.json`, 'utf8')));

/** The image groups of pillow_reference.py this suite holds the app to. */
const GROUPS = ['jpeg', 'png', 'webp', 'png-exif', 'gif', 'bmp', 'cmyk', 'png16-gray'];

interface ReferenceImage {
  name: string;
  file: string;
  group: string;
  what: string;
  width: number;
  height: number;
}

const python = checkReferencePython(['PIL', 'numpy']);
requireInCi(python);

const dir = python.available ? mkdtempSync(join(tmpdir(), 'sage-pillow-')) : '';
const manifest: { pillow: string; images: ReferenceImage[] } = python.available
  ? (() => {
      execFileSync(REFERENCE_PYTHON, [`${fixtures}pillow_reference.py`, dir, ...GROUPS], { stdio: 'pipe' });
      return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    })()
  : { pillow: '', images: [] };
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Where two RGB byte arrays differ: how many bytes, the largest difference, the first position. */
function compareRgb(got: Uint8Array, want: Uint8Array, width: number): { count: number; max: number; first: string } {
  let count = 0;
  let max = 0;
  let first = '';
  for (let i = 0; i < want.length; i++) {
    const diff = Math.abs(got[i] - want[i]);
    if (diff === 0) continue;
    if (count === 0) {
      const pixel = Math.floor(i / 3);
      first = `x ${pixel % width}, y ${Math.floor(pixel / width)}, channel ${i % 3}: ${got[i]} vs Pillow's ${want[i]}`;
    }
    count++;
    max = Math.max(max, diff);
  }
  return { count, max, first };
}

function rgbOf(rgba: Uint8Array | Uint8ClampedArray): Uint8Array {
  const rgb = new Uint8Array((rgba.length / 4) * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    rgb[j] = rgba[i];
    rgb[j + 1] = rgba[i + 1];
    rgb[j + 2] = rgba[i + 2];
  }
  return rgb;
}

describe.skipIf(!python.available)(
  `Node decoding and preprocessing equal Pillow${python.missing ? ` (skipped: ${python.missing})` : ''}`,
  () => {
    it('the generator wrote every group', () => {
      expect(new Set(manifest.images.map((image) => image.group))).toEqual(new Set(GROUPS));
    });

    for (const group of GROUPS) {
      it(`${group}: decoded RGB and the 224 × 224 crop are Pillow's, byte for byte`, async () => {
        const images = manifest.images.filter((image) => image.group === group);
        const mismatches: string[] = [];
        for (const image of images) {
          const decoded = await decodeImageNode(new Uint8Array(readFileSync(join(dir, image.file))));
          if (!decoded.ok) {
            mismatches.push(`${image.what}: not decoded (${decoded.reason})`);
            continue;
          }
          const { width, height, data } = decoded.image;
          if (width !== image.width || height !== image.height) {
            mismatches.push(`${image.what}: ${width}×${height}, Pillow ${image.width}×${image.height}`);
            continue;
          }
          const pixels = compareRgb(rgbOf(data), readFileSync(join(dir, `${image.name}.rgb`)), width);
          if (pixels.count > 0)
            mismatches.push(
              `${image.what}: ${pixels.count} values differ (max ${pixels.max}), first at ${pixels.first}`,
            );
          const crop = compareRgb(
            resizeAndCrop(decoded.image, config).rgb,
            readFileSync(join(dir, `${image.name}.crop`)),
            224,
          );
          if (crop.count > 0)
            mismatches.push(
              `${image.what}, 224 crop: ${crop.count} values differ (max ${crop.max}), first at ${crop.first}`,
            );
        }
        expect(images.length).toBeGreaterThan(0);
        expect(mismatches, `Pillow ${manifest.pillow}`).toEqual([]);
      });
    }
  },
);
