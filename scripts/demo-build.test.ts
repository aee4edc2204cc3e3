/**
 * The example build: same seed → same bytes, different seed → different images, and the committed set in
 * public/examples/waterbirds-lite is what the default build produces, with a manifest that matches the files.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OUT_DIR, DEFAULT_SEED, DEFAULT_SOURCE_DIR, parseArgs } from './demo-build';
import { buildExample } from './demo/build';
import type { ExampleManifest } from './demo/manifest';
import { WATERBIRDS_LITE } from './demo/waterbirds-lite';

const COMMITTED_DIR = DEFAULT_OUT_DIR;

/** Every file under `dir` (relative, "/"-separated, sorted) → sha256 hex. */
async function hashTree(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
  const hashes = new Map<string, string>();
  for (const file of files)
    hashes.set(
      file,
      createHash('sha256')
        .update(await readFile(path.join(dir, file)))
        .digest('hex'),
    );
  return hashes;
}

async function readManifest(dir: string): Promise<ExampleManifest> {
  return JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as ExampleManifest;
}

/** Mean absolute difference per channel value (0–255) between two images of the same size. */
async function meanAbsDifference(fileA: string, fileB: string): Promise<number> {
  const a = await sharp(fileA).raw().toBuffer();
  const b = await sharp(fileB).raw().toBuffer();
  if (a.length !== b.length) return Infinity;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

describe('demo:build arguments', () => {
  it('defaults to the fixed seed, the committed folder and the shared sources', () => {
    expect(parseArgs([])).toEqual({ seed: DEFAULT_SEED, outDir: DEFAULT_OUT_DIR, sourceRoot: DEFAULT_SOURCE_DIR });
    expect(parseArgs(['--seed', '7', '--out', '/tmp/x', '--limit', '3'])).toEqual({
      seed: 7,
      outDir: '/tmp/x',
      sourceRoot: DEFAULT_SOURCE_DIR,
      limitPerGroup: 3,
    });
  });

  it('names the offending argument', () => {
    expect(() => parseArgs(['--sed', '1'])).toThrow('unknown argument "--sed"');
    expect(() => parseArgs(['--seed', '1.5'])).toThrow('--seed: expected an integer');
    expect(() => parseArgs(['--seed', '4294967296'])).toThrow('--seed: expected an integer');
    expect(() => parseArgs(['--out'])).toThrow('--out: expected a value');
    expect(() => parseArgs(['--limit', '0', '--out', '/tmp/x'])).toThrow('--limit: expected a positive integer');
    expect(() => parseArgs(['--limit', '3'])).toThrow('--limit: a partial build would replace the committed example');
  });
});

describe('npm run demo:build', () => {
  let tmp = '';
  let first = new Map<string, string>();
  let second = new Map<string, string>();
  let otherSeed = new Map<string, string>();

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'demo-build-'));
    const build = (dir: string, seed: number, limitPerGroup?: number) =>
      buildExample(WATERBIRDS_LITE, {
        seed,
        sourceRoot: DEFAULT_SOURCE_DIR,
        outDir: path.join(tmp, dir),
        limitPerGroup,
      });
    await build('first', DEFAULT_SEED);
    await build('second', DEFAULT_SEED);
    await build('other-seed', DEFAULT_SEED + 1, 4);
    first = await hashTree(path.join(tmp, 'first'));
    second = await hashTree(path.join(tmp, 'second'));
    otherSeed = await hashTree(path.join(tmp, 'other-seed'));
  });

  afterAll(async () => {
    if (tmp !== '') await rm(tmp, { recursive: true, force: true });
  });

  it('writes byte-identical files for the same seed', () => {
    expect(first.size).toBe(150 + 2);
    expect([...second.entries()]).toEqual([...first.entries()]);
  });

  it('writes different images and manifest for another seed', () => {
    // --limit 4 → the first 4 images of each group, under the same names as in the full build
    expect(otherSeed.size).toBe(16 + 2);
    for (const [file, hash] of otherSeed) {
      if (file === 'ATTRIBUTION.md') continue;
      expect(first.has(file), file).toBe(true);
      expect(hash, file).not.toBe(first.get(file));
    }
  });

  it('reproduces the committed manifest and attribution exactly from the default seed', async () => {
    for (const file of ['manifest.json', 'ATTRIBUTION.md']) {
      const rebuilt = await readFile(path.join(tmp, 'first', file), 'utf8');
      expect(rebuilt, file).toBe(await readFile(path.join(COMMITTED_DIR, file), 'utf8'));
    }
  });

  it('reproduces the committed images (same files; pixels equal up to JPEG/libvips rounding across platforms)', async () => {
    const committed = await hashTree(COMMITTED_DIR);
    expect([...committed.keys()]).toEqual([...first.keys()]);
    // Bytes match on the machine that built them; another CPU/libvips build may round differently, so compare pixels.
    for (const file of committed.keys()) {
      if (!file.endsWith('.jpg') || committed.get(file) === first.get(file)) continue;
      const difference = await meanAbsDifference(path.join(COMMITTED_DIR, file), path.join(tmp, 'first', file));
      expect(difference, file).toBeLessThan(1);
    }
  });
});

