/**
 * `npm run bench:ui [-- --no-build] [--images N] [--changes N] [--out FILE.json]`: how live the K slider is.
 * The production build (vite build into dist-bench-ui, served by vite preview) in headless Chromium opens a
 * synthetic bundle of 10,000 images × 80 templates × 10 classes (bench/uiBundle.ts), then K moves up by one
 * `--changes` times (30) with the keyboard on the slider, waiting for each change to settle. Per change it
 * measures (bench/uiProbe.ts) the time from the keydown to the paint that shows the new K in the comparison table
 * and the headline, and to the paint after which every chart shows it and the page is quiet. Then a burst of 10
 * quick presses. In Node, the engine's share: every method row at a new K (bench/uiEngine.ts).
 * Prints `K change p50: <x> ms, p95: <y> ms`; writes bench/ui-results.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from '@playwright/test';
import type { PreviewServer } from 'vite';
import { CHROMIUM, buildAndPreview, chromiumFlags, chromiumVersion } from './harness';
import { describeMachine, type MachineDescription } from './machine';
import { ROOT } from './options';
import { median } from './stats';
import { uiBundle, writeUiBundle, type UiBundleOptions } from './uiBundle';
import { measureEngine, type EngineFigures } from './uiEngine';
import { PROBE_SCRIPT, QUIET_MS, type ProbeResult } from './uiProbe';

const FLAGS = chromiumFlags('wasm');
const OUT_DIR = join(ROOT, 'dist-bench-ui');
const BURST = 10;
/** presses before the measured ones: the first renders compile code paths a user meets once */
const WARM_UP = 2;

export interface UiBenchResults {
  machine: MachineDescription;
  bundle: UiBundleOptions;
  build: 'production (vite build + vite preview)';
  viewport: { width: number; height: number };
  warmUpPresses: number;
  /** table + headline painted with the new K, per change (ms from the keydown) */
  table: { p50: number; p95: number; max: number };
  /** every chart painted and the results section quiet for QUIET_MS, per change (ms from the keydown) */
  charts: { p50: number; p95: number; max: number };
  burst: { presses: number; tableMs: number; chartsMs: number };
  headline: ProbeResult['headline'];
  changes: ProbeResult[];
  engine: EngineFigures & { compareP50: number; templateTableP50: number };
  quietMs: number;
}

/** Nearest-rank percentile. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const spread = (values: readonly number[]) => ({
  p50: round(percentile(values, 50)),
  p95: round(percentile(values, 95)),
  max: round(Math.max(...values)),
});
const round = (value: number) => Math.round(value * 10) / 10;
const log = (line: string) => console.error(`[bench:ui] ${line}`);

function serve(skipBuild: boolean): Promise<PreviewServer> {
  return buildAndPreview(OUT_DIR, 4480, skipBuild, log);
}

/** One measurement: arm the probe, press ArrowRight `presses` times, wait for the page to settle. */
async function measure(page: Page, target: number, presses: number): Promise<ProbeResult> {
  await page.evaluate((k) => {
    window.__kProbe?.arm(k);
  }, target);
  for (let i = 0; i < presses; i++) await page.keyboard.press('ArrowRight');
  const result = await page.evaluate(() => window.__kProbe?.result ?? null);
  if (!result) throw new Error('the probe did not answer');
  if (result.error) throw new Error(result.error);
  return result;
}

