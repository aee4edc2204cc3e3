/**
 * `npm run bench [-- --quick] [--device wasm|webgpu] [--out bench/results.json] [--md bench/RESULTS.md] [--memory-images N]`
 *
 * One run measures, on the synthetic `base` CLIP model (ViT-B/32 dimensions): image and text embedding
 * throughput in headless Chromium (the app's worker path, WASM) and in onnxruntime-node (src/model's Node
 * path) on the same images and prompts; where time goes per image in the browser; peak memory of the page
 * and of the Node process; memory growth per batch over a long run; and the core engine figures
 * (bench/core.ts). Browser and Node requests alternate run by run, so background load hits both alike.
 * Prints a summary whose last line is `wasm/native images/s ratio: <x>` (batch 8).
 * `--md-from FILE.json` measures nothing: it re-renders the markdown (--md, default bench/RESULTS.md) and the
 * summary from an earlier results file.
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type CDPSession, type Page } from '@playwright/test';
import { createServer, type ViteDevServer } from 'vite';
import type { Dtype } from '../src/core/config';
import { runCoreBench } from './core';
import { describeMachine, processCpuMs, processMemory, threadNames } from './machine';
import { formatMarkdown, formatReadmeSection } from './markdown';
import { promptSet, MAX_TIMED_TEXT_RUNS } from './prompts';
import type {
  BenchDevice,
  BenchPageApi,
  ImageRun,
  NodeBenchRequest,
  NodeBenchResponse,
  PageEnvironment,
  TextRun,
} from './protocol';
import {
  benchPlan,
  diagnoseRatio,
  evaluateTargets,
  fmt,
  formatSummary,
  headlineRatio,
  imageRunsThroughput,
  memoryGrowth,
  parseBenchResults,
  stageBreakdown,
  textRunsThroughput,
  type BenchResults,
  type ImageThroughputRow,
  type MemorySample,
} from './report';
import { errorMessage } from '../src/core/errors';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const MODEL = 'base-clip';
const DTYPE: Dtype = 'fp32'; // the synthetic models ship fp32 weights only
const CHROMIUM = '/usr/bin/chromium';
const BASE_FLAGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const USAGE =
  'usage: npm run bench -- [--quick] [--device wasm|webgpu] [--out FILE.json] [--md FILE.md] [--memory-images N] [--readme FILE.md] | --md-from FILE.json [--md FILE.md] [--readme FILE.md]';

/** An expected stop (bad flag, no GPU): printed as one line, no stack. */
class BenchAbort extends Error {}

interface Options {
  quick: boolean;
  device: BenchDevice;
  out: string;
  md: string | null;
  memoryImages: number | undefined;
  /** re-render from this results file instead of measuring */
  mdFrom: string | null;
  /** also write the README's benchmark section here */
  readme: string | null;
}

function parseOptions(argv: string[]): Options {
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
  const quick = values.quick ?? false;
  // quick runs never overwrite the committed full results unless asked to
  const out = resolve(values.out ?? join(root, 'bench', quick ? 'results.quick.json' : 'results.json'));
  const md = values.md !== undefined ? resolve(values.md) : quick ? null : join(root, 'bench', 'RESULTS.md');
  const mdFrom = values['md-from'] !== undefined ? resolve(values['md-from']) : null;
  const readme = values.readme !== undefined ? resolve(values.readme) : null;
  return {
    quick,
    device: values.device,
    out,
    md: mdFrom && !md ? join(root, 'bench', 'RESULTS.md') : md,
    memoryImages,
    mdFrom,
    readme,
  };
}

const log = (line: string) => console.error(`[bench] ${line}`);

// ---------- setup ----------

