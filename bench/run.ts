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
 *
 * This file runs the steps in order; the flags are in options.ts, the browser/Node set-up in harness.ts, the
 * measurements in measure.ts and the files written in output.ts.
 */
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { chromium } from '@playwright/test';
import { errorMessage } from '../src/core/errors';
import { runCoreBench } from './core';
import {
  CHROMIUM,
  DTYPE,
  MODEL,
  NodeSide,
  chromiumFlags,
  chromiumVersion,
  ensureBaseModel,
  findRendererPid,
  log,
  noGpuMessage,
  openPage,
  startServer,
} from './harness';
import { describeMachine, processMemory, threadNames } from './machine';
import { type Context, measureImages, measureMemoryRun, measureTexts } from './measure';
import { BenchAbort, type MeasureOptions, ROOT, USAGE, parseOptions } from './options';
import { renderFrom, writeResults } from './output';
import {
  type BenchResults,
  benchPlan,
  diagnoseRatio,
  evaluateTargets,
  fmt,
  headlineRatio,
  stageBreakdown,
} from './report';

async function measure(options: MeasureOptions): Promise<void> {
  const started = Date.now();
  const loadAtStart = loadavg()[0];
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
      node.request({ type: 'load', modelDir: join(ROOT, 'models', MODEL), dtype: DTYPE }, 'loaded');
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
      const message = `runCoreBench failed: ${errorMessage(error)}`;
      core = { error: message };
      log(message);
    }

    const perImageBrowser = stageBreakdown(images.batch8.browser);
    const perImageNode = stageBreakdown(images.batch8.node);
    const targets = evaluateTargets(images.rows, perImageBrowser, memoryRun);
    const batch8Row = images.rows.find((row) => row.batchSize === 8);
    if (!batch8Row) throw new Error('internal: the plan has no batch-8 step');
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
        ...describeMachine(chromiumVersion()),
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
    writeResults(results, options);
    if (headlineRatio(results.imageThroughput) !== batch8Row.ratio)
      throw new Error('internal: headline ratio mismatch');
  } finally {
    await cleanup();
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.kind === 'render') renderFrom(options);
  else await measure(options);
}

main().catch((error: unknown) => {
  if (error instanceof BenchAbort) console.error(`bench: ${error.message}`);
  else console.error(error instanceof Error ? (error.stack ?? error.message) : errorMessage(error));
  process.exitCode = error instanceof BenchAbort && error.message === USAGE ? 0 : 1;
});
