/**
 * The cached re-run, in the production build (vite build into dist-bench-rerun, served by vite preview) in
 * headless Chromium: "Try the example" runs the 150-image example once on models/base-clip at the app's
 * default precision, filling the embedding cache (IndexedDB); then a fresh page of the same profile clicks it
 * again and the time from the click to the results (run status "Embedded …" and the comparison table) is
 * measured in the page, together with every status line shown on the way (so a model load is visible).
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import type { PreviewServer } from 'vite';
import { errorMessage } from '../src/core/errors';
import { SETTINGS_STORAGE_KEY, SETTINGS_STORAGE_VERSION } from '../src/state/settingsStorage';
import { CACHED_RERUN_TARGET_S, breakdownText, medianSteps, type CachedRerun, type RunStep } from './dtypes';
import { CHROMIUM, MODEL, buildAndPreview, chromiumFlags, log } from './harness';
import { ROOT } from './options';

const OUT_DIR = join(ROOT, 'dist-bench-rerun');
function serve(): Promise<PreviewServer> {
  return buildAndPreview(OUT_DIR, 4481, false, (line) => log(`cached re-run: ${line}`));
}

interface Timeline {
  /** ms from the click to each distinct run-status text */
  statuses: { ms: number; text: string }[];
  doneMs: number | null;
  error: string | null;
  /** the run's performance marks (src/worker/client.ts markRunStep), ms from the click */
  marks: { name: string; ms: number }[];
}

/**
 * In the page: clicks "Try the example" and records each run-status text with its time until the run says
 * "Embedded …" and the comparison table is in the page (or an error shows, or the time limit passes). A string,
 * not a function, so no helper the TypeScript loader adds to named functions is needed in the page.
 */
const CLICK_AND_TIME = `(testId, limit) => new Promise((done) => {
  const statuses = [];
  const status = () => document.querySelector('[data-testid=run-status]')?.textContent ?? '';
  const button = document.querySelector('[data-testid=' + testId + ']');
  if (!button) return done({ statuses, doneMs: null, error: 'no button ' + testId, marks: [] });
  // "Run again": the status line shows the last run's words until this run changes them
  const before = status();
  let changed = false;
  const start = performance.now();
  const finish = (result) => {
    const marks = performance.getEntriesByType('mark')
      .filter((m) => m.name.startsWith('sage-run: ') && m.startTime >= start - 1000)
      .map((m) => ({ name: m.name.slice('sage-run: '.length), ms: m.startTime - start }))
      .sort((a, b) => a.ms - b.ms);
    done({ ...result, marks });
  };
  button.click();
  const check = () => {
    const ms = performance.now() - start;
    const text = status();
    if (text !== before) changed = true;
    if (text && statuses[statuses.length - 1]?.text !== text) statuses.push({ ms, text });
    const error = document.querySelector('[data-testid=run-error]')?.textContent;
    if (error) return finish({ statuses, doneMs: null, error });
    if (changed && /^Embedded/.test(text) && document.querySelector('[data-testid=comparison-table]'))
      return finish({ statuses, doneMs: ms, error: null });
    if (ms > limit) return finish({ statuses, doneMs: null, error: 'no results after ' + Math.round(ms / 1000) + ' s' });
    requestAnimationFrame(check);
  };
  check();
})`;

async function clickAndTime(page: Page, testId: 'try-example' | 'run-button', timeoutMs: number): Promise<Timeline> {
  return (await page.evaluate(`(${CLICK_AND_TIME})(${JSON.stringify(testId)}, ${timeoutMs})`)) as Timeline;
}

/** Fresh pages measured after the cache is filled (medians reported): one page is one sample. */
const RERUN_REPEATS = 3;

function median(values: number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The run's marks as times from its "run started" mark, then the results on screen (the page's own check). */
function stepsOf(timeline: Timeline): RunStep[] {
  const starts = timeline.marks.filter((mark) => mark.name === 'run started');
  const origin = starts[starts.length - 1]?.ms ?? 0;
  const steps = timeline.marks
    .filter((mark) => mark.ms >= origin - 2000 && mark.name !== 'run started')
    .map((mark) => ({ step: mark.name, ms: mark.ms - origin }));
  if (timeline.doneMs !== null) steps.push({ step: 'results on screen', ms: timeline.doneMs - origin });
  return steps;
}

const trailOf = (timeline: Timeline) =>
  timeline.statuses.map((entry) => `${(entry.ms / 1000).toFixed(2)} s “${entry.text.slice(0, 60)}”`).join(' → ');

