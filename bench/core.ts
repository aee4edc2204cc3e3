/**
 * `npm run bench:core [-- --quick]`: the engine's speed on random data (not a timed test; it prints numbers).
 * For N images × M = 80 templates × C classes × D = 512: build time of the similarity tensor (GFLOP/s next to a
 * plain float32 dot-product loop over the same data), build time of the analysis/prefix tables, and the median
 * time to re-run SAGE for a new K; then load time and peak memory of a 100k × 512 bundle as sage-embeddings/1 and /2
 * (`-- --load-only` runs just that part). Writes bench/core-results.json. `runCoreBench` is importable by bench/run.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticLargeBundle } from '../e2e/binaryBundleFixture';
import {
  buildAnalysis,
  mulberry32,
  runMethod,
  serializeBinaryBundle,
  serializeBundle,
  similarityTensor,
} from '../src/core';
import type { BundleLoadMeasure } from './bundleLoad';

export interface CoreBenchCase {
  n: number;
  m: number;
  c: number;
  dim: number;
  /** similarity tensor build (normalising copies included) */
  tensorMs: number;
  tensorGflops: number;
  /** the plain i/r/d float32 loop over the same (raw) data, for comparison (first `plainLoopImages` images) */
  plainLoopImages: number;
  plainLoopMs: number;
  plainLoopGflops: number;
  /** separation, ranking, Gram matrices, prefix tables */
  analysisMs: number;
  /** SAGE for a new K (embedding aggregate), median of repeats per K */
  sageMsByK: Record<string, number>;
  sageMedianMs: number;
}

export interface CoreBenchResult {
  date: string;
  node: string;
  cpus: number;
  /** 1-minute load average before and after: other processes on a 2-core machine skew every number */
  loadAverage: { before: number; after: number };
  quick: boolean;
  tier: CoreBenchTier;
  cases: CoreBenchCase[];
  /** load time and peak memory of a 100k × 512 bundle in each format (`npm run bench:core`; not in bench:run) */
  bundleLoad?: BundleLoadCase[];
}

const M = 80;
const DIM = 512;
const K_VALUES = [1, 3, 5, 10, 20, 40, 80];
const SAGE_REPEATS = 5;
const PLAIN_LOOP_MAX_IMAGES = 10_000;

function randomMatrix(rows: number, dim: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  const out = new Float32Array(rows * dim);
  for (let j = 0; j < out.length; j++) out[j] = next() * 2 - 1;
  return out;
}

/** The baseline the issue names: one accumulator, one multiply-add per loaded pair. */
function plainDotLoop(a: Float32Array, n: number, b: Float32Array, rows: number, dim: number, out: Float32Array): void {
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < rows; r++) {
      const ai = i * dim;
      const br = r * dim;
      let sum = 0;
      for (let d = 0; d < dim; d++) sum += a[ai + d] * b[br + d];
      out[i * rows + r] = sum;
    }
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timeMs(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

function benchCase(n: number, c: number, plainLoopMax: number, log: (line: string) => void): CoreBenchCase {
  const images = randomMatrix(n, DIM, 1);
  const text = randomMatrix(M * c, DIM, 2);
  const gflop = (2 * n * M * c * DIM) / 1e9;
  // warm both kernels up on a small slice so the timings are of optimised code
  similarityTensor({ imageEmbeddings: images.subarray(0, 64 * DIM), n: 64, textEmbeddings: text, m: M, c, dim: DIM });
  plainDotLoop(images, 8, text, M * c, DIM, new Float32Array(8 * M * c));

  let tensor = similarityTensor({
    imageEmbeddings: images.subarray(0, 0),
    n: 0,
    textEmbeddings: text,
    m: M,
    c,
    dim: DIM,
  });
  const tensorMs = timeMs(() => {
    tensor = similarityTensor({ imageEmbeddings: images, n, textEmbeddings: text, m: M, c, dim: DIM });
  });
  // the slow baseline only needs enough images for a stable rate: capped so N = 100k does not take minutes
  const plainLoopImages = Math.min(n, plainLoopMax);
  const plainOut = new Float32Array(plainLoopImages * M * c);
  const plainLoopMs = timeMs(() => plainDotLoop(images, plainLoopImages, text, M * c, DIM, plainOut));
  const plainGflop = (2 * plainLoopImages * M * c * DIM) / 1e9;
  let analysis = buildAnalysis(tensor);
  const analysisMs = timeMs(() => {
    analysis = buildAnalysis(tensor);
  });
  const sageMsByK: Record<string, number> = {};
  const all: number[] = [];
  for (const k of K_VALUES) {
    const times: number[] = [];
    for (let rep = 0; rep < SAGE_REPEATS; rep++) {
      times.push(timeMs(() => runMethod(analysis, { method: 'sage', k, aggregate: 'embedding' })));
    }
    sageMsByK[k] = median(times);
    all.push(...times);
  }
  const result: CoreBenchCase = {
    n,
    m: M,
    c,
    dim: DIM,
    tensorMs,
    tensorGflops: gflop / (tensorMs / 1e3),
    plainLoopImages,
    plainLoopMs,
    plainLoopGflops: plainGflop / (plainLoopMs / 1e3),
    analysisMs,
    sageMsByK,
    sageMedianMs: median(all),
  };
  log(formatRow(result));
  return result;
}

const HEADER = [
  'N',
  'C',
  'tensor ms',
  'GFLOP/s',
  'plain ms*',
  'plain GFLOP/s',
  'analysis ms',
  'SAGE new K ms (median)',
  'per K: 1/3/5/10/20/40/80',
];

function formatRow(r: CoreBenchCase): string {
  const cells = [
    String(r.n),
    String(r.c),
    r.tensorMs.toFixed(0),
    r.tensorGflops.toFixed(2),
    r.plainLoopMs.toFixed(0),
    r.plainLoopGflops.toFixed(2),
    r.analysisMs.toFixed(0),
    r.sageMedianMs.toFixed(2),
    K_VALUES.map((k) => r.sageMsByK[k].toFixed(1)).join('/'),
  ];
  return cells.map((cell, j) => cell.padStart(HEADER[j].length)).join('  ');
}

export type CoreBenchTier = 'full' | 'quick' | 'smoke';

export interface CoreBenchPlanCase {
  n: number;
  c: number;
  /** images the plain-loop baseline is timed on (its GFLOP/s is what is compared) */
  plainLoopImages: number;
}

/**
 * Which (N, C) cases a tier measures. `smoke` is what `npm run bench -- --quick` embeds: every column, at
 * N = 1,000 (C = 2, 10) and N = 10,000 (C = 2) with the plain baseline on 1,000 images, so it costs seconds.
 */
export function coreBenchPlan(tier: CoreBenchTier): CoreBenchPlanCase[] {
  const grid = (sizes: number[], plainMax: number) =>
    sizes.flatMap((n) => [2, 10].map((c) => ({ n, c, plainLoopImages: Math.min(n, plainMax) })));
  if (tier === 'full') return grid([1_000, 10_000, 100_000], PLAIN_LOOP_MAX_IMAGES);
  if (tier === 'quick') return grid([1_000, 10_000], PLAIN_LOOP_MAX_IMAGES);
  return [
    { n: 1_000, c: 2, plainLoopImages: 1_000 },
    { n: 1_000, c: 10, plainLoopImages: 1_000 },
    { n: 10_000, c: 2, plainLoopImages: 1_000 },
  ];
}

export function runCoreBench(
  options: { quick?: boolean; tier?: CoreBenchTier; log?: (line: string) => void } = {},
): CoreBenchResult {
  const log = options.log ?? ((line: string) => console.log(line));
  const loadBefore = loadavg()[0];
  const tier = options.tier ?? (options.quick ? 'quick' : 'full');
  log(`core bench (${tier}): M=${M}, D=${DIM}, random data; SAGE median over ${SAGE_REPEATS} runs per K`);
  log(HEADER.join('  '));
  const cases: CoreBenchCase[] = [];
  for (const planned of coreBenchPlan(tier)) cases.push(benchCase(planned.n, planned.c, planned.plainLoopImages, log));
  const loadAverage = { before: loadBefore, after: loadavg()[0] };
  log(
    `* plain loop timed on the first min(N, ${tier === 'smoke' ? 1_000 : PLAIN_LOOP_MAX_IMAGES}) images; GFLOP/s is comparable, ms is not beyond that`,
  );
  log(
    `load average (1 min) before ${loadAverage.before.toFixed(1)}, after ${loadAverage.after.toFixed(1)} on ${availableParallelism()} CPUs`,
  );
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpus: availableParallelism(),
    loadAverage,
    quick: tier !== 'full',
    tier,
    cases,
  };
}

