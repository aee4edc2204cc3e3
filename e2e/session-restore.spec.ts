/**
 * Issue 13 §5, work that lasts, in the app on the tiny synthetic CLIP:
 * - a run, a class string edited after it, a reload → "Restore your last session?" → Restore: the comparison
 *   table shows the same numbers at once with no model file fetched, the K slider works, the edited class
 *   string is back, the images are listed as not attached; dropping the folder again (one file renamed, one
 *   extra file) re-attaches them by content with their labels, thumbnails come back and the results are compared
 *   with the panel again (out of date by the class string only, as before the reload);
 * - Discard forgets the saved session: the start screen stays, and the next reload offers nothing;
 * - leaving while a run is in progress asks first (beforeunload); once the results are saved, a reload does not;
 * - screenshots of the prompt at 1440, 1024 and 390 px and in the projector theme.
 */
import { appendFileSync, copyFileSync, cpSync, mkdtempSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import {
  ARTIFACTS,
  copyImageFolder,
  expectRunFinished,
  makeImageFolder,
  runSmallFolder,
  setK,
  tableNumbers,
} from './explorerFixtures';

const EDITED = 'a bird that lives on water';
const STALE_SENTENCE =
  'Out of date. These results are from the setup before your change to the class strings. Run again to update them.';

let folder: string;

test.beforeAll(async () => {
  folder = await makeImageFolder();
});

/** Waits until the session in IndexedDB has caught up with the page. */
async function expectSaved(page: Page): Promise<void> {
  // the status turns "saving" in the frame after a change; give it that frame before waiting for "saved"
  await page.waitForTimeout(300);
  await expect(page.getByTestId('session-status')).toHaveAttribute('data-saved', 'yes', { timeout: 60_000 });
}

/** Every dialog the page opens, accepted (so a navigation never hangs on one). */
function recordDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.type());
    void dialog.accept();
  });
  return dialogs;
}

