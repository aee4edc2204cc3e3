/**
 * Issue 12 §10 and the gallery part of §8: the image drill-down explains each method's choice in a sentence
 * (template texts, chosen class, cosine scores), moves between images with buttons and arrow keys, an empty
 * filter says so in words, and a bundle without thumbnails shows the image ids.
 *
 * The bundle is built by hand so every cosine is known: the 6 text prompts are the unit axes e0…e5, so an
 * image's cosine with prompt (template t, class c) is simply its coordinate 2t + c (a 7th axis makes it unit).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ARTIFACTS } from './explorerFixtures';

const TEMPLATES = ['a tattoo of a {}.', 'a drawing of a {}.', 'a photo of a {}.'];
const CLASSES = ['landbird', 'waterbird'];
/**
 * Cosines per group, template-major: (tattoo: landbird, waterbird), (drawing: …), (photo: …). Zero-shot's
 * template is the last one ("a photo of a {}.", index 2: the default 39 clamped to this 3-template pool).
 * On the minority groups zero-shot is wrong and SAGE's pick (the tattoo template, separation 0.20) is right.
 */
const GROUPS: { class: string; attribute: string; count: number; cosines: number[] }[] = [
  { class: 'landbird', attribute: 'land', count: 6, cosines: [0.4, 0.22, 0.3, 0.25, 0.28, 0.22] },
  { class: 'landbird', attribute: 'water', count: 3, cosines: [0.4, 0.2, 0.26, 0.27, 0.24, 0.26] },
  { class: 'waterbird', attribute: 'land', count: 3, cosines: [0.25, 0.45, 0.3, 0.29, 0.27, 0.25] },
  { class: 'waterbird', attribute: 'water', count: 6, cosines: [0.22, 0.4, 0.25, 0.3, 0.22, 0.28] },
];
const DIM = 7;
const FIRST_WATERBIRD_ON_LAND = 'birds/waterbird/land/000.jpg';

function writeBundle(): string {
  const text = Array.from({ length: TEMPLATES.length * CLASSES.length }, (_, row) =>
    Array.from({ length: DIM }, (_, d) => (d === row ? 1 : 0)),
  );
  const images = GROUPS.flatMap((group) =>
    Array.from({ length: group.count }, (_, i) => {
      // a small per-image shift (none for image 0) so the tiles differ without changing any decision
      const cosines = group.cosines.map((cos, j) => cos + (i === 0 ? 0 : 0.002 * ((i + j) % 3)));
      const rest = Math.sqrt(1 - cosines.reduce((sum, cos) => sum + cos * cos, 0));
      return {
        id: `birds/${group.class}/${group.attribute}/${String(i).padStart(3, '0')}.jpg`,
        class: group.class,
        attribute: group.attribute,
        embedding: [...cosines, rest],
      };
    }),
  );
  const path = join(mkdtempSync(join(tmpdir(), 'sage-detail-')), 'hand-bundle.json');
  writeFileSync(
    path,
    JSON.stringify({
      format: 'sage-embeddings/1',
      model: 'hand-made',
      dim: DIM,
      classes: CLASSES,
      templates: TEMPLATES,
      text,
      images,
    }),
  );
  return path;
}

let bundle: string;
test.beforeAll(() => {
  bundle = writeBundle();
});

async function openBundle(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByTestId('files-input').setInputFiles(bundle);
  await expect(page.getByTestId('results-source')).toContainText('From the embeddings bundle');
  await expect(page.getByTestId('gallery')).toBeVisible();
}

const tile = (page: Page, id: string) => page.getByTestId('gallery').locator(`button[title="${id}"]`);

test('the drill-down explains zero-shot and SAGE in sentences with their templates, choices and cosines', async ({
  page,
}) => {
  await openBundle(page);
  await tile(page, FIRST_WATERBIRD_ON_LAND).click();
  const detail = page.getByTestId('image-detail');
  await expect(detail.getByTestId('detail-id')).toHaveText(FIRST_WATERBIRD_ON_LAND);
  await expect(detail.getByTestId('explain-zeroshot')).toHaveText(
    'Zero-shot used ‘a photo of a {}.’ and chose landbird (cosine 0.270 for landbird vs 0.250 for waterbird). ' +
      'That is wrong: the true class is waterbird.',
  );
  await expect(detail.getByTestId('explain-sage')).toHaveText(
    'SAGE (K = 1) used ‘a tattoo of a {}.’, which separates the classes most for this image (separation 0.200 vs ' +
      '0.020 for zero-shot’s template), and chose waterbird (cosine 0.450 for waterbird vs 0.250 for landbird). ' +
      'That is right.',
  );
  // the other methods, one line each
  await expect(detail.getByTestId('explain-ensemble')).toContainText('Ensemble averaged all 3 templates');
  await expect(detail.getByTestId('explain-random')).toContainText('Random (K = 1) used one template drawn at random');
  // the probability table and the separation column explain their numbers
  await expect(detail.getByTestId('info-probability')).toBeVisible();
  await expect(detail.getByTestId('info-separation')).toBeVisible();
  // zero-shot and SAGE side by side on a wide screen
  const zs = await detail.getByTestId('explain-zeroshot').boundingBox();
  const sage = await detail.getByTestId('explain-sage').boundingBox();
  expect(zs && sage && sage.x > zs.x + zs.width - 1 && Math.abs(sage.y - zs.y) < 40, 'side by side').toBe(true);
});

