/**
 * Model sources in the real app (issue 4 §3): a model folder picked from disk runs with no server copy, and a
 * model that cannot be loaded says which file, from where, and what to do.
 */
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = join(ROOT, 'src/model/fixtures');
const TINY = join(ROOT, 'models/tiny-clip');
let folder: string;

test.beforeAll(() => {
  if (!existsSync(join(TINY, 'onnx/vision_model.onnx'))) {
    execFileSync('npm', ['run', 'models:synth', '--', '--size', 'tiny'], { cwd: ROOT, stdio: 'inherit' });
  }
  folder = join(mkdtempSync(join(tmpdir(), 'sage-e2e-sources-')), 'birds');
  for (const [path, file] of [
    ['waterbird/water/a.jpg', 'landscape.jpg'],
    ['landbird/land/c.png', 'gray.png'],
  ]) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    copyFileSync(join(FIXTURES, file), join(folder, path));
  }
});

test('a model folder picked from disk loads and runs, without fetching models/ from the app', async ({ page }) => {
  const modelRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/models/')) modelRequests.push(request.url());
  });
  await page.goto('/');
  await page.getByTestId('folder-input').setInputFiles(folder);
  await expect(page.getByTestId('group-matrix')).toBeVisible();
  await page.getByTestId('model-folder-input').setInputFiles(TINY);
  await expect(page.locator('#model-select option:checked')).toHaveText('Model folder from disk: tiny-clip');
  // the folder holds fp32 weights only; the chooser switches to a precision it has
  await expect(page.locator('#dtype-select')).toHaveValue('fp32');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText(/^Embedded 2 images/, { timeout: 120_000 });
  await expect(page.getByTestId('runtime')).toContainText(/Backend wasm · fp32 · \d+ threads?/);
  expect(modelRequests).toEqual([]);
});

test('a served model folder that does not exist: the error names the file, its URL and what to do', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('folder-input').setInputFiles(folder);
  await expect(page.getByTestId('group-matrix')).toBeVisible();
  await page.locator('#model-select').selectOption('local');
  await page.locator('#local-model-name').fill('no-such-model');
  await page.getByTestId('run-button').click();
  const error = page.getByTestId('run-error');
  await expect(error).toContainText(/could not load model file [\w/.]+\.json from http:\/\/127\.0\.0\.1:\d+\/models\/no-such-model\/[\w/.]+\.json/, {
    timeout: 60_000,
  });
  await expect(error).toContainText('choose "local folder", or drop the model folder onto the page');
});

test('while a model loads, progress shows bytes for the current file and in total', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('folder-input').setInputFiles(folder);
  await expect(page.getByTestId('group-matrix')).toBeVisible();
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
  await expect(status).toContainText(/Loading the model: [\d.]+ MB of [\d.]+ MB \(onnx\/text_model\.onnx: 6\.2 MB of 6\.2 MB\)/, { timeout: 60_000 });
  release();
  await expect(status).toHaveText(/^Embedded 2 images/, { timeout: 120_000 });
});

