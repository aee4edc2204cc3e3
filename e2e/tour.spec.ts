/** Teaching mode (#tour) can be completed with the keyboard alone and points at each live view. */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ARTIFACTS, expectRunFinished } from './explorerFixtures';

const TARGETS = [
  '#dataset',
  '#group-chart',
  '[data-testid=comparison-table]',
  '#dataset .template-editor',
  '#separation-chart',
  '#k-slider',
];

test('the tour is completed with the keyboard alone', async ({ page }) => {
  await page.goto('/?model=local:tiny-clip#tour');
  const tour = page.getByTestId('tour');
  await expect(tour).toBeVisible();
  // the tour runs the example; wait for its results so every step has its view
  await expectRunFinished(page, /^Embedded/, 170_000);
  await expect(page.locator('#tour-title')).toBeFocused();
  for (let step = 0; step < TARGETS.length; step++) {
    await expect(tour).toContainText(`Step ${step + 1} of ${TARGETS.length}`);
    await expect(page.locator(TARGETS[step]).first()).toHaveClass(/tour-highlight/);
    await expect(page.locator('#tour-title')).toBeFocused();
    if (step === 1) {
      // back and forth with the arrow keys
      await page.keyboard.press('ArrowLeft');
      await expect(tour).toContainText('Step 1 of');
      await page.keyboard.press('ArrowRight');
      await expect(tour).toContainText('Step 2 of');
    }
    if (step === 4) await page.screenshot({ path: join(ARTIFACTS, 'tour-step5-1280.png') });
    await page.keyboard.press(step % 2 === 0 ? 'Enter' : 'ArrowRight');
  }
  await expect(tour).toBeHidden();
  expect(await page.evaluate(() => location.hash)).toBe('');
});

test('Esc ends the tour at any step', async ({ page }) => {
  await page.goto('/?model=local:tiny-clip#tour');
  await expect(page.getByTestId('tour')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('tour')).toBeHidden();
});
