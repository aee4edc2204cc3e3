/**
 * The cached re-run, in the production build (vite build into dist-bench-rerun, served by vite preview) in
 * headless Chromium: "Try the example" runs the 150-image example once on models/base-clip at the app's
 * default precision, filling the embedding cache (IndexedDB); then a fresh page of the same profile clicks it
 * again and the time from the click to the results (run status "Embedded …" and the comparison table) is
 * measured in the page, together with every status line shown on the way (so a model load is visible).
 */
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import type { PreviewServer } from 'vite';
import { errorMessage } from '../src/core/errors';
import { SETTINGS_STORAGE_KEY, SETTINGS_STORAGE_VERSION } from '../src/state/settingsStorage';
import { CACHED_RERUN_TARGET_S, type CachedRerun } from './dtypes';
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
  if (!button) return done({ statuses, doneMs: null, error: 'no button ' + testId });
  // "Run again": the status line shows the last run's words until this run changes them
  const before = status();
  let changed = false;
  const start = performance.now();
  button.click();
  const check = () => {
    const ms = performance.now() - start;
    const text = status();
    if (text !== before) changed = true;
    if (text && statuses[statuses.length - 1]?.text !== text) statuses.push({ ms, text });
    const error = document.querySelector('[data-testid=run-error]')?.textContent;
    if (error) return done({ statuses, doneMs: null, error });
    if (changed && /^Embedded/.test(text) && document.querySelector('[data-testid=comparison-table]'))
      return done({ statuses, doneMs: ms, error: null });
    if (ms > limit) return done({ statuses, doneMs: null, error: 'no results after ' + Math.round(ms / 1000) + ' s' });
    requestAnimationFrame(check);
  };
  check();
})`;

async function clickAndTime(page: Page, testId: 'try-example' | 'run-button', timeoutMs: number): Promise<Timeline> {
  return (await page.evaluate(`(${CLICK_AND_TIME})(${JSON.stringify(testId)}, ${timeoutMs})`)) as Timeline;
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

    const second = await context.newPage();
    await second.goto(url);
    await second.getByTestId('try-example').waitFor();
    const rerun = await clickAndTime(second, 'try-example', 300_000);
    if (rerun.doneMs === null) throw new Error(`the re-run did not finish: ${rerun.error ?? 'unknown'}`);
    // and "Run again" on that page: the same cached run without fetching the example's files
    const again = await clickAndTime(second, 'run-button', 60_000);
    const started = rerun.statuses.find((entry) => entry.text.length > 0 && !/^Loading the example/.test(entry.text));
    const finalText = rerun.statuses[rerun.statuses.length - 1]?.text ?? null;
    const modelLoaded = rerun.statuses.some((entry) => /loading the model/i.test(entry.text));
    const modelLoadedAgain = again.statuses.some((entry) => /loading the model/i.test(entry.text));
    log(`cached re-run: ${(rerun.doneMs / 1000).toFixed(2)} s; statuses: ${trailOf(rerun)}`);
    log(
      `"Run again": ${again.doneMs === null ? again.error : `${(again.doneMs / 1000).toFixed(2)} s`}; ${trailOf(again)}`,
    );
    return {
      ...base,
      status: 'measured',
      totalSeconds: rerun.doneMs / 1000,
      runSeconds: started ? (rerun.doneMs - started.ms) / 1000 : null,
      statusText: finalText,
      modelLoaded: modelLoaded || modelLoadedAgain,
      runAgainSeconds: again.doneMs === null ? null : again.doneMs / 1000,
      note: `${runtime}; first (uncached) run ${(filling.doneMs / 1000).toFixed(1)} s; statuses: ${trailOf(rerun)}; "Run again": ${trailOf(again)}`,
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
