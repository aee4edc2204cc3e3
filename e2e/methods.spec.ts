/**
 * Issue 11 in the app: RoboShot, TIE*, TIE, Orth-Proj and Orth-Cali next to SAGE. Their numbers equal
 * `sage-explorer analyze --method X` on the same images (a run) and on the same bundle (dropped); each row says
 * what it knows beyond the class names and how it works, on hover and on keyboard focus; edited phrasings and
 * λ give the CLI's numbers for the same flags; a text nobody can embed is named instead of numbers; a report
 * reopens with the same rows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { METHOD_HOW_IT_WORKS } from '../src/core/methodKnowledge';
import {
  ARTIFACTS,
  METHODS,
  TINY_MODEL,
  analyzeWithCli,
  dropFolderAndRun,
  embedWithCli,
  expectTableMatchesCli,
  makeImageFolder,
  pct,
} from './explorerFixtures';

const SECTION_7 = ['roboshot', 'tiestar', 'tie', 'orthproj', 'orthcali'] as const;

let folder: string;
let bundle: string;

test.beforeAll(async () => {
  folder = await makeImageFolder();
  bundle = embedWithCli(folder);
});

const row = (page: Page, method: string) => page.locator(`[data-testid=comparison-table] tr[data-method=${method}]`);

async function openBundleFile(page: Page, path: string): Promise<void> {
  await page.getByTestId('files-input').setInputFiles(path);
  await expect(page.getByTestId('results-source')).toContainText('From the embeddings bundle');
  await expect(page.getByTestId('comparison-table')).toBeVisible();
}

test('a run shows the ten rows with the CLI numbers, knowledge badges and how-it-works on hover and focus', async ({
  page,
}) => {
  // the run and some twenty CLI calls (five of them load the model) on a shared two-core machine
  test.setTimeout(600_000);
  await page.goto('/');
  await dropFolderAndRun(page, folder);
  await expectTableMatchesCli(page, bundle, 1);

  // badges: the CLI's knowledge column, and TIE flagged as using the labels of the images it is scored on
  for (const method of METHODS) {
    const cli = analyzeWithCli(bundle, method, 1);
    await expect(row(page, method).getByTestId('knowledge-badge')).toHaveAttribute('data-knowledge', cli.knowledge);
  }
  await expect(row(page, 'tie').getByTestId('knowledge-badge')).toHaveText(
    '⚠ uses attribute labels of the evaluated images',
  );
  await expect(row(page, 'sage').getByTestId('knowledge-badge')).toHaveText('no extra knowledge');

  // hover: the one-line explanation appears under the method and goes when the pointer leaves
  const tip = (method: string) => page.locator(`#how-${method}`);
  await row(page, 'orthcali').locator('th').hover();
  await expect(tip('orthcali')).toBeVisible();
  await expect(tip('orthcali')).toHaveText(METHOD_HOW_IT_WORKS.orthcali);
  await page.mouse.move(0, 0);
  await expect(tip('orthcali')).toBeHidden();

  // keyboard: focusing a method's radio shows its explanation and gives it as the accessible description
  const radio = (method: string) => row(page, method).locator('input[type=radio]');
  await radio('groupprompt').focus();
  await expect(tip('groupprompt')).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await expect(radio('roboshot')).toBeFocused();
  await expect(tip('roboshot')).toBeVisible();
  await expect(tip('groupprompt')).toBeHidden();
  await expect(radio('roboshot')).toHaveAccessibleDescription(METHOD_HOW_IT_WORKS.roboshot);
  await page.keyboard.press('Escape');
  await expect(tip('roboshot')).toBeHidden();
  // the arrow key also selected RoboShot: every view now shows it
  await expect(row(page, 'roboshot')).toHaveClass(/selected/);
  await expect(page.locator('#gallery-title')).toHaveText('Images (RoboShot)');
  await expect(page.getByTestId('discrepancy-chart').locator('h3')).toContainText('RoboShot');

  // TIE*: the group view gives its guessed-attribute accuracy per group, as the CLI computes it
  await radio('tiestar').check();
  const tiestar = analyzeWithCli(bundle, 'tiestar', 1);
  const groupChart = page.getByTestId('group-chart');
  await groupChart.getByRole('button', { name: 'Show table' }).click();
  for (const g of tiestar.pseudoAttributeAccuracy ?? []) {
    await expect(groupChart.locator(`tr[data-group="${g.class}/${g.attribute}"] [data-metric=selected]`)).toHaveText(
      pct(tiestar.metrics.groups.find((x) => x.class === g.class && x.attribute === g.attribute)?.accuracy ?? NaN),
    );
    await expect(
      groupChart.locator(`tr[data-group="${g.class}/${g.attribute}"] [data-metric=guessed-attribute]`),
    ).toContainText(`${pct(g.accuracy)} (${g.correct} of ${g.n};`);
  }
  expect(tiestar.pseudoAttributeAccuracy?.length).toBe(4);
  await expect(page.getByTestId('guessed-attributes')).toContainText('TIE* guessed the image’s attribute right');

  // edited phrasings after the run: the new texts are embedded with the loaded model, and the rows equal the
  // CLI given the same phrasings (it encodes the texts its bundle lacks with the same tiny model)
  const editor = page.getByTestId('attribute-methods-editor');
  await editor.locator('summary').click();
  await editor.getByLabel('Attribute phrasings, one per line').fill('{}\na {} scene.');
  await expect(editor.locator('summary')).toContainText('2 phrasings');
  const phrasings = ['--phrasings', '{}|a {} scene.', '--model', TINY_MODEL];
  await expect(row(page, 'tiestar').locator('[data-metric=accuracy] strong')).toBeVisible();
  await expectTableMatchesCli(page, bundle, 1, SECTION_7, phrasings);

  // λ for Orth-Cali follows the CLI's --lambda
  await editor.getByLabel(/Orth-Cali λ/).fill('10');
  await expectTableMatchesCli(page, bundle, 1, ['orthcali'], [...phrasings, '--lambda', '10']);
  await expect(row(page, 'orthcali').getByTestId('method-note')).toContainText('λ = 10');
  await page.screenshot({ path: join(ARTIFACTS, 'methods-run-1280.png'), fullPage: true });
});

test('a dropped bundle: the §7 rows use its prompts; a text nobody can embed is named instead of numbers', async ({
  page,
  browser,
}) => {
  test.setTimeout(400_000);
  await page.goto('/');
  await openBundleFile(page, bundle);
  await expectTableMatchesCli(page, bundle, 1, SECTION_7);

  // an accept pair: no model is loaded and the bundle lacks its texts, so RoboShot says which are needed
  const editor = page.getByTestId('attribute-methods-editor');
  await editor.locator('summary').click();
  await editor.getByLabel(/RoboShot accept pairs/).fill('webbed feet | talons');
  await expect(row(page, 'roboshot').getByTestId('method-unavailable')).toHaveText(
    "Needs the texts ‘webbed feet’ and ‘talons’ read by the CLIP model, and these results do not include them: run the images in this app, or make the bundle again with the CLI's embed.",
  );
  await expect(row(page, 'roboshot').locator('input[type=radio]')).toBeDisabled();
  // the other rows are unaffected
  await expectTableMatchesCli(page, bundle, 1, ['tiestar', 'orthcali']);
  // a half-typed pair is refused with the line named, and the last valid setting stays in force
  await editor.getByLabel(/RoboShot accept pairs/).fill('webbed feet');
  await expect(editor.locator('.error')).toContainText('Line 1 (“webbed feet”) should be two phrases');
  await expect(row(page, 'roboshot').getByTestId('method-unavailable')).toContainText('‘webbed feet’');
  await editor.getByLabel(/RoboShot accept pairs/).fill('');
  await expectTableMatchesCli(page, bundle, 1, ['roboshot']);

  // a report with an edited λ reopens with the same rows: its prompts, settings and parameters travel with it
  await editor.getByLabel(/Orth-Cali λ/).fill('10');
  await expectTableMatchesCli(page, bundle, 1, ['orthcali'], ['--lambda', '10']);
  const before = await page.getByTestId('comparison-table').locator('tbody').innerText();
  const downloading = page.waitForEvent('download');
  await page.getByTestId('export-report').click();
  const reportPath = join(ARTIFACTS, 'methods-report.json');
  await (await downloading).saveAs(reportPath);
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as {
    config: { lambda: number };
    results: { config: { method: string }; parameters?: Record<string, unknown> }[];
  };
  expect(report.config.lambda).toBe(10);
  expect(report.results.find((r) => r.config.method === 'orthcali')?.parameters).toMatchObject({ lambda: 10 });
  const other = await browser.newContext();
  const fresh = await other.newPage();
  await fresh.goto('/');
  await fresh.getByTestId('files-input').setInputFiles(reportPath);
  await expect(fresh.getByTestId('results-source')).toContainText('From the report');
  expect(await fresh.getByTestId('comparison-table').locator('tbody').innerText()).toBe(before);
  await other.close();
});

test('screenshots of the comparison table: 1440 and 390 px, and the projector theme', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/');
  await openBundleFile(page, bundle);
  await tableToTop(page);
  await row(page, 'tie').locator('th').hover();
  await expect(page.locator('#how-tie')).toBeInViewport({ ratio: 1 });
  await page.screenshot({ path: join(ARTIFACTS, 'methods-table-1440.png') });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.mouse.move(0, 0);
  await expect(page.locator('.how-tip.open')).toHaveCount(0);
  // the page itself never scrolls sideways: the table's wrapper does, so no badge or figure is cut off
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await tableToTop(page);
  await page.screenshot({ path: join(ARTIFACTS, 'methods-table-390.png') });
  // keyboard focus on a row low on the screen: the tip stays on screen (it opens upwards when needed)
  await row(page, 'orthcali').locator('input[type=radio]').focus();
  await expect(page.locator('#how-orthcali')).toBeInViewport({ ratio: 1 });
  // one tip at a time: hovering another method replaces the focused one's
  await row(page, 'orthproj').locator('th').hover();
  await expect(page.locator('.how-tip.open')).toHaveCount(1);
  await expect(page.locator('#how-orthproj')).toBeVisible();
  await row(page, 'orthcali').locator('input[type=radio]').focus();
  await page.screenshot({ path: join(ARTIFACTS, 'methods-table-390-focus.png') });
  await page.screenshot({ path: join(ARTIFACTS, 'methods-results-390-full.png'), fullPage: true });

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.getByLabel('colour theme').selectOption('projector');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'projector');
  await tableToTop(page);
  await row(page, 'tiestar').locator('input[type=radio]').focus();
  await expect(page.locator('#how-tiestar')).toBeVisible();
  await page.screenshot({ path: join(ARTIFACTS, 'methods-table-projector-1440.png') });
});

async function tableToTop(page: Page): Promise<void> {
  await page.getByTestId('comparison-table').evaluate((table) => table.scrollIntoView({ block: 'start' }));
}
