/**
 * Issue 17 §2 end to end: a 100,000-image × 512 sage-embeddings/2 bundle opens in the app. The bundle worker
 * reads it while the page keeps painting and answering clicks (progress shown); the time to the finished table is
 * printed; the comparison table equals `sage-explorer analyze` on the same file.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ROOT, expectTableMatchesCli } from './explorerFixtures';

const N = 100_000;
const DIM = 512;

interface ProbeWindow extends Window {
  frameTimes: number[];
  statuses: [number, string][];
  clicks: number;
}

let bundlePath: string;

test.beforeAll(() => {
  bundlePath = join(mkdtempSync(join(tmpdir(), 'sage-e2e-binary-')), 'birds-100k.sage.zip');
  execFileSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'e2e', 'binaryBundleFixture.ts'), bundlePath, String(N), String(DIM)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
});

/** The longest time between two animation frames within [from, to): how long the page could not paint. */
function longestGap(frames: readonly number[], from: number, to: number): number {
  let longest = 0;
  for (let i = 1; i < frames.length; i++) {
    if (frames[i] <= from || frames[i - 1] >= to) continue;
    longest = Math.max(longest, frames[i] - frames[i - 1]);
  }
  return longest;
}

test('a 100,000 × 512 binary bundle opens without freezing the page, and its table equals the CLI', async ({
  page,
}) => {
  test.setTimeout(1_200_000);
  await page.goto('./');
  await expect(page.getByTestId('dropzone')).toBeVisible();
  // probes: every animation frame, every status line, and a button that counts clicks
  await page.evaluate(() => {
    const probe = window as unknown as ProbeWindow;
    probe.frameTimes = [];
    probe.statuses = [];
    probe.clicks = 0;
    const tick = (time: number) => {
      probe.frameTimes.push(time);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const status = document.querySelector('[data-testid=dropzone] [role=status]');
    if (status) {
      new MutationObserver(() => probe.statuses.push([performance.now(), status.textContent ?? ''])).observe(status, {
        subtree: true,
        childList: true,
        characterData: true,
      });
    }
    const button = document.createElement('button');
    button.textContent = 'probe';
    button.dataset.testid = 'click-probe';
    button.style.cssText = 'position:fixed;right:0;bottom:0;z-index:9999';
    button.addEventListener('click', () => probe.clicks++);
    document.body.append(button);
  });

  const started = Date.now();
  await page.getByTestId('files-input').setInputFiles(bundlePath);
  // while the worker reads the file: progress on screen, and a click is answered at once
  const progress = page.getByTestId('bundle-progress');
  await expect(progress).toBeVisible();
  await expect(page.getByTestId('dropzone').getByRole('status')).toHaveText(/^(Reading|Checking the vectors of) /);
  const clickStarted = Date.now();
  await page.getByTestId('click-probe').click();
  const clickMs = Date.now() - clickStarted;
  expect(await page.evaluate(() => (window as unknown as ProbeWindow).clicks)).toBe(1);

  await expect(page.getByTestId('results-source')).toContainText('From the embeddings bundle', { timeout: 600_000 });
  const sageRow = page.locator('[data-testid=comparison-table] tr[data-method=sage]');
  await expect(sageRow.locator('[data-metric=accuracy] .sub')).toContainText(`n = ${N}`, { timeout: 600_000 });
  await expect(page.getByTestId('results-source')).not.toContainText('updating', { timeout: 600_000 });
  const seconds = (Date.now() - started) / 1000;

  const { frames, statuses } = await page.evaluate(() => {
    const probe = window as unknown as ProbeWindow;
    return { frames: probe.frameTimes, statuses: probe.statuses };
  });
  const firstOf = (pattern: RegExp) => statuses.find(([, text]) => pattern.test(text))?.[0];
  const readFrom = firstOf(/^Reading /) ?? 0;
  const scoreFrom = firstOf(/^Scoring /) ?? frames[frames.length - 1];
  const analyseFrom = firstOf(/^Building the results of /) ?? scoreFrom;
  const readingGap = longestGap(frames, readFrom, scoreFrom);
  const scoringGap = longestGap(frames, scoreFrom, frames[frames.length - 1]);
  const megabytes = statSync(bundlePath).size / 1024 ** 2;
  console.log(
    `[binary bundle] ${N} images × ${DIM} (${megabytes.toFixed(0)} MB sage-embeddings/2): table shown after ${seconds.toFixed(1)} s; ` +
      `worker read+check ${((scoreFrom - readFrom) / 1000).toFixed(1)} s with the longest frame gap ${readingGap.toFixed(0)} ms; ` +
      `worker scoring ${((analyseFrom - scoreFrom) / 1000).toFixed(1)} s + first tables, then the first results render: longest frame gap ${scoringGap.toFixed(0)} ms; ` +
      `a click during the read took ${clickMs} ms; load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} CPUs`,
  );
  // the file is read off the page's thread: frames keep coming and a click is answered (reading it on the page
  // blocks it for the whole read: tens of seconds here). Bounds leave room for a shared, loaded 2-core machine.
  expect(readingGap).toBeLessThan(3000);
  expect(clickMs).toBeLessThan(5000);
  // scoring and the first tables are built in the worker too: the page only draws what arrives (on the page's
  // thread they blocked it for 14 s on an idle machine; the bound leaves room for a loaded one)
  expect(scoringGap).toBeLessThan(8000);
  // the sampled map is drawn once scrolled to, not as part of opening the results
  const map = page.getByTestId('embedding-map');
  await expect(page.getByTestId('embedding-map-deferred')).toBeVisible();
  await map.scrollIntoViewIfNeeded();
  await expect(map.locator('g.recharts-scatter').first()).toBeVisible({ timeout: 60_000 });
  await expect(map.locator('.legend-note')).toContainText(`of ${N.toLocaleString('en')})`);

  await expectTableMatchesCli(page, bundlePath, 1, ['zeroshot', 'ensemble', 'random', 'sage']);
});