// ---------------------------------------------------------------- bundle load (issue 17)

export interface BundleLoadCase extends BundleLoadMeasure {
  format: 'sage-embeddings/1' | 'sage-embeddings/2';
  fileMiB: number;
}

/**
 * Load time and peak memory of a 100,000-image × 512 bundle (80 templates × 2 classes) as /1 JSON (base64 vectors)
 * and /2 zip, each loaded in a fresh process the way the CLI reads it. Files go to bench/tmp/ (git-ignored).
 */
export function runBundleLoadBench(options: { n?: number; log?: (line: string) => void } = {}): BundleLoadCase[] {
  const log = options.log ?? ((line: string) => console.log(line));
  const n = options.n ?? 100_000;
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = join(here, 'tmp');
  mkdirSync(dir, { recursive: true });
  const bundle = syntheticLargeBundle(n, DIM, M);
  const cases: BundleLoadCase[] = [];
  log(`bundle load: ${n} images × ${DIM}, ${M} templates × 2 classes; each load in a fresh process (CLI reader)`);
  log('format             file MiB  load ms  peak MiB (above start)  max RSS MiB');
  for (const [format, name] of [
    ['sage-embeddings/1', 'load-bench.json'],
    ['sage-embeddings/2', 'load-bench.sage.zip'],
  ] as const) {
    const path = join(dir, name);
    writeFileSync(path, format === 'sage-embeddings/2' ? serializeBinaryBundle(bundle) : serializeBundle(bundle));
    const output = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'bundleLoad.ts'), path], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    const measure = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as BundleLoadMeasure;
    const fileMiB = statSync(path).size / 1024 ** 2;
    rmSync(path);
    const row: BundleLoadCase = { format, fileMiB, ...measure };
    cases.push(row);
    log(
      `${format}  ${fileMiB.toFixed(0).padStart(8)}  ${measure.loadMs.toFixed(0).padStart(7)}  ${measure.peakMiB
        .toFixed(0)
        .padStart(22)}  ${measure.maxRssMiB.toFixed(0).padStart(11)}`,
    );
  }
  return cases;
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const quick = process.argv.includes('--quick');
  const loadOnly = process.argv.includes('--load-only');
  const file = join(dirname(fileURLToPath(import.meta.url)), 'core-results.json');
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as CoreBenchResult) : null;
  const result: CoreBenchResult = loadOnly && previous ? previous : runCoreBench({ quick });
  result.bundleLoad = runBundleLoadBench();
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${file}`);
}
