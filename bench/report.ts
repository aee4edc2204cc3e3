/**
 * Turns raw timed runs into the figures the benchmark reports: throughput medians and the wasm/native
 * ratio, the per-image time breakdown, memory growth per batch, and the targets. Pure functions.
 */
import type { RuntimeInfo } from '../src/core/config';
import type { ImageRun, TextRun } from './protocol';
import { linearFit, median, perSecond, tail } from './stats';

export interface BenchPlan {
  images: { batchSize: number; imagesPerRun: number; runs: number; warmup: boolean }[];
  /** templates per text run (× 10 classes) */
  textTemplates: number;
  textRuns: number;
  memoryImages: number;
  memoryBatchSize: number;
}

export function benchPlan(quick: boolean, memoryImages?: number): BenchPlan {
  if (quick) {
    // under 3 minutes on a loaded 2-core machine: every quantity once or twice, the fewest images that give it
    return {
      images: [
        { batchSize: 1, imagesPerRun: 1, runs: 2, warmup: true },
        { batchSize: 8, imagesPerRun: 8, runs: 2, warmup: true },
        // quick: the batch-8 warm-up has already exercised the session; one cold-shape run of 32
        { batchSize: 32, imagesPerRun: 32, runs: 1, warmup: false },
      ],
      textTemplates: 4,
      textRuns: 2,
      // 4 batches: enough for a slope after the warm-up fifth is dropped
      memoryImages: memoryImages ?? 32,
      memoryBatchSize: 8,
    };
  }
  return {
    images: [
      { batchSize: 1, imagesPerRun: 2, runs: 5, warmup: true },
      { batchSize: 8, imagesPerRun: 8, runs: 5, warmup: true },
      { batchSize: 32, imagesPerRun: 32, runs: 3, warmup: true },
    ],
    textTemplates: 80,
    textRuns: 2,
    memoryImages: memoryImages ?? 2000,
    memoryBatchSize: 8,
  };
}

export interface Throughput {
  /** items per second of each timed run */
  perRun: number[];
  median: number;
  /** CPU seconds per wall second during the runs (≈ cores kept busy); null when not measured */
  cpuParallelism: number | null;
}

export function throughputOf(runs: readonly { count: number; wallMs: number; cpuMs: number | null }[]): Throughput {
  const perRun = runs.map((run) => perSecond(run.count, run.wallMs));
  const withCpu = runs.filter((run) => run.cpuMs !== null);
  const wall = withCpu.reduce((sum, run) => sum + run.wallMs, 0);
  const cpu = withCpu.reduce((sum, run) => sum + (run.cpuMs ?? 0), 0);
  return { perRun, median: median(perRun), cpuParallelism: withCpu.length > 0 && wall > 0 ? cpu / wall : null };
}

export function imageRunsThroughput(runs: readonly ImageRun[]): Throughput {
  return throughputOf(runs.map((run) => ({ count: run.images, wallMs: run.wallMs, cpuMs: run.cpuMs ?? null })));
}

export function textRunsThroughput(runs: readonly TextRun[]): Throughput {
  return throughputOf(runs.map((run) => ({ count: run.prompts, wallMs: run.wallMs, cpuMs: run.cpuMs ?? null })));
}

/** Milliseconds per image, by stage. `transfer` = round trip minus the worker's own stages. */
export interface StageBreakdown {
  decodeMs: number;
  preprocessMs: number;
  encodeMs: number;
  /** page ↔ worker messaging plus the worker's cache lookups/writes (everything outside the three stages) */
  transferMs: number;
  totalMs: number;
  /** (decode + preprocess) / total */
  decodePreprocessShare: number;
}

export function stageBreakdown(runs: readonly ImageRun[]): StageBreakdown {
  let images = 0;
  let decode = 0;
  let preprocess = 0;
  let encode = 0;
  let total = 0;
  for (const run of runs) {
    images += run.images;
    total += run.wallMs;
    for (const batch of run.batches) {
      decode += batch.timings.decode;
      preprocess += batch.timings.preprocess;
      encode += batch.timings.encode;
    }
  }
  if (images === 0 || total <= 0) throw new Error('stageBreakdown: no timed images');
  const per = (ms: number) => ms / images;
  return {
    decodeMs: per(decode),
    preprocessMs: per(preprocess),
    encodeMs: per(encode),
    transferMs: per(Math.max(0, total - decode - preprocess - encode)),
    totalMs: per(total),
    decodePreprocessShare: (decode + preprocess) / total,
  };
}

export interface MemorySample {
  batch: number;
  rssBytes: number;
  jsHeapBytes: number;
}

