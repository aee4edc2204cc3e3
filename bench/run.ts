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
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { chromium } from '@playwright/test';
import { errorMessage } from '../src/core/errors';
import { runCoreBench } from './core';
import type { Browser } from '@playwright/test';
import type { Dtype } from '../src/core/config';
import {
  CHROMIUM,
  DTYPE,
  MODEL,
  NodeSide,
  OTHER_DTYPES,
  chromiumFlags,
  chromiumVersion,
  ensureBaseModel,
  findRendererPid,
  log,
  rendererRss,
  modelFileBytes,
  noGpuMessage,
  openPage,
  startServer,
} from './harness';
import { type DtypeResult, type OperatorProfiles, defaultPath as defaultPathOf, dtypeMemory, dtypeRow } from './dtypes';
import { describeMachine, processMemory, threadNames } from './machine';
import {
  type BenchPlan,
  type Context,
  measureDtypeImages,
  measureImages,
  measureMemoryRun,
  measureTexts,
} from './measure';
import { wasmBuildOpcodes } from './opProfile';
import { VISION_FILES, runProfiledSession } from './opProfileRun';
import { BenchAbort, type MeasureOptions, ROOT, USAGE, parseOptions } from './options';
import { measureMemorySteps } from './memorySteps';
import { measureCachedRerun } from './rerun';
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

const MODEL_DIR = join(ROOT, 'models', MODEL);

async function launch(options: MeasureOptions): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: chromiumFlags(options.device), headless: true });
}

/**
 * One other precision (q8, fp16) in a browser and a Node process of its own, so each peak RSS is that
 * precision's alone; native fp32 (`fp32Node`, already loaded) is timed between its runs.
 */
async function measureOtherDtype(
  dtype: Dtype,
  options: MeasureOptions,
  url: string,
  plan: BenchPlan,
  fp32Node: NodeSide,
): Promise<DtypeResult> {
  const files = modelFileBytes(dtype);
  const failed = (note: string, memory = dtypeMemory(null, null, files)): DtypeResult => ({
    dtype,
    status: 'failed',
    note,
    browserLoadMs: null,
    nodeLoadMs: null,
    images: [],
    memory,
  });
  const steps = dtype === 'q8' ? plan.otherDtypes.q8 : plan.otherDtypes.fp16;
  const browser = await launch(options);
  const node = new NodeSide();
  try {
    const { api, cdp } = await openPage(browser, url);
    const rssBefore = await rendererRss(browser);
    log(`loading models/${MODEL} (${dtype}) in a fresh browser and Node process`);
    let browserLoadMs: number;
    try {
      const loaded = await api.load(options.device, dtype);
      browserLoadMs = loaded.loadMs;
      log(
        `browser ${dtype}: ${loaded.runtime.backend} ${loaded.runtime.dtype}, loaded in ${fmt(loaded.loadMs / 1000, 1)} s`,
      );
    } catch (error) {
      return failed(`the browser could not load ${dtype}: ${errorMessage(error)}`);
    }
    const nodeLoad = (await node.request({ type: 'load', modelDir: MODEL_DIR, dtype }, 'loaded')).info;
    // the renderer that grew: the page's (the largest one after the load), and its RSS before it
    const rendererPid = await findRendererPid(browser);
    const beforeLoad = rendererPid === null ? null : (rssBefore.get(rendererPid) ?? null);
    const context: Context = { api, node, cdp, rendererPid, peakJsHeap: 0, runCounter: 0 };
    let images;
    try {
      images = await measureDtypeImages(context, steps, fp32Node, dtype);
    } catch (error) {
      const memory = dtypeMemory(
        rendererPid === null ? null : (processMemory(rendererPid)?.peakRssBytes ?? null),
        null,
        files,
        beforeLoad,
      );
      return failed(`${dtype} images failed: ${errorMessage(error)}`, memory);
    }
    const renderer = rendererPid === null ? null : processMemory(rendererPid);
    const nodeMemory = await node.request({ type: 'memory' }, 'memory');
    return {
      dtype,
      status: 'measured',
      note: null,
      browserLoadMs,
      nodeLoadMs: nodeLoad.loadMs,
      images,
      memory: dtypeMemory(renderer?.peakRssBytes ?? null, nodeMemory.peakRssBytes, files, beforeLoad),
    };
  } finally {
    node.stop();
    await browser.close();
  }
}

