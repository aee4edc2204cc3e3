/**
 * Issue 13 §5: a share link can carry the results. Made on the example with the tiny synthetic CLIP, opened in a
 * fresh context it shows the same WGA per method before anything runs (no model file is even requested); "Run this
 * on the example" runs and gives the same WGA again; a reopened report never asks to drop images.
 */
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { ARTIFACTS, expectRunFinished } from './explorerFixtures';

/** method → the WGA cell's figure, as the comparison table shows it */
async function wgaByMethod(table: Locator): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const row of await table.locator('tbody tr[data-method]').all()) {
    const cell = row.locator('td[data-metric=wga] strong');
    if ((await cell.count()) === 0) continue;
    out[(await row.getAttribute('data-method')) ?? '?'] = (await cell.innerText()).trim();
  }
  return out;
}

async function runExample(page: Page): Promise<void> {
  await page.getByTestId('try-example').click();
  await expectRunFinished(page, /^Embedded/, 240_000);
  await expect(page.getByTestId('results-source')).not.toContainText('updating');
}

test('a link with results shows the numbers at once and runs on the example to the same WGA', async ({
  page,
  browser,
}) => {
  test.setTimeout(600_000);
  await page.goto('/?model=local:tiny-clip');
  await runExample(page);
  const original = await wgaByMethod(page.getByTestId('comparison-table'));
  expect(Object.keys(original)).toContain('zeroshot');
  expect(Object.keys(original)).toContain('sage');

  await page.getByTestId('copy-link-results').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/#c=1\.[\w-]+&r=1\.[\w-]+$/);
  expect(link.length).toBeLessThan(8192);
  const status = page.locator('#share [role=status]');
  // the copy message says what the link carries and how long it is
  await expect(status).toContainText(`(${link.length.toLocaleString('en')} characters)`);
  await expect(status).toContainText('configuration and the results');
  await expect(status).toContainText('built-in example');
  await page.locator('#share').screenshot({ path: join(ARTIFACTS, 'share-bar-with-results-1280.png') });
  await page.setViewportSize({ width: 390, height: 900 });
  await page.locator('#share').screenshot({ path: join(ARTIFACTS, 'share-bar-with-results-390.png') });
  await page.setViewportSize({ width: 1280, height: 720 });

  // the configuration-only link is still the old, short one
  await page.getByTestId('copy-link').click();
  const configOnly = await page.getByTestId('share-link').inputValue();
  expect(configOnly).not.toContain('&r=');
  await expect(status).toContainText('configuration only');

  // a report, for the reopening check below
  const downloading = page.waitForEvent('download');
  await page.getByTestId('export-report').click();
  const reportPath = join(ARTIFACTS, 'share-results-report.json');
  await (await downloading).saveAs(reportPath);

  const other = await browser.newContext();
  const fresh = await other.newPage();
  const modelRequests: string[] = [];
  fresh.on('request', (request) => {
    if (/\/models\/|\.onnx/.test(new URL(request.url()).pathname)) modelRequests.push(request.url());
  });
  await fresh.setViewportSize({ width: 1440, height: 1000 });
  await fresh.goto(link);
  const shared = fresh.getByTestId('link-results');
  await expect(shared).toBeVisible();
  await expect(shared.locator('h2')).toContainText('Results from a shared link (made ');
  await expect(shared.locator('h2')).toContainText('local:tiny-clip fp32): run it yourself to explore');
  expect(await wgaByMethod(shared.getByTestId('comparison-table'))).toEqual(original);
  await expect(shared.getByTestId('results-headline')).toContainText('Zero-shot gets');
  await expect(shared.getByTestId('link-group-table').locator('tbody tr')).toHaveCount(4);
  await expect(fresh.getByTestId('config-banner')).toHaveAttribute('data-origin', 'link-results');
  await expect(fresh.getByTestId('config-banner')).not.toContainText('drop your images');
  // nothing ran: no images, no run panel, no results view, not a single model file fetched
  await expect(fresh.getByTestId('run-status')).toHaveCount(0);
  await expect(fresh.getByTestId('results-source')).toHaveCount(0);
  expect(modelRequests).toEqual([]);

  await fresh.screenshot({ path: join(ARTIFACTS, 'share-link-results-1440.png'), fullPage: true });
  for (const width of [1024, 390]) {
    await fresh.setViewportSize({ width, height: 900 });
    await fresh.screenshot({ path: join(ARTIFACTS, `share-link-results-${width}.png`), fullPage: true });
  }
  const projector = await other.newPage();
  await projector.setViewportSize({ width: 1440, height: 1000 });
  await projector.goto(link.replace('?model=', '?theme=projector&model='));
  await expect(projector.getByTestId('link-results')).toBeVisible();
  await projector.screenshot({ path: join(ARTIFACTS, 'share-link-results-projector.png'), fullPage: true });
  await projector.close();

  // choosing another method in the shared table re-words the headline, as in the results view
  await fresh.setViewportSize({ width: 1440, height: 1000 });
  await shared.locator('tr[data-method=ensemble] input[type=radio]').check();
  await expect(shared.getByTestId('results-headline')).toContainText('Ensemble');

  await fresh.getByTestId('run-on-example').click();
  await expectRunFinished(fresh, /^Embedded/, 240_000);
  await expect(fresh.getByTestId('results-source')).not.toContainText('updating');
  await expect(fresh.getByTestId('link-results')).toHaveCount(0);
  expect(await wgaByMethod(fresh.getByTestId('comparison-table'))).toEqual(original);
  await other.close();

  // a reopened report: its results are there, no call to drop images
  const third = await browser.newContext();
  const reopened = await third.newPage();
  await reopened.goto('/');
  await reopened.getByTestId('files-input').setInputFiles(reportPath);
  await expect(reopened.getByTestId('results-source')).toContainText('From the report');
  const banner = reopened.getByTestId('config-banner');
  await expect(banner).toHaveAttribute('data-origin', 'report');
  await expect(banner).toContainText('Reopened from report');
  await expect(banner).not.toContainText(/drop your images/i);
  await third.close();
});

test('a damaged results part leaves the configuration usable and says why', async ({ page }) => {
  await page.goto('/?model=local:tiny-clip');
  await runExample(page);
  await page.getByTestId('copy-link-results').click();
  const link = await page.getByTestId('share-link').inputValue();
  // one character of the results part changed
  const at = link.length - 8;
  const damaged = link.slice(0, at) + (link[at] === 'A' ? 'B' : 'A') + link.slice(at + 1);
  const fresh = await page.context().newPage();
  await fresh.goto(damaged);
  await expect(fresh.getByTestId('link-results-error')).toContainText(
    'The results in this link could not be read (the results part: link data is damaged',
  );
  await expect(fresh.getByTestId('config-model')).toHaveText('local:tiny-clip');
  await expect(fresh.getByTestId('link-results')).toHaveCount(0);
  await expect(fresh.getByTestId('config-banner')).toContainText('drop your images (or open the example)');
});
