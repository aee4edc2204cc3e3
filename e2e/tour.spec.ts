/**
 * Teaching mode (#tour, issue 13 §2) as a lesson, by keyboard: at 1024×768 in the projector theme the box sits
 * beside every step's view and never over it, waits for CLIP before the steps that need results, sets K itself,
 * opens the drill-down on a misclassified image, and stops on a failed model load with the error in view and a
 * way out. Screenshots of the steps at 1024 (projector), 1440 and 390 px go to e2e/artifacts/tour-*.png.
 */
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ARTIFACTS, expectRunFinished } from './explorerFixtures';
import { ensureTinyModel } from './tinyModelFixtures';

const STEP_IDS = ['data', 'groups', 'wga', 'templates', 'separation', 'picks', 'k', 'delta', 'image', 'map'];

test.beforeAll(() => ensureTinyModel());

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The tour box, its step's target (by the selector the tour names) and the viewport, read in one frame. */
async function layout(page: Page) {
  return page.evaluate(() => {
    const rect = (element: Element): Box => {
      const r = element.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    };
    const tour = document.querySelector('[data-testid=tour]');
    if (!tour) return null;
    const selector = tour.getAttribute('data-target') ?? '';
    const target = selector ? document.querySelector(selector) : null;
    return {
      step: tour.getAttribute('data-step'),
      clear: tour.getAttribute('data-clear'),
      tour: rect(tour),
      target: target ? rect(target) : null,
      viewport: { width: document.documentElement.clientWidth, height: window.innerHeight },
    };
  });
}

const intersects = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/**
 * Waits until the step's target is shown, at least partly in the viewport, the box is wholly inside the viewport
 * and the two boxes do not intersect (the tour re-places on the next frame after a scroll or redraw).
 */
async function expectBesideTarget(page: Page, step: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const l = await layout(page);
        if (!l) return 'no tour';
        if (l.step !== step) return `on step ${l.step}`;
        if (!l.target) return 'no target';
        const { tour, target, viewport } = l;
        if (tour.left < 0 || tour.top < 0 || tour.right > viewport.width + 0.5 || tour.bottom > viewport.height + 0.5)
          return `tour box outside the viewport: ${JSON.stringify(tour)}`;
        if (target.bottom <= 0 || target.top >= viewport.height || target.right <= 0 || target.left >= viewport.width)
          return `target not in view: ${JSON.stringify(target)}`;
        if (intersects(tour, target)) return `tour ${JSON.stringify(tour)} over target ${JSON.stringify(target)}`;
        return 'beside';
      },
      { timeout: 20_000, message: `step ${step}: the tour box beside its target` },
    )
    .toBe('beside');
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `tour-${name}.png`) });
}

test('the tour is a lesson completed by keyboard at 1024×768 in the projector theme, beside every view', async ({
  page,
}) => {
  test.setTimeout(400_000);
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto('/?theme=projector&model=local:tiny-clip#tour');
  const tour = page.getByTestId('tour');
  const next = page.getByTestId('tour-next');
  await expect(tour).toBeVisible();
  await expect(page.locator('#tour-title')).toBeFocused();
  // the tour runs the example; Next waits for CLIP, saying what it waits for
  await expect(tour).toHaveAttribute('data-step', 'data');
  await expect(next).toBeDisabled();
  await expect(page.getByTestId('tour-wait')).toContainText(/Loading the example|Waiting for CLIP/);
  await page.keyboard.press('ArrowRight');
  await expect(tour).toHaveAttribute('data-step', 'data');
  await shot(page, 'waiting-1024-projector');
  await expectRunFinished(page, /^Embedded/, 300_000);
  await expect(next).toBeEnabled({ timeout: 30_000 });
  await expect(page.getByTestId('tour-wait')).toHaveCount(0);

  for (let i = 0; i < STEP_IDS.length; i++) {
    const id = STEP_IDS[i];
    await expect(tour).toHaveAttribute('data-step', id);
    await expect(tour).toContainText(`Step ${i + 1} of ${STEP_IDS.length}`);
    await expect(page.locator('#tour-title')).toBeFocused();
    await expect(page.locator('.tour-highlight')).toHaveCount(1);
    await expectBesideTarget(page, id);
    // no step text names a colour the projector theme does not draw
    await expect(page.locator('#tour-text')).not.toContainText(/orange|cyan/i);
    if (id === 'groups') {
      // the run's own numbers, as the table shows them
      await expect(page.locator('#tour-text')).toContainText(/Zero-shot gets \d+\.\d% on \S+ \/ \S+ \(n = \d+\)/);
      await page.keyboard.press('ArrowLeft');
      await expect(tour).toHaveAttribute('data-step', 'data');
      await page.keyboard.press('ArrowRight');
      await expect(tour).toHaveAttribute('data-step', 'groups');
    }
    if (id === 'templates') await expect(page.locator('#dataset .template-editor')).toHaveAttribute('open', '');
    if (id === 'k') {
      // the tour sets K itself: Tab to "K = 5", Enter
      await expect(page.getByTestId('k-value')).toHaveText('1');
      await page.keyboard.press('Tab');
      await expect(page.getByTestId('tour-k-1')).toBeFocused();
      await page.keyboard.press('Tab');
      await expect(page.getByTestId('tour-k-5')).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('k-value')).toHaveText('5');
      await expect(page.locator('#tour-text')).toContainText(/K = 5 \(now\): \d+\.\d%/);
      await expectBesideTarget(page, id);
      await shot(page, 'k-1024-projector');
      // …or hands focus to the slider, and Esc there comes back to the tour
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await expect(page.getByRole('button', { name: 'Move the slider yourself' })).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(page.locator('#k-input')).toBeFocused();
      await page.keyboard.press('ArrowRight');
      await expect(page.getByTestId('k-value')).toHaveText('6');
      await page.keyboard.press('Escape');
      await expect(page.locator('#tour-title')).toBeFocused();
      await expect(tour).toBeVisible();
      await expect(page.locator('#tour-text')).toContainText('K = 6 (now)');
    }
    if (id === 'image') {
      // the drill-down is open on an image one of the methods gets wrong, from the worst group the text names
      const detail = page.getByTestId('image-detail');
      await expect(detail).toBeVisible();
      await expect(detail.locator('.explain-card.wrong').first()).toBeVisible();
      const shown = await page.getByTestId('detail-id').textContent();
      const group = /of (\S+) \/ (\S+) \(n = \d+\)/.exec((await page.locator('#tour-text').textContent()) ?? '');
      expect(group, 'the image step names the group').not.toBeNull();
      expect(shown).toContain(`/${group?.[1]}/${group?.[2]}/`);
    }
    if (['groups', 'wga', 'picks', 'delta', 'image', 'map'].includes(id)) await shot(page, `${id}-1024-projector`);
    await page.keyboard.press(i % 2 === 0 ? 'Enter' : 'ArrowRight');
  }
  await expect(tour).toBeHidden();
  expect(await page.evaluate(() => location.hash)).toBe('');
  // the template pool the tour opened is closed again
  await expect(page.locator('#dataset .template-editor')).not.toHaveAttribute('open', '');
});