export interface MemoryGrowth {
  images: number;
  batchSize: number;
  samples: MemorySample[];
  /** samples used for the fit (the first 20% of the run are warm-up: allocator arenas, JIT) */
  fittedFrom: number;
  rssSlopeBytesPerBatch: number;
  jsHeapSlopeBytesPerBatch: number;
  /** what the embedding cache must grow by per batch: batchSize × dim float32 (the worker keeps a memory copy) */
  cacheBytesPerBatch: number;
  residualBytesPerBatch: number;
  /** residual growth extrapolated over the whole run */
  residualGrowthBytes: number;
  /** flat when residualGrowthBytes ≤ this (5% of RSS at the start of the fit) */
  flatThresholdBytes: number;
  flat: boolean;
}

export const FLAT_TOLERANCE = 0.05;

export function memoryGrowth(
  samples: readonly MemorySample[],
  images: number,
  batchSize: number,
  dim: number,
): MemoryGrowth {
  const fitted = tail(samples, 0.2, 2);
  if (fitted.length < 2) throw new Error(`memoryGrowth: need at least 2 samples, got ${samples.length}`);
  const batches = fitted.map((sample) => sample.batch);
  const rss = linearFit(
    batches,
    fitted.map((sample) => sample.rssBytes),
  );
  const heap = linearFit(
    batches,
    fitted.map((sample) => sample.jsHeapBytes),
  );
  const cacheBytesPerBatch = batchSize * dim * 4;
  const residualBytesPerBatch = rss.slope - cacheBytesPerBatch;
  const totalBatches = Math.ceil(images / batchSize);
  const residualGrowthBytes = Math.max(0, residualBytesPerBatch) * totalBatches;
  const flatThresholdBytes = FLAT_TOLERANCE * fitted[0].rssBytes;
  return {
    images,
    batchSize,
    samples: [...samples],
    fittedFrom: samples.length - fitted.length,
    rssSlopeBytesPerBatch: rss.slope,
    jsHeapSlopeBytesPerBatch: heap.slope,
    cacheBytesPerBatch,
    residualBytesPerBatch,
    residualGrowthBytes,
    flatThresholdBytes,
    flat: residualGrowthBytes <= flatThresholdBytes,
  };
}

export interface ImageThroughputRow {
  batchSize: number;
  imagesPerRun: number;
  runs: number;
  warmup: boolean;
  browser: Throughput;
  node: Throughput;
  /** browser median / node median */
  ratio: number;
}

export interface Targets {
  ratio: { target: number; measured: number; met: boolean };
  decodePreprocessShare: { target: number; measured: number; met: boolean };
  memoryFlat: { residualGrowthBytes: number; thresholdBytes: number; met: boolean } | null;
}

export interface BenchResults {
  format: 'sage-bench/1';
  mode: 'full' | 'quick';
  device: 'wasm' | 'webgpu';
  machine: import('./machine').MachineDescription & { loadAverage1mAtEnd: number };
  model: { name: string; dtype: string; dim: number };
  imageSource: string;
  browser: {
    runtime: RuntimeInfo;
    loadMs: number;
    crossOriginIsolated: boolean;
    wasmSimd: boolean;
    hardwareConcurrency: number;
    /** ORT's WASM thread pool seen in the renderer (/proc task names) */
    wasmWorkerThreadsObserved: number | null;
    userAgent: string;
  };
  node: { runtime: RuntimeInfo; loadMs: number };
  imageThroughput: ImageThroughputRow[];
  textThroughput: { prompts: number; runs: number; browser: Throughput; node: Throughput; ratio: number };
  perImageBrowser: StageBreakdown;
  perImageNode: StageBreakdown;
  memory: {
    browserPeakJsHeapBytes: number;
    browserPeakRendererRssBytes: number | null;
    nodePeakRssBytes: number;
    browserRun: MemoryGrowth | null;
  };
  core: unknown;
  targets: Targets;
  diagnosis: string[];
  durationSeconds: number;
}

export const RATIO_TARGET = 0.7;
export const DECODE_PREPROCESS_TARGET = 0.15;
const RATIO_BATCH = 8;

export function headlineRatio(rows: readonly ImageThroughputRow[]): number {
  const row = rows.find((entry) => entry.batchSize === RATIO_BATCH);
  if (!row) throw new Error(`headlineRatio: no batch-${RATIO_BATCH} row`);
  return row.ratio;
}

