/**
 * The explorer end to end on the tiny synthetic CLIP: drop a grouped folder → run → the comparison table,
 * group chart, separation chart and SAGE picks equal `sage-explorer analyze` on the CLI's bundle for the
 * same images; K changes WGA as the CLI does; share links and reports round-trip; bad files are listed.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import {
  analyzeWithCli,
  ARTIFACTS,
  embedWithCli,
  makeImageFolder,
  pct,
  type CliAnalysis,
  expectRunFinished,
  expectTableMatchesCli,
  dropFolderAndRun,
  setK,
} from './explorerFixtures';

let folder: string;
let bundle: string;

test.beforeAll(async () => {
  folder = await makeImageFolder();
  bundle = embedWithCli(folder);
});

function pickCounts(cli: CliAnalysis): Map<number, number> {
  const counts = new Map<number, number>();
  for (const p of cli.predictions) for (const t of p.templates ?? []) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

test('drop a grouped folder, run, and see the CLI numbers; K changes WGA as the CLI does', async ({ page }) => {
  // ~30 CLI calls and a run on the tiny model: 1.7 min on a quiet 2-core machine, more when it is shared
  test.setTimeout(360_000);
  await page.goto('/');
  await dropFolderAndRun(page, folder);
  await page.screenshot({ path: join(ARTIFACTS, 'explorer-results-1280.png'), fullPage: true });

  await expectTableMatchesCli(page, bundle, 1);

  // per-group chart (its table view) for SAGE vs zero-shot
  const sage = analyzeWithCli(bundle, 'sage', 1);
  const zeroshot = analyzeWithCli(bundle, 'zeroshot', 1);
  const groupChart = page.getByTestId('group-chart');
  await expect(groupChart.locator('.recharts-wrapper > svg.recharts-surface')).toBeVisible();
  await groupChart.getByRole('button', { name: 'Show table' }).click();
  for (const g of sage.metrics.groups) {
    const row = groupChart.locator(`tr[data-group="${g.class}/${g.attribute}"]`);
    await expect(row.locator('[data-metric=selected]')).toHaveText(pct(g.accuracy));
    const z = zeroshot.metrics.groups.find((x) => x.class === g.class && x.attribute === g.attribute);
    await expect(row.locator('[data-metric=zeroshot]')).toHaveText(pct(z?.accuracy ?? NaN));
  }

  // separation chart renders; its table's SAGE pick counts equal the CLI's selections
  const separation = page.getByTestId('separation-chart');
  await expect(separation.locator('.recharts-wrapper > svg.recharts-surface')).toBeVisible();
  const counts = pickCounts(sage);
  const picks = page.getByTestId('sage-picks').locator('li');
  await expect(picks.first()).toBeVisible();
  const listed = await picks.count();
  expect(listed).toBeGreaterThan(0);
  for (let i = 0; i < listed; i++) {
    const item = picks.nth(i);
    const template = Number(await item.getAttribute('data-template'));
    await expect(item.locator('[data-metric=picks]')).toHaveText(String(counts.get(template) ?? 0));
  }
  await separation.getByRole('button', { name: 'Show table' }).click();
  for (const [template, count] of counts) {
    await expect(separation.locator(`tr[data-template="${template}"] [data-metric=picks]`)).toContainText(
      String(count),
    );
  }

  // K = 5: WGA (and everything else) as the CLI computes for K = 5, without re-embedding
  await setK(page, 5);
  await expectTableMatchesCli(page, bundle, 5);
  await page.screenshot({ path: join(ARTIFACTS, 'explorer-results-k5-1280.png'), fullPage: true });

  // phone width: the page still lays out
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(ARTIFACTS, 'explorer-results-390.png'), fullPage: true });
});

test('a share link opened in a new context restores the configuration', async ({ page, browser }) => {
  await page.goto('/?model=local:tiny-clip');
  await page.getByTestId('folder-input').setInputFiles(folder);
  await page.locator('#class-text-1').fill('a bird that lives on water');
  await dropRunOnly(page);
  await setK(page, 3);
  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toContain('#c=');
  expect(link.length).toBeLessThan(600);

  const other = await browser.newContext();
  const fresh = await other.newPage();
  await fresh.goto(link);
  await expect(fresh.getByTestId('config-banner')).toBeVisible();
  await expect(fresh.getByTestId('config-model')).toHaveText('local:tiny-clip');
  await expect(fresh.getByTestId('config-classes')).toHaveText('“landbird”, “a bird that lives on water”');
  await expect(fresh.getByTestId('config-k')).toHaveText('3');
  // the link's class strings apply to the images dropped next
  await fresh.getByTestId('folder-input').setInputFiles(folder);
  await expect(fresh.locator('#class-text-1')).toHaveValue('a bird that lives on water');
  await expect(fresh.locator('#model-select')).toHaveValue('local');
  await fresh.screenshot({ path: join(ARTIFACTS, 'explorer-link-restored-1280.png'), fullPage: true });
  await other.close();
});

async function dropRunOnly(page: Page): Promise<void> {
  await page.getByTestId('run-button').click();
  await expectRunFinished(page, /^Embedded/, 150_000);
  await expect(page.getByTestId('results-source')).not.toContainText('updating');
}

test('an exported report re-opens to the same numbers', async ({ page, browser }) => {
  await page.goto('/?model=local:tiny-clip');
  await page.getByTestId('folder-input').setInputFiles(folder);
  await dropRunOnly(page);
  await setK(page, 2);
  const before = await page.getByTestId('comparison-table').locator('tbody').innerText();
  const downloadPromise = page.waitForEvent('download');
  await page.getByTestId('export-report').click();
  const download = await downloadPromise;
  const reportPath = join(ARTIFACTS, 'report.json');
  await download.saveAs(reportPath);
  expect(JSON.parse(readFileSync(reportPath, 'utf8')).format).toBe('sage-report/1');

  const other = await browser.newContext();
  const fresh = await other.newPage();
  await fresh.goto('/');
  await fresh.getByTestId('files-input').setInputFiles(reportPath);
  await expect(fresh.getByTestId('results-source')).toContainText('From the report');
  await expect(fresh.getByTestId('k-value')).toHaveText('2');
  expect(await fresh.getByTestId('comparison-table').locator('tbody').innerText()).toBe(before);
  await other.close();
});

test('a folder with a broken image and a text file lists both as skipped and still runs', async ({ page }) => {
  const messy = await makeImageFolder('messy');
  writeFileSync(join(messy, 'landbird', 'land', 'notes.txt'), 'field notes, not an image');
  const good = join(messy, 'waterbird', 'water', '000.jpg');
  // a truncated JPEG: the right signature, half the bytes
  const bytes = readFileSync(good);
  writeFileSync(join(messy, 'waterbird', 'water', 'broken.jpg'), bytes.subarray(0, Math.floor(bytes.length / 2)));
  copyFileSync(good, join(messy, 'waterbird', 'water', 'copy.jpg'));
  await page.goto('/?model=local:tiny-clip');
  await page.getByTestId('folder-input').setInputFiles(messy);
  const skipped = page.getByTestId('skipped-list');
  await expect(skipped).toContainText('notes.txt');
  await dropRunOnly(page);
  await expect(skipped).toContainText('broken.jpg');
  await expect(page.getByTestId('comparison-table')).toBeVisible();
  await expect(page.getByTestId('results-source')).toContainText('25 of 26 images analysed');
  await page.screenshot({ path: join(ARTIFACTS, 'explorer-skipped-1280.png'), fullPage: true });
});
