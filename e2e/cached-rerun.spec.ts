/**
 * Issue 16 §3: running the example again, with every image and prompt embedding already in this browser's cache,
 * gives the same results without loading the model: no request for a model file, no model load in the worker
 * (the run says so in a note); on a fresh page not even the worker starts. The time is the benchmark's to measure.
 */
import { expect, test, type Page } from '@playwright/test';
import { expectRunFinished } from './explorerFixtures';

async function comparisonRows(page: Page): Promise<string[]> {
  return page.getByTestId('comparison-table').locator('tbody tr').allInnerTexts();
}

test('a re-run of the example with everything cached never loads the model', async ({ page }) => {
  const modelRequests: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.includes('/models/') || path.includes('/ort/')) modelRequests.push(path);
  });
  await page.goto('/?model=local:tiny-clip');
  await page.getByTestId('try-example').click();
  await expect(page.getByTestId('group-matrix')).toBeVisible();
  await expectRunFinished(page, /^Embedded 150 images/, 170_000);
  await expect(page.getByTestId('results-source')).not.toContainText('updating');
  // the first run loaded the model (its files were fetched) and embedded every image
  expect(modelRequests.some((path) => path.endsWith('.onnx'))).toBe(true);
  await expect(page.getByTestId('run-status')).toHaveText(/^Embedded 150 images\.$/);
  const firstRows = await comparisonRows(page);
  expect(firstRows.length).toBeGreaterThan(3);

  modelRequests.length = 0;
  const status = page.getByTestId('run-status');
  const clicked = Date.now();
  await page.getByTestId('run-button').click();
  await expect(status).toHaveText('Embedded 150 images, 150 from the cache.', { timeout: 60_000 });
  const seconds = (Date.now() - clicked) / 1000;
  await expect(page.getByTestId('results-source')).not.toContainText('updating');
  console.log(`[cached-rerun] second run of the 150-image example: results after ${seconds.toFixed(2)} s`);

  await expect(page.locator('.run-panel .note')).toContainText([
    "Every image and prompt embedding came from this browser's cache, so the model was not loaded.",
  ]);
  await expect(page.getByTestId('run-error')).toHaveCount(0);
  // nothing of the model, the tokenizer or ONNX Runtime was asked for
  expect(modelRequests).toEqual([]);
  expect(await comparisonRows(page)).toEqual(firstRows);

  // a fresh page of the same browser (same cache): the cache is checked on the page itself, so the CLIP worker
  // (and with it transformers.js, ORT and any model session) is never started (npm run bench times it)
  const fresh = await page.context().newPage();
  const freshRequests: string[] = [];
  fresh.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.includes('/models/') || path.includes('/ort/')) freshRequests.push(path);
  });
  await fresh.goto('/?model=local:tiny-clip');
  await fresh.getByTestId('try-example').click();
  await expect(fresh.getByTestId('run-status')).toHaveText('Embedded 150 images, 150 from the cache.', {
    timeout: 120_000,
  });
  expect(await comparisonRows(fresh)).toEqual(firstRows);
  expect(freshRequests).toEqual([]);
  expect(fresh.workers().map((worker) => worker.url())).toEqual([]);
  const workerMarks = await fresh.evaluate(() => performance.getEntriesByName('sage-run: worker created').length);
  expect(workerMarks).toBe(0);
});
