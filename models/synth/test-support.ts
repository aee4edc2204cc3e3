// Shared by the synth tests: a tiny model generated into a temporary folder, and test images.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generateModel, type GenerateResult } from './generate.ts';
import { DEFAULT_SOURCE_DIR } from './main.ts';
import { RandomStream } from './random.ts';

export function generateTinyInTemp(seed: number): GenerateResult {
  const outDir = mkdtempSync(join(tmpdir(), 'synth-clip-'));
  return generateModel({ size: 'tiny', outDir, seed, sourceDir: DEFAULT_SOURCE_DIR });
}

/**
 * A smooth random image in CLIP's normalised pixel range, laid out [3, size, size]: a sum of a few
 * random plane waves per channel, so two seeds give visibly different pictures (not just fresh noise).
 */
export function smoothRandomImage(seed: number, size = 224): Float32Array {
  const random = new RandomStream(seed, 'test-image');
  const out = new Float32Array(3 * size * size);
  for (let c = 0; c < 3; c++) {
    const waves = Array.from({ length: 3 }, () => ({
      fx: random.nextUniform() * 0.08,
      fy: random.nextUniform() * 0.08,
      phase: random.nextUniform() * 2 * Math.PI,
      amplitude: random.nextUniform() * 1.2 - 0.6,
    }));
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        let value = 0;
        for (const wave of waves) value += wave.amplitude * Math.sin(wave.fx * x + wave.fy * y + wave.phase);
        out[(c * size + y) * size + x] = value;
      }
    }
  }
  return out;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** Removes the temporary parent folder made by generateTinyInTemp. */
export function removeGenerated(result: GenerateResult): void {
  rmSync(dirname(result.folder), { recursive: true, force: true });
}
