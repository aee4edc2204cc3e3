/**
 * Issue 12 §3–4 end to end: the templates view reads as text (template texts on the axis, a sort choice, top 15
 * with "Show all 80", per-group values behind a toggle, labelled axes, accuracy on the images a template was
 * picked for next to its WGA alone, the per-image sentence), and the WGA/accuracy-against-K chart marks the best
 * and the current K and sets K on a click. On a synthetic bundle (templatesViewBundle.ts) where each template
 * alone fails a group but SAGE's per-image picks reach 100 % at K = 3. Screenshots at 1440/1024/390, light and
 * projector.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { ARTIFACTS, ROOT } from './explorerFixtures';

let bundle: string;

test.beforeAll(() => {
  bundle = join(mkdtempSync(join(tmpdir(), 'sage-templates-')), 'templates-view.json');
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'e2e', 'templatesViewBundle.ts'), bundle], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
});

async function openBundle(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByTestId('files-input').setInputFiles(bundle);
  await expect(page.getByTestId('results-source')).toContainText('From the embeddings bundle');
  await expect(page.getByTestId('comparison-table')).toBeVisible();
}

/** The template texts on the chart's axis, top to bottom. */
async function axisTexts(chart: Locator): Promise<string[]> {
  return chart.locator('.template-tick title').allTextContents();
}

/** A chart frame's plot (not the legend's icon SVGs). */
const plot = (frame: Locator) => frame.locator('.recharts-wrapper > svg.recharts-surface');

const sageWga = (page: Page) =>
  page.locator('[data-testid=comparison-table] tr[data-method=sage] [data-metric=wga] strong');

