/**
 * Issue 12 §6 and §7 in the app, on the tiny synthetic CLIP:
 * - editing a class string after a run marks the results out of date (banner, greyed numbers), the share link
 *   keeps the setup that produced the numbers and says so, and "Run again" brings them up to date;
 *   view settings (K) never do;
 * - a run streams its images interleaved across groups: the "groups without results yet" sentence appears
 *   after the first batch and goes once every group has images, and a run cancelled right after its first
 *   batch has results for every group;
 * - screenshots of the banner at 1440, 1024 and 390 px in the light and projector themes.
 */
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import {
  ARTIFACTS,
  GROUP_SIZES,
  copyImageFolder,
  expectRunFinished,
  makeImageFolder,
  runSmallFolder,
  setK,
  tableNumbers,
} from './explorerFixtures';

const GROUPS = Object.keys(GROUP_SIZES);
const STALE_SENTENCE =
  'Out of date. These results are from the setup before your change to the class strings. Run again to update them.';

let folder: string;
/** 150 copies per group (600 images): long enough to watch a run stream and to cancel it mid-way */
let bigFolder: string;

test.beforeAll(async () => {
  folder = await makeImageFolder();
  bigFolder = copyImageFolder(folder, 150);
});

/** The class strings a share link sets up, as the app shows them when the link is opened. */
async function linkClasses(page: Page, link: string): Promise<string> {
  const context = await page.context().browser()?.newContext();
  if (!context) throw new Error('no browser');
  const fresh = await context.newPage();
  await fresh.goto(link);
  const classes = (await fresh.getByTestId('config-classes').innerText()).trim();
  await context.close();
  return classes;
}

test('a class edit after a run marks the results out of date; the link keeps the run’s setup; Run again updates them', async ({
  page,
}) => {
  await runSmallFolder(page, folder);
  const results = page.locator('#results');
  const banner = page.getByTestId('stale-banner');
  await expect(banner).toHaveCount(0);
  // view settings are derived live: never out of date
  await setK(page, 2);
  await page.locator('#seed-input').fill('3');
  await expect(banner).toHaveCount(0);
  await expect(results).not.toHaveClass(/results-stale/);
  const before = await tableNumbers(page);

  await page.locator('#class-text-1').fill('a bird that lives on water');
  await expect(banner).toContainText(STALE_SENTENCE);
  await expect(banner.getByRole('button')).toHaveText('Run again');
  await expect(results).toHaveClass(/results-stale/);
  await expect(results.locator('.results-body')).toHaveCSS('opacity', '0.5');
  // the old numbers stay (greyed), they are not recomputed from an embedding that was never made
  expect(await tableNumbers(page)).toBe(before);

  // the link sets up what produced the numbers, and the message says the edit is not in it
  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-link').inputValue();
  await expect(page.locator('.share .status')).toContainText(
    'It sets up the results on screen, not your later change to the class strings: run again to share that.',
  );
  expect(await linkClasses(page, link)).toBe('“landbird”, “waterbird”');
  // so does the address bar
  await expect.poll(() => new URL(page.url()).hash).toBe(new URL(link).hash);

  await page.getByTestId('stale-run-again').click();
  await expectRunFinished(page);
  // embeddings are cached per image, whatever the batch they were made in: the same images cost nothing again
  await expect(page.getByTestId('run-status')).toHaveText(/^Embedded 24 images, 24 from the cache/);
  await expect(page.getByTestId('results-source')).not.toContainText('updating');
  await expect(banner).toHaveCount(0);
  await expect(results).not.toHaveClass(/results-stale/);
  const after = await tableNumbers(page);
  console.log(`[stale] before: ${before}\n[stale] after: ${after}`);
  expect(after).not.toBe(before);
  await page.getByTestId('copy-link').click();
  await expect(page.locator('.share .status')).not.toContainText('not your later change');
  expect(await linkClasses(page, await page.getByTestId('share-link').inputValue())).toBe(
    '“landbird”, “a bird that lives on water”',
  );
});

