/**
 * Caches in the real app (issue 4 §4): the "cached models" panel lists Cache Storage model files with sizes and
 * deletes one model; a second run over the same dropped folder takes every image embedding from IndexedDB.
 * Model files are seeded into Cache Storage directly (no hub here); the run uses the served tiny model.
 */
import { expect, test } from '@playwright/test';
import { ensureTinyModel, fixtureImageFolder } from './tinyModelFixtures';

let folder: string;

test.beforeAll(() => {
  ensureTinyModel();
  folder = fixtureImageFolder('sage-e2e-cache-', [
    ['waterbird/water/a.jpg', 'landscape.jpg'],
    ['waterbird/land/b.png', 'alpha.png'],
    ['landbird/land/c.png', 'gray.png'],
  ]);
});

test('cached models panel lists and deletes model files; a second run re-embeds nothing', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('folder-input').setInputFiles(folder);
  await expect(page.getByTestId('group-matrix')).toBeVisible();

  // what transformers.js stores after hub downloads: responses keyed by the file's hub URL
  await page.evaluate(async () => {
    const cache = await caches.open('transformers-cache');
    const put = (url: string, size: number) =>
      cache.put(url, new Response(new Uint8Array(size), { headers: { 'content-length': String(size) } }));
    await put(
      'https://huggingface.co/Xenova/clip-vit-base-patch32/resolve/main/onnx/vision_model_quantized.onnx',
      1536 * 1024,
    );
    await put(
      'https://huggingface.co/Xenova/clip-vit-base-patch32/resolve/main/onnx/text_model_quantized.onnx',
      512 * 1024,
    );
    await put(
      'https://huggingface.co/Xenova/clip-vit-base-patch16/resolve/main/onnx/vision_model_quantized.onnx',
      1024 * 1024,
    );
  });
  const panel = page.getByTestId('cached-models');
  await panel.locator('summary').click();
  const rows = panel.getByTestId('cached-model');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('Xenova/clip-vit-base-patch32 — 2.0 MB in 2 files');
  await expect(rows.nth(1)).toContainText('Xenova/clip-vit-base-patch16 — 1.0 MB in 1 file');
  await rows.nth(0).getByRole('button', { name: 'Delete' }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.nth(0)).toContainText('clip-vit-base-patch16');
  expect(await page.evaluate(async () => (await (await caches.open('transformers-cache')).keys()).length)).toBe(1);
  await expect(panel).toContainText('0 cached embeddings');

  // first run embeds, the second takes all three images from IndexedDB
  await page.locator('#model-select').selectOption('local');
  await page.locator('#local-model-name').fill('tiny-clip');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText(/^Embedded 3 images\.$/, { timeout: 120_000 });
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('Embedded 3 images, 3 from the cache.', { timeout: 120_000 });

  await panel.getByRole('button', { name: 'Refresh' }).click();
  await expect(panel).toContainText(/[1-9]\d* cached embeddings/);
  await panel.getByRole('button', { name: 'Clear embeddings' }).click();
  await expect(panel).toContainText('0 cached embeddings');
});
