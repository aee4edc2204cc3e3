/**
 * Follow-ups on the run cues and the results views: while Run is refused (a single-class folder, an empty class
 * string) the pinned cue says why instead of offering "Go to Run"; once the problem is fixed the cue leads to Run.
 * The methods comparison table fits 390 px without sideways scrolling (each method a card), and stays a table
 * at 1024 and 1440 px; screenshots at 1440/1024/390 px and in the projector theme go to e2e/artifacts.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ARTIFACTS, makeImageFolder, ROOT } from './explorerFixtures';

let birds = '';
let bundle = '';
test.beforeAll(async () => {
  birds = await makeImageFolder('birds');
  bundle = join(mkdtempSync(join(tmpdir(), 'sage-cues-bundle-')), 'birds-bundle.json');
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'e2e', 'resultsChartsBundle.ts'), bundle, 'birds'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
});

test('a single-class folder: the pinned cue gives the reason Run is off, never "Go to Run"', async ({ page }) => {
  const landbird = join(mkdtempSync(join(tmpdir(), 'sage-cues-single-')), 'landbird');
  cpSync(join(birds, 'landbird'), landbird, { recursive: true });
  await page.setViewportSize({ width: 1024, height: 600 });
  await page.goto('/?model=local:tiny-clip');
  await page.getByTestId('folder-input').setInputFiles(landbird);
  await expect(page.getByTestId('single-class')).toBeVisible();
  const run = page.getByTestId('run-button');
  await expect(run).toBeDisabled();
  await expect(run).not.toBeInViewport();

  const reason = await page.getByTestId('run-blocked').textContent();
  expect(reason).toContain('Only one class (landbird)');
  const blocked = page.getByTestId('run-pin-blocked');
  await expect(blocked).toHaveText(`Run is off: ${reason}`);
  await expect(page.getByTestId('run-pin')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Go to Run/ })).toHaveCount(0);
  for (const [width, theme] of [
    [390, 'light'],
    [1024, 'projector'],
  ] as const) {
    await page.getByLabel('colour theme').selectOption(theme);
    await page.setViewportSize({ width, height: 600 });
    await page.screenshot({ path: join(ARTIFACTS, `run-cue-blocked-${width}-${theme}.png`) });
  }
  await page.getByLabel('colour theme').selectOption('light');
  await page.setViewportSize({ width: 1024, height: 600 });

  // fixed: the other reading gives two classes, and the cue invites to Run again
  await page.getByTestId('single-class').getByRole('button', { name: 'Read land and water as classes' }).click();
  await expect(run).toBeEnabled();
  await expect(blocked).toHaveCount(0);
  await expect(page.getByTestId('run-pin')).toContainText('Go to Run');
});

test('an empty class string turns the Run cue into its reason, and back when the class is typed', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 600 });
  await page.goto('/?model=local:tiny-clip');
  await page.getByTestId('folder-input').setInputFiles(birds);
  await expect(page.getByTestId('group-matrix')).toBeVisible();
  const pin = page.getByTestId('run-pin');
  await expect(pin).toContainText('Go to Run');
  await page.locator('#class-text-1').fill('');
  await expect(pin).toHaveCount(0);
  await expect(page.getByTestId('run-pin-blocked')).toHaveText(
    'Run is off: Class 2 (folder waterbird) is empty: type the word(s) the templates should use.',
  );
  await page.locator('#class-text-1').fill('waterbird');
  await expect(page.getByTestId('run-pin-blocked')).toHaveCount(0);
  await expect(pin).toContainText('Go to Run');
});

test('the methods table reads at 390 px without sideways scrolling, and stays a table when wide', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('files-input').setInputFiles(bundle);
  const table = page.getByTestId('comparison-table');
  await expect(table).toBeVisible();
  const wrap = page.locator('.comparison-wrap');
  const sage = table.locator('tr[data-method=sage]');
  const shots = [
    [1440, 'light'],
    [1024, 'light'],
    [390, 'light'],
    [390, 'projector'],
    [1024, 'projector'],
  ] as const;
  for (const [width, theme] of shots) {
    await page.getByLabel('colour theme').selectOption(theme);
    await page.setViewportSize({ width, height: 900 });
    // nothing hidden to the right: the wrapper scrolls no wider than it is
    await expect
      .poll(() => wrap.evaluate((el) => el.scrollWidth - el.clientWidth), { timeout: 10_000 })
      .toBeLessThanOrEqual(1);
    const metrics = await sage.locator('td[data-metric]').evaluateAll((cells) =>
      cells.map((cell) => ({
        top: Math.round(cell.getBoundingClientRect().top),
        label: getComputedStyle(cell, '::before').content,
      })),
    );
    const rowsOfFigures = new Set(metrics.map((m) => m.top)).size;
    if (width === 390) {
      // a card: the four figures two by two, each named in the cell
      expect(rowsOfFigures).toBe(2);
      expect(metrics.map((m) => m.label)).toEqual([
        '"accuracy"',
        '"worst-group accuracy"',
        '"gap"',
        '"HM (harmonic mean)"',
      ]);
    } else {
      expect(rowsOfFigures).toBe(1);
      expect(metrics.every((m) => m.label === 'none' || m.label === 'normal')).toBe(true);
    }
    await wrap.scrollIntoViewIfNeeded();
    await wrap.screenshot({ path: join(ARTIFACTS, `comparison-table-${width}-${theme}.png`) });
  }
});
