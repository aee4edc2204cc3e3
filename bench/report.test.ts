import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ImageRun } from './protocol';
import { coreBenchPlan, type CoreBenchTier } from './core';
import {
  benchPlan,
  diagnoseRatio,
  evaluateTargets,
  formatSummary,
  memoryGrowth,
  parseBenchResults,
  ratioLine,
  stageBreakdown,
  throughputOf,
  type BenchResults,
  type ImageThroughputRow,
  type MemorySample,
  type Throughput,
} from './report';
import { coreTable, formatMarkdown, formatReadmeSection } from './markdown';
import { parseCpuModel } from './machine';
import { CLASS_SETS, promptSet } from './prompts';

function imageRun(images: number, wallMs: number, batches: [number, number, number][]): ImageRun {
  return {
    images,
    wallMs,
    failed: [],
    batches: batches.map(([decode, preprocess, encode], i) => ({
      arrivalMs: (i + 1) * 10,
      timings: { decode, preprocess, encode, batchSize: images / batches.length },
    })),
  };
}

describe('throughputOf', () => {
  it('takes the median rate and CPU seconds per wall second', () => {
    const t = throughputOf([
      { count: 8, wallMs: 1000, cpuMs: 2000 },
      { count: 8, wallMs: 2000, cpuMs: 3000 },
      { count: 8, wallMs: 4000, cpuMs: 7000 },
    ]);
    expect(t.perRun).toEqual([8, 4, 2]);
    expect(t.median).toBe(4);
    expect(t.cpuParallelism).toBeCloseTo(12000 / 7000, 12);
  });
  it('reports no parallelism when CPU time was not measured', () => {
    expect(throughputOf([{ count: 1, wallMs: 10, cpuMs: null }]).cpuParallelism).toBeNull();
  });
});

describe('stageBreakdown', () => {
  it('splits per-image time into stages, with transfer = round trip minus worker stages', () => {
    // 16 images in 1600 ms; stages sum to 80 + 60 + 1200 = 1340 → transfer 260 ms
    const s = stageBreakdown([imageRun(8, 800, [[30, 20, 600]]), imageRun(8, 800, [[50, 40, 600]])]);
    expect(s.decodeMs).toBeCloseTo(80 / 16, 12);
    expect(s.preprocessMs).toBeCloseTo(60 / 16, 12);
    expect(s.encodeMs).toBeCloseTo(1200 / 16, 12);
    expect(s.transferMs).toBeCloseTo(260 / 16, 12);
    expect(s.totalMs).toBe(100);
    expect(s.decodePreprocessShare).toBeCloseTo(140 / 1600, 12);
  });
  it('refuses an empty set of runs', () => {
    expect(() => stageBreakdown([])).toThrow(/no timed images/);
  });
});

describe('memoryGrowth', () => {
  const dim = 512;
  const batchSize = 8;
  const cache = batchSize * dim * 4;
  const series = (perBatch: number, base = 1e9): MemorySample[] =>
    Array.from({ length: 50 }, (_, batch) => ({
      batch,
      rssBytes: base + perBatch * batch + (batch < 5 ? 5e7 : 0),
      jsHeapBytes: 1e7,
    }));

  it('is flat when RSS grows by the cache only (warm-up spike excluded)', () => {
    const g = memoryGrowth(series(cache), 400, batchSize, dim);
    expect(g.fittedFrom).toBe(10);
    expect(g.rssSlopeBytesPerBatch).toBeCloseTo(cache, 6);
    expect(g.residualBytesPerBatch).toBeCloseTo(0, 6);
    expect(g.flat).toBe(true);
  });
  it('flags growth beyond the cache that adds up to more than 5% of RSS over the run', () => {
    // 2 MB per batch beyond the cache over 250 batches = 500 MB > 5% of 1 GB
    const g = memoryGrowth(series(cache + 2e6), 2000, batchSize, dim);
    expect(g.residualBytesPerBatch).toBeCloseTo(2e6, 3);
    expect(g.residualGrowthBytes).toBeCloseTo(2e6 * 250, 0);
    expect(g.flat).toBe(false);
  });
});

const side = (median: number, cpu: number | null): Throughput => ({ perRun: [median], median, cpuParallelism: cpu });
const row = (batchSize: number, browser: number, node: number): ImageThroughputRow => ({
  batchSize,
  imagesPerRun: batchSize,
  runs: 1,
  warmup: true,
  browser: side(browser, 1.9),
  node: side(node, 2),
  ratio: browser / node,
});

