/**
 * Shared helpers for the explorer e2e specs: a grouped image folder generated with sharp (deterministic),
 * and the CLI (`sage-explorer embed` + `analyze`) run on the same images for the reference numbers.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import sharp from 'sharp';
import { METHOD_IDS } from '../src/core/types';
import { ROOT, TINY } from './tinyModelFixtures';

export { ROOT };
export const TINY_MODEL = TINY;
export const ARTIFACTS = join(ROOT, 'e2e', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

export const GROUP_SIZES: Record<string, number> = {
  'landbird/land': 9,
  'landbird/water': 3,
  'waterbird/land': 4,
  'waterbird/water': 8,
};

/** Small deterministic images: a coloured background band (the "attribute") and a bright blob (the "class"). */
export async function makeImageFolder(name = 'birds'): Promise<string> {
  const base = mkdtempSync(join(tmpdir(), 'sage-e2e-'));
  const root = join(base, name);
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (const [group, count] of Object.entries(GROUP_SIZES)) {
    const [cls, attribute] = group.split('/');
    const dir = join(root, cls, attribute);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < count; i++) {
      const w = 96;
      const h = 72;
      const pixels = Buffer.alloc(w * h * 3);
      const bg =
        attribute === 'water' ? [30, 80 + rand() * 60, 180 + rand() * 60] : [90 + rand() * 60, 140 + rand() * 50, 40];
      const fg = cls === 'waterbird' ? [240, 240, 240] : [200, 60 + rand() * 40, 20];
      const cx = 20 + rand() * 56;
      const cy = 16 + rand() * 40;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const inBlob = (x - cx) ** 2 + (y - cy) ** 2 < 150;
          const c = inBlob ? fg : bg;
          const o = (y * w + x) * 3;
          pixels[o] = c[0] + rand() * 20;
          pixels[o + 1] = c[1] + rand() * 20;
          pixels[o + 2] = c[2] + rand() * 20;
        }
      }
      await sharp(pixels, { raw: { width: w, height: h, channels: 3 } })
        .jpeg({ quality: 90 })
        .toFile(join(dir, `${String(i).padStart(3, '0')}.jpg`));
    }
  }
  return root;
}

/**
 * `copies` images per group made by copying the images of `folder` (a makeImageFolder result): a folder big
 * enough to watch a run stream and to cancel it mid-way.
 */
export function copyImageFolder(folder: string, copies: number): string {
  const root = join(mkdtempSync(join(tmpdir(), 'sage-copies-')), 'birds');
  for (const [group, count] of Object.entries(GROUP_SIZES)) {
    mkdirSync(join(root, group), { recursive: true });
    for (let copy = 0; copy < copies; copy++) {
      const name = `${String(copy % count).padStart(3, '0')}.jpg`;
      copyFileSync(join(folder, group, name), join(root, group, `${String(copy).padStart(3, '0')}-${name}`));
    }
  }
  return root;
}