describe('the committed Waterbirds-lite set', () => {
  it('lists exactly the images on disk, each in its <class>/<attribute>/ folder', async () => {
    const manifest = await readManifest(COMMITTED_DIR);
    const onDisk = [...(await hashTree(COMMITTED_DIR)).keys()].filter((f) => f.endsWith('.jpg'));
    expect(manifest.images.map((i) => i.path).sort()).toEqual(onDisk);
    for (const image of manifest.images)
      expect(image.path.startsWith(`${image.class}/${image.attribute}/`), image.path).toBe(true);
  });

  it('has the documented split, class strings, attribute phrases and Waterbirds group weights', async () => {
    const manifest = await readManifest(COMMITTED_DIR);
    const counts: Record<string, number> = {};
    for (const image of manifest.images)
      counts[`${image.class}/${image.attribute}`] = (counts[`${image.class}/${image.attribute}`] ?? 0) + 1;
    const split = { 'landbird/land': 72, 'landbird/water': 18, 'waterbird/land': 12, 'waterbird/water': 48 };
    expect(counts).toEqual(split);
    expect(manifest.split.groups).toEqual(split);
    expect(manifest.seed).toBe(DEFAULT_SEED);
    expect(manifest.classes).toEqual([
      { folder: 'landbird', text: 'landbird' },
      { folder: 'waterbird', text: 'waterbird' },
    ]);
    expect(manifest.attributes).toEqual([
      { folder: 'land', text: 'a land background' },
      { folder: 'water', text: 'a water background' },
    ]);
    expect(manifest.groupWeights).toEqual({
      'landbird/land': 3498,
      'landbird/water': 184,
      'waterbird/land': 56,
      'waterbird/water': 1057,
    });
  });

  it('uses every bird cut-out in both a majority and a minority group', async () => {
    const manifest = await readManifest(COMMITTED_DIR);
    const attributesByCutout = new Map<string, Set<string>>();
    for (const image of manifest.images) {
      const seen = attributesByCutout.get(image.source.cutout) ?? new Set<string>();
      seen.add(image.attribute);
      attributesByCutout.set(image.source.cutout, seen);
    }
    expect(attributesByCutout.size).toBe(30);
    for (const [cutout, attributes] of attributesByCutout)
      expect([...attributes].sort(), cutout).toEqual(['land', 'water']);
  });

  it('holds only baseline 224×224 sRGB JPEGs without metadata, a few MB in total', async () => {
    const manifest = await readManifest(COMMITTED_DIR);
    let bytes = 0;
    for (const image of manifest.images) {
      const file = path.join(COMMITTED_DIR, image.path);
      const meta = await sharp(file).metadata();
      expect(
        {
          format: meta.format,
          width: meta.width,
          height: meta.height,
          channels: meta.channels,
          progressive: meta.isProgressive,
        },
        image.path,
      ).toEqual({ format: 'jpeg', width: 224, height: 224, channels: 3, progressive: false });
      expect(meta.chromaSubsampling, image.path).toBe('4:2:0');
      expect([meta.exif, meta.icc, meta.xmp], image.path).toEqual([undefined, undefined, undefined]);
      bytes += (await readFile(file)).length;
    }
    expect(bytes).toBeGreaterThan(500_000);
    expect(bytes).toBeLessThan(5_000_000);
  });
});