export async function measureCachedRerun(): Promise<CachedRerun> {
  const model = `local:${MODEL}`;
  const base = {
    model,
    images: 150,
    target: CACHED_RERUN_TARGET_S,
  };
  let server: PreviewServer | null = null;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumFlags('wasm'), headless: true });
  try {
    server = await serve();
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error('vite preview did not report a local URL');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // the served model at the app's default precision (q8), chosen as a user's saved settings; ?model=local:…
    // would switch to fp32 (src/ui/useHashRoute.ts)
    await context.addInitScript(
      ([key, value]) => localStorage.setItem(key, value),
      [SETTINGS_STORAGE_KEY, JSON.stringify({ state: { model, dtype: 'q8' }, version: SETTINGS_STORAGE_VERSION })],
    );
    const first = await context.newPage();
    first.on('pageerror', (error) => log(`cached re-run: page error: ${error.message}`));
    await first.goto(url);
    log('cached re-run: first run of the example (fills the embedding cache)');
    const filling = await clickAndTime(first, 'try-example', 1_200_000);
    if (filling.doneMs === null) throw new Error(`the first run did not finish: ${filling.error ?? 'unknown'}`);
    const runtime = (await first.getByTestId('runtime').textContent())?.trim() ?? '';
    log(`cached re-run: first run ${(filling.doneMs / 1000).toFixed(1)} s (${runtime})`);
    await first.close();

    const fresh: Timeline[] = [];
    const again: Timeline[] = [];
    const loadAverages: number[] = [];
    for (let repeat = 0; repeat < RERUN_REPEATS; repeat++) {
      const page = await context.newPage();
      await page.goto(url);
      await page.getByTestId('try-example').waitFor();
      loadAverages.push(loadavg()[0]);
      const rerun = await clickAndTime(page, 'try-example', 300_000);
      if (rerun.doneMs === null) throw new Error(`the re-run did not finish: ${rerun.error ?? 'unknown'}`);
      // and "Run again" on that page: the same cached run without fetching the example's files
      const runAgain = await clickAndTime(page, 'run-button', 60_000);
      log(
        `cached re-run ${repeat + 1}/${RERUN_REPEATS} (load ${loadavg()[0].toFixed(2)}): ${(rerun.doneMs / 1000).toFixed(2)} s; statuses: ${trailOf(rerun)}`,
      );
      log(`  steps: ${breakdownText(stepsOf(rerun))}`);
      log(
        `  "Run again": ${runAgain.doneMs === null ? runAgain.error : `${(runAgain.doneMs / 1000).toFixed(2)} s`}; ${breakdownText(stepsOf(runAgain))}`,
      );
      fresh.push(rerun);
      again.push(runAgain);
      await page.close();
    }
    const last = fresh[fresh.length - 1];
    const runSeconds = median(
      fresh.map((rerun) => {
        const started = rerun.statuses.find(
          (entry) => entry.text.length > 0 && !/^Loading the example/.test(entry.text),
        );
        return started && rerun.doneMs !== null ? (rerun.doneMs - started.ms) / 1000 : NaN;
      }),
    );
    const againDone = again.map((t) => t.doneMs).filter((ms): ms is number => ms !== null);
    const modelLoaded = [...fresh, ...again].some((t) =>
      t.statuses.some((entry) => /loading the model/i.test(entry.text)),
    );
    return {
      ...base,
      status: 'measured',
      totalSeconds: median(fresh.map((t) => (t.doneMs ?? NaN) / 1000)),
      runSeconds: Number.isNaN(runSeconds) ? null : runSeconds,
      statusText: last.statuses[last.statuses.length - 1]?.text ?? null,
      modelLoaded,
      runAgainSeconds: againDone.length === 0 ? null : median(againDone) / 1000,
      repeats: RERUN_REPEATS,
      loadAverages,
      breakdown: medianSteps(fresh.map(stepsOf)),
      runAgainBreakdown: medianSteps(again.map(stepsOf)),
      note: `${runtime}; first (uncached) run ${(filling.doneMs / 1000).toFixed(1)} s; medians of ${RERUN_REPEATS} fresh pages; last statuses: ${trailOf(last)}; "Run again": ${trailOf(again[again.length - 1])}`,
    };
  } catch (error) {
    // Playwright appends the page's stack: the first line is the message
    const message = errorMessage(error).split('\n')[0];
    log(`cached re-run failed: ${message}`);
    return {
      ...base,
      status: 'failed',
      totalSeconds: null,
      runSeconds: null,
      runAgainSeconds: null,
      statusText: null,
      modelLoaded: null,
      note: message,
    };
  } finally {
    await browser.close();
    await server?.close();
  }
}
