/** `npm run bench` flags: parsed and checked into Options (what to measure, where to write). */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchDevice } from './protocol';

/** The repository root (bench/..). */
export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

export const USAGE =
  'usage: npm run bench -- [--quick] [--device wasm|webgpu] [--out FILE.json] [--md FILE.md] [--memory-images N] [--readme FILE.md] | --md-from FILE.json [--md FILE.md] [--readme FILE.md]';

/** An expected stop (bad flag, no GPU): printed as one line, no stack. */
export class BenchAbort extends Error {}

export type Options = MeasureOptions | RenderOptions;

/** Measure, then write the results (and the markdown and README section when asked). */
export interface MeasureOptions {
  kind: 'measure';
  quick: boolean;
  device: BenchDevice;
  out: string;
  md: string | null;
  memoryImages: number | undefined;
  /** also write the README's benchmark section here */
  readme: string | null;
}

/** `--md-from`: re-render the markdown (and README section) from an earlier results file; nothing measured. */
export interface RenderOptions {
  kind: 'render';
  from: string;
  md: string;
  readme: string | null;
}

export function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      device: { type: 'string', default: 'wasm' },
      out: { type: 'string' },
      md: { type: 'string' },
      'memory-images': { type: 'string' },
      'md-from': { type: 'string' },
      readme: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) throw new BenchAbort(USAGE);
  if (values.device !== 'wasm' && values.device !== 'webgpu')
    throw new BenchAbort(`--device: expected wasm or webgpu, got ${values.device}`);
  let memoryImages: number | undefined;
  if (values['memory-images'] !== undefined) {
    memoryImages = Number(values['memory-images']);
    if (!Number.isInteger(memoryImages) || memoryImages < 16)
      throw new BenchAbort(`--memory-images: expected an integer ≥ 16, got ${values['memory-images']}`);
  }
  const readme = values.readme !== undefined ? resolve(values.readme) : null;
  const defaultMd = join(ROOT, 'bench', 'RESULTS.md');
  if (values['md-from'] !== undefined) {
    return {
      kind: 'render',
      from: resolve(values['md-from']),
      md: values.md !== undefined ? resolve(values.md) : defaultMd,
      readme,
    };
  }
  const quick = values.quick ?? false;
  return {
    kind: 'measure',
    quick,
    device: values.device,
    // quick runs never overwrite the committed full results unless asked to
    out: resolve(values.out ?? join(ROOT, 'bench', quick ? 'results.quick.json' : 'results.json')),
    md: values.md !== undefined ? resolve(values.md) : quick ? null : defaultMd,
    memoryImages,
    readme,
  };
}