test('Next, Previous, Close and the arrow keys move through the filtered images; the tile stays in view', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openBundle(page);
  const detail = page.getByTestId('image-detail');
  const id = detail.getByTestId('detail-id');
  await tile(page, 'birds/landbird/land/000.jpg').click();
  await expect(id).toHaveText('birds/landbird/land/000.jpg');
  await expect(detail.getByRole('button', { name: 'Previous image' })).toBeDisabled();
  await detail.getByRole('button', { name: 'Next image' }).click();
  await expect(id).toHaveText('birds/landbird/land/001.jpg');
  await expect(tile(page, 'birds/landbird/land/001.jpg')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(id).toHaveText('birds/landbird/land/002.jpg');
  await page.keyboard.press('ArrowLeft');
  await expect(id).toHaveText('birds/landbird/land/001.jpg');
  await detail.getByRole('button', { name: 'Previous image' }).click();
  await expect(id).toHaveText('birds/landbird/land/000.jpg');
  // zero-shot and SAGE stacked at 390 px
  const zs = await detail.getByTestId('explain-zeroshot').boundingBox();
  const sage = await detail.getByTestId('explain-sage').boundingBox();
  expect(zs && sage && sage.y >= zs.y + zs.height - 1, 'stacked').toBe(true);
  // to the last image: the grid (3 rows tall) scrolls the selected tile into view
  for (let i = 0; i < 17; i++) await page.keyboard.press('ArrowRight');
  await expect(id).toHaveText('birds/waterbird/water/005.jpg');
  await expect(detail.getByRole('button', { name: 'Next image' })).toBeDisabled();
  const grid = await page.getByTestId('gallery').boundingBox();
  const last = await tile(page, 'birds/waterbird/water/005.jpg').boundingBox();
  expect(
    grid && last && last.y >= grid.y - 1 && last.y + last.height <= grid.y + grid.height + 1,
    'the selected tile is inside the grid’s visible area',
  ).toBe(true);
  // the filter order: only wrong ones under SAGE = none; under zero-shot, the 6 minority images
  await page.locator('#gallery-group').selectOption('landbird/water');
  await detail.getByRole('button', { name: 'Next image' }).click();
  await expect(id).toHaveText('birds/landbird/water/000.jpg');
  await detail.getByRole('button', { name: 'Next image' }).click();
  await expect(id).toHaveText('birds/landbird/water/001.jpg');
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);
  await tile(page, 'birds/landbird/water/002.jpg').click();
  await detail.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('image-detail')).toHaveCount(0);
});

test('an empty filter says so in a sentence, and a bundle without thumbnails shows image ids', async ({ page }) => {
  await openBundle(page);
  const gallery = page.getByTestId('gallery');
  // the tiles show the ids (this bundle has no pictures), readable, with the full id in the title
  const first = tile(page, 'birds/landbird/land/000.jpg');
  await expect(first.getByTestId('thumb-id')).toContainText('000.jpg');
  await first.click();
  await expect(page.getByTestId('image-detail').getByTestId('no-thumbnail')).toContainText('No thumbnail is stored');
  await page.locator('#gallery-group').selectOption('landbird/water');
  await page.locator('#gallery-correct').selectOption('wrong');
  await expect(page.getByTestId('gallery-empty')).toHaveText(
    'No images in landbird / water are wrong under SAGE (K = 1). Choose “correct and wrong” to see the correct ones, or another group.',
  );
  await expect(gallery).toHaveCount(0);
  await page.locator('#gallery-correct').selectOption('correct');
  await expect(page.getByTestId('gallery-empty')).toHaveCount(0);
  await expect(gallery.locator('button')).toHaveCount(3);
});

test('screenshots of the drill-down: 1440, 1024 and 390 px, light and projector themes', async ({ page }) => {
  for (const theme of ['light', 'projector'] as const) {
    for (const width of [1440, 1024, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await openBundle(page);
      await page.getByLabel('colour theme').selectOption(theme);
      await tile(page, FIRST_WATERBIRD_ON_LAND).click();
      const gallery = page.locator('#gallery');
      await expect(gallery.getByTestId('explain-sage')).toBeVisible();
      await gallery.screenshot({ path: join(ARTIFACTS, `image-detail-${width}-${theme}.png`) });
    }
  }
});
