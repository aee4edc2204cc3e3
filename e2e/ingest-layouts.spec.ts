/**
 * Issue 13 §4, ingest that never guesses wrong: a dropped folder holding one class (landbird/{land,water}/…) is
 * refused with its reason instead of being read as two classes "land" and "water"; a re-tag typed as "Landbird "
 * is matched to the existing class landbird (not a third class), keeps the images' attributes, and can be undone
 * and redone. Screenshots of the single-class message and the undo bar at 1440, 1024 and 390 px and in the
 * projector theme go to e2e/artifacts.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ARTIFACTS, makeImageFolder } from './explorerFixtures';

const SINGLE_CLASS =
  'This folder holds one class, landbird, with attributes land and water. A bias check needs at least two classes: drop the folder that contains landbird and the other classes.';

let birds = '';
test.beforeAll(async () => {
  birds = await makeImageFolder('birds');
});

async function shoot(page: Page, name: string, target: string) {
  for (const width of [1440, 1024, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.getByTestId(target).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}.png`) });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.getByLabel('colour theme').selectOption('projector');
  await page.getByTestId(target).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, `${name}-projector-1440.png`) });
  await page.getByLabel('colour theme').selectOption('light');
}

test('a folder with one class is refused with its reason, and can be re-read as classes', async ({ page }) => {
  // the user picks the landbird folder itself: every path starts with landbird/
  const landbird = join(mkdtempSync(join(tmpdir(), 'sage-single-')), 'landbird');
  cpSync(join(birds, 'landbird'), landbird, { recursive: true });
  await page.goto('/?model=local:tiny-clip');
  await page.getByTestId('folder-input').setInputFiles(landbird);

  const problem = page.getByTestId('single-class');
  await expect(problem).toContainText(SINGLE_CLASS);
  await expect(page.getByRole('heading', { name: 'Your images: 12 in 1 class' })).toBeVisible();
  const matrix = page.getByTestId('group-matrix');
  await expect(matrix.getByRole('button', { name: /^landbird \/ water: 3 images/ })).toBeVisible();
  await expect(page.getByTestId('run-button')).toBeDisabled();
  await expect(page.getByTestId('run-blocked')).toContainText('Only one class (landbird)');
  await shoot(page, 'ingest-single-class', 'single-class');

  // the other reading, one click away and undoable
  await problem.getByRole('button', { name: 'Read land and water as classes' }).click();
  await expect(problem).toBeHidden();
  await expect(matrix.getByRole('button', { name: /^water: 3 images/ })).toBeVisible();
  await expect(page.getByTestId('run-button')).toBeEnabled();
  await page.getByRole('button', { name: 'Undo: read land and water as classes' }).click();
  await expect(problem).toContainText(SINGLE_CLASS);
  await expect(page.getByTestId('run-button')).toBeDisabled();
});

test('re-tag with "Landbird " is matched to landbird, keeps attributes, and is undone and redone', async ({ page }) => {
  await page.goto('/?model=local:tiny-clip');
  await page.getByTestId('folder-input').setInputFiles(birds);
  const matrix = page.getByTestId('group-matrix');
  await expect(matrix.getByRole('button', { name: /^waterbird \/ water: 8 images/ })).toBeVisible();

  await matrix.getByRole('button', { name: /^waterbird \/ water: 8 images/ }).click();
  const grid = page.getByTestId('image-grid');
  await grid.getByRole('button').nth(0).click();
  await grid.getByRole('button').nth(1).click();
  await page.getByLabel('class', { exact: true }).fill('Landbird ');
  await expect(page.getByTestId('retag-suggestion')).toContainText('Did you mean landbird?');
  await page.getByRole('button', { name: 'Re-tag selected' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Done: re-tag 2 images as landbird (attributes kept).' }),
  ).toBeVisible();

  // no third class, and the attribute box left empty kept "water"
  await expect(page.getByRole('heading', { name: 'Your images: 24 in 2 classes' })).toBeVisible();
  await expect(matrix.getByRole('button', { name: /^landbird \/ water: 5 images/ })).toBeVisible();
  await expect(matrix.getByRole('button', { name: /^waterbird \/ water: 6 images/ })).toBeVisible();
  const undo = page.getByRole('button', { name: 'Undo: re-tag 2 images as landbird' });
  await expect(undo).toBeVisible();
  await shoot(page, 'ingest-undo-bar', 'undo-bar');

  // Ctrl+Z outside a text field undoes; the Redo button says what it redoes
  await page.getByRole('heading', { name: /Your images/ }).click();
  await page.keyboard.press('Control+z');
  await expect(matrix.getByRole('button', { name: /^landbird \/ water: 3 images/ })).toBeVisible();
  await expect(matrix.getByRole('button', { name: /^waterbird \/ water: 8 images/ })).toBeVisible();
  await page.getByRole('button', { name: 'Redo: re-tag 2 images as landbird' }).click();
  await expect(matrix.getByRole('button', { name: /^landbird \/ water: 5 images/ })).toBeVisible();
  await page.keyboard.press('Control+z');
  await expect(matrix.getByRole('button', { name: /^landbird \/ water: 3 images/ })).toBeVisible();
  await page.keyboard.press('Control+Shift+z');
  await expect(matrix.getByRole('button', { name: /^landbird \/ water: 5 images/ })).toBeVisible();

  // a class string edit is one undo step, back to the folder name
  const classString = page.getByRole('textbox', { name: 'landbird', exact: true });
  await classString.fill('a land bird');
  await page.getByRole('button', { name: 'Undo: class string of landbird → “a land bird”' }).click();
  await expect(classString).toHaveValue('landbird');
});

test('a drop with no image in it says so', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'sage-noimages-'));
  writeFileSync(join(dir, 'readme.txt'), 'not an image');
  await page.goto('/');
  await page.getByTestId('files-input').setInputFiles(join(dir, 'readme.txt'));
  await expect(page.getByTestId('dropzone').getByRole('status')).toHaveText(
    'No images here: 1 file was found, and it is not an image (see the list below).',
  );
});