function sampleResults(): BenchResults {
  const rows = [row(1, 1, 2), row(8, 1.5, 2), row(32, 1.6, 2)];
  const stages = stageBreakdown([imageRun(8, 800, [[30, 20, 600]])]);
  return {
    format: 'sage-bench/1',
    mode: 'quick',
    device: 'wasm',
    machine: {
      cpuModel: 'Test CPU',
      cores: 2,
      memoryGiB: 24,
      os: 'Debian',
      node: 'v20',
      chromium: '1.0',
      date: '2026-01-01T00:00:00Z',
      loadAverage1m: 1,
      loadAverage1mAtEnd: 1,
    },
    model: { name: 'base-clip', dtype: 'fp32', dim: 512 },
    imageSource: 'test',
    browser: {
      runtime: {
        backend: 'wasm',
        dtype: 'fp32',
        threads: 2,
        modelId: 'local:base-clip',
        crossOriginIsolated: true,
        notes: [],
      },
      loadMs: 1,
      crossOriginIsolated: true,
      wasmSimd: true,
      hardwareConcurrency: 2,
      wasmWorkerThreadsObserved: 1,
      userAgent: 'test',
    },
    node: {
      runtime: { backend: 'node', dtype: 'fp32', threads: 2, modelId: 'path:x', crossOriginIsolated: false, notes: [] },
      loadMs: 1,
    },
    imageThroughput: rows,
    textThroughput: { prompts: 800, runs: 2, browser: side(10, 1.9), node: side(20, 2), ratio: 0.5 },
    perImageBrowser: stages,
    perImageNode: stages,
    memory: {
      browserPeakJsHeapBytes: 2 ** 20,
      browserPeakRendererRssBytes: 2 ** 30,
      nodePeakRssBytes: 2 ** 29,
      browserRun: null,
    },
    core: { cases: [{ n: 1000, c: 2, m: 80, tensorMs: 1, tensorGflops: 2, analysisMs: 3, sageMedianMs: 4 }] },
    targets: evaluateTargets(rows, stages, null),
    diagnosis: ['because'],
    durationSeconds: 1,
  };
}

describe('formatSummary', () => {
  it('ends with exactly the batch-8 fp32 ratio line and the default-path line', () => {
    const lines = formatSummary(sampleResults()).split('\n');
    expect(lines[lines.length - 2]).toBe('wasm/native images/s ratio: 0.75');
    expect(lines[lines.length - 1]).toBe('default path: wasm q8 / native fp32 images/s ratio: n/a');
    const withQ8 = {
      ...sampleResults(),
      defaultPath: { batchSize: 8, browserQ8: 7, nativeFp32: 10, ratio: 0.7, target: 0.7, met: true },
    };
    expect(formatSummary(withQ8).split('\n').slice(-2)).toEqual([
      'wasm/native images/s ratio: 0.75',
      'default path: wasm q8 / native fp32 images/s ratio: 0.70',
    ]);
    expect(lines.some((line) => line.startsWith('images/s, batch 32'))).toBe(true);
  });
  it('reports a missed ratio target with the margin', () => {
    expect(formatSummary(sampleResults())).toContain('ratio ≥ 0.7: 0.75 met');
    const results = sampleResults();
    results.imageThroughput[1] = row(8, 1, 2);
    results.targets = evaluateTargets(results.imageThroughput, results.perImageBrowser, null);
    expect(formatSummary(results)).toContain('ratio ≥ 0.7: 0.50 MISSED by 0.20');
  });
});

describe('ratioLine', () => {
  it('formats two decimals', () => {
    expect(ratioLine('wasm', 0.6789)).toBe('wasm/native images/s ratio: 0.68');
  });
});

describe('markdown', () => {
  it('renders the throughput and target tables', () => {
    const md = formatMarkdown(sampleResults(), 'results.json');
    expect(md).toContain('| images/s, batch 8 | 1.50 | 2.00 | 0.75 | 1.90 | 2.00 | 1 × 8 |');
    expect(md).toContain('| wasm/native images/s (batch 8) ≥ 0.7 | 0.75 | met |');
  });
  it('shows the core bench error instead of a table when it failed', () => {
    expect(coreTable({ error: 'boom' })).toBe('Not available: boom');
    expect(coreTable({ cases: [] })).toMatch(/no cases/);
  });
});

describe('benchPlan', () => {
  it('runs 2,000 images in the full memory run and far fewer in quick mode', () => {
    expect(benchPlan(false).memoryImages).toBe(2000);
    expect(benchPlan(true).memoryImages).toBeLessThan(100);
    expect(benchPlan(false).images.map((step) => step.batchSize)).toEqual([1, 8, 32]);
    expect(benchPlan(false).textTemplates * 10).toBe(800);
  });
});