/** ORT's per-operator profile of the vision tower: fp32 and q8, WASM (onnxruntime-web in Node) and native. */
async function profileOperators(plan: BenchPlan, threads: number): Promise<OperatorProfiles | null> {
  const batchSize = 8;
  const configs: OperatorProfiles['configs'] = [];
  for (const dtype of ['fp32', 'q8'] as const) {
    for (const runtime of ['wasm', 'native'] as const) {
      try {
        const figures = await runProfiledSession(MODEL_DIR, {
          runtime,
          dtype,
          batchSize,
          runs: plan.profileRuns,
          threads,
          graphOptimizationLevel: 'all',
          profile: true,
        });
        if (figures.profile) configs.push({ ...figures, profile: figures.profile });
        log(
          `operator profile ${runtime} ${dtype} (${VISION_FILES[dtype]}): ${fmt(figures.imagesPerSecond)} img/s raw session, load ${fmt(figures.loadMs / 1000, 1)} s`,
        );
      } catch (error) {
        log(`operator profile ${runtime} ${dtype} failed: ${errorMessage(error)}`);
      }
    }
  }
  if (configs.length === 0) return null;
  // the build the app's worker loads for the WASM backend (src/model/clipRuntime.ts ortWasmFiles)
  const wasmFile = join('node_modules', 'onnxruntime-web', 'dist', 'ort-wasm-simd-threaded.wasm');
  return {
    batchSize,
    threads,
    wasmBuild: wasmBuildOpcodes(wasmFile, new Uint8Array(readFileSync(join(ROOT, wasmFile)))),
    note: 'vision tower only, raw InferenceSession (no decode, preprocessing or transformers.js); WASM = onnxruntime-web\'s .wasm (the file the app loads) run in Node with its pthreads; graph optimisation "all"; kernel times from enableProfiling, warm-up run excluded',
    configs,
  };
}

async function measure(options: MeasureOptions): Promise<void> {
  const started = Date.now();
  const loadAtStart = loadavg()[0];
  log(`1-minute load average at the start: ${fmt(loadAtStart)}`);
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
    const browser = await launch(options);
    cleanups.push(() => browser.close());
    const { api, cdp } = await openPage(browser, url);
    // each renderer's RSS before any model: the page's is the part of peak RSS no model-side change can remove
    const rssBefore = await rendererRss(browser);
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
    const loadNode = () => node.request({ type: 'load', modelDir: MODEL_DIR, dtype: DTYPE }, 'loaded');
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
    const rendererBeforeLoad = rendererPid === null ? null : (rssBefore.get(rendererPid) ?? null);
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
    await browser.close();

    // fp32 from the main phase; the others each in a fresh browser, against this Node process's fp32 runs
    const fp32Rows = images.rows.map((row) => dtypeRow(row, row.browser, row.node, row.node));
    const dtypes: DtypeResult[] = [
      {
        dtype: DTYPE,
        status: 'measured',
        note: null,
        browserLoadMs: browserLoad.loadMs,
        nodeLoadMs: nodeLoad.loadMs,
        images: fp32Rows,
        memory: dtypeMemory(
          rendererMemory?.peakRssBytes ?? null,
          nodeMemory.peakRssBytes,
          modelFileBytes(DTYPE),
          rendererBeforeLoad,
        ),
      },
    ];
    if (options.device === 'wasm') {
      for (const dtype of OTHER_DTYPES) dtypes.push(await measureOtherDtype(dtype, options, url, plan, node));
    }
    // where each precision's peak comes from: RSS after each step of a run, in the app's order and both at once
    const memorySteps =
      options.device === 'wasm' ? await measureMemorySteps(url, options.device, [DTYPE, ...OTHER_DTYPES]) : null;
    node.stop();
    await cleanup();

    const operatorProfiles = options.profile ? await profileOperators(plan, browserLoad.runtime.threads) : null;
    const cachedRerun = options.rerun ? await measureCachedRerun() : null;

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
      dtypes,
      defaultPath: defaultPathOf(dtypes),
      operatorProfiles,
      cachedRerun,
      memorySteps,
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
