/**
 * "Check this machine" (issue 16 §5) with the tiny synthetic CLIP at fp32, fp16 and q8 on WASM (no GPU here):
 * the check times each precision on the user's images, says how close each stays to full precision, recommends
 * one, applies it to the settings, and the exported report records the figures and the choice.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARTIFACTS, expectRunFinished, makeImageFolder } from './explorerFixtures';

async function download(page: Page, click: () => Promise<void>): Promise<string> {
  const pending = page.waitForEvent('download');
  await click();
  const file = await pending;
  const path = join(mkdtempSync(join(tmpdir(), 'sage-dl-')), file.suggestedFilename());
  await file.saveAs(path);
  return path;
}

interface ReportCheck {
  model: string;
  rows: { backend: string; dtype: string; imagesPerSecond: number | null; fidelity: number | null }[];
  recommended: { backend: string; dtype: string } | null;
  applied: boolean;
}

test('the check recommends a backend and precision, applies it, and the report records it', async ({ page }) => {
  const folder = await makeImageFolder('machine-check');
  await page.goto('/?model=local:tiny-clip');
  await page.getByTestId('folder-input').setInputFiles(folder);
  await expect(page.getByTestId('group-matrix')).toBeVisible();
  await page.locator('#dtype-select').selectOption('fp32');

  const panel = page.getByTestId('machine-check');
  await panel.locator('summary').click();
  await page.getByTestId('machine-check-run').click();
  await expect(page.getByTestId('machine-check-step')).toContainText(/Try \d of 3/);
  const rows = page.getByTestId('machine-check-row');
  await expect(rows).toHaveCount(3, { timeout: 120_000 });
  await expect(page.getByTestId('machine-check-error')).toHaveCount(0);
  // every number has its words: a speed in images per second, an agreement with full precision
  for (const [i, precision] of ['full precision (fp32)', 'half precision (fp16)', '8-bit (q8)'].entries()) {
    await expect(rows.nth(i)).toContainText('WASM (processor)');
    await expect(rows.nth(i)).toContainText(precision);
    await expect(rows.nth(i)).toContainText(/\d+\.\d images per second/);
    await expect(rows.nth(i)).toContainText(/[01]\.\d{4}: same results/);
  }
  const recommendation = page.getByTestId('machine-check-recommendation');
  await expect(recommendation).toContainText(/^Recommended: WASM \(processor\), /);
  const backend = await recommendation.getAttribute('data-backend');
  const dtype = await recommendation.getAttribute('data-dtype');
  expect(backend).toBe('wasm');
  expect(['fp32', 'fp16', 'q8']).toContain(dtype);
  await expect(page.locator('.machine-check-table tr.recommended')).toHaveCount(1);
  await expect(page.locator('.machine-check-table tr.recommended')).toContainText('recommended');

  for (const width of [1440, 1024, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await panel.screenshot({ path: join(ARTIFACTS, `machine-check-${width}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 720 });

  await page.getByTestId('machine-check-apply').click();
  await expect(recommendation).toContainText('in use: your next run uses it');
  await expect(page.locator('#backend-select')).toHaveValue(backend ?? '');
  await expect(page.locator('#dtype-select')).toHaveValue(dtype ?? '');
  await page.getByLabel('colour theme').selectOption('projector');
  await panel.screenshot({ path: join(ARTIFACTS, 'machine-check-projector.png') });
  await page.getByLabel('colour theme').selectOption('light');

  await page.getByTestId('run-button').click();
  await expectRunFinished(page, /^Embedded/, 150_000);
  await expect(page.getByTestId('runtime')).toContainText(`Backend ${backend} · ${dtype}`);
  const reportPath = await download(page, () => page.getByTestId('export-report').click());
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as {
    machineCheck?: ReportCheck;
    runtime: { dtype: string };
  };
  const check = report.machineCheck;
  if (!check) throw new Error('the report has no machine check');
  expect(check.model).toBe('local:tiny-clip');
  expect(check.recommended).toEqual({ backend, dtype });
  expect(check.applied).toBe(true);
  expect(report.runtime.dtype).toBe(dtype);
  expect(check.rows.map((row) => `${row.backend} ${row.dtype}`)).toEqual(['wasm fp32', 'wasm fp16', 'wasm q8']);
  for (const row of check.rows) {
    expect(row.imagesPerSecond).toBeGreaterThan(0);
    expect(row.fidelity).toBeGreaterThanOrEqual(0.99);
  }
  console.log(
    `[machine-check] ${check.rows.map((r) => `${r.dtype}: ${r.imagesPerSecond?.toFixed(1)} images/s, cosine ${r.fidelity?.toFixed(5)}`).join('; ')} → ${dtype}`,
  );
});