describe('formatReadmeSection', () => {
  it('fits in 40 lines and gives every figure, the targets with margins, and the reasons', () => {
    const results = sampleResults();
    const text = formatReadmeSection(results, 'bench/RESULTS.md', ['reason one']);
    expect(text.split('\n').length).toBeLessThan(40);
    expect(text).toContain('| images/s, batch 8 | 1.50 | 2.00 | 0.75 |');
    expect(text).toContain('prompts/s (800 = 80 templates × 10 classes)');
    expect(text).toMatch(/wasm\/native \(fp32\) ≥ 0\.7 at batch 8: 0\.75, met/);
    expect(text).toContain('default path: wasm q8 / native fp32 images/s (batch 8) ≥ 0.7: n/a, not measured.');
    expect(text).toContain('1-minute load average 1.0 at the start, 1.0 at the end');
    expect(text).toContain('[bench/RESULTS.md](bench/RESULTS.md)');
    expect(text).toContain('- reason one');
    const missed = formatReadmeSection(
      { ...results, targets: { ...results.targets, ratio: { target: 0.7, measured: 0.25, met: false } } },
      'x.md',
    );
    expect(missed).toContain('0.25, **missed** by 0.45');
  });
});

describe('parseBenchResults', () => {
  it('accepts a results object as written (JSON round trip) and renders the same summary', () => {
    const results = sampleResults();
    const parsed = parseBenchResults(JSON.parse(JSON.stringify(results)));
    expect(formatSummary(parsed)).toBe(formatSummary(results));
  });
  it('checks the per-precision figures when present', () => {
    const results = JSON.parse(JSON.stringify(sampleResults())) as Record<string, unknown>;
    const q8 = { perRun: [7], median: 7, cpuParallelism: null };
    const fp32 = { perRun: [10], median: 10, cpuParallelism: null };
    const entry = {
      dtype: 'q8',
      status: 'measured',
      note: null,
      browserLoadMs: 1,
      nodeLoadMs: 1,
      images: [
        {
          batchSize: 8,
          runs: 1,
          imagesPerRun: 8,
          browser: q8,
          node: q8,
          nodeFp32: fp32,
          ratio: 1,
          ratioToNativeFp32: 0.7,
        },
      ],
      memory: { rendererPeakRssBytes: 2, nodePeakRssBytes: 1, modelFileBytes: 1, rendererToFiles: 2 },
    };
    results.dtypes = [entry];
    expect(formatSummary(parseBenchResults(results, 'x.json'))).toContain('q8: wasm 7.00 img/s');
    results.dtypes = [{ ...entry, images: [{ ...entry.images[0], nodeFp32: 'fast' }] }];
    expect(() => parseBenchResults(results, 'x.json')).toThrow(/x\.json: per-precision figures: .*nodeFp32/);
  });
  it('says what is wrong, in words, naming the first wrong field', () => {
    const broken = (edit: (r: Record<string, unknown>) => void) => {
      const r = JSON.parse(JSON.stringify(sampleResults())) as Record<string, unknown>;
      edit(r);
      return () => parseBenchResults(r, 'x.json');
    };
    expect(() => parseBenchResults([], 'x.json')).toThrow(
      'x.json: this file is not a SAGE Explorer benchmark result: it should be an object, but is a list of 0',
    );
    expect(broken((r) => (r.format = 'sage-bench/2'))).toThrow(
      'x.json: format (field "format") should be "sage-bench/1", but is "sage-bench/2"',
    );
    expect(broken((r) => delete r.perImageNode)).toThrow(
      'x.json: this file is not a SAGE Explorer benchmark result: it has no per-image stages in Node (field "perImageNode")',
    );
    expect(
      broken(
        (r) =>
          (r.imageThroughput = (r.imageThroughput as { batchSize: number }[]).filter((row) => row.batchSize !== 8)),
      ),
    ).toThrow('x.json: image throughput table (field "imageThroughput") has no batch-8 row (the headline ratio)');
    expect(
      broken((r) => ((r.imageThroughput as { browser: { median: unknown } }[])[1].browser.median = 'fast')),
    ).toThrow('x.json: image throughput table, row 2 (batch 8): browser median should be a number, but is "fast"');
    expect(broken((r) => ((r.perImageBrowser as Record<string, unknown>).encodeMs = 'slow'))).toThrow(
      'x.json: per-image stages in the browser: encodeMs should be a number, but is "slow"',
    );
    expect(broken((r) => (r.diagnosis = ['ok', 1]))).toThrow('x.json: diagnosis, line 2 should be text, but is 1');
  });

  it('reads the results files in the repository', () => {
    for (const file of ['results.json', 'results.quick.json']) {
      const text = readFileSync(new URL(file, import.meta.url), 'utf8');
      expect(formatSummary(parseBenchResults(JSON.parse(text), file))).toMatch(/images\/s ratio: ([\d.]+|n\/a)$/);
    }
  });
});

