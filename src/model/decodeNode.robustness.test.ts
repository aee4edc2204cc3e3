/**
 * Robustness of the Node decoder and the embedding pipeline on bad and awkward files (issue 7, ingest).
 * Fixtures are generated into a temp folder by scripts/robustness-fixtures.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bombPng,
  LONG_NAME,
  meanRgb,
  UNICODE_NAME,
  writeRobustnessFixtures,
  type Fixture,
} from '../../scripts/robustness-fixtures';
import { decodeImageNode } from './decodeNode';
import { webpExifOrientation } from './exifOrientation';
import type { ImageResult } from './embedder';
import { loadClipNode } from './nodeClip';
import type { RgbaImage } from './preprocess';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tinyModel = join(root, 'models/tiny-clip');
let dir = '';
let fixtures: Fixture[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sage-robustness-'));
  fixtures = await writeRobustnessFixtures(dir);
  if (!existsSync(join(tinyModel, 'onnx/vision_model.onnx'))) {
    execFileSync('npm', ['run', 'models:synth', '--', '--size', 'tiny'], { cwd: root, stdio: 'inherit' });
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bytesOf(path: string): Uint8Array {
  return new Uint8Array(readFileSync(join(dir, path)));
}

async function decodeOk(path: string): Promise<RgbaImage> {
  const result = await decodeImageNode(bytesOf(path));
  if (!result.ok) throw new Error(`${path}: ${result.reason}`);
  return result.image;
}

/** Peak RSS of a fresh Node process that decodes one file (the test process's own peak is polluted by other tests). */
function decodeInChildProcess(file: string): {
  ok: boolean;
  reason?: string;
  width?: number;
  height?: number;
  maxRssMB: number;
} {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'scripts/robustness-fixtures.ts'), '--decode', file],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  return JSON.parse(out.trim().split('\n').pop() as string);
}

describe('Node decoder: every bad file is refused with a reason that says what is wrong', () => {
  it('zero-byte, truncated JPEG, bad-CRC PNG, text named .jpg, SVG, HEIC, TIFF, 20,000² PNG', async () => {
    const bad = fixtures.filter((f) => !f.expect.decodes);
    expect(bad.map((f) => f.path)).toHaveLength(8);
    for (const fixture of bad) {
      const result = await decodeImageNode(bytesOf(fixture.path));
      expect(result.ok, fixture.path).toBe(false);
      if (!result.ok && !fixture.expect.decodes) expect(result.reason, fixture.path).toMatch(fixture.expect.reason);
    }
  });

  it('the 20,000 × 20,000 PNG is refused from its header: peak RSS of the decoding process stays near a no-op', () => {
    const bomb = decodeInChildProcess(join(dir, 'bad/bomb-20000.png'));
    const control = decodeInChildProcess(join(dir, 'bad/zero-byte.jpg'));
    console.log(
      `peak RSS: bomb ${bomb.maxRssMB.toFixed(0)} MB, zero-byte control ${control.maxRssMB.toFixed(0)} MB (400 MP as RGBA would be 1,600 MB)`,
    );
    expect(bomb.ok).toBe(false);
    expect(bomb.reason).toMatch(/20000×20000 \(400 MP\), above the 50 MP limit; downscale it first/);
    expect(bomb.maxRssMB).toBeLessThan(control.maxRssMB + 64);
  });

  it('an image just under the limit (7,000², 49 MP) decodes with peak RSS bounded by ~4 bytes per pixel', () => {
    const file = join(dir, 'big-7000.png');
    return bombPng(7000).then((png) => {
      writeFileSync(file, png);
      const big = decodeInChildProcess(file);
      console.log(`peak RSS decoding a 49 MP PNG: ${big.maxRssMB.toFixed(0)} MB`);
      expect(big).toMatchObject({ ok: true, width: 7000, height: 7000 });
      // RGBA output is 196 MB; allow the runtime and libvips' working set on top, but nothing like 2× the image
      expect(big.maxRssMB).toBeLessThan(600);
    });
  });
});