test('the tour stops on a failed model load with the error in view and a way out', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto('/?theme=projector&model=local:missing#tour');
  const tour = page.getByTestId('tour');
  await expect(tour).toHaveAttribute('data-step', 'failure', { timeout: 120_000 });
  const error = page.getByTestId('tour-error');
  await expect(error).toHaveText('No model named "missing" at models/missing/.');
  await expect(error).toBeInViewport();
  await expect(page.locator('#tour-title')).toBeFocused();
  await expect(page.locator('#tour-title')).toHaveText('The model did not load');
  // beside the run panel's own error, which is scrolled into view
  await expect(page.getByTestId('run-error')).toBeInViewport();
  await expectBesideTarget(page, 'failure');
  // a missing folder is not worth retrying as is; the way out is the default model (its download fails here too)
  await expect(page.getByTestId('tour-retry')).toHaveCount(0);
  await shot(page, 'failure-1024-projector');
  await page.route('https://huggingface.co/**', (route) => route.abort('internetdisconnected'));
  await page.getByTestId('tour-default-model').click();
  await expect(error).toContainText('Could not download the model Xenova/clip-vit-base-patch32', { timeout: 120_000 });
  await expect(tour).toHaveAttribute('data-step', 'failure');
  await expect(error).toBeInViewport();
  await expectBesideTarget(page, 'failure');
  // a download may work when tried again: now Retry is offered
  await expect(page.getByTestId('tour-retry')).toBeVisible();
  await expect(page.getByTestId('tour-default-model')).toHaveCount(0);
  await page.getByTestId('tour-end').click();
  await expect(tour).toBeHidden();
});

test('screenshots of the tour at 1440 and 390 px; the box stays clear of its view', async ({ page }) => {
  test.setTimeout(400_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/?model=local:tiny-clip#tour');
  const tour = page.getByTestId('tour');
  await expectRunFinished(page, /^Embedded/, 300_000);
  const next = page.getByTestId('tour-next');
  await expect(next).toBeEnabled({ timeout: 30_000 });
  for (const id of STEP_IDS) {
    await expect(tour).toHaveAttribute('data-step', id);
    await expectBesideTarget(page, id);
    if (['data', 'separation', 'image', 'map'].includes(id)) await shot(page, `${id}-1440`);
    await next.click();
  }
  await expect(tour).toBeHidden();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId('start-tour').click();
  for (const id of STEP_IDS) {
    await expect(tour).toHaveAttribute('data-step', id);
    // on a phone the box goes above or below the view, or docks at the bottom edge over a view too tall to clear
    const l = await layout(page);
    if (l?.clear === 'true') await expectBesideTarget(page, id);
    if (['data', 'groups', 'k', 'image'].includes(id)) await shot(page, `${id}-390`);
    await next.click();
  }
});

test('Esc ends the tour at any step', async ({ page }) => {
  await page.goto('/?model=local:tiny-clip#tour');
  await expect(page.getByTestId('tour')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('tour')).toBeHidden();
});
