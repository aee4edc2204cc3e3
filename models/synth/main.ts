// npm run models:synth -- [--size tiny|base|all] [--out DIR] [--seed S] [--source DIR] [--force]
// Writes CLIP-architecture ONNX models with deterministic random weights (see models/README.md).

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateModel } from './generate.ts';
import { isSizeName, SIZE_NAMES, type SizeName } from './sizes.ts';
import { errorMessage } from '../../src/core/errors.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_OUT_DIR = join(repoRoot, 'models');
export const DEFAULT_SOURCE_DIR = resolve(repoRoot, '..', 'shared', 'models', 'clip-vit-base-patch32');
export const DEFAULT_SEED = 1;

const USAGE = 'usage: models:synth [--size tiny|base|all] [--out DIR] [--seed S] [--source DIR] [--force]';

interface CliOptions {
  sizes: SizeName[];
  outDir: string;
  seed: number;
  sourceDir: string;
  force: boolean;
}

export function parseCli(argv: readonly string[]): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      size: { type: 'string', default: 'tiny' },
      out: { type: 'string', default: DEFAULT_OUT_DIR },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      source: { type: 'string', default: DEFAULT_SOURCE_DIR },
      force: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const size = values.size;
  let sizes: SizeName[];
  if (size === 'all') sizes = [...SIZE_NAMES];
  else if (isSizeName(size)) sizes = [size];
  else throw new Error(`--size: expected tiny, base or all, got "${size}"`);
  const seed = Number(values.seed);
  if (!/^\d+$/.test(values.seed) || !Number.isSafeInteger(seed) || seed > 0xffffffff) {
    throw new Error(`--seed: expected an integer from 0 to 4294967295, got "${values.seed}"`);
  }
  return { sizes, outDir: resolve(values.out), seed, sourceDir: resolve(values.source), force: values.force };
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

function main(): void {
  let options: CliOptions;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (error) {
    console.error(`${errorMessage(error)}\n${USAGE}`);
    process.exit(2);
  }
  for (const size of options.sizes) {
    const result = generateModel({
      size,
      outDir: options.outDir,
      seed: options.seed,
      sourceDir: options.sourceDir,
      force: options.force,
    });
    const total = Object.values(result.manifest.files).reduce((sum, f) => sum + f.bytes, 0);
    const files = Object.entries(result.manifest.files)
      .map(([name, f]) => `${name} ${megabytes(f.bytes)} MB`)
      .join(', ');
    const verb = result.skipped ? 'up to date' : `generated in ${result.seconds.toFixed(1)} s`;
    console.log(`${size}: ${result.folder} ${verb} (seed ${options.seed}; ${files}; ${megabytes(total)} MB)`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