describe('quick plan', () => {
  it('still measures every batch size, text and a memory slope, with the fewest images', () => {
    const quick = benchPlan(true);
    expect(quick.images.map((step) => step.batchSize)).toEqual([1, 8, 32]);
    // the headline ratio is a median: batch 8 needs at least two timed runs
    expect(quick.images.find((step) => step.batchSize === 8)?.runs).toBeGreaterThanOrEqual(2);
    expect(quick.textRuns).toBeGreaterThanOrEqual(1);
    // a slope needs ≥ 2 samples after the warm-up fifth is dropped: at least 3 batches
    expect(quick.memoryImages / quick.memoryBatchSize).toBeGreaterThanOrEqual(3);
    const images = (plan: ReturnType<typeof benchPlan>) =>
      plan.images.reduce((sum, step) => sum + step.imagesPerRun * step.runs + (step.warmup ? step.batchSize : 0), 0) +
      plan.memoryImages;
    expect(images(quick)).toBeLessThan(images(benchPlan(false)) / 10);
    expect(benchPlan(true, 64).memoryImages).toBe(64);
  });
});

describe('diagnoseRatio threads', () => {
  const row: ImageThroughputRow = {
    batchSize: 8,
    imagesPerRun: 8,
    runs: 2,
    warmup: true,
    browser: { perRun: [1], median: 1, cpuParallelism: 0.8 },
    node: { perRun: [4], median: 4, cpuParallelism: 1.6 },
    ratio: 0.25,
  };
  it('counts the calling worker as one of the configured threads', () => {
    const lines = diagnoseRatio(row, 2, 2, 1);
    expect(lines[1]).toMatch(/1 ORT pool thread\(s\) seen .* \(expected 1: multithreaded as configured\)/);
  });
  it('says so when fewer pool threads ran than configured', () => {
    expect(diagnoseRatio(row, 4, 2, 1)[1]).toMatch(/expected 3: FEWER than configured/);
  });
  it('splits the ratio into parallelism × work per CPU-second', () => {
    // 0.25 = (0.8 / 1.6 = 0.5) × 0.5
    expect(diagnoseRatio(row, 2, 2, null)[0]).toMatch(
      /parallelism 0\.80\/1\.60 cores busy \(0\.50\) × work per CPU-second 0\.50/,
    );
  });
});

describe('coreBenchPlan', () => {
  it('keeps both class counts and a 10,000-image case in the smoke tier, at a fraction of the cost', () => {
    const cost = (tier: CoreBenchTier) =>
      coreBenchPlan(tier).reduce((sum, c) => sum + c.n * c.c + c.plainLoopImages * c.c, 0);
    const smoke = coreBenchPlan('smoke');
    expect(new Set(smoke.map((c) => c.c))).toEqual(new Set([2, 10]));
    expect(Math.max(...smoke.map((c) => c.n))).toBe(10_000);
    expect(cost('smoke')).toBeLessThan(cost('quick') / 4);
    expect(coreBenchPlan('full').map((c) => c.n)).toContain(100_000);
    for (const tier of ['full', 'quick', 'smoke'] as const)
      for (const c of coreBenchPlan(tier)) expect(c.plainLoopImages).toBeLessThanOrEqual(c.n);
  });
});

describe('promptSet', () => {
  it('builds templates × 10 classes with a distinct class set per run', () => {
    const warm = promptSet(0, 80);
    const run1 = promptSet(1, 80);
    expect(run1).toHaveLength(800);
    expect(run1[0]).toBe('a bad photo of a airplane.');
    expect(new Set([...warm, ...run1]).size).toBe(1600);
    expect(CLASS_SETS.every((set) => set.length === 10)).toBe(true);
  });
  it('names bad arguments', () => {
    expect(() => promptSet(9, 1)).toThrow(/run must be 0\.\.3, got 9/);
    expect(() => promptSet(1, 0)).toThrow(/templates must be 1\.\.80, got 0/);
  });
});

describe('parseCpuModel', () => {
  it('reads the first model name', () => {
    expect(parseCpuModel('processor\t: 0\nmodel name\t: AMD EPYC 7B13\nflags\t: x\n')).toBe('AMD EPYC 7B13');
    expect(parseCpuModel('nothing here')).toBeNull();
  });
});
