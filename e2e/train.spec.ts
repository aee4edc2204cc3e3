/**
 * Issue 15 in the app: open a bundle with a planted spurious direction (e2e/trainBundle.ts), make a split, train
 * Yang et al.'s adapter for a few epochs in the worker, watch the curve grow, and compare the trained row with
 * zero-shot and SAGE on the same test split: its worst-group accuracy must be above zero-shot's. Screenshots of
 * the panel, the curve and the table at 1440/1024/390 px in the light and projector themes go to e2e/artifacts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ARTIFACTS, ROOT } from './explorerFixtures';

let bundle: string;
let large: string;

test.beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'sage-train-'));
  bundle = join(dir, 'planted-bundle.json');
  large = join(dir, 'planted-large-bundle.json');
  for (const [path, size] of [
    [bundle, 'small'],
    [large, 'large'],
  ]) {
    execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'e2e', 'trainBundle.ts'), path, size], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }
});

async function openBundle(page: Page, path = bundle): Promise<void> {
  await page.getByTestId('files-input').setInputFiles(path);
  await expect(page.getByTestId('results-source')).toContainText('From the embeddings bundle');
  await expect(page.getByTestId('comparison-table')).toBeVisible();
}

/** The WGA cell of a method's row, as a number in %. */
async function wga(page: Page, method: string): Promise<number> {
  const text = await page
    .locator(`[data-testid=comparison-table] tr[data-method=${method}] td[data-metric=wga] strong`)
    .innerText();
  return Number(text.replace('%', ''));
}

async function train(page: Page, epochs: number): Promise<void> {
  const panel = page.getByTestId('train-panel');
  await panel.getByTestId('split-made').check();
  await panel.getByLabel('split seed').fill('3');
  await expect(panel.getByTestId('split-sizes')).toHaveText('120 train · 48 validation · 72 test (seed 3)');
  await panel.getByLabel('epochs').fill(String(epochs));
  await panel.getByTestId('train-start').click();
  await expect(page.getByTestId('training-curve')).toBeVisible();
  await expect(panel.getByTestId('train-result')).toBeVisible({ timeout: 120_000 });
}

test('train an adapter on a made split; the trained row beats zero-shot on the test split', async ({ page }) => {
  await page.goto('/');
  await openBundle(page);
  const table = page.getByTestId('comparison-table');
  // before training the row says how to get it
  await expect(table.locator('tr[data-method=adapter]')).toContainText('Not trained yet');
  const panel = page.getByTestId('train-panel');
  await expect(panel.getByTestId('variant-problem-ls')).toHaveCount(0);
  await train(page, 8);
  // the curve has one point per epoch (table view of the chart frame lists them)
  await expect(panel.getByTestId('train-result')).toContainText('Trained 8 epochs');
  const curve = page.getByTestId('training-curve');
  await expect(curve.locator('.recharts-line')).toHaveCount(2);
  await curve.getByRole('button', { name: 'Show table' }).click();
  await expect(page.getByTestId('training-curve-table').locator('tbody tr')).toHaveCount(8);
  await curve.getByRole('button', { name: 'Show chart' }).click();
  await panel.getByTestId('train-show').click();
  await expect(page.getByTestId('test-scope-toggle')).toBeChecked();
  await expect(page.getByTestId('test-scope-sizes')).toContainText('120 train · 48 validation · 72 test');
  await expect(page.getByTestId('results-details')).toHaveAttribute('data-method', 'adapter');
  const row = table.locator('tr[data-method=adapter]');
  await expect(row).toHaveClass(/selected/);
  await expect(row.getByTestId('knowledge-badge')).toHaveText('trained; uses class labels + attribute words');
  await expect(row.locator('td[data-metric=accuracy] .sub')).toContainText('n = 72');
  await expect(table.locator('tr[data-method=sage] td[data-metric=accuracy] .sub')).toContainText('n = 72');
  const trained = await wga(page, 'adapter');
  const zeroshot = await wga(page, 'zeroshot');
  console.log(`test split WGA: trained ${trained}%, zero-shot ${zeroshot}%, SAGE ${await wga(page, 'sage')}%`);
  expect(trained).toBeGreaterThan(zeroshot + 10);
  // every results view follows the trained row: the group chart and gallery show it
  await expect(page.getByTestId('group-chart')).toBeVisible();
  // back to all images: the trained row says it is scored on the test split only
  await page.getByTestId('test-scope-toggle').uncheck();
  await expect(table.locator('tr[data-method=adapter]')).toContainText('Scored on the test split only (72 images)');
  await expect(table.locator('tr[data-method=sage] td[data-metric=accuracy] .sub')).toContainText('n = 240');
});

test('cancel stops after the current epoch and keeps the best epoch so far', async ({ page }) => {
  await page.goto('/');
  await openBundle(page, large);
  const panel = page.getByTestId('train-panel');
  await panel.getByTestId('split-made').check();
  await panel.getByLabel('epochs').fill('1000');
  await panel.getByTestId('train-start').click();
  await expect(panel.getByTestId('train-status')).toContainText(/Epoch \d+ of 1000/);
  await panel.getByTestId('train-cancel').click();
  await expect(panel.getByTestId('train-result')).toContainText('Cancelled after');
  await expect(page.getByTestId('comparison-table').locator('tr[data-method=adapter]')).toContainText(
    'Scored on the test split only',
  );
});

for (const theme of ['light', 'projector'] as const) {
  test(`screenshots of the training panel and the test-split table at 1440, 1024 and 390 px (${theme})`, async ({
    page,
  }) => {
    await page.goto('/');
    await page.getByLabel('colour theme').selectOption(theme);
    await openBundle(page);
    await train(page, 6);
    await page.getByTestId('train-panel').getByTestId('train-show').click();
    for (const width of [1440, 1024, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.mouse.move(0, 0);
      const panel = page.getByTestId('train-panel');
      await panel.scrollIntoViewIfNeeded();
      await panel.screenshot({ path: join(ARTIFACTS, `train-panel-${width}-${theme}.png`) });
      // the test-split toggle with its split sizes, and the table under it
      const toggle = page.getByTestId('test-scope');
      await toggle.scrollIntoViewIfNeeded();
      const top = await toggle.boundingBox();
      const table = await page.locator('.comparison-wrap').boundingBox();
      if (!top || !table) throw new Error('the toggle or the table is not on screen');
      const scrolled = await page.evaluate(() => window.scrollY);
      await page.screenshot({
        path: join(ARTIFACTS, `train-table-${width}-${theme}.png`),
        fullPage: true,
        clip: { x: 0, y: scrolled + top.y - 8, width, height: table.y + table.height - top.y + 16 },
      });
    }
  });
}
