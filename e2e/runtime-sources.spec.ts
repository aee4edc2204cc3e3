/**
 * Model sources in the real app (issue 4 §3): a model folder picked from disk runs with no server copy, and a
 * model that cannot be loaded says which file, from where, and what to do.
 */
import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { ensureTinyModel, fixtureImageFolder, TINY } from './tinyModelFixtures';

let folder: string;

test.beforeAll(() => {
  ensureTinyModel();
  folder = fixtureImageFolder('sage-e2e-sources-', [
    ['waterbird/water/a.jpg', 'landscape.jpg'],
    ['landbird/land/c.png', 'gray.png'],
  ]);
});

/** Opens the app with the fixture folder as its dataset; returns the app's models/ requests, filled as they happen. */
async function openWithDataset(page: Page): Promise<string[]> {
  const modelRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/models/')) modelRequests.push(request.url());
  });
  await page.goto('/');
  await page.getByTestId('folder-input').setInputFiles(folder);
  await expect(page.getByTestId('group-matrix')).toBeVisible();
  return modelRequests;
}

test('a model folder picked from disk loads and runs, without fetching models/ from the app', async ({ page }) => {
  const modelRequests = await openWithDataset(page);
  await page.getByTestId('model-folder-input').setInputFiles(TINY);
  await expect(page.locator('#model-select option:checked')).toHaveText('Model folder from disk: tiny-clip');
  // the folder holds q8, fp16 and fp32 weights: the default precision on WASM (q8) is kept
  await expect(page.locator('#dtype-select')).toHaveValue('q8');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText(/^Embedded 2 images/, { timeout: 120_000 });
  await expect(page.getByTestId('runtime')).toContainText(/Backend wasm · q8 · \d+ threads?/);
  expect(modelRequests).toEqual([]);
});

test('model files dropped onto the model chooser load and run, without fetching models/ from the app', async ({
  page,
}) => {
  const modelRequests = await openWithDataset(page);
  // a real drop event: the files (loose, the ONNX ones without their onnx/ folder) go into a DataTransfer
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.id = 'e2e-model-files';
    document.body.append(input);
  });
  const names = [
    'config.json',
    'tokenizer.json',
    'tokenizer_config.json',
    'preprocessor_config.json',
    'onnx/vision_model.onnx',
    'onnx/text_model.onnx',
  ];
  await page.locator('#e2e-model-files').setInputFiles(names.map((name) => join(TINY, name)));
  await page.evaluate(() => {
    const input = document.getElementById('e2e-model-files') as HTMLInputElement;
    const transfer = new DataTransfer();
    for (const file of Array.from(input.files ?? [])) transfer.items.add(file);
    const target = document.querySelector('[data-testid=model-chooser]');
    target?.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    target?.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  });
  await expect(page.locator('#model-select option:checked')).toHaveText('Model folder from disk: dropped-model');
  // only the fp32 files were dropped: the chooser switches to a precision the folder has
  await expect(page.locator('#dtype-select')).toHaveValue('fp32');
  // the dataset stays as it was: the drop went to the model, not to the data drop zone
  await expect(page.getByTestId('group-matrix')).toBeVisible();
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText(/^Embedded 2 images/, { timeout: 120_000 });
  expect(modelRequests).toEqual([]);
});

test('a dropped folder that is not a model says what is missing', async ({ page }) => {
  await openWithDataset(page);
  await page.evaluate(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['{}'], 'config.json', { type: 'application/json' }));
    const target = document.querySelector('[data-testid=model-chooser]');
    target?.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  });
  await expect(page.getByTestId('model-folder-error')).toContainText(
    'missing tokenizer.json, preprocessor_config.json',
  );
});

test('a served model folder that does not exist: the error names the file, its URL and what to do', async ({
  page,
}) => {
  await openWithDataset(page);
  await page.locator('#model-select').selectOption('local');
  await page.locator('#local-model-name').fill('no-such-model');
  await page.getByTestId('run-button').click();
  const error = page.getByTestId('run-error');
  await expect(error).toContainText(
    /could not load model file [\w/.]+\.json from http:\/\/127\.0\.0\.1:\d+\/models\/no-such-model\/[\w/.]+\.json/,
    {
      timeout: 60_000,
    },
  );
  await expect(error).toContainText('choose "local folder", or drop the model folder onto the page');
});

test('while a model loads, progress shows bytes for the current file and in total', async ({ page }) => {
  await openWithDataset(page);
  // hold the vision tower back so the loading state stays on screen (released once the test has seen it)
  let release!: () => void;
  const released = new Promise<void>((done) => (release = done));
  await page.route('**/models/tiny-clip/onnx/vision_model.onnx', async (route) => {
    if (route.request().headers().range) return route.continue();
    await released;
    await route.continue();
  });
  await page.locator('#model-select').selectOption('local');
  await page.locator('#local-model-name').fill('tiny-clip');
  await page.getByTestId('run-button').click();
  const status = page.getByTestId('run-status');
  // text_model.onnx is 6.2 MB: its own bytes and the running total are both shown
  await expect(status).toContainText(
    /Loading the model: [\d.]+ MB of [\d.]+ MB \(onnx\/text_model\.onnx: 6\.2 MB of 6\.2 MB\)/,
    { timeout: 60_000 },
  );
  release();
  await expect(status).toHaveText(/^Embedded 2 images/, { timeout: 120_000 });
});
