/**
 * Issue 16 §4: where the renderer's peak RSS comes from, step by step. For each precision, a fresh browser opens
 * the benchmark page (the app's worker path) and goes through the steps of a run one at a time — worker up (no
 * session), text session created, prompts embedded, text session released, vision session created with the first
 * batch, the last batch — reading the renderer's VmRSS and VmHWM (peak) after each step, and VmRSS again after a
 * forced garbage collection in the page's workers (what JavaScript still held but no longer needed: model bytes
 * fetched for a session). A second browser creates both sessions at once, as a load of both towers did, so the
 * two orders can be compared.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import type { Dtype } from '../src/core/config';
import { errorMessage } from '../src/core/errors';
import { CHROMIUM, chromiumFlags, findRendererPid, log, modelFileBytes, openPage, type PageApiProxy } from './harness';
import { processMemory } from './machine';
import type { MemorySteps } from './memoryStepsReport';
import type { BenchDevice } from './protocol';
import { promptSet } from './prompts';

const FLAGS_GC = '--js-flags=--expose-gc';

/**
 * Samples every renderer's VmRSS while an action runs: Chromium resets VmHWM now and then (its memory
 * instrumentation writes /proc/self/clear_refs), so the peak is the highest RSS seen, every SAMPLE_MS.
 */
const SAMPLE_MS = 20;

async function sampled<T>(browser: Browser, action: () => Promise<T>): Promise<Map<number, number>> {
  const session = await browser.newBrowserCDPSession();
  const info = (await session.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
  await session.detach().catch(() => undefined);
  const pids = info.processInfo.filter((process) => process.type === 'renderer').map((process) => process.id);
  const highest = new Map<number, number>();
  // VmHWM counts only when it rose during the step (it holds earlier steps' peaks, unless Chromium reset it)
  const hwmBefore = new Map(pids.map((pid) => [pid, processMemory(pid)?.peakRssBytes ?? 0]));
  const sample = () => {
    for (const pid of pids) {
      const memory = processMemory(pid);
      if (!memory) continue;
      const rose = memory.peakRssBytes > (hwmBefore.get(pid) ?? 0) ? memory.peakRssBytes : 0;
      highest.set(pid, Math.max(highest.get(pid) ?? 0, memory.rssBytes, rose));
    }
  };
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  try {
    await action();
  } finally {
    clearInterval(timer);
    sample();
  }
  return highest;
}

async function rssAfterGc(page: Page, pid: number | null): Promise<number | null> {
  try {
    // ORT's thread workers may not answer an evaluation: each worker gets a few seconds
    for (const worker of page.workers())
      await Promise.race([
        worker.evaluate('globalThis.gc ? (gc(), true) : false'),
        new Promise((resolve) => setTimeout(resolve, 5_000)),
      ]);
    await page.waitForTimeout(300);
    return pid === null ? null : (processMemory(pid)?.rssBytes ?? null);
  } catch {
    return null;
  }
}

async function runSteps(
  browser: Browser,
  url: string,
  device: BenchDevice,
  dtype: Dtype,
  order: MemorySteps['order'],
): Promise<MemorySteps> {
  const result: MemorySteps = { dtype, order, modelFileBytes: modelFileBytes(dtype), steps: [], error: null };
  const { page, api } = await openPage(browser, url);
  let pid = await findRendererPid(browser);
  let peak = 0;
  const step = async (name: string, action: (api: PageApiProxy) => Promise<unknown>) => {
    const highest = await sampled(browser, () => action(api));
    // the page's renderer is the largest one; it can only be told apart once the worker has grown it
    pid = (await findRendererPid(browser)) ?? pid;
    const rssBytes = pid === null ? NaN : (processMemory(pid)?.rssBytes ?? NaN);
    const stepPeak = pid === null ? NaN : (highest.get(pid) ?? rssBytes);
    peak = Math.max(peak, stepPeak);
    const figures = {
      rssBytes,
      stepPeakRssBytes: stepPeak,
      peakRssBytes: peak,
      rssAfterGcBytes: await rssAfterGc(page, pid),
    };
    result.steps.push({ step: name, ...figures });
    log(
      `memory steps ${dtype} (${order}): ${name}: RSS ${mib(figures.rssBytes)}, highest during the step ${mib(figures.stepPeakRssBytes)}, after GC ${figures.rssAfterGcBytes === null ? 'n/a' : mib(figures.rssAfterGcBytes)}`,
    );
  };
  const prompts = promptSet(0, 17);
  try {
    await step('page open', async () => undefined);
    if (order !== 'both at load') {
      await step('worker up (tokenizer, config; no session)', (a) =>
        a.load(device, dtype, { text: false, vision: false }),
      );
      await step('text session created (1 prompt)', (a) => a.embedTexts(prompts.slice(0, 1)));
      await step(`prompts embedded (${prompts.length})`, (a) => a.embedTexts(prompts));
      // as the app on a device of ≤ 4 GB (state/run.ts); elsewhere the text session is kept (the next order)
      if (order === 'one after another') await step('text session released', (a) => a.releaseTextTower());
    } else {
      await step('both sessions created together', (a) => a.load(device, dtype));
      await step(`prompts embedded (${prompts.length})`, (a) => a.embedTexts(prompts));
    }
    await step('vision session created, first batch (8 images)', (a) => a.embedImagesDropping(8, 8, `${order}-first`));
    await step('last batch (64 more images)', (a) => a.embedImagesDropping(64, 8, `${order}-more`));
  } catch (error) {
    result.error = errorMessage(error).split('\n')[0];
    log(`memory steps ${dtype} (${order}) failed: ${result.error}`);
  } finally {
    await page.close();
  }
  return result;
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

/** Each precision in both orders, each in a browser of its own (so VmHWM is that run's alone). */
export async function measureMemorySteps(
  url: string,
  device: BenchDevice,
  dtypes: readonly Dtype[],
): Promise<MemorySteps[]> {
  const out: MemorySteps[] = [];
  for (const dtype of dtypes) {
    for (const order of ['one after another', 'text kept', 'both at load'] as const) {
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [...chromiumFlags(device), FLAGS_GC],
        headless: true,
      });
      try {
        out.push(await runSteps(browser, url, device, dtype, order));
      } finally {
        await browser.close();
      }
    }
  }
  return out;
}
