/** Settings a user chooses (theme, backend, batch size) survive a reload; a damaged stored value does not crash. */
import { expect, test } from '@playwright/test';
import { makeImageFolder } from './explorerFixtures';

const STORAGE_KEY = 'sage-explorer-settings';

let folder: string;
test.beforeAll(async () => {
  folder = await makeImageFolder();
});

test('the theme, backend and batch size survive a reload', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('colour theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  // the run settings show once there is a dataset
  await page.getByTestId('folder-input').setInputFiles(folder);
  await page.locator('#backend-select').selectOption('wasm');
  await page.locator('#batch-size').fill('4');

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByLabel('colour theme')).toHaveValue('dark');
  await page.getByTestId('folder-input').setInputFiles(folder);
  await expect(page.locator('#backend-select')).toHaveValue('wasm');
  await expect(page.locator('#batch-size')).toHaveValue('4');
});

test('a damaged or hand-edited stored value falls back to the defaults', async ({ page }) => {
  await page.goto('/');
  await page.evaluate((key) => localStorage.setItem(key, '{"state":{"theme":"dark"'), STORAGE_KEY);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'auto');

  // one bad field costs only itself
  await page.evaluate(
    (key) => localStorage.setItem(key, JSON.stringify({ version: 1, state: { theme: 'projector', batchSize: -3 } })),
    STORAGE_KEY,
  );
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'projector');
  await page.getByTestId('folder-input').setInputFiles(folder);
  await expect(page.locator('#batch-size')).toHaveValue('8');
});
