/**
 * Follow-ups on the run cues and the results views: while Run is refused (a single-class folder, an empty class
 * string) the pinned cue says why instead of offering "Go to Run"; once the problem is fixed the cue leads to Run.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ARTIFACTS, makeImageFolder } from './explorerFixtures';

let birds = '';
test.beforeAll(async () => {
  birds = await makeImageFolder('birds');
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
