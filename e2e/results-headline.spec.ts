/**
 * Issue 12 §1, §9 and §8 (a method that cannot run): the results' headline in words, ⓘ on every column and
 * control, the first screen's "What is this?", and rows that say why a method cannot run. Bundles with chosen
 * accuracies come from e2e/headlineBundle.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { GLOSSARY } from '../src/ui/glossary';
import { ARTIFACTS, ROOT } from './explorerFixtures';

function headlineBundle(variant: 'story' | 'tie'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sage-headline-')), `${variant}.json`);
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'e2e', 'headlineBundle.ts'), path, variant], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return path;
}

let story: string;
let tie: string;
test.beforeAll(() => {
  story = headlineBundle('story');
  tie = headlineBundle('tie');
});

async function openBundle(page: Page, path: string): Promise<void> {
  await page.goto('/');
  await page.getByTestId('files-input').setInputFiles(path);
  await expect(page.getByTestId('comparison-table')).toBeVisible();
}

const headline = (page: Page) => page.getByTestId('results-headline');
const part = (page: Page, name: string) => headline(page).locator(`[data-part=${name}]`);
const row = (page: Page, method: string) => page.locator(`[data-testid=comparison-table] tr[data-method=${method}]`);

async function setK(page: Page, k: number): Promise<void> {
  const slider = page.getByTestId('k-slider');
  await slider.focus();
  await slider.press('Home');
  for (let i = 1; i < k; i++) await slider.press('ArrowRight');
  await expect(page.getByTestId('k-value')).toHaveText(String(k));
}

test('the headline names zero-shot’s worst group with the table’s numbers, and follows K and the method', async ({
  page,
}) => {
  await openBundle(page, story);
  await expect(headline(page)).toHaveAttribute('aria-live', 'polite');
  // zero-shot's worst group against its best; SAGE (selected by default) at K = 1 fixes it
  await expect(part(page, 'baseline')).toHaveText(
    'Zero-shot gets 0.0% on landbird / water (n = 12) while 100.0% on waterbird / land (n = 12).',
  );
  await expect(part(page, 'change')).toHaveText(
    'SAGE (K = 1) raises that group to 100.0%. It gets 100.0% on every group.',
  );
  // the template select shows the template zero-shot uses (index 39 of the default pool clamps to the last here)
  await expect(page.locator('#zeroshot-select')).toHaveValue('3');
  // the same figures as the table's rows
  const zsWga = row(page, 'zeroshot').locator('[data-metric=wga]');
  await expect(zsWga.locator('strong')).toHaveText('0.0%');
  await expect(zsWga.locator('.sub')).toContainText('landbird / water · n = 12');
  await expect(row(page, 'sage').locator('[data-metric=wga] strong')).toHaveText('100.0%');
  // the headline sits above the table
  const top = async (testId: string) => (await page.getByTestId(testId).boundingBox())?.y ?? NaN;
  expect(await top('results-headline')).toBeLessThan(await top('comparison-table'));

  // K = 3: two wrong templates outvote the right one, and the headline says so
  await setK(page, 3);
  await expect(part(page, 'change')).toHaveText('SAGE (K = 3) keeps that group at 0.0%.');
  await expect(row(page, 'sage').locator('[data-metric=wga] strong')).toHaveText('0.0%');
  await setK(page, 2);
  await expect(part(page, 'change')).toHaveText(
    'SAGE (K = 2) raises that group to 100.0%. It gets 100.0% on every group.',
  );

  // another method: the headline compares it with zero-shot
  await row(page, 'ensemble').locator('input[type=radio]').check();
  await expect(part(page, 'change')).toHaveText('Ensemble keeps that group at 0.0%.');
  await row(page, 'random').locator('input[type=radio]').check();
  await expect(part(page, 'change')).toContainText('Random (K = 2)');
  // zero-shot itself selected: compared with SAGE
  await row(page, 'zeroshot').locator('input[type=radio]').check();
  await expect(part(page, 'change')).toHaveText(
    'SAGE (K = 2) raises that group to 100.0%. It gets 100.0% on every group.',
  );
  // nothing too small or missing here
  await expect(part(page, 'small')).toHaveCount(0);
  await expect(part(page, 'missing')).toHaveCount(0);
});

test('ties, groups too small to judge and missing groups are said in words', async ({ page }) => {
  await openBundle(page, tie);
  await expect(part(page, 'baseline')).toHaveText(
    'Zero-shot gets 0.0% on landbird / water (n = 12) and waterbird / land (n = 4), a tie for its worst group, while 100.0% on landbird / land (n = 12).',
  );
  await expect(part(page, 'change')).toHaveText(
    'SAGE (K = 1) raises landbird / water to 100.0% and waterbird / land to 100.0%. It gets 100.0% on every group.',
  );
  await expect(part(page, 'small')).toHaveText(
    'Too few images to judge: waterbird / land (n = 4) has fewer than 10 images, so one image moves its accuracy by 25 points; read the comparison above with its 95% intervals.',
  );
  await expect(part(page, 'missing')).toHaveText(
    'No images of waterbird / sky: that group cannot be judged, and worst-group accuracy covers only the groups that have images.',
  );
  // the table names the first of the tied groups, as the headline does
  await expect(row(page, 'zeroshot').locator('[data-metric=wga] .sub')).toContainText('landbird / water · n = 12');
  await setK(page, 3);
  await expect(part(page, 'change')).toHaveText(
    'SAGE (K = 3) keeps landbird / water at 0.0% and waterbird / land at 0.0%.',
  );
});

test('every column and control has an ⓘ whose words show on focus; methods that cannot run say why', async ({
  page,
}) => {
  await openBundle(page, story);
  const headers = page.locator('[data-testid=comparison-table] thead th');
  const count = await headers.count();
  expect(count).toBe(5);
  for (let i = 0; i < count; i++) {
    const buttons = headers.nth(i).locator('.info-button');
    expect(await buttons.count()).toBeGreaterThan(0);
    for (let j = 0; j < (await buttons.count()); j++) {
      const button = buttons.nth(j);
      const tip = button.locator('xpath=following-sibling::*[@role="tooltip"]');
      await expect(tip).toBeHidden();
      await button.focus();
      await expect(tip).toBeVisible();
      const term = ((await button.getAttribute('data-testid')) ?? '').replace(/^info-/, '') as keyof typeof GLOSSARY;
      await expect(tip).toContainText(GLOSSARY[term].text);
      await button.blur();
    }
  }
  // the accuracy column explains its n and interval sub-line; the WGA column its group
  const accuracy = page.locator('[data-testid=comparison-table] th[data-column=accuracy]');
  await expect(accuracy.getByTestId('info-n')).toBeVisible();
  await expect(accuracy.getByTestId('info-interval')).toBeVisible();
  await expect(page.locator('th[data-column=wga]').getByTestId('info-worstGroup')).toBeVisible();
  // the controls: K, how SAGE combines, the zero-shot template, the seed
  const controls = page.locator('#results .controls');
  for (const term of ['k', 'aggregate', 'zeroshotTemplate', 'seed'] as const) {
    const button = controls.getByTestId(`info-${term}`);
    await button.focus();
    await expect(controls.getByRole('tooltip').filter({ hasText: GLOSSARY[term].text })).toBeVisible();
  }
  // the select keeps its own name: the ⓘ is beside its label, not inside it
  await expect(page.getByLabel('zero-shot template', { exact: true })).toHaveCount(1);

  // §8: this bundle has attribute folders but no group prompts, and no model to embed the §7 texts
  await expect(row(page, 'groupprompt')).toHaveAttribute('data-unavailable', 'true');
  await expect(row(page, 'groupprompt').getByTestId('method-unavailable')).toContainText(
    'These results carry no group prompts',
  );
  await expect(row(page, 'roboshot').getByTestId('method-unavailable')).toContainText('Needs the text');
});

test('a bundle without attribute folders: group prompts and the §7 rows ask for class/attribute folders', async ({
  page,
}) => {
  const flat = join(mkdtempSync(join(tmpdir(), 'sage-flat-')), 'flat.json');
  execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { readFileSync, writeFileSync } from 'node:fs';
       const b = JSON.parse(readFileSync(${JSON.stringify(story)}, 'utf8'));
       for (const image of b.images) image.attribute = '';
       writeFileSync(${JSON.stringify(flat)}, JSON.stringify(b));`,
    ],
    { cwd: ROOT },
  );
  await openBundle(page, flat);
  await expect(row(page, 'groupprompt').getByTestId('method-unavailable')).toHaveText(
    'Group prompts need attribute words, one prompt per class and attribute: sort the images into class/attribute folders (e.g. landbird/water) to compare them.',
  );
  for (const method of ['roboshot', 'tiestar', 'tie', 'orthproj', 'orthcali']) {
    await expect(row(page, method).getByTestId('method-unavailable')).toContainText(
      'Needs attribute words (what the images',
    );
    await expect(row(page, method).locator('input[type=radio]')).toBeDisabled();
  }
  // without attributes the groups are the classes
  await expect(part(page, 'baseline')).toContainText('Zero-shot gets');
  await expect(part(page, 'baseline').locator('.headline-group').first()).toHaveText(/^(landbird|waterbird)$/);
});

test('the first screen says what this is, with both papers, and keeps the drop zone in view at 390 px', async ({
  page,
}) => {
  await page.goto('/');
  const intro = page.getByTestId('what-is-this');
  await expect(intro).toContainText('What is this?');
  await expect(intro.getByRole('link', { name: 'SAGE (AAAI 2026)' })).toHaveAttribute(
    'href',
    'https://arxiv.org/abs/2511.13005',
  );
  await expect(intro.getByRole('link', { name: 'Yang et al., ICML 2023' })).toHaveAttribute(
    'href',
    'https://arxiv.org/abs/2304.03916',
  );
  for (const theme of ['light', 'projector'] as const) {
    await page.getByLabel('colour theme').selectOption(theme);
    for (const width of [1440, 1024, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      const height = width === 390 ? 844 : 900;
      const box = await page.locator('.dropzone').boundingBox();
      if (!box) throw new Error('no drop zone');
      // the whole drop zone is on the first screen; in the projector theme's large type at 390 px it already
      // ran past the fold before the intro (bottom at 878 px of 844), so there its top part must show
      if (theme === 'light' || width > 390) expect(box.y + box.height).toBeLessThanOrEqual(height);
      else expect(box.y).toBeLessThanOrEqual(height - 90);
      await page.screenshot({ path: join(ARTIFACTS, `first-screen-${width}-${theme}.png`) });
    }
  }
});

test('screenshots of the results top (headline + table): 1440, 1024 and 390 px, light and projector', async ({
  page,
}) => {
  await openBundle(page, tie);
  for (const theme of ['light', 'projector'] as const) {
    await page.getByLabel('colour theme').selectOption(theme);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    for (const width of [1440, 1024, 390]) {
      await page.setViewportSize({ width, height: 900 });
      const results = page.locator('#results');
      await results.scrollIntoViewIfNeeded();
      const top = await results.boundingBox();
      const table = await page.getByTestId('comparison-table').boundingBox();
      if (!top || !table) throw new Error('results not laid out');
      // the headline never runs wider than the page
      const headlineBox = await headline(page).boundingBox();
      expect(headlineBox && headlineBox.x + headlineBox.width).toBeLessThanOrEqual(width);
      await page.screenshot({
        path: join(ARTIFACTS, `results-headline-${width}-${theme}.png`),
        fullPage: true,
        clip: {
          x: 0,
          y: top.y + (await page.evaluate(() => window.scrollY)),
          width,
          height: table.y + table.height - top.y + 16,
        },
      });
    }
  }
});