async function openBundle(page: Page, url: string, bundlePath: string, n: number): Promise<void> {
  await page.goto(url);
  await page.locator('[data-testid=files-input]').setInputFiles(bundlePath);
  const source = page.locator('[data-testid=results-source]');
  await source.filter({ hasText: `${n} of ${n} images analysed` }).waitFor({ timeout: 180_000 });
  await page.locator('#k-input').waitFor();
  await page.evaluate(PROBE_SCRIPT);
  await page.evaluate((ms) => window.__kProbe?.quiet(ms), 1000);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      'no-build': { type: 'boolean', default: false },
      images: { type: 'string', default: '10000' },
      changes: { type: 'string', default: '30' },
      out: { type: 'string', default: join(ROOT, 'bench', 'ui-results.json') },
    },
  });
  const options: UiBundleOptions = { n: Number(values.images), c: 10, m: 80, dim: 32 };
  const changes = Number(values.changes);
  if (!Number.isInteger(options.n) || options.n < 10 || !Number.isInteger(changes) || changes < 1) {
    throw new Error('usage: npm run bench:ui -- [--no-build] [--images N ≥ 10] [--changes N ≥ 1] [--out FILE.json]');
  }
  if (1 + WARM_UP + changes + BURST > options.m) throw new Error(`at most ${options.m - 1 - WARM_UP - BURST} changes`);
  const tmp = join(ROOT, 'bench', 'tmp');
  mkdirSync(tmp, { recursive: true });
  const bundlePath = join(tmp, `ui-bundle-${options.n}.json`);
  log(`writing the ${options.n}-image bundle (${options.c} classes × 2 attributes, ${options.m} templates)…`);
  writeUiBundle(bundlePath, options);

  const server = await serve(values['no-build']);
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a local URL');
  const viewport = { width: 1280, height: 900 };
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  const results: ProbeResult[] = [];
  let burst: ProbeResult;
  try {
    const page = await browser.newPage({ viewport });
    page.on('pageerror', (error) => log(`page error: ${error.message}`));
    log(`opening the bundle in ${url}…`);
    await openBundle(page, url, bundlePath, options.n);
    await page.locator('#k-input').focus();
    let k = Number(await page.locator('#k-input').inputValue());
    for (let i = 0; i < WARM_UP; i++) await measure(page, ++k, 1);
    for (let i = 0; i < changes; i++) {
      const result = await measure(page, ++k, 1);
      results.push(result);
      log(`K = ${k}: table ${result.tableMs.toFixed(1)} ms, charts ${result.chartsMs.toFixed(1)} ms`);
    }
    k += BURST;
    burst = await measure(page, k, BURST);
    log(
      `${BURST} quick presses to K = ${k}: table ${burst.tableMs.toFixed(1)} ms, charts ${burst.chartsMs.toFixed(1)} ms`,
    );
  } finally {
    await browser.close();
    await server.close();
  }

  log('the engine alone (Node): every method row at each new K…');
  const ks = results.map((r) => r.target);
  const engine = measureEngine(uiBundle(options), ks);
  const summary: UiBenchResults = {
    machine: describeMachine(chromiumVersion()),
    bundle: options,
    build: 'production (vite build + vite preview)',
    viewport,
    warmUpPresses: WARM_UP,
    table: spread(results.map((r) => r.tableMs)),
    charts: spread(results.map((r) => r.chartsMs)),
    burst: { presses: BURST, tableMs: round(burst.tableMs), chartsMs: round(burst.chartsMs) },
    headline: results[0]?.headline ?? 'absent',
    changes: results,
    engine: {
      ...engine,
      compareP50: round(median(engine.compareMs)),
      templateTableP50: round(median(engine.templateTableMs)),
    },
    quietMs: QUIET_MS,
  };
  writeFileSync(values.out, `${JSON.stringify(summary, null, 2)}\n`);
  const size = `${options.n.toLocaleString('en')} images × ${options.m} templates × ${options.c} classes`;
  if (summary.headline === 'absent')
    console.log('note: no headline (data-testid="results-headline") on the page: the table alone was measured');
  if (summary.headline === 'without K')
    console.log('note: the headline does not show K: measured until the table shows it');
  console.log(
    `K change p50: ${summary.table.p50} ms, p95: ${summary.table.p95} ms (table + headline painted; ${changes} changes, ${size})`,
  );
  console.log(`All charts painted after a K change p50: ${summary.charts.p50} ms, p95: ${summary.charts.p95} ms`);
  console.log(
    `${BURST} quick presses: table on the final K after ${summary.burst.tableMs} ms, all charts after ${summary.burst.chartsMs} ms`,
  );
  console.log(
    `Engine per K change (every method row, Node): p50 ${summary.engine.compareP50} ms; templates table ${summary.engine.templateTableP50} ms`,
  );
  console.log(`wrote ${relative(ROOT, values.out)}`);
}

declare global {
  interface Window {
    __kProbe?: {
      arm(target: number): void;
      result: Promise<ProbeResult> | null;
      quiet(ms: number): Promise<boolean>;
    };
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
