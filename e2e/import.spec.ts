/**
 * Issue 17 in the app: embeddings made elsewhere (an image .npy + a text .npy for CLIP's 80 templates + a WILDS-style
 * metadata.csv with numeric y/place and a split column) are dropped together, the form maps the columns, and the
 * results equal `sage-explorer analyze` on the same data given as a JSON bundle.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ROOT, analyzeWithCli, expectTableMatchesCli } from './explorerFixtures';

let dir: string;

test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sage-e2e-import-'));
  // the fixture imports the core (JSON modules), which Playwright's loader does not read: run it under tsx
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'cli', 'importArrays.fixture.ts'), dir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
});

const files = () => ['emb.npy', 'text.npy', 'metadata.csv'].map((name) => join(dir, name));

test('npy + csv dropped together: map the columns, see the CLI analyze numbers of the same data', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/');
  await page.getByTestId('files-input').setInputFiles(files());
  const form = page.getByTestId('import-form');
  await expect(form).toBeVisible();
  // first guesses from WILDS' column names and the array names
  await expect(page.getByTestId('import-imageArray')).toHaveValue('emb.npy');
  await expect(page.getByTestId('import-textArray')).toHaveValue('text.npy');
  await expect(page.getByTestId('import-idColumn')).toHaveValue('img_filename');
  await expect(page.getByTestId('import-classColumn')).toHaveValue('y');
  await expect(page.getByTestId('import-attributeColumn')).toHaveValue('place');
  await expect(form).toContainText("CLIP's 80 (no templates file dropped)");

  // a class id without a name is named by its row, in the form's words
  await page.getByTestId('import-classNames').fill('landbird');
  await page.getByTestId('import-submit').click();
  await expect(page.getByTestId('import-error')).toHaveText('Class names: at least 2 names are needed, 1 given');

  await page.getByTestId('import-classNames').fill('landbird, waterbird');
  await page.getByTestId('import-attributeNames').fill('land, water');
  await page.getByTestId('import-splitColumn').selectOption('split');
  await page.getByTestId('import-split').fill('2');
  await page.getByTestId('import-submit').click();
  await expect(form).toBeHidden();
  await expect(page.getByTestId('results-source')).toContainText('emb.npy + metadata.csv');
  await expect(page.getByTestId('comparison-table')).toBeVisible();

  const reference = join(dir, 'ref.json');
  expect(analyzeWithCli(reference, 'sage').metrics.n).toBe(24);
  await expectTableMatchesCli(page, reference, 1, ['sage', 'ensemble', 'zeroshot', 'random']);
});

test('a drop without the metadata table says what is missing', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('files-input').setInputFiles([join(dir, 'emb.npy')]);
  await expect(page.getByTestId('import-error')).toHaveText(
    'Drop the metadata table (.csv or .parquet, one row per row of the image array) together with the embeddings.',
  );
});