test('the templates view reads as text: sort, show all, per-group toggle, axes, picked-for vs alone', async ({
  page,
}) => {
  await openBundle(page);
  const chart = page.getByTestId('separation-chart');
  await expect(chart.locator('.recharts-wrapper > svg.recharts-surface')).toBeVisible();

  // template texts on the axis (the title holds the full text; the visible tspans may wrap it)
  const bySeparation = await axisTexts(chart);
  expect(bySeparation).toHaveLength(15);
  expect(bySeparation.every((t) => /^#\d+: .*\{\}/.test(t))).toBe(true);
  await expect(chart.locator('.template-tick').first()).toBeVisible();
  await expect(chart.locator('.template-tick', { hasText: 'a photo of' }).first()).toBeVisible();

  // axes labelled with units
  await expect(plot(chart)).toContainText('prompt template ({} = class name)');
  await expect(plot(chart)).toContainText('mean class separation (cosine similarity');

  // the sort changes the order; by picks the first is the most picked
  const sort = chart.getByTestId('template-sort');
  await sort.selectOption('picks');
  await expect.poll(() => axisTexts(chart)).not.toEqual(bySeparation);
  await expect(plot(chart)).toContainText('images SAGE picked the template for at K = 1 (of 104)');
  const mostPicked = await page.getByTestId('sage-picks').locator('li').first().getAttribute('data-template');
  expect((await axisTexts(chart))[0]).toMatch(new RegExp(`^#${mostPicked}: `));
  await sort.selectOption('wgaAlone');
  await expect(plot(chart)).toContainText('worst-group accuracy when used alone for all images (%)');
  const byWga = await axisTexts(chart);
  expect(byWga).not.toEqual(bySeparation);

  // top 15 → all 80 → top 15
  const showAll = chart.getByTestId('template-show-all');
  await expect(showAll).toHaveText('Show all 80');
  await showAll.click();
  await expect.poll(async () => (await axisTexts(chart)).length).toBe(80);
  await expect(showAll).toHaveText('Show top 15');
  await showAll.click();
  await expect.poll(async () => (await axisTexts(chart)).length).toBe(15);

  // per-group values: hidden by default, shown by the toggle
  const legend = chart.locator('.recharts-legend-wrapper');
  await expect(legend).toContainText('picked by SAGE at K = 1');
  await expect(legend).not.toContainText('landbird / water (n = 12)');
  await chart.getByTestId('template-per-group').check();
  await expect(legend).toContainText('landbird / water (n = 12)');
  await expect(legend).toContainText('waterbird / land (n = 12)');
  await expect(plot(chart)).toContainText('accuracy when used alone for all images (%): worst group and each group');
  await chart.getByTestId('template-per-group').uncheck();
  await expect(legend).not.toContainText('landbird / water (n = 12)');

  // why per-image picks can beat every template, with its ⓘ
  await expect(chart.getByTestId('per-image-explanation')).toContainText(
    'SAGE picks templates for each image separately',
  );
  await expect(chart.getByTestId('per-image-explanation')).toContainText('can beat every single template');
  await expect(chart.getByRole('button', { name: /picked per image/i }).first()).toBeVisible();

  // each picked template: accuracy on the images it was picked for next to its WGA alone
  const picks = page.getByTestId('sage-picks').locator('li');
  expect(await picks.count()).toBeGreaterThan(0);
  for (let i = 0; i < (await picks.count()); i++) {
    await expect(picks.nth(i).locator('[data-metric=picked-for-accuracy]')).toContainText(
      'accuracy on the images it was picked for',
    );
    await expect(picks.nth(i).locator('[data-metric=wga-alone]')).toContainText('WGA alone');
    await expect(picks.nth(i).locator('[data-metric=wga-alone] strong')).toHaveText('0.0%');
  }
  // an expert of landbird / land: right on every image it was picked for, 0 % WGA alone; SAGE itself 75 % at K = 1
  await chart.getByRole('button', { name: 'Show table' }).click();
  const expert = chart.locator('tr[data-template="3"]');
  await expect(expert.locator('[data-metric=picked-for-accuracy]')).toContainText('100.0%');
  await expect(expert.locator('[data-metric=wga-alone]')).toContainText('0.0% (landbird / water)');
  await expect(chart.locator('tbody tr')).toHaveCount(80);
  await expect(sageWga(page)).toHaveText('75.0%');
});

test('WGA and accuracy against K: best and current K marked, a click sets K', async ({ page }) => {
  await openBundle(page);
  const curve = page.getByTestId('k-curve');
  await expect(curve.locator('.recharts-wrapper > svg.recharts-surface')).toBeVisible();
  await expect(plot(curve)).toContainText('best K = 3');
  await expect(plot(curve)).toContainText('current K = 1');
  await expect(plot(curve)).toContainText('K: templates SAGE (or random) keeps per image');
  await expect(plot(curve)).toContainText('accuracy (%)');
  await expect(curve.getByTestId('k-curve-best')).toContainText('K = 3 (SAGE WGA 100.0%');
  await expect(curve.getByTestId('k-curve-current')).toContainText('K = 1: SAGE WGA 75.0%');
  await expect(page.getByTestId('k-value')).toHaveText('1');
  await expect(sageWga(page)).toHaveText('75.0%');

  // click SAGE's WGA point at K = 3
  const dot = (k: number) => curve.locator(`circle.k-curve-dot[data-k="${k}"]`);
  await expect(curve.locator('circle.k-curve-dot')).toHaveCount(80);
  await dot(3).click();
  await expect(page.getByTestId('k-value')).toHaveText('3');
  await expect(page.getByTestId('k-slider')).toHaveValue('3');
  await expect(sageWga(page)).toHaveText('100.0%');
  await expect(plot(curve)).toContainText('best K = current K = 3');

  // and a point at K = 8: the table follows (WGA back to 75 %)
  await dot(8).click();
  await expect(page.getByTestId('k-value')).toHaveText('8');
  await expect(sageWga(page)).toHaveText('75.0%');
  await expect(plot(curve)).toContainText('current K = 8');
  await curve.getByTestId('k-curve-use-best').click();
  await expect(page.getByTestId('k-value')).toHaveText('3');
});

test('screenshots at 1440, 1024 and 390 px in the light and projector themes; legends visible on both', async ({
  page,
}) => {
  await openBundle(page);
  for (const theme of ['light', 'projector'] as const) {
    await page.getByLabel('colour theme').selectOption(theme);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    for (const width of [1440, 1024, 390]) {
      await page.setViewportSize({ width, height: 900 });
      const chart = page.getByTestId('separation-chart');
      await chart.getByTestId('template-per-group').check();
      await expect(chart.locator('.recharts-legend-item')).toHaveCount(6);
      // no legend swatch in the page's background colour (the old black line vanished on the projector theme)
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      for (const frame of [chart, page.getByTestId('k-curve')]) {
        const colours = await frame
          .locator('.recharts-legend-item svg path, .recharts-legend-item svg line')
          .evaluateAll((icons) =>
            icons.map((icon) => {
              const style = getComputedStyle(icon);
              return style.fill !== 'none' && style.fill !== '' ? style.fill : style.stroke;
            }),
          );
        expect(colours.length).toBeGreaterThan(0);
        for (const colour of colours) expect(colour).not.toBe(background);
      }
      // no hover tooltip in the pictures
      await page.mouse.move(0, 0);
      await chart.scrollIntoViewIfNeeded();
      await chart.screenshot({ path: join(ARTIFACTS, `templates-view-${width}-${theme}.png`) });
      await page
        .getByTestId('sage-picks')
        .screenshot({ path: join(ARTIFACTS, `templates-picks-${width}-${theme}.png`) });
      await page.getByTestId('k-curve').screenshot({ path: join(ARTIFACTS, `k-curve-${width}-${theme}.png`) });
      await chart.getByTestId('template-per-group').uncheck();
    }
  }
});