export function evaluateTargets(
  rows: readonly ImageThroughputRow[],
  browserStages: StageBreakdown,
  memory: MemoryGrowth | null,
): Targets {
  const ratio = headlineRatio(rows);
  return {
    ratio: { target: RATIO_TARGET, measured: ratio, met: ratio >= RATIO_TARGET },
    decodePreprocessShare: {
      target: DECODE_PREPROCESS_TARGET,
      measured: browserStages.decodePreprocessShare,
      met: browserStages.decodePreprocessShare <= DECODE_PREPROCESS_TARGET,
    },
    memoryFlat: memory
      ? { residualGrowthBytes: memory.residualGrowthBytes, thresholdBytes: memory.flatThresholdBytes, met: memory.flat }
      : null,
  };
}

/**
 * Why the ratio is what it is: wasm/native = (cores kept busy ratio) × (work per CPU-second ratio).
 * Returns one sentence per finding.
 */
export function diagnoseRatio(
  row: ImageThroughputRow,
  browserThreads: number,
  nodeThreads: number,
  observedWorkers: number | null,
): string[] {
  const lines: string[] = [];
  const b = row.browser;
  const n = row.node;
  if (b.cpuParallelism !== null && n.cpuParallelism !== null) {
    const parallelRatio = b.cpuParallelism / n.cpuParallelism;
    const perCoreRatio = row.ratio / parallelRatio;
    lines.push(
      `batch ${row.batchSize}: ratio ${fmt(row.ratio)} = parallelism ${fmt(b.cpuParallelism)}/${fmt(n.cpuParallelism)} cores busy (${fmt(parallelRatio)}) × work per CPU-second ${fmt(perCoreRatio)} (WASM 128-bit SIMD fp32 kernels vs ORT-node's native MLAS)`,
    );
  }
  // ORT's intra-op pool of N threads is the calling thread (here the CLIP worker) plus N − 1 pthreads
  const expectedPool = Math.max(0, browserThreads - 1);
  const observed =
    observedWorkers === null
      ? ''
      : `, ${observedWorkers} ORT pool thread(s) seen in the renderer besides the CLIP worker (expected ${expectedPool}: ${observedWorkers >= expectedPool ? 'multithreaded as configured' : 'FEWER than configured'})`;
  lines.push(`threads: WASM configured ${browserThreads}${observed}; onnxruntime-node ${nodeThreads}`);
  return lines;
}