function ensureBaseModel(): void {
  const dir = join(root, 'models', MODEL);
  if (
    existsSync(join(dir, 'synth.json')) &&
    existsSync(join(dir, 'onnx', 'vision_model.onnx')) &&
    existsSync(join(dir, 'onnx', 'text_model.onnx'))
  )
    return;
  log(`models/${MODEL} missing: generating it (npm run models:synth -- --size base)`);
  const result = spawnSync('npx', ['tsx', 'models/synth/main.ts', '--size', 'base'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new BenchAbort(`models:synth --size base failed (exit ${result.status})`);
}

async function startServer(): Promise<{ server: ViteDevServer; url: string }> {
  const server = await createServer({ configFile: join(root, 'bench', 'vite.bench.config.ts') });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite did not report a local URL');
  return { server, url };
}

async function openPage(browser: Browser, url: string): Promise<{ page: Page; api: PageApiProxy; cdp: CDPSession }> {
  const page = await browser.newPage();
  page.on('pageerror', (error) => log(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') log(`page console: ${message.text()}`);
  });
  await page.goto(new URL('bench/page/index.html', url).href);
  await page.waitForFunction(() => window.__sageBench !== undefined, undefined, { timeout: 120_000 });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return { page, api: new PageApiProxy(page), cdp };
}

/** Calls window.__sageBench methods from Node. */
class PageApiProxy {
  constructor(private readonly page: Page) {}
  environment(): Promise<PageEnvironment> {
    return this.page.evaluate(() => window.__sageBench!.environment());
  }
  load(device: BenchDevice): Promise<Awaited<ReturnType<BenchPageApi['load']>>> {
    return this.page.evaluate(([model, d, dtype]) => window.__sageBench!.load(model, d, dtype), [
      MODEL,
      device,
      DTYPE,
    ] as const);
  }
  embedImages(count: number, batchSize: number, runTag: string): Promise<ImageRun> {
    return this.page.evaluate(([c, b, t]) => window.__sageBench!.embedImages(c, b, t), [
      count,
      batchSize,
      runTag,
    ] as const);
  }
  embedTexts(prompts: string[]): Promise<TextRun> {
    return this.page.evaluate((p) => window.__sageBench!.embedTexts(p), prompts);
  }
  startMemoryRun(count: number, batchSize: number, runTag: string): Promise<void> {
    return this.page.evaluate(([c, b, t]) => window.__sageBench!.startMemoryRun(c, b, t), [
      count,
      batchSize,
      runTag,
    ] as const);
  }
  memoryRunProgress(): Promise<ReturnType<BenchPageApi['memoryRunProgress']>> {
    return this.page.evaluate(() => window.__sageBench!.memoryRunProgress());
  }
}

/** The Node side, in a child process. */
class NodeSide {
  private readonly child: ChildProcess;
  private pending: ((response: NodeBenchResponse) => void) | null = null;

  constructor() {
    this.child = fork(join(root, 'bench', 'nodeBench.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (message: NodeBenchResponse) => {
      const resolveResponse = this.pending;
      this.pending = null;
      resolveResponse?.(message);
    });
    this.child.on('exit', (code) => {
      if (this.pending) this.pending({ type: 'error', message: `Node bench process exited (code ${code})` });
      this.pending = null;
    });
  }

  request<T extends NodeBenchResponse['type']>(
    request: NodeBenchRequest,
    expected: T,
  ): Promise<Extract<NodeBenchResponse, { type: T }>> {
    return new Promise((resolveRequest, reject) => {
      this.pending = (response) => {
        if (response.type === expected) resolveRequest(response as Extract<NodeBenchResponse, { type: T }>);
        else
          reject(
            new Error(
              response.type === 'error'
                ? `node side: ${response.message}`
                : `node side: expected ${expected}, got ${response.type}`,
            ),
          );
      };
      this.child.send(request);
    });
  }

  stop(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** The renderer that hosts the page (and so its worker and ORT's WASM threads): the largest renderer by RSS. */
async function findRendererPid(browser: Browser): Promise<number | null> {
  const session = await browser.newBrowserCDPSession();
  try {
    const info = (await session.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
    let best: { pid: number; rss: number } | null = null;
    for (const process of info.processInfo) {
      if (process.type !== 'renderer') continue;
      const memory = processMemory(process.id);
      if (memory && (!best || memory.rssBytes > best.rss)) best = { pid: process.id, rss: memory.rssBytes };
    }
    return best?.pid ?? null;
  } catch (error) {
    log(`cannot list browser processes (${errorMessage(error)}); renderer RSS/CPU not measured`);
    return null;
  } finally {
    await session.detach().catch(() => undefined);
  }
}

async function jsHeapUsed(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? NaN;
}

// ---------- measuring ----------

interface Context {
  api: PageApiProxy;
  node: NodeSide;
  cdp: CDPSession;
  rendererPid: number | null;
  peakJsHeap: number;
  runCounter: number;
}

function nextTag(context: Context, label: string): string {
  return `${Date.now().toString(36)}-${label}-${context.runCounter++}`;
}

async function trackHeap(context: Context): Promise<void> {
  const heap = await jsHeapUsed(context.cdp);
  if (heap > context.peakJsHeap) context.peakJsHeap = heap;
}

/** Runs a browser request and attaches the renderer's CPU time to it. */
async function withRendererCpu<T extends { cpuMs?: number }>(context: Context, run: () => Promise<T>): Promise<T> {
  const before = context.rendererPid === null ? null : processCpuMs(context.rendererPid);
  const result = await run();
  const after = context.rendererPid === null ? null : processCpuMs(context.rendererPid);
  if (before !== null && after !== null) result.cpuMs = after - before;
  await trackHeap(context);
  return result;
}

function assertNoFailures(run: ImageRun, side: string): void {
  if (run.failed.length > 0) throw new Error(`${side}: ${run.failed.length} image(s) failed, first: ${run.failed[0]}`);
}

async function browserImages(context: Context, count: number, batchSize: number, label: string): Promise<ImageRun> {
  const run = await withRendererCpu(context, () => context.api.embedImages(count, batchSize, nextTag(context, label)));
  assertNoFailures(run, 'browser');
  return run;
}

async function nodeImages(context: Context, count: number, batchSize: number, label: string): Promise<ImageRun> {
  const { run } = await context.node.request(
    { type: 'images', count, batchSize, runTag: nextTag(context, label) },
    'images',
  );
  assertNoFailures(run, 'node');
  return run;
}

async function measureImages(
  context: Context,
  plan: ReturnType<typeof benchPlan>,
): Promise<{ rows: ImageThroughputRow[]; batch8: { browser: ImageRun[]; node: ImageRun[] } }> {
  const rows: ImageThroughputRow[] = [];
  let batch8 = { browser: [] as ImageRun[], node: [] as ImageRun[] };
  for (const step of plan.images) {
    if (step.warmup) {
      log(`images, batch ${step.batchSize}: warm-up`);
      await nodeImages(context, step.batchSize, step.batchSize, `warm${step.batchSize}`);
      await browserImages(context, step.batchSize, step.batchSize, `warm${step.batchSize}`);
    }
    const browserRuns: ImageRun[] = [];
    const nodeRuns: ImageRun[] = [];
    for (let r = 0; r < step.runs; r++) {
      const nodeRun = await nodeImages(context, step.imagesPerRun, step.batchSize, `b${step.batchSize}`);
      const browserRun = await browserImages(context, step.imagesPerRun, step.batchSize, `b${step.batchSize}`);
      nodeRuns.push(nodeRun);
      browserRuns.push(browserRun);
      log(
        `images, batch ${step.batchSize}, run ${r + 1}/${step.runs}: browser ${fmt((1000 * browserRun.images) / browserRun.wallMs)} img/s, node ${fmt((1000 * nodeRun.images) / nodeRun.wallMs)} img/s`,
      );
    }
    const browser = imageRunsThroughput(browserRuns);
    const node = imageRunsThroughput(nodeRuns);
    rows.push({ ...step, browser, node, ratio: browser.median / node.median });
    if (step.batchSize === 8) batch8 = { browser: browserRuns, node: nodeRuns };
  }
  return { rows, batch8 };
}

async function measureTexts(
  context: Context,
  plan: ReturnType<typeof benchPlan>,
): Promise<BenchResults['textThroughput']> {
  const runs = Math.min(plan.textRuns, MAX_TIMED_TEXT_RUNS);
  log('text: warm-up');
  const warm = promptSet(0, 1);
  await context.node.request({ type: 'texts', prompts: warm }, 'texts');
  await withRendererCpu(context, () => context.api.embedTexts(warm));
  const browserRuns: TextRun[] = [];
  const nodeRuns: TextRun[] = [];
  for (let r = 1; r <= runs; r++) {
    const prompts = promptSet(r, plan.textTemplates);
    nodeRuns.push((await context.node.request({ type: 'texts', prompts }, 'texts')).run);
    browserRuns.push(await withRendererCpu(context, () => context.api.embedTexts(prompts)));
    log(
      `text, run ${r}/${runs} (${prompts.length} prompts): browser ${fmt((1000 * prompts.length) / browserRuns[r - 1].wallMs)} prompts/s, node ${fmt((1000 * prompts.length) / nodeRuns[r - 1].wallMs)} prompts/s`,
    );
  }
  const browser = textRunsThroughput(browserRuns);
  const node = textRunsThroughput(nodeRuns);
  return { prompts: browserRuns[0].prompts, runs, browser, node, ratio: browser.median / node.median };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** The long run: memory sampled whenever a batch completes (polled twice a second). */
async function measureMemoryRun(
  context: Context,
  images: number,
  batchSize: number,
  dim: number,
): Promise<BenchResults['memory']['browserRun']> {
  if (context.rendererPid === null) {
    log('memory run skipped: the renderer process is unknown');
    return null;
  }
  log(`memory run: ${images} images, batch ${batchSize}`);
  const samples: MemorySample[] = [];
  const sample = async (batch: number) => {
    const memory = processMemory(context.rendererPid!);
    const jsHeap = await jsHeapUsed(context.cdp);
    if (jsHeap > context.peakJsHeap) context.peakJsHeap = jsHeap;
    if (memory) samples.push({ batch, rssBytes: memory.rssBytes, jsHeapBytes: jsHeap });
  };
  await sample(0);
  await context.api.startMemoryRun(images, batchSize, nextTag(context, 'memory'));
  let lastBatch = 0;
  let lastLogged = Date.now();
  for (;;) {
    await sleep(500);
    const progress = await context.api.memoryRunProgress();
    if (progress.batchesDone !== lastBatch) {
      lastBatch = progress.batchesDone;
      await sample(lastBatch);
    }
    if (Date.now() - lastLogged > 30_000) {
      log(`memory run: ${progress.imagesDone}/${images} images`);
      lastLogged = Date.now();
    }
    if (progress.finished) {
      if (progress.error) throw new Error(`memory run: ${progress.error}`);
      log(
        `memory run: ${images} images in ${fmt(progress.wallMs / 1000, 1)} s (${fmt((1000 * images) / progress.wallMs)} img/s)`,
      );
      break;
    }
  }
  return memoryGrowth(samples, images, batchSize, dim);
}

function chromiumFlags(device: BenchDevice): string[] {
  // WebGPU needs the GPU process; on WASM runs the GPU is disabled, as in the e2e config
  return device === 'webgpu' ? [...BASE_FLAGS, '--enable-unsafe-webgpu'] : [...BASE_FLAGS, '--disable-gpu'];
}

function noGpuMessage(detail: string): string {
  return (
    `--device webgpu: no WebGPU in ${CHROMIUM} on this machine (${detail}). ` +
    'WebGPU figures need a machine with a GPU and a WebGPU-enabled Chromium; run `npm run bench -- --device webgpu` there. ' +
    'Nothing was measured; use the default (--device wasm) here.'
  );
}

/** `--readme FILE`: the README section, linking to the details file relative to the repo root. */
function writeReadme(results: BenchResults, readme: string | null, details: string): void {
  if (!readme) return;
  writeFileSync(readme, formatReadmeSection(results, relative(root, details), results.diagnosis));
  log(`wrote ${relative(process.cwd(), readme)}`);
}

/** `--md-from`: the markdown and summary of an earlier run, nothing measured. */
function renderFrom(file: string, md: string, readme: string | null): void {
  if (!existsSync(file)) throw new BenchAbort(`--md-from: ${file} does not exist`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new BenchAbort(`--md-from: ${file} is not JSON (${errorMessage(error)})`);
  }
  const results = parseBenchResults(parsed, relative(process.cwd(), file));
  writeFileSync(md, formatMarkdown(results, relative(dirname(md), file)));
  log(`wrote ${relative(process.cwd(), md)} from ${relative(process.cwd(), file)}`);
  writeReadme(results, readme, md);
  console.log(formatSummary(results));
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadAtStart = loadavg()[0];
  const options = parseOptions(process.argv.slice(2));
  if (options.mdFrom) {
    renderFrom(options.mdFrom, options.md!, options.readme);
    return;
  }
  const plan = benchPlan(options.quick, options.memoryImages);
  ensureBaseModel();

  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await Promise.resolve(step()).catch(() => undefined);
    cleanups.length = 0;
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  try {
    const { server, url } = await startServer();
    cleanups.push(() => server.close());
    log(`serving the benchmark page at ${url}bench/page/index.html`);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: chromiumFlags(options.device),
      headless: true,
    });
    cleanups.push(() => browser.close());
    const { api, cdp } = await openPage(browser, url);
    const environment = await api.environment();
    if (options.device === 'webgpu' && !environment.webgpu.available)
      throw new BenchAbort(noGpuMessage(environment.webgpu.detail));
    if (!environment.crossOriginIsolated)
      log('WARNING: the page is not cross-origin isolated; WASM will run single-threaded');

    log(
      `loading models/${MODEL} (${DTYPE}) in the browser (${options.device})${options.quick ? ' and in Node, in parallel (quick: load times overlap)' : ''}`,
    );
    const node = new NodeSide();
    cleanups.push(() => node.stop());
    const loadNode = () =>
      node.request({ type: 'load', modelDir: join(root, 'models', MODEL), dtype: DTYPE }, 'loaded');
    // full runs load one side at a time so each load time is its own; quick runs overlap them to save ~15 s
    const nodeLoading = options.quick ? loadNode() : null;
    nodeLoading?.catch(() => undefined); // awaited below; this only keeps an early rejection from going unhandled
    const browserLoad = await api.load(options.device);
    if (options.device === 'webgpu' && browserLoad.runtime.backend !== 'webgpu') {
      throw new BenchAbort(
        noGpuMessage(`the worker fell back to ${browserLoad.runtime.backend}: ${browserLoad.runtime.notes.join('; ')}`),
      );
    }
    log(
      `browser: ${browserLoad.runtime.backend}, ${browserLoad.runtime.threads} threads, loaded in ${fmt(browserLoad.loadMs / 1000, 1)} s`,
    );
    const nodeLoad = (await (nodeLoading ?? loadNode())).info;
    log(
      `node: ${nodeLoad.runtime.backend}, ${nodeLoad.runtime.threads} threads, loaded in ${fmt(nodeLoad.loadMs / 1000, 1)} s`,
    );

    const rendererPid = await findRendererPid(browser);
    const context: Context = { api, node, cdp, rendererPid, peakJsHeap: 0, runCounter: 0 };

    const images = await measureImages(context, plan);
    // ORT names its WASM pool threads like any dedicated worker; the CLIP worker itself is one of them
    const workerThreads =
      rendererPid === null ? null : threadNames(rendererPid).filter((name) => /DedicatedWorker/i.test(name)).length;
    const wasmWorkerThreadsObserved = workerThreads === null ? null : Math.max(0, workerThreads - 1);
    const text = await measureTexts(context, plan);
    const memoryRun = await measureMemoryRun(context, plan.memoryImages, plan.memoryBatchSize, browserLoad.dim);
    const rendererMemory = rendererPid === null ? null : processMemory(rendererPid);
    const nodeMemory = await node.request({ type: 'memory' }, 'memory');
    node.stop();
    await cleanup();

    const coreTier = options.quick ? 'smoke' : 'quick';
    log(`core analysis figures (bench/core.ts, ${coreTier})`);
    let core: unknown;
    try {
      core = runCoreBench({ tier: coreTier, log: (line) => log(`core: ${line}`) });
    } catch (error) {
      core = { error: `runCoreBench failed: ${errorMessage(error)}` };
      log(String((core as { error: string }).error));
    }

    const perImageBrowser = stageBreakdown(images.batch8.browser);
    const perImageNode = stageBreakdown(images.batch8.node);
    const targets = evaluateTargets(images.rows, perImageBrowser, memoryRun);
    const batch8Row = images.rows.find((row) => row.batchSize === 8)!;
    const diagnosis = diagnoseRatio(
      batch8Row,
      browserLoad.runtime.threads,
      nodeLoad.runtime.threads,
      wasmWorkerThreadsObserved,
    );
    if (!environment.crossOriginIsolated) diagnosis.push('page not cross-origin isolated: single-threaded WASM');
    if (!targets.decodePreprocessShare.met) {
      diagnosis.push(
        `decode+preprocess ${fmt(100 * perImageBrowser.decodePreprocessShare, 1)}% of ${fmt(perImageBrowser.totalMs, 1)} ms/image: decode ${fmt(perImageBrowser.decodeMs, 1)} ms (incl. SHA-256), preprocess ${fmt(perImageBrowser.preprocessMs, 1)} ms`,
      );
    }
    const results: BenchResults = {
      format: 'sage-bench/1',
      mode: options.quick ? 'quick' : 'full',
      device: options.device,
      machine: {
        ...describeMachine(await chromiumVersion()),
        loadAverage1m: loadAtStart,
        loadAverage1mAtEnd: loadavg()[0],
      },
      model: { name: MODEL, dtype: DTYPE, dim: browserLoad.dim },
      imageSource:
        'public/examples/waterbirds-lite (manifest order, cycled; each use made unique by a JPEG comment so no cache hits)',
      browser: {
        runtime: browserLoad.runtime,
        loadMs: browserLoad.loadMs,
        crossOriginIsolated: environment.crossOriginIsolated,
        wasmSimd: environment.wasmSimd,
        hardwareConcurrency: environment.hardwareConcurrency,
        wasmWorkerThreadsObserved,
        userAgent: environment.userAgent,
      },
      node: { runtime: nodeLoad.runtime, loadMs: nodeLoad.loadMs },
      imageThroughput: images.rows,
      textThroughput: text,
      perImageBrowser,
      perImageNode,
      memory: {
        browserPeakJsHeapBytes: context.peakJsHeap,
        browserPeakRendererRssBytes: rendererMemory?.peakRssBytes ?? null,
        nodePeakRssBytes: nodeMemory.peakRssBytes,
        browserRun: memoryRun,
      },
      core,
      targets,
      diagnosis,
      durationSeconds: (Date.now() - started) / 1000,
    };
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
    log(`wrote ${relative(process.cwd(), options.out)}`);
    if (options.md) {
      writeFileSync(options.md, formatMarkdown(results, relative(dirname(options.md), options.out)));
      log(`wrote ${relative(process.cwd(), options.md)}`);
    }
    writeReadme(results, options.readme, options.md ?? options.out);
    console.log(formatSummary(results));
    if (headlineRatio(results.imageThroughput) !== batch8Row.ratio)
      throw new Error('internal: headline ratio mismatch');
  } finally {
    await cleanup();
  }
}

let chromiumVersionCache: string | null = null;
async function chromiumVersion(): Promise<string> {
  if (chromiumVersionCache) return chromiumVersionCache;
  const result = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' });
  chromiumVersionCache = result.stdout.match(/Chromium\s+([\d.]+)/)?.[1] ?? 'unknown';
  return chromiumVersionCache;
}

main().catch((error: unknown) => {
  if (error instanceof BenchAbort) console.error(`bench: ${error.message}`);
  else console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = error instanceof BenchAbort && error.message === USAGE ? 0 : 1;
});