describe('Node decoder: awkward but valid images decode to 8-bit RGBA with the right content', () => {
  const RED_LEFT = (image: RgbaImage) => meanRgb(image, 0, 0, Math.floor(image.width / 2) - 2, image.height);
  const BLUE_RIGHT = (image: RgbaImage) => meanRgb(image, Math.ceil(image.width / 2) + 2, 0, image.width, image.height);

  it('16-bit PNG is scaled to 8 bits (red stays ~230, not 230/257 or clipped)', async () => {
    const image = await decodeOk('odd/rgb16.png');
    expect([image.width, image.height, image.data.length]).toEqual([40, 30, 40 * 30 * 4]);
    const [r, g, b] = RED_LEFT(image);
    expect(r).toBeGreaterThan(200);
    expect(g).toBeLessThan(50);
    expect(b).toBeLessThan(50);
    expect(BLUE_RIGHT(image)[2]).toBeGreaterThan(200);
  });

  it('16-bit grayscale PNG is read as Pillow reads it: values above 255 clip to white', async () => {
    const image = await decodeOk('odd/gray16.png');
    // the ramp stores 0, 0, 0, 0, 0, 257, 257, …: only the zeros stay black, the rest is white (viewers show a ramp)
    expect(Array.from({ length: 6 }, (_, p) => image.data[p * 4])).toEqual([0, 0, 0, 0, 0, 255]);
    expect(meanRgb(image, 0, 1, image.width, image.height)[0]).toBe(255);
  });

  it('CMYK JPEG is converted to RGB without a profile, as Chromium and PIL do (red half reads red, blue half blue)', async () => {
    const image = await decodeOk('odd/cmyk.jpg');
    const [r, , b] = RED_LEFT(image);
    expect(r).toBeGreaterThan(b + 100);
    const [r2, , b2] = BLUE_RIGHT(image);
    expect(b2).toBeGreaterThan(r2 + 100);
    // (255 − C)(255 − K)/255: Chromium's createImageBitmap gives [251, 11, 0] and [15, 54, 255] for this file;
    // libvips' built-in CMYK profile gave [230, 25, 0] and [28, 57, 136], so the CLI and the app disagreed
    const near = (got: number[], want: number[]) =>
      got.slice(0, 3).forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(2));
    near(RED_LEFT(image), [251, 11, 0]);
    near(BLUE_RIGHT(image), [15, 54, 255]);
  });

  it('grayscale JPEG becomes R = G = B, opaque', async () => {
    const image = await decodeOk('odd/gray.jpg');
    for (let i = 0; i < image.data.length; i += 4) {
      expect(image.data[i + 1]).toBe(image.data[i]);
      expect(image.data[i + 2]).toBe(image.data[i]);
      expect(image.data[i + 3]).toBe(255);
    }
  });

  it('a fully transparent PNG keeps its colours (alpha not premultiplied) and alpha 0', async () => {
    const image = await decodeOk('odd/alpha.png');
    expect(image.data[3]).toBe(0);
    expect(RED_LEFT(image)[0]).toBeGreaterThan(200);
    expect(BLUE_RIGHT(image)[2]).toBeGreaterThan(200);
  });

  it('EXIF orientation 6 is respected: a stored 40×20 red|blue photo decodes 20×40 with red on top', async () => {
    const image = await decodeOk('odd/exif-rotate-90.jpg');
    expect([image.width, image.height]).toEqual([20, 40]);
    const top = meanRgb(image, 0, 0, 20, 18);
    const bottom = meanRgb(image, 0, 22, 20, 40);
    expect(top[0]).toBeGreaterThan(top[2] + 100);
    expect(bottom[2]).toBeGreaterThan(bottom[0] + 100);
  });

  it("a WebP's EXIF orientation is found in its RIFF chunks (the browser applies it itself)", () => {
    expect(webpExifOrientation(bytesOf('odd/exif-rotate-90.webp'))).toBe(6);
    expect(webpExifOrientation(bytesOf('odd/exif-rotate-90.png'))).toBe(1);
  });

  it('PNG eXIf orientation 6 is respected like JPEG EXIF: the stored 40×20 red|blue decodes 20×40, red on top', async () => {
    const image = await decodeOk('odd/exif-rotate-90.png');
    expect([image.width, image.height]).toEqual([20, 40]);
    expect(meanRgb(image, 0, 0, 20, 18)[0]).toBeGreaterThan(200);
    expect(meanRgb(image, 0, 22, 20, 40)[2]).toBeGreaterThan(200);
  });

  it('a transparent GIF index keeps its palette colour, as Pillow reads it (native decoders make it black)', async () => {
    const image = await decodeOk('odd/transparent-red.gif');
    expect(image.data[3]).toBe(0);
    expect(RED_LEFT(image)[0]).toBeGreaterThan(200);
    expect(BLUE_RIGHT(image)[2]).toBeGreaterThan(200);
  });

  it('unicode and 200-byte file names read and decode like any other', async () => {
    let count = 0;
    for (const fixture of fixtures.filter((f) => f.path === `odd/${UNICODE_NAME}` || f.path === `odd/${LONG_NAME}`)) {
      const image = await decodeOk(fixture.path);
      expect([image.width, image.height]).toEqual([32, 24]);
      count++;
    }
    expect(count).toBe(2);
  });
});

describe('embedding pipeline (tiny CLIP, onnxruntime-node): a bad file never aborts a batch', () => {
  it('one batch with every fixture: bad files fail with their reason, good ones embed, duplicates agree', async () => {
    const { embedder, dim } = await loadClipNode(tinyModel);
    const sources = fixtures.map((f) => ({ id: f.path, read: async () => bytesOf(f.path) }));
    const outcomes: ImageResult[] = [];
    for await (const batch of embedder.embedImages(sources, sources.length)) outcomes.push(...batch.outcomes);
    await embedder.dispose();

    expect(outcomes.map((o) => o.id)).toEqual(fixtures.map((f) => f.path));
    fixtures.forEach((fixture, i) => {
      const outcome = outcomes[i];
      if (fixture.expect.decodes) {
        expect(outcome.ok, `${fixture.path}: ${outcome.ok ? '' : outcome.reason}`).toBe(true);
        if (outcome.ok) expect(outcome.embedding.length).toBe(dim);
      } else {
        expect(outcome.ok, fixture.path).toBe(false);
        if (!outcome.ok) expect(outcome.reason).toMatch(fixture.expect.reason);
      }
    });
    const a = outcomes.find((o) => o.id === 'odd/duplicate-a.jpg');
    const b = outcomes.find((o) => o.id === 'odd/duplicate-b.jpg');
    if (!a?.ok || !b?.ok) throw new Error('duplicates did not embed');
    expect(Array.from(b.embedding)).toEqual(Array.from(a.embedding));
  });
});
