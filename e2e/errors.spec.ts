/**
 * Issue 13 §3 and §6, errors in users' words and the run cues: a failed model load is a short headline with
 * details on demand and Retry for downloads; a mistyped served model name says so (not a JSON parse error of
 * the server's index.html); a model folder dropped on the main drop zone is offered as the model; every bad
 * file in a drop is reported; an empty class string keeps Run disabled with its reason beside it; after data is
 * chosen a pinned button leads to Run, and results that arrive off screen raise "Results ready".
 * Screenshots of the error views at 1440, 1024 and 390 px and in the projector theme go to e2e/artifacts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ARTIFACTS, ROOT } from './explorerFixtures';
import { ensureTinyModel, fixtureImageFolder, serveTinyModelAsHub, TINY } from './tinyModelFixtures';

const HUB_ID = 'test-org/tiny-clip';
let folder: string;
let badBundle: string;
let notes: string;

test.beforeAll(() => {
  ensureTinyModel();
  folder = fixtureImageFolder('sage-e2e-errors-', [
    ['waterbird/water/a.jpg', 'landscape.jpg'],
    ['waterbird/land/b.jpg', 'landscape.jpg'],
    ['landbird/land/c.png', 'gray.png'],
    ['landbird/water/d.png', 'gray.png'],
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'sage-e2e-bad-drop-'));
  const good = join(dir, 'good-bundle.json');
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'e2e', 'resultsChartsBundle.ts'), good, 'tiny'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const bundle = JSON.parse(readFileSync(good, 'utf8')) as Record<string, unknown>;
  delete bundle.model;
  badBundle = join(dir, 'no-model-bundle.json');
  writeFileSync(badBundle, JSON.stringify(bundle));
  notes = join(dir, 'notes.txt');
  writeFileSync(notes, 'my notes about the birds');
});

async function openWithDataset(page: Page, path = '/'): Promise<void> {
  await page.goto(path);
  await page.getByTestId('folder-input').setInputFiles(folder);
  await expect(page.getByTestId('group-matrix')).toBeVisible();
}

async function chooseLocalModel(page: Page, name: string): Promise<void> {
  await page.locator('#model-select').selectOption('local');
  await page.locator('#local-model-name').fill(name);
}

test('a mistyped served model name says "No model named X at models/X/", with the technical text under Details', async ({
  page,
}) => {
  await openWithDataset(page);
  await chooseLocalModel(page, 'tiny-clpi');
  await page.getByTestId('run-button').click();
  const headline = page.getByTestId('run-error-headline');
  await expect(headline).toHaveText('No model named "tiny-clpi" at models/tiny-clpi/.', { timeout: 60_000 });
  const error = page.getByTestId('run-error');
  // the server's index.html is not parsed as JSON any more
  await expect(error).not.toContainText('Unexpected token');
  await expect(error).not.toContainText('doctype');
  // no Retry for a name that does not exist; the URL is there, but only under Details
  await expect(page.getByTestId('run-retry')).toHaveCount(0);
  const details = error.locator('details');
  await expect(details).not.toHaveAttribute('open', '');
  await expect(details.locator('.run-failure-raw')).toBeHidden();
  await details.locator('summary').click();
  await expect(details.locator('.run-failure-raw')).toContainText('/models/tiny-clpi/');
});

test('a download that fails offers Retry, and Retry runs once the network is back', async ({ page }) => {
  // offline: every request to the hub fails
  await page.route('https://huggingface.co/**', (route) => route.abort('internetdisconnected'));
  await openWithDataset(page, `/?model=${HUB_ID}`);
  await page.getByTestId('run-button').click();
  const headline = page.getByTestId('run-error-headline');
  await expect(headline).toContainText(`Could not download the model ${HUB_ID}`, { timeout: 90_000 });
  // a short headline: no URL, no attempt count, no library names
  const text = (await headline.textContent()) ?? '';
  expect(text).not.toMatch(/https?:|attempts|transformers\.js/);
  expect(text.length).toBeLessThan(140);
  await expect(page.getByTestId('run-error').locator('.run-failure-raw')).toBeHidden();
  await page.unroute('https://huggingface.co/**');
  await serveTinyModelAsHub(page, HUB_ID);
  await page.getByTestId('run-retry').click();
  await expect(page.getByTestId('run-status')).toHaveText(/^Embedded 4 images/, { timeout: 120_000 });
  await expect(page.getByTestId('run-error')).toHaveCount(0);
});

test('a model folder dropped on the main drop zone is offered as the model, not listed as files that are not images', async ({
  page,
}) => {
  await openWithDataset(page);
  await page.getByTestId('folder-input').setInputFiles(TINY);
  const offer = page.getByTestId('model-folder-offer');
  await expect(offer).toContainText('tiny-clip holds a CLIP model');
  // nothing of the model folder went into the dataset or its skipped list
  await expect(page.getByTestId('skipped-list')).toHaveCount(0);
  await expect(page.getByTestId('dropzone')).not.toContainText('not an image');
  await offer.getByRole('button', { name: 'Use tiny-clip as the model' }).click();
  await expect(page.locator('#model-select option:checked')).toHaveText('Model folder from disk: tiny-clip');
  await expect(page.getByTestId('dropzone')).toContainText('Model folder "tiny-clip" chosen as the model');
  await expect(page.getByTestId('group-matrix')).toBeVisible();
});

test('model files dropped loose on the main drop zone are recognised too', async ({ page }) => {
  await openWithDataset(page);
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.id = 'e2e-model-files';
    document.body.append(input);
  });
  const names = ['config.json', 'tokenizer.json', 'preprocessor_config.json', 'onnx/vision_model.onnx'];
  await page.locator('#e2e-model-files').setInputFiles(names.map((name) => join(TINY, name)));
  await page.evaluate(() => {
    const input = document.getElementById('e2e-model-files') as HTMLInputElement;
    const transfer = new DataTransfer();
    for (const file of Array.from(input.files ?? [])) transfer.items.add(file);
    const target = document.querySelector('[data-testid=dropzone]');
    target?.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  });
  await expect(page.getByTestId('model-folder-offer')).toBeVisible();
});

test('an invalid bundle dropped with another bad file: both are reported, the bundle field in words', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByTestId('files-input').setInputFiles([badBundle, notes]);
  const zone = page.getByTestId('dropzone');
  await expect(zone).toContainText('no-model-bundle.json');
  await expect(zone).toContainText('model name');
  await expect(zone).not.toContainText('undefined');
  const notUsed = page.getByTestId('drop-not-used');
  await expect(notUsed).toContainText('notes.txt');
  await expect(notUsed).toContainText('Also dropped, not used (1)');
});

test('an empty class string keeps Run disabled with the reason beside it, naming the class in words', async ({
  page,
}) => {
  await openWithDataset(page);
  const run = page.getByTestId('run-button');
  await expect(run).toBeEnabled();
  await page.locator('#class-text-1').fill('');
  await expect(run).toBeDisabled();
  const reason = page.getByTestId('run-blocked');
  await expect(reason).toHaveText('Class 2 (folder waterbird) is empty: type the word(s) the templates should use.');
  await expect(run).toHaveAttribute('aria-describedby', 'run-blocked');
  // indices are never shown to the user
  await expect(page.locator('main')).not.toContainText('classes[');
  // a duplicate names the class it repeats, by its string
  await page.locator('#class-text-1').fill('landbird');
  await expect(reason).toHaveText('Class 2 ("landbird") is the same as class 1 ("landbird"): each needs its own text.');
  await page.locator('#class-text-1').fill('waterbird');
  await expect(run).toBeEnabled();
  await expect(reason).toHaveCount(0);
});

test('after data is chosen a pinned button leads to Run; results that arrive off screen raise "Results ready"', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1024, height: 600 });
  await openWithDataset(page);
  const run = page.getByTestId('run-button');
  await expect(run).not.toBeInViewport();
  const pin = page.getByTestId('run-pin');
  await expect(pin).toContainText('4 images ready');
  await pin.click();
  await expect(run).toBeInViewport();
  await expect(run).toBeFocused();
  await expect(pin).toHaveCount(0);
  await chooseLocalModel(page, 'tiny-clip');
  await run.click();
  // the user reads the dataset while it runs: the page must stay where they are
  await page.evaluate(() => window.scrollTo(0, 0));
  const cue = page.getByTestId('results-ready');
  await expect(cue).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('run-status')).toHaveText(/^Embedded/);
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await cue.click();
  await expect(page.locator('#results-heading')).toBeInViewport();
  await expect(page.locator('#results-heading')).toBeFocused();
  await expect(cue).toHaveCount(0);

  // a short window over a results section many times its height: scrolling into the middle of the results by
  // hand retires the cue (a share-of-area threshold never fired there, and the cue covered the results)
  const resultsHeight = await page.evaluate(
    () => document.getElementById('results')?.getBoundingClientRect().height ?? 0,
  );
  const windowHeight = Math.max(120, Math.floor(resultsHeight * 0.04));
  expect(windowHeight / resultsHeight).toBeLessThan(0.05);
  await page.setViewportSize({ width: 1024, height: windowHeight });
  await run.click();
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(cue).toBeVisible({ timeout: 120_000 });
  await page.locator('#k-slider').scrollIntoViewIfNeeded();
  await expect(cue).toHaveCount(0);
});

test('screenshots of the error views at 1440, 1024 and 390 px and in the projector theme', async ({ page }) => {
  await openWithDataset(page);
  await chooseLocalModel(page, 'tiny-clpi');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-error-headline')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('run-error').locator('summary').click();
  const shots: [number, 'light' | 'projector'][] = [
    [1440, 'light'],
    [1024, 'light'],
    [390, 'light'],
    [1024, 'projector'],
  ];
  for (const [width, theme] of shots) {
    await page.getByLabel('colour theme').selectOption(theme);
    await page.setViewportSize({ width, height: 900 });
    await page.locator('#run').screenshot({ path: join(ARTIFACTS, `error-model-${width}-${theme}.png`) });
  }
  await page.setViewportSize({ width: 1024, height: 900 });
  await page.getByLabel('colour theme').selectOption('light');
  await page.locator('#class-text-1').fill('');
  await page.locator('#run .button-row').first().scrollIntoViewIfNeeded();
  for (const [width, theme] of shots) {
    await page.getByLabel('colour theme').selectOption(theme);
    await page.setViewportSize({ width, height: 900 });
    await page.locator('#run').screenshot({ path: join(ARTIFACTS, `error-run-blocked-${width}-${theme}.png`) });
  }
  await page.goto('/');
  await page.getByTestId('files-input').setInputFiles([badBundle, notes]);
  await expect(page.getByTestId('drop-not-used')).toBeVisible();
  for (const [width, theme] of shots) {
    await page.getByLabel('colour theme').selectOption(theme);
    await page.setViewportSize({ width, height: 900 });
    await page.getByTestId('dropzone').screenshot({ path: join(ARTIFACTS, `error-drop-${width}-${theme}.png`) });
  }
});
