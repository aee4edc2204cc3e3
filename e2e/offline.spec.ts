/**
 * Going offline after the first visit (issue 7, faults): a hub model downloaded once is kept by
 * transformers.js in Cache Storage, so with the network gone the model loads again from there and the run
 * works. The "hub" here is the tiny synthetic CLIP served by a route on https://huggingface.co (there is no
 * hub access on this machine); after the first run every hub request is refused and recorded.
 */
import { expect, test } from '@playwright/test';
import { makeImageFolder } from './explorerFixtures';
import { serveTinyModelAsHub } from './tinyModelFixtures';

const HUB_ID = 'sage/tiny-clip';
const HUB_PREFIX = `https://huggingface.co/${HUB_ID}/resolve/main/`;

test('after a first run, a cached hub model still loads and runs with the network gone', async ({ page, context }) => {
  const folder = await makeImageFolder('offline');
  const hubHits: string[] = [];
  await serveTinyModelAsHub(context, HUB_ID, (url) => hubHits.push(url));

  await page.goto('/?model=sage/tiny-clip');
  await page.getByTestId('folder-input').setInputFiles(folder);
  await page.locator('#dtype-select').selectOption('fp32');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toContainText('Embedded 24 images', { timeout: 150_000 });
  expect(hubHits.some((url) => url.endsWith('onnx/vision_model.onnx'))).toBe(true);
  const cached = await page.evaluate(async () =>
    (await (await caches.open('transformers-cache')).keys()).map((r) => r.url),
  );
  expect(cached).toContain(`${HUB_PREFIX}onnx/vision_model.onnx`);

  // the network goes away: the hub refuses everything, and so does the app's own origin
  await context.unrouteAll();
  const offlineHits: string[] = [];
  await context.route('https://huggingface.co/**', (route) => {
    offlineHits.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  await context.setOffline(true);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('Embedded 24 images, 24 from the cache.', {
    timeout: 150_000,
  });
  await expect(page.getByTestId('run-error')).toHaveCount(0);
  expect(offlineHits).toEqual([]);
  await context.setOffline(false);
});

test.describe('a second visit with no network at all', () => {
  test.use({ serviceWorkers: 'allow' });

  test('the app reopens from its service worker, and the cached model and embeddings run again', async ({
    page,
    context,
  }) => {
    const folder = await makeImageFolder('offline-visit');
    const hubHits: string[] = [];
    await serveTinyModelAsHub(context, HUB_ID, (url) => hubHits.push(url));
    await page.goto('/?model=sage/tiny-clip');
    // the worker must control the page before the run, so the worker chunk and ORT's WASM pass through it
    await expect
      .poll(async () => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 30_000 })
      .toBe(true);
    await page.getByTestId('folder-input').setInputFiles(folder);
    await page.locator('#dtype-select').selectOption('fp32');
    await page.getByTestId('run-button').click();
    await expect(page.getByTestId('run-status')).toContainText('Embedded 24 images', { timeout: 150_000 });

    await context.unrouteAll();
    await context.route('https://huggingface.co/**', (route) => route.abort('internetdisconnected'));
    await context.setOffline(true);
    try {
      await page.reload();
      await expect(page.getByRole('heading', { name: 'SAGE Explorer' })).toBeVisible();
      await page.getByTestId('folder-input').setInputFiles(folder);
      await page.locator('#dtype-select').selectOption('fp32');
      await page.getByTestId('run-button').click();
      await expect(page.getByTestId('run-status')).toHaveText('Embedded 24 images, 24 from the cache.', {
        timeout: 150_000,
      });
      await expect(page.getByTestId('run-error')).toHaveCount(0);
    } finally {
      await context.setOffline(false);
    }
  });
});
