/**
 * Issue 13 §5, runs side by side: the example run at fp32, then again at q8 on the same images, gives a table
 * with one column per run whose WGA is what each run's own comparison table showed; removing a run hides it.
 * Screenshots at 1440, 1024 and 390 px and in the projector theme go to e2e/artifacts (compare-runs-*.png).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ARTIFACTS, expectRunFinished, setK } from './explorerFixtures';

/** Every method row with numbers in the comparison table: method → its WGA as shown. */
async function tableWga(page: Page): Promise<Map<string, string>> {
  const rows = page.locator('[data-testid=comparison-table] tbody tr:not([data-unavailable])');
  const wga = new Map<string, string>();
  for (const row of await rows.all()) {
    const method = await row.getAttribute('data-method');
    if (method) wga.set(method, ((await row.locator('td[data-metric=wga] strong').textContent()) ?? '').trim());
  }
  return wga;
}

/** The runs-compared table's WGA for each method, per run column (in column order). */
async function comparedWga(page: Page, column: number): Promise<Map<string, string>> {
  const rows = page.locator('[data-testid=run-comparison] tbody tr');
  const wga = new Map<string, string>();
  for (const row of await rows.all()) {
    const method = await row.getAttribute('data-run-method');
    const cell = row.locator('td[data-run]').nth(column);
    if (method) wga.set(method, ((await cell.getByTestId('run-wga').textContent()) ?? '').trim());
  }
  return wga;
}

test('two runs compared: fp32 then q8 on the example, one column each; removing one hides the table', async ({
  page,
}) => {
  test.setTimeout(600_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto('/?model=local:tiny-clip');
  await page.getByTestId('try-example').click();
  await expect(page.locator('#dtype-select')).toHaveValue('fp32');
  await expectRunFinished(page, /^Embedded/, 300_000);
  await expect(page.getByTestId('results-source')).not.toContainText('updating');
  const fp32 = await tableWga(page);
  expect(fp32.size).toBeGreaterThanOrEqual(4);

  // one run kept: the hint says how to get a second
  const hint = page.getByTestId('run-comparison-hint');
  await expect(hint).toContainText('Run again with another model or precision');
  await expect(hint).toContainText('tiny-clip · fp32');
  await expect(page.getByTestId('run-comparison')).toHaveCount(0);
  await hint.screenshot({ path: join(ARTIFACTS, 'compare-runs-hint-1440.png') });

  await page.locator('#dtype-select').selectOption('q8');
  await page.getByTestId('run-button').click();
  // the table appears when the second run finishes
  const compared = page.getByTestId('run-comparison');
  await expect(compared).toBeVisible({ timeout: 300_000 });
  await expectRunFinished(page, /^Embedded/, 300_000);
  await expect(page.getByTestId('runtime')).toContainText('q8');
  const q8 = await tableWga(page);

  const heads = compared.locator('thead th.run-head');
  await expect(heads).toHaveCount(2);
  await expect(heads.nth(0).getByTestId('run-name')).toHaveText('tiny-clip · fp32');
  await expect(heads.nth(1).getByTestId('run-name')).toHaveText('tiny-clip · q8');
  await expect(compared.locator('thead th.delta-head')).toContainText('Δ WGA, run B − run A');
  expect(await comparedWga(page, 0)).toEqual(fp32);
  expect(await comparedWga(page, 1)).toEqual(q8);
  // same images: no caveat
  await expect(page.getByTestId('run-comparison-note')).toHaveCount(0);
  await expect(heads.nth(1).getByTestId('run-on-screen')).toBeVisible();
  await expect(heads.nth(0).getByTestId('run-on-screen')).toHaveCount(0);
  // a row whose WGA differs marks the better run in words
  const differing = [...fp32].filter(([method, value]) => q8.get(method) !== value);
  for (const [method, value] of differing) {
    const better = parseFloat(value) > parseFloat(q8.get(method) ?? '') ? 0 : 1;
    await expect(
      compared.locator(`tr[data-run-method=${method}] td[data-run]`).nth(better).getByTestId('best-mark'),
    ).toHaveText(/best/);
  }
  // per group: n beside each accuracy
  await page.locator('#run-group-method').selectOption('zeroshot');
  const groups = page.getByTestId('run-comparison-groups');
  await expect(groups.locator('tbody tr')).toHaveCount(4);
  await expect(groups.locator('tbody tr').first().locator('td').first()).toContainText(/\d+ right of n = \d+/);

  const section = page.locator('.run-comparison');
  await section.scrollIntoViewIfNeeded();
  for (const width of [1440, 1024, 390]) {
    await page.setViewportSize({ width, height: 1000 });
    await section.screenshot({ path: join(ARTIFACTS, `compare-runs-${width}.png`) });
  }
  // at 390 px the table scrolls within itself and the method column stays in view
  const wrap = section.locator('.run-comparison-wrap').first();
  expect(await wrap.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  await wrap.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
  const methodCell = compared.locator('tbody th').first();
  const box = await methodCell.boundingBox();
  const wrapBox = await wrap.boundingBox();
  expect(box && wrapBox && Math.abs(box.x - wrapBox.x) < 2).toBe(true);
  await section.screenshot({ path: join(ARTIFACTS, 'compare-runs-390-scrolled.png') });
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.getByLabel('colour theme').selectOption('projector');
  await section.screenshot({ path: join(ARTIFACTS, 'compare-runs-projector.png') });
  await page.getByLabel('colour theme').selectOption('light');

  // K: the column of the results on screen follows the slider, the other keeps its K, and the note says so
  await setK(page, 3);
  const sageAtK3 = (await tableWga(page)).get('sage');
  await expect.poll(async () => (await comparedWga(page, 1)).get('sage'), { timeout: 30_000 }).toBe(sageAtK3);
  expect((await comparedWga(page, 0)).get('sage')).toBe(fp32.get('sage'));
  await expect(page.getByTestId('run-comparison-note')).toContainText(
    'K = 1 in “tiny-clip · fp32”, K = 3 in “tiny-clip · q8”',
  );
  await setK(page, 1);
  await expect(page.getByTestId('run-comparison-note')).toHaveCount(0, { timeout: 30_000 });

  // the runs as CSV: one row per run, method and group (4 groups), each run's precision on its rows
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-runs-csv').click()]);
  const csv = readFileSync((await download.path()) ?? '', 'utf8')
    .trim()
    .split('\r\n');
  expect(csv[0].split(',').slice(-5)).toEqual(['app', 'model', 'dtype', 'backend', 'date']);
  expect(csv).toHaveLength(1 + 4 * (fp32.size + q8.size));
  expect(csv.filter((line) => line.startsWith('B,tiny-clip · q8,') && line.includes(',q8,'))).toHaveLength(4 * q8.size);

  // rename run A
  await heads
    .nth(0)
    .getByRole('button', { name: /^Rename run A/ })
    .click();
  const field = page.getByLabel('New name for run A');
  await field.fill('baseline (fp32)');
  await field.press('Enter');
  await expect(heads.nth(0).getByTestId('run-name')).toHaveText('baseline (fp32)');

  // remove run B: one run left, the table goes and the hint is back
  await heads.nth(1).getByTestId('remove-run').click();
  await expect(compared).toHaveCount(0);
  await expect(hint).toContainText('baseline (fp32)');
});