test('while a run streams, the groups without results are named; the sentence goes once every group has images', async ({
  page,
}) => {
  await page.goto('/?model=local:tiny-clip');
  await page.getByTestId('folder-input').setInputFiles(bigFolder);
  // batches of two: the first batch holds two of the four groups
  await page.locator('#batch-size').fill('2');
  await page.getByTestId('run-button').click();
  // polled every frame: the sentence may show for only a few hundred milliseconds
  const seen = await page.waitForFunction(
    () => document.querySelector('[data-testid=groups-without-results]')?.textContent ?? '',
    undefined,
    { polling: 'raf', timeout: 150_000 },
  );
  const sentence = await seen.jsonValue();
  console.log(`[stale] streaming: ${sentence}`);
  expect(sentence).toMatch(
    /^2 of 4 groups have no results yet \((landbird|waterbird) \/ (land|water), (landbird|waterbird) \/ (land|water)\): their images are still being embedded/,
  );
  await expect(page.getByTestId('groups-without-results')).toHaveCount(0);
  // still streaming when it went: the sentence followed the images, not the end of the run
  await expect(page.getByTestId('run-status')).toContainText(/\/ 600 images/);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('run-status')).toContainText(/Cancelled after \d+ of 600 images/);
});

test('a run cancelled right after its first batch has results for every group', async ({ page }) => {
  await page.goto('/?model=local:tiny-clip');
  await page.getByTestId('folder-input').setInputFiles(bigFolder);
  await page.locator('#batch-size').fill('8');
  // cancel from inside the page the moment the first results show, so no second refresh lands first
  await page.evaluate(() => {
    const observer = new MutationObserver(() => {
      const source = document.querySelector('[data-testid=results-source]')?.textContent ?? '';
      const cancel = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Cancel');
      if (/[1-9]\d* of 600 images analysed/.test(source) && cancel) {
        cancel.click();
        observer.disconnect();
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toContainText(/Cancelled after \d+ of 600 images/, { timeout: 150_000 });
  const source = await page.getByTestId('results-source').innerText();
  const analysed = Number(/(\d+) of 600 images analysed/.exec(source)?.[1]);
  console.log(`[stale] cancelled: ${await page.getByTestId('run-status').innerText()} · ${source}`);
  // far fewer than the 150 images of the first folder: in folder order they would all be landbird / land
  expect(analysed).toBeGreaterThan(0);
  expect(analysed).toBeLessThan(150);
  await expect(page.getByTestId('groups-without-results')).toHaveCount(0);
  const groupChart = page.getByTestId('group-chart');
  await groupChart.getByRole('button', { name: 'Show table' }).click();
  for (const group of GROUPS) {
    await expect(groupChart.locator(`tr[data-group="${group}"] [data-metric=selected]`)).toHaveText(/^\d+\.\d%$/);
  }
});

test('screenshots of the out-of-date banner: 1440, 1024 and 390 px, light and projector themes', async ({ page }) => {
  await runSmallFolder(page, folder);
  await page.locator('#class-text-1').fill('a bird that lives on water');
  const banner = page.getByTestId('stale-banner');
  await expect(banner).toBeVisible();
  for (const theme of ['light', 'projector'] as const) {
    await page.getByLabel('colour theme').selectOption(theme);
    for (const width of [1440, 1024, 390]) {
      await page.setViewportSize({ width, height: 900 });
      // page coordinates of the results heading and the banner's bottom
      const { top, bottom } = await page.evaluate(() => {
        const heading = document.querySelector('#results-heading')?.getBoundingClientRect();
        const box = document.querySelector('[data-testid=stale-banner]')?.getBoundingClientRect();
        return { top: (heading?.top ?? 0) + window.scrollY, bottom: (box?.bottom ?? 0) + window.scrollY };
      });
      // the heading, the banner and the greyed numbers under it
      await page.screenshot({
        path: join(ARTIFACTS, `stale-banner-${width}-${theme}.png`),
        fullPage: true,
        clip: { x: 0, y: Math.max(0, top - 16), width, height: bottom - top + 760 },
      });
    }
  }
});