export function fmt(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

function mib(bytes: number | null): string {
  return bytes === null ? 'n/a' : `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** The last line of the summary: exactly `<device>/native images/s ratio: <x>` at batch 8. */
export function ratioLine(device: 'wasm' | 'webgpu', ratio: number): string {
  return `${device}/native images/s ratio: ${fmt(ratio)}`;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

/** The printed summary. Its last line is ratioLine(). */
export function formatSummary(results: BenchResults): string {
  const device = results.device;
  const m = results.machine;
  const out: string[] = [];
  out.push(`SAGE Explorer benchmark (${results.mode}) — ${m.date}`);
  out.push(
    `machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}; Chromium ${m.chromium}; load avg ${fmt(m.loadAverage1m)} → ${fmt(m.loadAverage1mAtEnd)}`,
  );
  out.push(
    `model: ${results.model.name} (${results.model.dtype}, dim ${results.model.dim}); browser ${results.browser.runtime.backend} ${results.browser.runtime.threads} threads, cross-origin isolated ${results.browser.crossOriginIsolated}, SIMD ${results.browser.wasmSimd}; node ${results.node.runtime.threads} threads`,
  );
  out.push('');
  out.push(
    ...table(
      ['throughput', device, 'native', `${device}/native`, `${device} cores busy`, 'native cores busy'],
      [
        ...results.imageThroughput.map((row) => [
          `images/s, batch ${row.batchSize}`,
          fmt(row.browser.median),
          fmt(row.node.median),
          fmt(row.ratio),
          row.browser.cpuParallelism === null ? 'n/a' : fmt(row.browser.cpuParallelism),
          row.node.cpuParallelism === null ? 'n/a' : fmt(row.node.cpuParallelism),
        ]),
        [
          `prompts/s (${results.textThroughput.prompts} prompts)`,
          fmt(results.textThroughput.browser.median),
          fmt(results.textThroughput.node.median),
          fmt(results.textThroughput.ratio),
          results.textThroughput.browser.cpuParallelism === null
            ? 'n/a'
            : fmt(results.textThroughput.browser.cpuParallelism),
          results.textThroughput.node.cpuParallelism === null ? 'n/a' : fmt(results.textThroughput.node.cpuParallelism),
        ],
      ],
    ),
  );
  out.push('');
  const stageRow = (name: string, s: StageBreakdown) => [
    name,
    fmt(s.decodeMs, 1),
    fmt(s.preprocessMs, 1),
    fmt(s.encodeMs, 1),
    fmt(s.transferMs, 1),
    fmt(s.totalMs, 1),
    `${fmt(100 * s.decodePreprocessShare, 1)}%`,
  ];
  out.push(
    ...table(
      ['ms per image (batch 8)', 'decode', 'preprocess', 'encoder', 'transfer+other', 'total', 'decode+prep'],
      [stageRow(`browser (${device})`, results.perImageBrowser), stageRow('node', results.perImageNode)],
    ),
  );
  out.push('');
  const mem = results.memory;
  out.push(
    `peak memory: page JS heap ${mib(mem.browserPeakJsHeapBytes)}, renderer RSS ${mib(mem.browserPeakRendererRssBytes)}, Node RSS ${mib(mem.nodePeakRssBytes)}`,
  );
  if (mem.browserRun) {
    const run = mem.browserRun;
    out.push(
      `memory over ${run.images} images (batch ${run.batchSize}): renderer RSS ${kib(run.rssSlopeBytesPerBatch)}/batch, cache ${kib(run.cacheBytesPerBatch)}/batch, beyond cache ${kib(run.residualBytesPerBatch)}/batch → ${mib(run.residualGrowthBytes)} over the run (flat if ≤ ${mib(run.flatThresholdBytes)}): ${run.flat ? 'flat' : 'GROWING'}`,
    );
  }
  const t = results.targets;
  out.push(
    `targets: ratio ≥ ${t.ratio.target}: ${fmt(t.ratio.measured)} ${t.ratio.met ? 'met' : `MISSED by ${fmt(t.ratio.target - t.ratio.measured)}`}; ` +
      `decode+preprocess ≤ ${100 * t.decodePreprocessShare.target}%: ${fmt(100 * t.decodePreprocessShare.measured, 1)}% ${t.decodePreprocessShare.met ? 'met' : 'MISSED'}; ` +
      `memory flat: ${t.memoryFlat === null ? 'not measured' : t.memoryFlat.met ? 'met' : 'MISSED'}`,
  );
  for (const line of results.diagnosis) out.push(`  ${line}`);
  out.push(ratioLine(device, headlineRatio(results.imageThroughput)));
  return out.join('\n');
}

/**
 * A results file read back (for `--md-from`): checks the shape the markdown and summary rely on, naming the
 * first field that is wrong.
 */
export function parseBenchResults(value: unknown, source = 'results'): BenchResults {
  const fail = (field: string, expected: string): never => {
    throw new Error(`${source}: ${field}: expected ${expected}`);
  };
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(value)) return fail('(root)', 'an object');
  if (value.format !== 'sage-bench/1') fail('format', `"sage-bench/1", got ${JSON.stringify(value.format)}`);
  if (value.mode !== 'full' && value.mode !== 'quick') fail('mode', '"full" or "quick"');
  if (value.device !== 'wasm' && value.device !== 'webgpu') fail('device', '"wasm" or "webgpu"');
  for (const field of [
    'machine',
    'model',
    'browser',
    'node',
    'textThroughput',
    'perImageBrowser',
    'perImageNode',
    'memory',
    'targets',
  ]) {
    if (!isObject(value[field])) fail(field, 'an object');
  }
  const isThroughput = (v: unknown) => isObject(v) && typeof v.median === 'number' && Array.isArray(v.perRun);
  const rows = value.imageThroughput;
  if (!Array.isArray(rows) || rows.length === 0) return fail('imageThroughput', 'a non-empty array');
  rows.forEach((row: unknown, i) => {
    if (!isObject(row) || typeof row.batchSize !== 'number' || typeof row.ratio !== 'number')
      fail(`imageThroughput[${i}]`, 'a row with batchSize and ratio');
    const r = row as Record<string, unknown>;
    if (!isThroughput(r.browser) || !isThroughput(r.node))
      fail(`imageThroughput[${i}].browser/node`, 'throughputs with median and perRun');
  });
  if (!rows.some((row: Record<string, unknown>) => row.batchSize === RATIO_BATCH))
    fail('imageThroughput', `a batch-${RATIO_BATCH} row`);
  const text = value.textThroughput as Record<string, unknown>;
  if (!isThroughput(text.browser) || !isThroughput(text.node))
    fail('textThroughput.browser/node', 'throughputs with median and perRun');
  for (const side of ['perImageBrowser', 'perImageNode'] as const) {
    const stages = value[side] as Record<string, unknown>;
    for (const field of ['decodeMs', 'preprocessMs', 'encodeMs', 'transferMs', 'totalMs', 'decodePreprocessShare']) {
      if (typeof stages[field] !== 'number') fail(`${side}.${field}`, 'a number');
    }
  }
  if (!Array.isArray(value.diagnosis) || !value.diagnosis.every((line) => typeof line === 'string'))
    fail('diagnosis', 'an array of strings');
  return value as unknown as BenchResults;
}
