/**
 * The measurements: image and text throughput (browser and Node requests alternating run by run, so
 * background load hits both alike), the renderer's CPU time per request, and the long memory run.
 */
import type { CDPSession } from '@playwright/test';
import { type DtypeImageRow, dtypeRow } from './dtypes';
import { jsHeapUsed, log, type NodeSide, type PageApiProxy } from './harness';
import { processCpuMs, processMemory } from './machine';
import { MAX_TIMED_TEXT_RUNS, promptSet } from './prompts';
import type { ImageRun, TextRun } from './protocol';
import {
  type BenchResults,
  type ImageThroughputRow,
  type MemorySample,
  type benchPlan,
  fmt,
  imageRunsThroughput,
  memoryGrowth,
  textRunsThroughput,
} from './report';

export type BenchPlan = ReturnType<typeof benchPlan>;

/** What every measurement reads and updates. */
export interface Context {
  api: PageApiProxy;
  node: NodeSide;
  cdp: CDPSession;
  rendererPid: number | null;
  peakJsHeap: number;
  runCounter: number;
}

/** A run tag unique to this process and run, so no image or prompt is served from a cache. */
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

async function nodeImages(
  context: Context,
  count: number,
  batchSize: number,
  label: string,
  node: NodeSide = context.node,
): Promise<ImageRun> {
  const { run } = await node.request({ type: 'images', count, batchSize, runTag: nextTag(context, label) }, 'images');
  assertNoFailures(run, 'node');
  return run;
}

export async function measureImages(
  context: Context,
  plan: BenchPlan,
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

/**
 * One precision's image throughput: per timed run, native fp32 (`fp32Node`), the browser at this dtype, then
 * native at this dtype, so the default-path ratio (browser q8 / native fp32) compares runs made under the same
 * background load.
 */
export async function measureDtypeImages(
  context: Context,
  steps: readonly { batchSize: number; imagesPerRun: number; runs: number }[],
  fp32Node: NodeSide,
  dtype: string,
): Promise<DtypeImageRow[]> {
  const rows: DtypeImageRow[] = [];
  for (const step of steps) {
    log(`${dtype} images, batch ${step.batchSize}: warm-up`);
    await nodeImages(context, step.batchSize, step.batchSize, `${dtype}warm${step.batchSize}`);
    await browserImages(context, step.batchSize, step.batchSize, `${dtype}warm${step.batchSize}`);
    const reference: ImageRun[] = [];
    const browserRuns: ImageRun[] = [];
    const nodeRuns: ImageRun[] = [];
    for (let r = 0; r < step.runs; r++) {
      const label = `${dtype}b${step.batchSize}`;
      reference.push(
        await nodeImages(context, step.imagesPerRun, step.batchSize, `fp32ref${step.batchSize}`, fp32Node),
      );
      browserRuns.push(await browserImages(context, step.imagesPerRun, step.batchSize, label));
      nodeRuns.push(await nodeImages(context, step.imagesPerRun, step.batchSize, label));
      const rate = (run: ImageRun) => fmt((1000 * run.images) / run.wallMs);
      log(
        `${dtype} images, batch ${step.batchSize}, run ${r + 1}/${step.runs}: browser ${rate(browserRuns[r])} img/s, node ${rate(nodeRuns[r])} img/s, node fp32 ${rate(reference[r])} img/s`,
      );
    }
    rows.push(
      dtypeRow(step, imageRunsThroughput(browserRuns), imageRunsThroughput(nodeRuns), imageRunsThroughput(reference)),
    );
  }
  return rows;
}

export async function measureTexts(context: Context, plan: BenchPlan): Promise<BenchResults['textThroughput']> {
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
export async function measureMemoryRun(
  context: Context,
  images: number,
  batchSize: number,
  dim: number,
): Promise<BenchResults['memory']['browserRun']> {
  const pid = context.rendererPid;
  if (pid === null) {
    log('memory run skipped: the renderer process is unknown');
    return null;
  }
  log(`memory run: ${images} images, batch ${batchSize}`);
  const samples: MemorySample[] = [];
  const sample = async (batch: number) => {
    const memory = processMemory(pid);
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
