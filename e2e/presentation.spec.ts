/**
 * Issue 13 §1, presentation: chart text grows with the projector theme (it stayed at 11 px while the page's text
 * grew to 19 px), the theme can be set in the link and is kept, and presentation mode shows one results view at
 * a time, moved through with PageDown/PageUp (what clickers send) and the arrow keys, left with Escape.
 * Screenshots of presentation mode at 1440, 1024 and 390 px and in the projector theme go to e2e/artifacts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ARTIFACTS, ROOT } from './explorerFixtures';

let bundle: string;

test.beforeAll(() => {
  bundle = join(mkdtempSync(join(tmpdir(), 'sage-present-')), 'birds-bundle.json');
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'e2e', 'resultsChartsBundle.ts'), bundle, 'birds'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
});

async function openBundle(page: Page): Promise<void> {
  await page.getByTestId('files-input').setInputFiles(bundle);
  await expect(page.getByTestId('comparison-table')).toBeVisible();
  await expect(page.locator('#group-chart .recharts-xAxis-tick-labels text').first()).toBeVisible();
}

/** The computed font size (px) of the group chart's first x-axis tick label. */
async function tickFontSize(page: Page, scope = '#group-chart'): Promise<number> {
  const tick = page.locator(`${scope} .recharts-xAxis-tick-labels text`).first();
  await expect(tick).toBeVisible();
  return tick.evaluate((node) => parseFloat(getComputedStyle(node).fontSize));
}

test('chart text is larger in the projector theme than in the light theme', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('colour theme').selectOption('light');
  await openBundle(page);
  const light = await tickFontSize(page);
  const body = await page.locator('body').evaluate((node) => parseFloat(getComputedStyle(node).fontSize));
  await page.getByLabel('colour theme').selectOption('projector');
  await expect.poll(() => tickFontSize(page)).toBeGreaterThan(light);
  const projector = await tickFontSize(page);
  const projectorBody = await page.locator('body').evaluate((node) => parseFloat(getComputedStyle(node).fontSize));
  // the chart text grows at least as much as the body text does (15 → 19 px)
  expect(projector / light).toBeGreaterThanOrEqual(projectorBody / body);
  // the category labels (group names) grow with it
  const groupTick = page.locator('#group-chart .category-tick').first();
  expect(await groupTick.evaluate((node) => parseFloat(getComputedStyle(node).fontSize))).toBe(projector);
});

test('?theme=projector in the link applies the theme, and it is kept after a reload without it', async ({ page }) => {
  await page.goto('/?theme=projector');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'projector');
  await expect(page.getByLabel('colour theme')).toHaveValue('projector');
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'projector');
  await expect(page.getByLabel('colour theme')).toHaveValue('projector');
  await page.goto('/?theme=light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  // a theme the app does not have changes nothing
  await page.goto('/?theme=neon');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});

test('presentation mode: one view at a time, PageDown/PageUp and arrows move, Escape leaves', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/?theme=light');
  await openBundle(page);
  await page.getByTestId('present-button').click();
  const presentation = page.getByTestId('presentation');
  const position = page.getByTestId('presentation-position');
  await expect(presentation).toBeVisible();
  await expect(position).toHaveText('1 / 6 Methods compared');
  // the headline sentence and the comparison, over the whole window
  await expect(presentation.getByTestId('results-headline')).toContainText('worst');
  await expect(presentation.getByTestId('comparison-table')).toBeVisible();
  const box = await presentation.boundingBox();
  expect(box?.width).toBe(1440);

  await page.keyboard.press('PageDown');
  await expect(position).toHaveText('2 / 6 Accuracy per group');
  await expect(presentation.getByTestId('group-chart')).toBeVisible();
  await expect(presentation.getByTestId('comparison-table')).toHaveCount(0);
  // the charts draw larger in presentation mode than on the page
  expect(await tickFontSize(page, '#present-group-chart')).toBeGreaterThan(await tickFontSize(page, '#group-chart'));
  // large type: the headline is larger than on the page
  const headlineSize = (selector: string) =>
    page
      .locator(`${selector} .headline-baseline`)
      .first()
      .evaluate((node) => parseFloat(getComputedStyle(node).fontSize));
  expect(await headlineSize('[data-testid=presentation]')).toBeGreaterThan(await headlineSize('#results'));

  await page.keyboard.press('PageDown');
  await expect(position).toHaveText('3 / 6 Prompt templates and K');
  await page.keyboard.press('PageUp');
  await expect(position).toHaveText('2 / 6 Accuracy per group');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(position).toHaveText('4 / 6 Accuracy discrepancy δ');
  await page.keyboard.press('ArrowLeft');
  await expect(position).toHaveText('3 / 6 Prompt templates and K');
  await page.keyboard.press('End');
  await expect(position).toHaveText('6 / 6 Embedding map');
  await page.keyboard.press('PageDown');
  await expect(position).toHaveText('6 / 6 Embedding map');
  await page.keyboard.press('Home');
  await expect(position).toHaveText('1 / 6 Methods compared');

  await page.keyboard.press('Escape');
  await expect(presentation).toHaveCount(0);
  await expect(page.getByTestId('present-button')).toBeFocused();
  // the page is as it was
  await expect(page.locator('#group-chart')).toBeVisible();
});

test('screenshots of presentation mode at 1440, 1024 and 390 px and in the projector theme', async ({ page }) => {
  await page.goto('/?theme=light');
  await openBundle(page);
  const shots: [number, number, 'light' | 'projector'][] = [
    [1440, 900, 'light'],
    [1024, 768, 'light'],
    [390, 844, 'light'],
    [1440, 900, 'projector'],
    [1024, 768, 'projector'],
  ];
  for (const [width, height, theme] of shots) {
    await page.getByLabel('colour theme').selectOption(theme);
    await page.setViewportSize({ width, height });
    await page.getByTestId('present-button').click();
    const position = page.getByTestId('presentation-position');
    await expect(position).toContainText('1 / 6');
    await page.screenshot({ path: join(ARTIFACTS, `presentation-1-${width}-${theme}.png`) });
    await page.keyboard.press('PageDown');
    await expect(position).toContainText('2 / 6');
    await page.screenshot({ path: join(ARTIFACTS, `presentation-2-${width}-${theme}.png`) });
    await page.keyboard.press('PageDown');
    await page.keyboard.press('PageDown');
    await expect(position).toContainText('4 / 6');
    await page.screenshot({ path: join(ARTIFACTS, `presentation-4-${width}-${theme}.png`) });
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('presentation')).toHaveCount(0);
  }
});