test('after a reload, Restore brings back the results at once and the class strings; dropping the folder re-attaches the images by content', async ({
  page,
}) => {
  await runSmallFolder(page, folder);
  const before = await tableNumbers(page);
  const wga = await page
    .locator('[data-testid=comparison-table] tr[data-method=sage] [data-metric=wga] strong')
    .innerText();
  await page.locator('#class-text-1').fill(EDITED);
  await expect(page.getByTestId('stale-banner')).toContainText(STALE_SENTENCE);
  await expectSaved(page);

  const dialogs = recordDialogs(page);
  const modelRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/models/')) modelRequests.push(request.url());
  });
  await page.reload();
  const prompt = page.getByTestId('restore-session');
  await expect(prompt).toBeVisible();
  await expect(prompt.getByRole('heading')).toHaveText('Restore your last session?');
  await expect(prompt).toContainText('24 images in 2 classes');
  await expect(prompt).toContainText('results from local:tiny-clip on 24 images');
  // everything was saved: leaving did not ask
  expect(dialogs).toEqual([]);

  for (const width of [1440, 1024, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.locator('#ingest').screenshot({ path: join(ARTIFACTS, `session-restore-prompt-${width}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 720 });

  const clicked = Date.now();
  await page.getByTestId('restore-session-button').click();
  await expect(prompt).toHaveCount(0);
  // the results from the stored embeddings, at once: same numbers, no model file fetched, nothing run
  await expect(page.getByTestId('comparison-table')).toBeVisible();
  // a measurement, not an assertion (the machine is shared)
  console.log(`session restore: comparison table ${Date.now() - clicked} ms after the click (24 images)`);
  expect(await tableNumbers(page)).toBe(before);
  await expect(page.locator('[data-testid=comparison-table] tr[data-method=sage] [data-metric=wga] strong')).toHaveText(
    wga,
  );
  expect(modelRequests).toEqual([]);
  // not compared with an empty panel
  await expect(page.getByTestId('stale-banner')).toHaveCount(0);
  await setK(page, 2);
  await setK(page, 1);
  expect(await tableNumbers(page)).toBe(before);

  // the dataset: labels and the edited class string back, the images not attached
  const detached = page.getByTestId('detached-dataset');
  await expect(detached.getByRole('heading', { level: 2 })).toContainText('Your images: 24 in 2 classes');
  await expect(detached).toContainText('not attached');
  await expect(page.locator('#class-text-1')).toHaveValue(EDITED);
  await expect(page.getByTestId('reattach-zone')).toContainText('Drop the folder again to re-attach the images');
  await page.locator('#ingest').screenshot({ path: join(ARTIFACTS, 'session-reattach-zone-1280.png') });
  await page.locator('#dataset').screenshot({ path: join(ARTIFACTS, 'session-not-attached-1280.png') });

  // the folder again, one file renamed (matched by content) and one file that was never in the session
  const again = join(mkdtempSync(join(tmpdir(), 'sage-reattach-')), 'birds');
  cpSync(folder, again, { recursive: true });
  renameSync(join(again, 'landbird', 'land', '000.jpg'), join(again, 'landbird', 'land', 'renamed-photo.jpg'));
  copyFileSync(join(again, 'waterbird', 'water', '001.jpg'), join(again, 'waterbird', 'water', 'extra.jpg'));
  // a copy of a saved image has its content: make the extra file differ by one byte at the end
  appendFileSync(join(again, 'waterbird', 'water', 'extra.jpg'), Buffer.from([0]));
  await page.getByTestId('reattach-input').setInputFiles(again);
  await expect(page.getByTestId('reattach-status')).toHaveText(
    'Re-attached 24 images with their labels. 1 dropped file is not part of the saved session and was left out (add it afterwards with “Add a folder”).',
  );
  await expect(page.getByTestId('reattach-not-in-session')).toContainText('birds/waterbird/water/extra.jpg');
  await expect(page.getByTestId('reattach-zone')).toHaveCount(0);
  const matrix = page.getByTestId('group-matrix');
  await expect(matrix).toBeVisible();
  await expect(page.locator('#dataset-heading')).toHaveText('Your images: 24 in 2 classes');
  await expect(matrix.locator('img').first()).toBeVisible();
  expect(await matrix.locator('img').count()).toBeGreaterThan(0);
  // the images are back with the paths and labels the results were made with: only the class edit differs
  await expect(page.getByTestId('stale-banner')).toContainText(STALE_SENTENCE);
  await expect(page.locator('#class-text-1')).toHaveValue(EDITED);
  expect(modelRequests).toEqual([]);
  await page.locator('#dataset').screenshot({ path: join(ARTIFACTS, 'session-reattached-1280.png') });
});

test('Discard forgets the saved session and leaves the start screen', async ({ page }) => {
  await page.goto('/?model=local:tiny-clip');
  await page.getByTestId('folder-input').setInputFiles(folder);
  await expect(page.getByTestId('group-matrix')).toBeVisible();
  await expectSaved(page);
  await page.reload();
  await expect(page.getByTestId('restore-session')).toContainText('24 images in 2 classes');
  // projector theme: the prompt keeps its contrast
  await page.getByLabel('colour theme').selectOption('projector');
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page
      .locator('#ingest')
      .screenshot({ path: join(ARTIFACTS, `session-restore-prompt-${width}-projector.png`) });
  }
  await page.getByLabel('colour theme').selectOption('light');
  await page.getByTestId('discard-session-button').click();
  await expect(page.getByTestId('restore-session')).toHaveCount(0);
  await expect(page.getByTestId('try-example')).toBeVisible();
  await expect(page.locator('#ingest-heading')).toHaveText('Start: drop in grouped images, or try the example');
  await page.reload();
  await expect(page.getByTestId('try-example')).toBeVisible();
  await expect(page.getByTestId('restore-session')).toHaveCount(0);
});

test('a saved session from another version is discarded with a sentence, and the start screen works', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByTestId('try-example')).toBeVisible();
  // what an older app version might have left behind
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('sage-explorer-session', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('session');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('session', 'readwrite');
          tx.objectStore('session').put({ format: 'sage-session/0', images: 'old' }, 'session');
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  await page.reload();
  await expect(page.getByTestId('session-note')).toHaveText(
    'Your last session could not be restored and was discarded: it was saved by another version of the app (sage-session/0).',
  );
  await expect(page.getByTestId('restore-session')).toHaveCount(0);
  await page.getByTestId('folder-input').setInputFiles(folder);
  await expect(page.getByTestId('group-matrix')).toBeVisible();
});

test('leaving during a run asks first; once the results are saved, a reload does not', async ({ page }) => {
  const big = copyImageFolder(folder, 150);
  await page.goto('/?model=local:tiny-clip');
  await page.getByTestId('folder-input').setInputFiles(big);
  await expect(page.locator('#dtype-select')).toHaveValue('fp32');
  // the click is also the user gesture browsers require before they show a beforeunload dialog
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText(/^\d+ \/ 600 images/, { timeout: 150_000 });

  const dialog = page.waitForEvent('dialog');
  const reload = page.reload({ timeout: 15_000 }).catch(() => 'stayed');
  const asked = await dialog;
  expect(asked.type()).toBe('beforeunload');
  await asked.dismiss();
  await reload;
  // still here, run and images included
  await expect(page.getByTestId('group-matrix')).toBeVisible();
  // the run may have ended meanwhile (the copies' embeddings come from the cache once the first is made)
  const cancel = page.getByRole('button', { name: 'Cancel' });
  if (await cancel.isVisible()) await cancel.click();
  await expectRunFinished(page, /^(Cancelled|Embedded)/);
  await expectSaved(page);

  const dialogs = recordDialogs(page);
  await page.reload();
  await expect(page.getByTestId('restore-session')).toContainText('600 images in 2 classes');
  expect(dialogs).toEqual([]);
});
