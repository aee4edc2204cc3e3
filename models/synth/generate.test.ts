import { readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COPIED_FILES,
  generateModel,
  GENERATOR_VERSION,
  ONNX_FILES,
  VISION_FILE,
  visionFile,
  type GenerateResult,
} from './generate.ts';
import { DEFAULT_SOURCE_DIR, parseCli } from './main.ts';
import { CLIP_SIZES } from './sizes.ts';
import { generateTinyInTemp, removeGenerated } from './test-support.ts';

describe('generateModel (tiny)', () => {
  let first: GenerateResult;
  let sameSeed: GenerateResult;
  let otherSeed: GenerateResult;

  beforeAll(() => {
    first = generateTinyInTemp(7);
    sameSeed = generateTinyInTemp(7);
    otherSeed = generateTinyInTemp(8);
  });
  afterAll(() => [first, sameSeed, otherSeed].forEach(removeGenerated));

  it('writes the transformers.js layout with the real tokenizer and preprocessor files', () => {
    for (const file of [...ONNX_FILES, 'config.json', 'synth.json', ...COPIED_FILES]) {
      expect(statSync(join(first.folder, file)).size, file).toBeGreaterThan(0);
    }
    for (const file of COPIED_FILES) {
      expect(readFileSync(join(first.folder, file)).equals(readFileSync(join(DEFAULT_SOURCE_DIR, file))), file).toBe(
        true,
      );
    }
  });

  it('records sizes and hashes that match the files on disk', () => {
    const manifest = JSON.parse(readFileSync(join(first.folder, 'synth.json'), 'utf8')) as GenerateResult['manifest'];
    expect(manifest).toMatchObject({ version: GENERATOR_VERSION, size: 'tiny', seed: 7 });
    for (const [file, info] of Object.entries(manifest.files)) {
      expect(statSync(join(first.folder, file)).size).toBe(info.bytes);
    }
    expect(Object.keys(manifest.files).sort()).toEqual([...ONNX_FILES].sort());
    // About 14 MB for the three precisions: the full-vocabulary token embedding (49408 x 32) dominates
    // (6.3 MB as fp32, 3.2 MB as fp16, 1.6 MB as uint8).
    const total = Object.values(manifest.files).reduce((sum, f) => sum + f.bytes, 0);
    expect(total).toBeGreaterThan(12e6);
    expect(total).toBeLessThan(16e6);
  });

  it('patches config.json to the generated dimensions', () => {
    const config = JSON.parse(readFileSync(join(first.folder, 'config.json'), 'utf8')) as {
      model_type: string;
      projection_dim: number;
      text_config: Record<string, number>;
      vision_config: Record<string, number>;
    };
    const dims = CLIP_SIZES.tiny;
    expect(config.model_type).toBe('clip');
    expect(config.projection_dim).toBe(dims.projectionDim);
    expect(config.text_config).toMatchObject({
      hidden_size: 32,
      num_hidden_layers: 2,
      num_attention_heads: 2,
      vocab_size: 49408,
    });
    expect(config.vision_config).toMatchObject({
      hidden_size: 64,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      patch_size: 32,
      image_size: 224,
    });
  });

  it('is deterministic for a seed and differs across seeds', () => {
    expect(sameSeed.manifest.files).toEqual(first.manifest.files);
    for (const file of ONNX_FILES) {
      expect(otherSeed.manifest.files[file].sha256, file).not.toBe(first.manifest.files[file].sha256);
    }
  });

  it('skips a folder stamped with the same version and seed, and regenerates on a new seed', () => {
    const outDir = join(first.folder, '..');
    const before = statSync(join(first.folder, VISION_FILE)).mtimeMs;
    const again = generateModel({ size: 'tiny', outDir, seed: 7, sourceDir: DEFAULT_SOURCE_DIR });
    expect(again.skipped).toBe(true);
    expect(statSync(join(first.folder, VISION_FILE)).mtimeMs).toBe(before);

    const reseeded = generateModel({ size: 'tiny', outDir, seed: 9, sourceDir: DEFAULT_SOURCE_DIR });
    expect(reseeded.skipped).toBe(false);
    expect(reseeded.manifest.seed).toBe(9);
  });

  it('regenerates a folder with a truncated or missing model or an unreadable stamp', () => {
    const outDir = join(first.folder, '..');
    const vision = join(first.folder, VISION_FILE);
    truncateSync(vision, 1000);
    const repaired = generateModel({ size: 'tiny', outDir, seed: 9, sourceDir: DEFAULT_SOURCE_DIR });
    expect(repaired.skipped).toBe(false);
    expect(statSync(vision).size).toBe(repaired.manifest.files[VISION_FILE].bytes);

    rmSync(join(first.folder, visionFile('q8')));
    expect(generateModel({ size: 'tiny', outDir, seed: 9, sourceDir: DEFAULT_SOURCE_DIR }).skipped).toBe(false);
    expect(statSync(join(first.folder, visionFile('q8'))).size).toBeGreaterThan(0);

    writeFileSync(join(first.folder, 'synth.json'), '{"version": ');
    expect(generateModel({ size: 'tiny', outDir, seed: 9, sourceDir: DEFAULT_SOURCE_DIR }).skipped).toBe(false);
    expect(generateModel({ size: 'tiny', outDir, seed: 9, sourceDir: DEFAULT_SOURCE_DIR }).skipped).toBe(true);
  });

  it('names the missing file when the CLIP source folder is incomplete', () => {
    expect(() =>
      generateModel({
        size: 'tiny',
        outDir: join(first.folder, '..'),
        seed: 1,
        sourceDir: first.folder + '/onnx',
        force: true,
      }),
    ).toThrow(/missing tokenizer\.json in the CLIP source folder/);
  });
});

describe('parseCli', () => {
  it('defaults to tiny with seed 1 and expands all', () => {
    expect(parseCli([])).toMatchObject({ sizes: ['tiny'], seed: 1, force: false });
    expect(parseCli(['--size', 'all', '--seed', '42']).sizes).toEqual(['tiny', 'base']);
  });

  it('names the offending flag', () => {
    expect(() => parseCli(['--size', 'huge'])).toThrow(/--size: expected tiny, base or all, got "huge"/);
    expect(() => parseCli(['--seed', '-3'])).toThrow(/--seed/);
    expect(() => parseCli(['--seed', '1.5'])).toThrow(/--seed/);
  });
});
