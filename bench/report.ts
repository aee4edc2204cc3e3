/**
 * Turns raw timed runs into the figures the benchmark reports: throughput medians and the wasm/native
 * ratio, the per-image time breakdown, memory growth per batch, and the targets. Pure functions.
 */
import * as v from 'valibot';
import type { RuntimeInfo } from '../src/core/config';
import { memoryStepLines, type MemorySteps } from './memoryStepsReport';
import {
  check,
  describeValue,
  nth,
  oneOf,
  plainLooseObject,
  problemSentence,
  valueAt,
  type FieldPath,
  type PlaceNames,
} from '../src/core/schemaErrors';
import {
  defaultPathLine,
  dtypeSummaryLines,
  type CachedRerun,
  type DefaultPath,
  type DtypeResult,
  type OperatorProfiles,
} from './dtypes';
import type { MachineDescription } from './machine';
import type { ImageRun, TextRun } from './protocol';
import { linearFit, median, perSecond, tail } from './stats';

export interface BenchPlan {
  images: { batchSize: number; imagesPerRun: number; runs: number; warmup: boolean }[];
  /** templates per text run (× 10 classes) */
  textTemplates: number;
  textRuns: number;
  memoryImages: number;
  memoryBatchSize: number;
  /** image steps per other precision (q8, fp16), each run timed against native fp32 */
  otherDtypes: Record<'q8' | 'fp16', { batchSize: number; imagesPerRun: number; runs: number }[]>;
  /** timed runs per configuration of the per-operator profile (after one warm-up) */
  profileRuns: number;
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
      otherDtypes: {
        q8: [{ batchSize: 8, imagesPerRun: 8, runs: 2 }],
        fp16: [{ batchSize: 8, imagesPerRun: 8, runs: 1 }],
      },
      profileRuns: 1,
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
    otherDtypes: {
      q8: [
        { batchSize: 1, imagesPerRun: 2, runs: 3 },
        { batchSize: 8, imagesPerRun: 8, runs: 5 },
        { batchSize: 32, imagesPerRun: 32, runs: 2 },
      ],
      fp16: [{ batchSize: 8, imagesPerRun: 8, runs: 2 }],
    },
    profileRuns: 3,
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
  machine: MachineDescription & { loadAverage1mAtEnd: number };
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
  /** per precision (fp32 from the main phase, q8 and fp16 each in a fresh browser); absent in older files */
  dtypes?: DtypeResult[];
  /** WASM q8 / native fp32 at batch 8 */
  defaultPath?: DefaultPath | null;
  /** ORT's per-operator profile of the vision tower */
  operatorProfiles?: OperatorProfiles | null;
  /** re-run of the example with everything cached, production build */
  cachedRerun?: CachedRerun | null;
  /** renderer RSS after each step of a run, per precision and session order (bench/memorySteps.ts) */
  memorySteps?: MemorySteps[] | null;
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

/** The summary's second-to-last line: exactly `<device>/native images/s ratio: <x>` at batch 8. */
export function ratioLine(device: 'wasm' | 'webgpu', ratio: number): string {
  return `${device}/native images/s ratio: ${fmt(ratio)}`;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

/** The printed summary. Its last two lines are ratioLine() (fp32) and defaultPathLine() (WASM q8 / native fp32). */
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
  out.push(...dtypeSummaryLines(results.dtypes ?? [], results.cachedRerun ?? null, results.operatorProfiles ?? null));
  out.push(...memoryStepLines(results.memorySteps ?? []));
  out.push(ratioLine(device, headlineRatio(results.imageThroughput)));
  out.push(defaultPathLine(results.defaultPath ?? null));
  return out.join('\n');
}

const NOT_BENCH_RESULTS = 'this file is not a SAGE Explorer benchmark result';

const BENCH_TOP: Record<string, string> = {
  format: 'format',
  mode: 'mode',
  device: 'device',
  machine: 'machine description',
  model: 'model description',
  browser: 'browser runtime',
  node: 'Node runtime',
  imageThroughput: 'image throughput table',
  textThroughput: 'text throughput',
  perImageBrowser: 'per-image stages in the browser',
  perImageNode: 'per-image stages in Node',
  memory: 'memory figures',
  targets: 'targets',
  diagnosis: 'diagnosis',
  dtypes: 'per-precision figures',
  defaultPath: 'default-path ratio',
  operatorProfiles: 'per-operator profile',
  cachedRerun: 'cached re-run',
};

const BENCH_PLACES: PlaceNames = {
  notA: NOT_BENCH_RESULTS,
  place(path: FieldPath, root: unknown): string {
    const [top, ...rest] = path;
    if (path.length === 0) return 'the file';
    const name = BENCH_TOP[top] ?? String(top);
    if (rest.length === 0) return name;
    if (top === 'imageThroughput' && typeof rest[0] === 'number') {
      const row = nth('row', rest[0]);
      const batch = valueAt(root, ['imageThroughput', rest[0], 'batchSize']);
      const owner = typeof batch === 'number' ? `${row} (batch ${batch})` : row;
      return rest.length === 1 ? `${name}, ${owner}` : `${name}, ${owner}: ${rest.slice(1).join(' ')}`;
    }
    if (top === 'diagnosis' && typeof rest[0] === 'number') return `${name}, ${nth('line', rest[0])}`;
    return `${name}: ${rest.map((key) => (typeof key === 'number' ? nth('item', key) : key)).join(' ')}`;
  },
};

const throughputSchema = plainLooseObject({
  perRun: v.array(v.number()),
  median: v.number(),
  cpuParallelism: v.nullable(v.number()),
});

const stagesSchema = plainLooseObject({
  decodeMs: v.number(),
  preprocessMs: v.number(),
  encodeMs: v.number(),
  transferMs: v.number(),
  totalMs: v.number(),
  decodePreprocessShare: v.number(),
});

/** The parts of a results file that the summary and the markdown read; everything else passes through. */
const benchResultsSchema = plainLooseObject({
  format: v.literal('sage-bench/1', (issue) => `should be "sage-bench/1", but is ${describeValue(issue.input)}`),
  mode: oneOf(['full', 'quick']),
  device: oneOf(['wasm', 'webgpu']),
  machine: plainLooseObject({}),
  model: plainLooseObject({ name: v.string(), dtype: v.string(), dim: v.number() }),
  browser: plainLooseObject({ runtime: plainLooseObject({}) }),
  node: plainLooseObject({ runtime: plainLooseObject({}) }),
  imageThroughput: v.pipe(
    v.array(
      plainLooseObject({
        batchSize: v.number(),
        ratio: v.number(),
        browser: throughputSchema,
        node: throughputSchema,
      }),
    ),
    v.someItem((row) => row.batchSize === RATIO_BATCH, `has no batch-${RATIO_BATCH} row (the headline ratio)`),
  ),
  textThroughput: plainLooseObject({ browser: throughputSchema, node: throughputSchema }),
  perImageBrowser: stagesSchema,
  perImageNode: stagesSchema,
  memory: plainLooseObject({}),
  targets: plainLooseObject({}),
  diagnosis: v.array(v.string()),
  // issue 16's parts: absent in older files
  dtypes: v.optional(
    v.array(
      plainLooseObject({
        dtype: v.string(),
        status: oneOf(['measured', 'failed']),
        images: v.array(
          plainLooseObject({
            batchSize: v.number(),
            ratio: v.number(),
            ratioToNativeFp32: v.number(),
            browser: throughputSchema,
            node: throughputSchema,
            nodeFp32: throughputSchema,
          }),
        ),
        memory: plainLooseObject({ modelFileBytes: v.number(), rendererToFiles: v.nullable(v.number()) }),
      }),
    ),
  ),
  defaultPath: v.optional(v.nullable(plainLooseObject({ ratio: v.number(), met: v.boolean() }))),
  operatorProfiles: v.optional(v.nullable(plainLooseObject({ configs: v.array(plainLooseObject({})) }))),
  cachedRerun: v.optional(v.nullable(plainLooseObject({ status: oneOf(['measured', 'failed']) }))),
  memorySteps: v.optional(
    v.nullable(v.array(plainLooseObject({ dtype: v.string(), steps: v.array(plainLooseObject({})) }))),
  ),
});

/**
 * A results file read back (for `--md-from`): checks the shape the markdown and summary rely on and says what is
 * wrong in words ("x.json: image throughput table, row 2 (batch 8): browser median should be a number, …").
 */
export function parseBenchResults(value: unknown, source = 'results'): BenchResults {
  const checked = check(benchResultsSchema, value);
  if (!checked.ok) throw new Error(`${source}: ${problemSentence(checked.problem, BENCH_PLACES, value)}`);
  // the fields the outputs read are checked above; the rest of the file is carried as written
  return value as BenchResults;
}