export function cli(args: string[]): string {
  return execFileSync(process.execPath, [join(ROOT, 'bin', 'sage-explorer.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function embedWithCli(folder: string): string {
  const out = join(folder, '..', 'bundle.json');
  if (!existsSync(out)) cli(['embed', folder, '--model', TINY_MODEL, '--dtype', 'fp32', '--out', out]);
  return out;
}

export interface CliGroup {
  class: string;
  attribute: string;
  n: number;
  correct: number;
  accuracy: number;
}
export interface CliAnalysis {
  method: string;
  k: number;
  /** what the method uses beyond the class names */
  knowledge: 'none' | 'attribute words' | 'attribute labels';
  /** tiestar: how often the guessed attribute is the true one, per group */
  pseudoAttributeAccuracy?: CliGroup[];
  predictions: { id: string; class: string; attribute: string; predicted: string; templates?: number[] }[];
  metrics: {
    n: number;
    accuracy: number;
    worstGroupAccuracy: number;
    worstGroup: CliGroup;
    gap: number;
    harmonicMean: number;
    groups: CliGroup[];
  };
}

const analyses = new Map<string, CliAnalysis>();

/**
 * `sage-explorer analyze` as JSON; `extra`: more flags, e.g. ['--phrasings', '{}|a {} scene.', '--model', TINY_MODEL]
 * for the §7 methods. Each distinct call runs once per spec file (a CLI start costs seconds on a busy machine).
 */
export function analyzeWithCli(bundle: string, method: string, k = 1, extra: readonly string[] = []): CliAnalysis {
  const args = ['analyze', bundle, '--method', method, '--k', String(k), '--format', 'json', ...extra];
  const key = JSON.stringify(args);
  let analysis = analyses.get(key);
  if (!analysis) {
    analysis = JSON.parse(cli(args)) as CliAnalysis;
    analyses.set(key, analysis);
  }
  return analysis;
}

/** The UI's percentage format (src/ui/format.ts pct). */
export function pct(value: number): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : '–';
}

export function writeText(path: string, text: string): void {
  writeFileSync(path, text);
}

/**
 * A synthetic sage-embeddings/1 bundle written by the core's serializeBundle (run under tsx: the core
 * imports JSON, which Playwright's loader does not): `n` images, deterministic.
 */
export function writeSyntheticBundle(path: string, n: number, dim = 8): void {
  execFileSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'e2e', 'explorerSyntheticBundle.ts'), path, String(n), String(dim)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/**
 * Waits until the run has finished (status matches `done`) and fails at once, with the app's own message,
 * when the run stops with an error instead of waiting out the timeout on a status that will never come.
 */
export async function expectRunFinished(page: Page, done: RegExp = /^Embedded/, timeout = 150_000): Promise<void> {
  const status = page.getByTestId('run-status');
  const error = page.getByTestId('run-error');
  await expect
    .poll(
      async () =>
        (await error.count()) > 0
          ? `error: ${await error.first().textContent()}`
          : ((await status.textContent()) ?? ''),
      {
        timeout,
        message: 'the run should finish',
      },
    )
    .toMatch(new RegExp(`${done.source}|^error: `));
  if ((await error.count()) > 0) throw new Error(`the run failed: ${await error.first().textContent()}`);
  await expect(status).toHaveText(done);
}

/** Every method of the comparison table: the template methods, group prompts and the SPEC §7 methods. */
export const METHODS = METHOD_IDS;

/**
 * Every method's row of the comparison table shows what `sage-explorer analyze` computes on the bundle for this
 * K (`extra`: flags for the §7 methods, as the app's settings are).
 */
export async function expectTableMatchesCli(
  page: Page,
  bundlePath: string,
  k: number,
  methods: readonly string[] = METHODS,
  extra: readonly string[] = [],
): Promise<void> {
  for (const method of methods) {
    const cli = analyzeWithCli(bundlePath, method, k, extra);
    const row = page.locator(`[data-testid=comparison-table] tr[data-method=${method}]`);
    await expect(row.locator('[data-metric=accuracy] strong')).toHaveText(pct(cli.metrics.accuracy));
    await expect(row.locator('[data-metric=wga] strong')).toHaveText(pct(cli.metrics.worstGroupAccuracy));
    await expect(row.locator('[data-metric=accuracy] .sub')).toContainText(`n = ${cli.metrics.n}`);
    await expect(row.locator('[data-metric=gap]')).toHaveText(pct(cli.metrics.gap));
    await expect(row.locator('[data-metric=hm]')).toHaveText(pct(cli.metrics.harmonicMean));
  }
}

/** Drops an image folder on the app, chooses the served tiny model (fp32, as the CLI) and runs it to the end. */
export async function dropFolderAndRun(page: Page, path: string): Promise<void> {
  await page.getByTestId('folder-input').setInputFiles(path);
  await expect(page.getByTestId('group-matrix')).toBeVisible();
  // choose the served tiny model through the model chooser, as a user would
  await page.locator('#model-select').selectOption('local');
  await page.locator('#local-model-name').fill('tiny-clip');
  await expect(page.locator('#dtype-select')).toHaveValue('fp32');
  await page.getByTestId('run-button').click();
  await expectRunFinished(page, /^Embedded/, 150_000);
  await expect(page.getByTestId('results-source')).not.toContainText('updating');
}

/** Sets the K slider with the keyboard, as a keyboard user would. */
export async function setK(page: Page, k: number): Promise<void> {
  const slider = page.getByTestId('k-slider');
  await slider.focus();
  await page.keyboard.press('Home');
  for (let i = 1; i < k; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('k-value')).toHaveText(String(k));
}

/** Opens the app on the tiny model, drops `folder` and runs it to the end (fp32, as local models default to). */
export async function runSmallFolder(page: Page, folder: string): Promise<void> {
  await page.goto('/?model=local:tiny-clip');
  await page.getByTestId('folder-input').setInputFiles(folder);
  await expect(page.locator('#dtype-select')).toHaveValue('fp32');
  await page.getByTestId('run-button').click();
  await expectRunFinished(page);
  await expect(page.getByTestId('results-source')).not.toContainText('updating');
}

/** The comparison table's numbers, row by row, with white space folded. */
export async function tableNumbers(page: Page): Promise<string> {
  return (await page.locator('[data-testid=comparison-table] tbody').innerText()).replace(/\s+/g, ' ');
}
