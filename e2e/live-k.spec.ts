/**
 * Live K (issue 12 §5): a K change paints the comparison table (and the headline) at once, and the charts follow
 * in a deferred render instead of in the same long task; quick presses end on the right K everywhere.
 * Structural, not timed: speed is `npm run bench:ui`'s job.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ARTIFACTS, ROOT, analyzeWithCli, expectTableMatchesCli } from './explorerFixtures';

const IMAGES = 2000;
const TEMPLATES = 20;
let bundle: string;

test.beforeAll(() => {
  bundle = join(mkdtempSync(join(tmpdir(), 'sage-live-k-')), 'live-k-bundle.json');
  execFileSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'e2e', 'liveKBundle.ts'), bundle, String(IMAGES), String(TEMPLATES)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
});

async function openBundle(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByTestId('files-input').setInputFiles(bundle);
  await expect(page.getByTestId('results-source')).toContainText(`${IMAGES} of ${IMAGES} images analysed`, {
    timeout: 120_000,
  });
  await expect(caption(page)).toContainText('K = 1)');
  await expect(picksHeading(page)).toContainText('K = 1)');
}

const caption = (page: Page) => page.locator('[data-testid=comparison-table] caption');
/** a chart-side K: the templates view's "Templates SAGE picked most (K = …)" */
const picksHeading = (page: Page) => page.locator('[data-testid=sage-picks] h3');

/** whether the headline (issue 12 §1; absent before it) names a K */
async function showsK(page: Page): Promise<boolean> {
  const headline = page.getByTestId('results-headline');
  return (await headline.count()) > 0 && /K = \d/.test((await headline.textContent()) ?? '');
}

interface FirstPaint {
  /** the caption showed the new K by the first animation frame after the keydown */
  captionInFirstFrame: boolean;
  /** what the charts showed when the caption's change was committed */
  chartsAtCaption: string | null;
  detailsKAtCaption: string | null;
  headlineAtCaption: string | null;
}

test('a K change paints the table and headline first; the charts follow in a deferred render', async ({ page }) => {
  test.setTimeout(300_000);
  await openBundle(page);
  const headlineShowsK = await showsK(page);
  await page.locator('#k-input').focus();
  await page.evaluate(() => {
    const shows = (selector: string) => /K = 2(?!\d)/.test(document.querySelector(selector)?.textContent ?? '');
    const text = (selector: string) => document.querySelector(selector)?.textContent ?? null;
    const result: Partial<FirstPaint> = {};
    const done = new Promise<Partial<FirstPaint>>((resolve) => {
      document.addEventListener(
        'keydown',
        () =>
          requestAnimationFrame(() => {
            result.captionInFirstFrame = shows('[data-testid=comparison-table] caption');
          }),
        { capture: true, once: true },
      );
      // runs right after the commit that changed the caption, before any other task (a deferred render) can run
      const observer = new MutationObserver(() => {
        if (result.chartsAtCaption !== undefined || !shows('[data-testid=comparison-table] caption')) return;
        result.chartsAtCaption = text('[data-testid=sage-picks] h3');
        result.detailsKAtCaption =
          document.querySelector('[data-testid=results-details]')?.getAttribute('data-k') ?? null;
        result.headlineAtCaption = text('[data-testid=results-headline]');
        observer.disconnect();
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(result)));
      });
      observer.observe(document.querySelector('#results') ?? document.body, {
        subtree: true,
        childList: true,
        characterData: true,
      });
    });
    (window as unknown as { liveK: Promise<Partial<FirstPaint>> }).liveK = done;
  });
  await page.keyboard.press('ArrowRight');
  const first = await page.evaluate(() => (window as unknown as { liveK: Promise<Partial<FirstPaint>> }).liveK);

  // the table showed K = 2 in the first frame after the key press
  expect(first.captionInFirstFrame).toBe(true);
  // …when it did, the charts still showed K = 1: they were not rendered in the same task as the table
  expect(first.chartsAtCaption).toContain('K = 1)');
  expect(first.detailsKAtCaption).toBe('1');
  // the headline (when it names K) changed with the table, not with the charts
  if (headlineShowsK) expect(first.headlineAtCaption).toMatch(/K = 2(?!\d)/);
  // then the charts caught up
  await expect(picksHeading(page)).toContainText('K = 2)');
  await expect(page.getByTestId('results-details')).toHaveAttribute('data-k', '2');
  await expect(page.getByTestId('results-details')).toHaveAttribute('aria-busy', 'false');
});

test('quick presses end on the right K: slider, table, headline and charts agree, with the CLI numbers', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await openBundle(page);
  const slider = page.locator('#k-input');
  await slider.focus();
  for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
  const k = 7;
  await expect(slider).toHaveValue(String(k));
  await expect(page.getByTestId('k-value')).toHaveText(String(k));
  await expect(caption(page)).toContainText(`K = ${k})`);
  const details = page.getByTestId('results-details');
  await expect(details).toHaveAttribute('data-k', String(k));
  await expect(details).toHaveAttribute('aria-busy', 'false');
  await expect(picksHeading(page)).toContainText(`K = ${k})`);
  if (await showsK(page)) await expect(page.getByTestId('results-headline')).toContainText(`K = ${k}`);

  // the table's SAGE and random rows are the CLI's at K = 7…
  await expectTableMatchesCli(page, bundle, k, ['sage', 'random']);
  // …and so are the templates view's pick counts (the charts are not left on an intermediate K)
  const cli = analyzeWithCli(bundle, 'sage', k);
  const picks = new Map<number, number>();
  for (const p of cli.predictions) for (const t of p.templates ?? []) picks.set(t, (picks.get(t) ?? 0) + 1);
  const listed = page.locator('[data-testid=sage-picks] li[data-template]');
  await expect(listed.first()).toBeVisible();
  for (const item of await listed.all()) {
    const template = Number(await item.getAttribute('data-template'));
    await expect(item.locator('[data-metric=picks]')).toHaveText(String(picks.get(template) ?? 0));
  }
});

test('screenshots of the K slider and the table: 1440, 1024 and 390 px, light and projector themes', async ({
  page,
}) => {
  test.setTimeout(600_000);
  await openBundle(page);
  await page.locator('#k-input').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('results-details')).toHaveAttribute('data-k', '2');
  for (const theme of ['light', 'projector'] as const) {
    await page.getByLabel('colour theme').selectOption(theme);
    for (const width of [1440, 1024, 390]) {
      await page.setViewportSize({ width, height: 900 });
      // from the headline (or the K slider's controls) down to the end of the comparison table
      const clip = await page.evaluate(() => {
        const first =
          document.querySelector('[data-testid=results-headline]') ??
          document.querySelector('#k-slider')?.closest('.controls');
        const top = first?.getBoundingClientRect();
        const bottom = document.querySelector('[data-testid=comparison-table]')?.getBoundingClientRect();
        if (!top || !bottom) return null;
        const y = top.top + window.scrollY;
        return { x: 0, y, width: document.documentElement.clientWidth, height: bottom.bottom + window.scrollY - y };
      });
      expect(clip).not.toBeNull();
      if (clip) await page.screenshot({ path: join(ARTIFACTS, `live-k-${width}-${theme}.png`), fullPage: true, clip });
    }
  }
});
