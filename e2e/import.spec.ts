/**
 * Issue 17 in the app: embeddings made elsewhere (an image .npy + a text .npy for CLIP's 80 templates + a WILDS-style
 * metadata.csv with numeric y/place and a split column) are dropped together, the form maps the columns, and the
 * results equal `sage-explorer analyze` on the same data given as a JSON bundle.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ROOT, TINY_MODEL, analyzeWithCli, cli, expectTableMatchesCli } from './explorerFixtures';

let dir: string;
/** the same layout with 32-dimensional image vectors, the tiny model's size, for the import that embeds prompts */
let dir32: string;

/** The fixture imports the core (JSON modules), which Playwright's loader does not read: run it under tsx. */
function writeFiles(dim: number): string {
  const out = mkdtempSync(join(tmpdir(), 'sage-e2e-import-'));
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'cli', 'importArrays.fixture.ts'), out, String(dim)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out;
}

test.beforeAll(() => {
  dir = writeFiles(8);
  dir32 = writeFiles(32);
});

const WATERBIRDS = [
  '--id-column',
  'img_filename',
  '--class-column',
  'y',
  '--class-names',
  'landbird,waterbird',
  '--attribute-column',
  'place',
  '--attribute-names',
  'land,water',
  '--split-column',
  'split',
  '--split',
  '2',
];

async function mapWaterbirds(page: Page): Promise<void> {
  await page.getByTestId('import-classNames').fill('landbird, waterbird');
  await page.getByTestId('import-attributeNames').fill('land, water');
  await page.getByTestId('import-splitColumn').selectOption('split');
  await page.getByTestId('import-split').fill('2');
  await page.getByTestId('import-submit').click();
}

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

  await mapWaterbirds(page);
  await expect(form).toBeHidden();
  await expect(page.getByTestId('results-source')).toContainText('emb.npy + metadata.csv');
  await expect(page.getByTestId('comparison-table')).toBeVisible();

  const reference = join(dir, 'ref.json');
  expect(analyzeWithCli(reference, 'sage').metrics.n).toBe(24);
  await expectTableMatchesCli(page, reference, 1, ['sage', 'ensemble', 'zeroshot', 'random']);
});

test('without a text array, the chosen model embeds the prompts: the CLI import --model numbers', async ({ page }) => {
  test.setTimeout(400_000);
  const imported = join(dir32, 'imported-model.json');
  cli([
    'import',
    '--images',
    join(dir32, 'emb.npy'),
    '--metadata',
    join(dir32, 'metadata.csv'),
    ...WATERBIRDS,
    '--model',
    TINY_MODEL,
    '--dtype',
    'fp32',
    '--out',
    imported,
  ]);
  await page.goto('/');
  await page.getByTestId('files-input').setInputFiles([join(dir32, 'emb.npy'), join(dir32, 'metadata.csv')]);
  await expect(page.getByTestId('import-textArray')).toHaveValue('');
  // no images yet, so no Run panel: the form offers the model chooser itself
  const form = page.getByTestId('import-form');
  await form.locator('#model-select').selectOption('local');
  await form.locator('#local-model-name').fill('tiny-clip');
  await expect(form.locator('#dtype-select')).toHaveValue('fp32');
  await mapWaterbirds(page);
  await expect(form).toBeHidden({ timeout: 150_000 });
  await expect(page.getByTestId('comparison-table')).toBeVisible();
  await expectTableMatchesCli(page, imported, 1, ['sage', 'ensemble', 'zeroshot', 'random', 'groupprompt']);
});

test('a drop without the metadata table says what is missing', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('files-input').setInputFiles([join(dir, 'emb.npy')]);
  await expect(page.getByTestId('import-error')).toHaveText(
    'Drop the metadata table (.csv or .parquet, one row per row of the image array) together with the embeddings.',
  );
});
