/**
 * `npm run demo:build [-- --seed N --out DIR --src DIR]`: composites the Waterbirds-lite example set
 * (see scripts/demo/waterbirds-lite.ts for the construction and split). Same seed → byte-identical files.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildExample, type BuildOptions } from './demo/build';
import { WATERBIRDS_LITE } from './demo/waterbirds-lite';
import { errorMessage } from '../src/core/errors';

export const DEFAULT_SEED = 13005;
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_OUT_DIR = path.join(REPO_ROOT, 'public/examples/waterbirds-lite');
export const DEFAULT_SOURCE_DIR = path.resolve(REPO_ROOT, '../shared/data/waterbirds-lite-src');

const USAGE = `usage: npm run demo:build -- [--seed N] [--out DIR] [--src DIR] [--limit N]
  --seed N   integer in [0, 4294967295] driving every random choice (default ${DEFAULT_SEED})
  --out DIR  output folder (default public/examples/waterbirds-lite)
  --src DIR  source folder with birds/, backgrounds/, LICENSE.md (default ../shared/data/waterbirds-lite-src)
  --limit N  build only the first N images of each group (for quick checks; the committed set is the full build)`;

export function parseArgs(argv: readonly string[]): BuildOptions | 'help' {
  const options: BuildOptions = { seed: DEFAULT_SEED, outDir: DEFAULT_OUT_DIR, sourceRoot: DEFAULT_SOURCE_DIR };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--help' || flag === '-h') return 'help';
    const value = argv[i + 1];
    if (flag !== '--seed' && flag !== '--out' && flag !== '--src' && flag !== '--limit')
      throw new Error(`unknown argument "${flag}"\n${USAGE}`);
    if (value === undefined || value.startsWith('--')) throw new Error(`${flag}: expected a value`);
    i++;
    if (flag === '--seed') {
      const seed = Number(value);
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(seed) || seed > 0xffffffff) {
        throw new Error(`--seed: expected an integer in [0, 4294967295], got "${value}"`);
      }
      options.seed = seed;
    } else if (flag === '--limit') {
      if (!/^[1-9]\d*$/.test(value)) throw new Error(`--limit: expected a positive integer, got "${value}"`);
      options.limitPerGroup = Number(value);
    } else if (flag === '--out') {
      options.outDir = path.resolve(value);
    } else {
      options.sourceRoot = path.resolve(value);
    }
  }
  if (options.limitPerGroup !== undefined && options.outDir === DEFAULT_OUT_DIR) {
    throw new Error('--limit: a partial build would replace the committed example; pass --out DIR as well');
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  const started = performance.now();
  const summary = await buildExample(WATERBIRDS_LITE, options);
  const seconds = (performance.now() - started) / 1000;
  const groups = Object.entries(summary.groups)
    .map(([g, n]) => `${g} ${n}`)
    .join(', ');
  console.log(
    `${WATERBIRDS_LITE.name}: ${summary.images} images (${groups}), ` +
      `${(summary.imageBytes / 1024).toFixed(0)} KiB of JPEG, seed ${options.seed}, ${seconds.toFixed(1)} s → ${options.outDir}`,
  );
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(errorMessage(error));
    process.exitCode = 1;
  });
}
