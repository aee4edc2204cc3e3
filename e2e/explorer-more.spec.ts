/**
 * More of issue 5 end to end: embeddings in (a CLI bundle goes straight to results with the CLI's numbers),
 * exports that carry provenance (CSV, PNG, bundle), #report=<url>, links/reports from other versions,
 * a synthetic drag-and-drop of a .zip, a CSV manifest with loose files, re-tagging, virtualised grids,
 * phone width, keyboard reach, themes, and no layout jump while results stream.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { zipSync } from 'fflate';
import sharp from 'sharp';
import {
  ARTIFACTS,
  copyImageFolder,
  embedWithCli,
  GROUP_SIZES,
  makeImageFolder,
  writeSyntheticBundle,
  expectRunFinished,
  expectTableMatchesCli,
  setK,
} from './explorerFixtures';

let folder: string;
let bundle: string;

test.beforeAll(async () => {
  folder = await makeImageFolder();
  bundle = embedWithCli(folder);
});

async function openBundleFile(page: Page, path: string): Promise<void> {
  await page.getByTestId('files-input').setInputFiles(path);
  await expect(page.getByTestId('results-source')).toContainText('From the embeddings bundle');
  await expect(page.getByTestId('comparison-table')).toBeVisible();
}

async function download(page: Page, click: () => Promise<void>): Promise<string> {
  const pending = page.waitForEvent('download');
  await click();
  const file = await pending;
  const path = join(mkdtempSync(join(tmpdir(), 'sage-dl-')), file.suggestedFilename());
  await file.saveAs(path);
  return path;
}

test('an embeddings bundle from the CLI goes straight to results with the CLI numbers, and K follows the CLI', async ({
  page,
}) => {
  await page.goto('/');
  await openBundleFile(page, bundle);
  // no dataset or run panel: the bundle skips ingest and embedding
  await expect(page.getByTestId('group-matrix')).toHaveCount(0);
  await expect(page.getByTestId('run-button')).toHaveCount(0);
  const total = Object.values(GROUP_SIZES).reduce((a, b) => a + b, 0);
  await expect(page.getByTestId('results-source')).toContainText(`${total} of ${total} images analysed`);
  await expectTableMatchesCli(page, bundle, 1);
  await expect(page.locator('tr[data-method=groupprompt] [data-testid=knowledge-badge]')).toHaveText(
    'uses attribute words',
  );
  await setK(page, 4);
  await expectTableMatchesCli(page, bundle, 4);
  await page.screenshot({ path: join(ARTIFACTS, 'bundle-results-1280.png'), fullPage: true });
});

test('exports carry provenance: CSV per image and per group, chart PNG, and a bundle that reopens to the same numbers', async ({
  page,
}) => {
  await page.goto('/');
  await openBundleFile(page, bundle);
  const total = Object.values(GROUP_SIZES).reduce((a, b) => a + b, 0);

  // provenance is in the last columns of every row (the header is the first line, so pd.read_csv needs no options)
  const perImage = readFileSync(await download(page, () => page.getByTestId('export-csv-images').click()), 'utf8');
  const dataLines = perImage.split('\r\n').filter((l) => l !== '');
  expect(dataLines[0]).toMatch(/^id,class,attribute,.*,app,model,dtype,backend,date$/);
  expect(dataLines).toHaveLength(total + 1);
  for (const line of dataLines.slice(1))
    expect(line).toMatch(/,SAGE Explorer [^,]+,[^,]+,[^,]+,precomputed embeddings,20/);

  const perGroup = readFileSync(await download(page, () => page.getByTestId('export-csv-groups').click()), 'utf8');
  expect(perGroup.split('\r\n')[0]).toMatch(/^class,attribute,n,.*,app,model,dtype,backend,date$/);
  expect(perGroup).toContain('landbird');

  const pngPath = await download(page, () => page.getByTestId('group-chart-png').click());
  expect(pngPath.endsWith('.png')).toBe(true);
  const png = readFileSync(pngPath);
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  const chartBox = await page.getByTestId('group-chart').locator('.chart-box').boundingBox();
  const meta = await sharp(png).metadata();
  // ≥ 2× scale, plus title, legend and the provenance footer below the chart
  expect(meta.width ?? 0).toBeGreaterThanOrEqual(2 * Math.floor(chartBox?.width ?? 0));
  expect(meta.height ?? 0).toBeGreaterThan(2 * Math.floor(chartBox?.height ?? 0));
  await expect(page.getByTestId('group-chart').locator('.error')).toHaveCount(0);
  // the provenance footer is drawn: the strip under the legend has text-coloured pixels (not just background)
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const scale = info.width / (Math.round(chartBox?.width ?? 0) + 32);
  const footerTop = Math.floor(info.height - 36 * scale);
  const footerBottom = Math.floor(info.height - 6 * scale);
  const bg = [data[0], data[1], data[2]];
  let inked = 0;
  for (let y = footerTop; y < footerBottom; y++) {
    for (let x = 0; x < info.width; x++) {
      const o = (y * info.width + x) * 3;
      if (Math.abs(data[o] - bg[0]) + Math.abs(data[o + 1] - bg[1]) + Math.abs(data[o + 2] - bg[2]) > 96) inked++;
    }
  }
  expect(inked, 'footer pixels').toBeGreaterThan(200);

  const bundlePath = await download(page, () => page.getByTestId('export-bundle').click());
  const exported = JSON.parse(readFileSync(bundlePath, 'utf8')) as { format: string; meta?: Record<string, unknown> };
  expect(exported.format).toBe('sage-embeddings/1');
  expect(exported.meta).toMatchObject({ app: 'SAGE Explorer', backend: 'precomputed embeddings' });
  expect(String(exported.meta?.date)).toMatch(/^\d{4}-\d\d-\d\dT/);

  const fresh = await page.context().newPage();
  await fresh.goto('/');
  await openBundleFile(fresh, bundlePath);
  await expectTableMatchesCli(fresh, bundle, 1);
  await fresh.close();
});

test('#report=<url> opens a report into the results view; links and reports from other versions say why they cannot open', async ({
  page,
}) => {
  // a report made in the app, then served at a URL of the app's origin
  await page.goto('/');
  await openBundleFile(page, bundle);
  await setK(page, 3);
  const before = await page.getByTestId('comparison-table').locator('tbody').innerText();
  const reportPath = await download(page, () => page.getByTestId('export-report').click());
  const reportText = readFileSync(reportPath, 'utf8');
  await page.route('**/shared/report.json', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: reportText }),
  );
  await page.goto('/#report=' + encodeURIComponent('/shared/report.json'));
  await page.reload();
  await expect(page.getByTestId('results-source')).toContainText('From the report');
  await expect(page.getByTestId('k-value')).toHaveText('3');
  expect(await page.getByTestId('comparison-table').locator('tbody').innerText()).toBe(before);

  // a link from a newer app version
  await page.goto('/#c=7.AAAA');
  await page.reload();
  await expect(page.getByTestId('link-error')).toContainText('newer version (v7)');

  // a report URL that is not http(s) is refused before any fetch
  await page.goto('/#report=' + encodeURIComponent('javascript:alert(1)'));
  await page.reload();
  await expect(page.getByTestId('link-error')).toContainText('must start with https:// or http://');

  // a report file of a newer format version, dropped
  const newer = join(mkdtempSync(join(tmpdir(), 'sage-old-')), 'newer-report.json');
  writeFileSync(newer, reportText.replace('"sage-report/1"', '"sage-report/9"'));
  await page.goto('/');
  await page.getByTestId('files-input').setInputFiles(newer);
  await expect(page.getByTestId('dropzone').getByRole('status')).toContainText('sage-report/9');
  await expect(page.getByTestId('results-source')).toHaveCount(0);

  // the skip link's in-page anchor is not mistaken for a broken link
  await page.goto('/#main');
  await expect(page.getByTestId('link-error')).toHaveCount(0);
});

test('a .zip dragged onto the drop zone and a CSV manifest with loose files both label the images; images can be re-tagged', async ({
  page,
}) => {
  // the folder as a .zip, dropped with a real drop event (DataTransfer built in the page)
  const entries: Record<string, Uint8Array> = {};
  for (const [group, count] of Object.entries(GROUP_SIZES)) {
    for (let i = 0; i < count; i++) {
      const name = `${String(i).padStart(3, '0')}.jpg`;
      entries[`birds/${group}/${name}`] = readFileSync(join(folder, group, name));
    }
  }
  const zip = Buffer.from(zipSync(entries)).toString('base64');
  await page.goto('/');
  await page.evaluate((data) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], 'birds.zip', { type: 'application/zip' }));
    const zone = document.querySelector('[data-testid=dropzone]');
    zone?.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    zone?.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, zip);
  const matrix = page.getByTestId('group-matrix');
  await expect(matrix).toBeVisible();
  for (const [group, count] of Object.entries(GROUP_SIZES)) {
    const [cls, attribute] = group.split('/');
    await expect(
      matrix.getByRole('button', { name: `${cls} / ${attribute}: ${count} images`, exact: false }),
    ).toBeVisible();
  }
  // tiny groups are flagged in text, not colour alone
  await expect(page.getByTestId('dataset-warnings')).toContainText(
    'landbird / water (3) and waterbird / land (4) have fewer than 5 images',
  );

  // re-tag two landbird/land images as waterbird/water from the grid
  await matrix.getByRole('button', { name: /^landbird \/ land: 9 images/ }).click();
  const grid = page.getByTestId('image-grid');
  await grid.getByRole('button').nth(0).click();
  await grid.getByRole('button').nth(1).click();
  await page.getByLabel('class', { exact: true }).fill('waterbird');
  await page.getByLabel('attribute', { exact: true }).fill('water');
  await page.getByRole('button', { name: 'Re-tag selected' }).click();
  await expect(matrix.getByRole('button', { name: /^landbird \/ land: 7 images/ })).toBeVisible();
  await expect(matrix.getByRole('button', { name: /^waterbird \/ water: 10 images/ })).toBeVisible();
  await page.screenshot({ path: join(ARTIFACTS, 'dataset-zip-retagged-1280.png'), fullPage: true });

  // a fresh page: loose files plus a manifest (path,class,attribute); an unlisted file is listed as skipped
  await page.goto('/');
  const loose = mkdtempSync(join(tmpdir(), 'sage-loose-'));
  const rows = ['path,class,attribute'];
  const files: string[] = [];
  let i = 0;
  for (const group of Object.keys(GROUP_SIZES)) {
    const [cls, attribute] = group.split('/');
    for (const name of ['000.jpg', '001.jpg']) {
      const flat = `img${i++}.jpg`;
      writeFileSync(join(loose, flat), readFileSync(join(folder, group, name)));
      rows.push(`${flat},${cls},${attribute}`);
      files.push(join(loose, flat));
    }
  }
  writeFileSync(join(loose, 'extra.jpg'), readFileSync(join(folder, 'landbird', 'land', '002.jpg')));
  writeFileSync(join(loose, 'labels.csv'), rows.join('\n') + '\n');
  await page.getByTestId('files-input').setInputFiles([...files, join(loose, 'extra.jpg'), join(loose, 'labels.csv')]);
  await expect(matrix.getByRole('button', { name: /^waterbird \/ land: 2 images/ })).toBeVisible();
  await expect(page.getByTestId('skipped-list')).toContainText('extra.jpg');
  await expect(page.getByTestId('skipped-list')).toContainText('not listed in labels.csv');
});

test('thumbnail grids are virtualised: 1,500 dropped images and a 3,000-image bundle keep the DOM small and scroll to the end', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const root = join(mkdtempSync(join(tmpdir(), 'sage-many-')), 'many');
  const tiny = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .png()
    .toBuffer();
  for (const group of ['a/x', 'a/y', 'b/x', 'b/y']) {
    mkdirSync(join(root, group), { recursive: true });
    for (let i = 0; i < 375; i++) writeFileSync(join(root, group, `${String(i).padStart(4, '0')}.png`), tiny);
  }
  await page.goto('/');
  await page.getByTestId('folder-input').setInputFiles(root);
  const grid = page.getByTestId('image-grid');
  await expect(grid).toHaveAttribute('aria-label', '1500 images');
  const rendered = await grid.locator('button.tile').count();
  expect(rendered).toBeGreaterThan(0);
  expect(rendered).toBeLessThan(200);
  await grid.evaluate((node) => node.scrollTo(0, node.scrollHeight));
  await expect(grid.getByTitle('many/b/y/0374.png')).toBeVisible();
  expect(await grid.locator('button.tile').count()).toBeLessThan(200);

  const big = join(mkdtempSync(join(tmpdir(), 'sage-big-')), 'big-bundle.json');
  writeSyntheticBundle(big, 3000);
  await page.goto('/');
  await openBundleFile(page, big);
  const gallery = page.getByTestId('gallery');
  await expect(gallery.locator('button').first()).toBeVisible();
  expect(await gallery.locator('button').count()).toBeLessThan(300);
  await gallery.evaluate((node) => node.scrollTo(0, node.scrollHeight));
  await expect(gallery.getByTitle('synthetic/dog/outdoor/02999.jpg')).toBeVisible();
  // the drill-down for one image: scores per method, top templates, SAGE's picks
  await gallery.getByTitle('synthetic/dog/outdoor/02999.jpg').click();
  const detail = page.getByTestId('image-detail');
  await expect(detail).toContainText('SAGE picked');
  // one row per method the comparison table could compute (this bundle has no group prompts and no attribute
  // texts, so those rows only say what is missing), then the top templates (all 3)
  const methods = await page.getByTestId('comparison-table').locator('tbody tr:not([data-unavailable])').count();
  expect(methods).toBeGreaterThanOrEqual(4);
  await expect(detail.locator('table').nth(0).locator('tbody tr')).toHaveCount(methods);
  await expect(detail.locator('table').nth(1).locator('tbody tr')).toHaveCount(3);
  await expect(detail.locator('table').nth(1).locator('tbody tr.selected')).toHaveCount(1);
  // filter: wrong only → every visible tile carries ✗
  await page.locator('#gallery-correct').selectOption('wrong');
  const wrong = gallery.locator('button');
  await expect(wrong.first()).toBeVisible();
  expect(await gallery.locator('button[data-correct=true]').count()).toBe(0);
});

test('phone width: no horizontal page overflow and the main controls stay on screen; keyboard reaches every control', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Choose a folder…' })).toBeInViewport();
  const overflow = () =>
    page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  // the dataset view and run panel (matrix, editors, model chooser) fit too
  await page.getByTestId('folder-input').setInputFiles(folder);
  await expect(page.getByTestId('group-matrix')).toBeVisible();
  expect(await overflow(), 'horizontal overflow with a dataset').toBeLessThanOrEqual(0);
  await expect(page.getByTestId('run-button')).toBeVisible();
  const run = await page.getByTestId('run-button').boundingBox();
  expect((run?.x ?? -1) >= 0 && (run?.x ?? 0) + (run?.width ?? 0) <= 390, 'run button on screen').toBe(true);
  await page.screenshot({ path: join(ARTIFACTS, 'dataset-390.png'), fullPage: true });
  await openBundleFile(page, bundle);
  expect(await overflow(), 'horizontal overflow with results').toBeLessThanOrEqual(0);
  for (const id of ['k-slider', 'comparison-table', 'export-report', 'copy-link']) {
    const box = await page.getByTestId(id).boundingBox();
    expect(box, id).not.toBeNull();
    expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + Math.min(box?.width ?? 0, 100) <= 390, `${id} starts on screen`).toBe(
      true,
    );
  }
  await page.screenshot({ path: join(ARTIFACTS, 'bundle-results-390.png'), fullPage: true });

  // keyboard: Tab from the top reaches the drop-zone buttons, the K slider, a method radio, a chart's table toggle and the exports
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.locator('body').focus();
  const reached = new Set<string>();
  for (let i = 0; i < 400 && reached.size < 6; i++) {
    await page.keyboard.press('Tab');
    const name = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      if (el.dataset.testid) return el.dataset.testid;
      if (el.textContent?.trim() === 'Add a folder…') return 'add-folder';
      if (el instanceof HTMLInputElement && el.type === 'radio' && el.name === 'method') return 'method-radio';
      if (el.textContent?.trim() === 'Show table') return 'show-table';
      return '';
    });
    for (const wanted of ['add-folder', 'k-slider', 'method-radio', 'show-table', 'export-report', 'export-csv-images'])
      if (name === wanted) reached.add(name);
  }
  expect([...reached].sort()).toEqual([
    'add-folder',
    'export-csv-images',
    'export-report',
    'k-slider',
    'method-radio',
    'show-table',
  ]);
  // the method radio works from the keyboard: arrows change the selected method
  await page.locator('tr[data-method=sage] input[type=radio]').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('tr[data-method=groupprompt]')).toHaveClass(/selected/);
});

test('themes: follows prefers-color-scheme, and the projector theme is high contrast', async ({ browser }) => {
  const dark = await browser.newContext({ colorScheme: 'dark' });
  const page = await dark.newPage();
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'auto');
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(21, 22, 26)');
  await page.getByLabel('colour theme').selectOption('projector');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'projector');
  const colours = await page.evaluate(() => ({
    bg: getComputedStyle(document.body).backgroundColor,
    fg: getComputedStyle(document.body).color,
  }));
  expect(colours).toEqual({ bg: 'rgb(0, 0, 0)', fg: 'rgb(255, 255, 255)' });
  await openBundleFile(page, bundle);
  await page.screenshot({ path: join(ARTIFACTS, 'projector-results-1280.png'), fullPage: true });
  await dark.close();

  const light = await browser.newContext({ colorScheme: 'light' });
  const lightPage = await light.newPage();
  await lightPage.goto('/');
  expect(await lightPage.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(247, 247, 245)');
  await light.close();
});

test('no layout jump while results stream: the run panel keeps its height and the table stays put', async ({
  page,
}) => {
  await page.goto('/?model=local:tiny-clip');
  await page.getByTestId('folder-input').setInputFiles(folder);
  await page.locator('#batch-size').fill('2');
  // sample layout every frame from the click until the run is done
  await page.evaluate(() => {
    const samples: {
      run: number;
      resultsTop: number | null;
      tableTop: number | null;
      tableBelowControls: number | null;
    }[] = [];
    (window as unknown as { __samples: typeof samples }).__samples = samples;
    const tick = () => {
      const run = document.getElementById('run')?.getBoundingClientRect();
      const results = document.getElementById('results')?.getBoundingClientRect();
      const table = document.querySelector('[data-testid=comparison-table]')?.getBoundingClientRect();
      const controls = document.querySelector('#results > .controls')?.getBoundingClientRect();
      if (run)
        samples.push({
          run: run.height,
          resultsTop: results ? results.top + window.scrollY : null,
          tableTop: table ? table.top + window.scrollY : null,
          tableBelowControls: table && controls ? table.top - controls.bottom : null,
        });
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.getByTestId('run-button').click();
  await expectRunFinished(page, /^Embedded/, 150_000);
  const samples = await page.evaluate(
    () =>
      (
        window as unknown as {
          __samples: {
            run: number;
            resultsTop: number | null;
            tableTop: number | null;
            tableBelowControls: number | null;
          }[];
        }
      ).__samples,
  );
  const runHeights = new Set(samples.map((s) => Math.round(s.run)));
  expect([...runHeights], 'run panel height while streaming').toHaveLength(1);
  // The headline and the "groups without results yet" note above the controls are live words and may change their
  // line count as groups fill; nothing between the controls and the table may move (the results body keeps its place).
  const tableOffsets = new Set(
    samples.filter((s) => s.tableBelowControls !== null).map((s) => Math.round(s.tableBelowControls as number)),
  );
  expect(tableOffsets.size, 'comparison table position under the controls while streaming').toBeLessThanOrEqual(1);
  const resultsTops = new Set(
    samples.filter((s) => s.resultsTop !== null).map((s) => Math.round(s.resultsTop as number)),
  );
  expect(resultsTops.size, 'results section position while streaming').toBeLessThanOrEqual(1);
  await page.screenshot({ path: join(ARTIFACTS, 'streamed-results-1280.png'), fullPage: true });
});

test('a run can be cancelled mid-way and shows the results for the images done so far', async ({ page }) => {
  // 600 copies of the grouped images: long enough on any machine to cancel inside the image phase
  const root = copyImageFolder(folder, 150);
  await page.goto('/?model=local:tiny-clip');
  await page.getByTestId('folder-input').setInputFiles(root);
  await page.locator('#batch-size').fill('1');
  await page.getByTestId('run-button').click();
  // progress reports images/s, ETA and the backend while it runs
  await expect(page.getByTestId('run-status')).toContainText(/[1-9]\d* \/ 600 images · [\d.]+ images\/s · ETA/, {
    timeout: 150_000,
  });
  await expect(page.getByTestId('runtime')).toContainText('Backend wasm');
  // results appear incrementally: the table is there while images are still being embedded
  await expect(page.getByTestId('comparison-table')).toBeVisible();
  await expect(page.getByTestId('results-source')).toContainText(/\b([1-9]\d?|[1-5]\d\d) of 600 images analysed/);
  console.log(`cancel test: ${await page.getByTestId('run-status').innerText()}`);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('run-status')).toContainText(/Cancelled after \d+ of 600 images/);
  await expect(page.getByTestId('comparison-table')).toBeVisible();
  const source = await page.getByTestId('results-source').innerText();
  const analysed = Number(/(\d+) of 600 images analysed/.exec(source)?.[1]);
  expect(analysed).toBeGreaterThan(0);
  expect(analysed).toBeLessThan(600);
  await expect(page.getByTestId('run-button')).toHaveText('Run again');
});

test('results views: δ is ranked, the embedding map shows a thumbnail on hover, and a report with thumbnails keeps them', async ({
  page,
  browser,
}) => {
  await page.goto('/?model=local:tiny-clip');
  await page.getByTestId('folder-input').setInputFiles(folder);
  await page.getByTestId('run-button').click();
  await expectRunFinished(page, /^Embedded/, 150_000);

  // δ per (class, attribute), ranked from the largest
  const discrepancy = page.getByTestId('discrepancy-chart');
  await discrepancy.getByRole('button', { name: 'Show table' }).click();
  const deltas = await discrepancy.locator('tbody tr td:nth-child(4)').allInnerTexts();
  expect(deltas.length).toBe(4);
  const values = deltas.map((d) => parseFloat(d.replace('%', '')));
  expect([...values].sort((a, b) => b - a)).toEqual(values);

  // the map: one legend entry per group, and hovering a point shows that image's thumbnail
  const map = page.getByTestId('embedding-map');
  await expect(map.locator('.recharts-legend-item')).toHaveCount(4);
  const point = map.locator('.recharts-scatter-symbol').first();
  await point.scrollIntoViewIfNeeded();
  await point.hover();
  await expect(map.locator('.map-tooltip img')).toBeVisible();
  await expect(map.locator('.map-tooltip img')).toHaveAttribute('src', /^blob:/);
  await page.screenshot({ path: join(ARTIFACTS, 'map-hover-1280.png'), fullPage: false });

  // a report with small thumbnails reopens with data-URL thumbnails on the map
  await page.getByLabel('include small thumbnails').check();
  const reportPath = await download(page, () => page.getByTestId('export-report').click());
  const other = await browser.newContext();
  const fresh = await other.newPage();
  await fresh.goto('/');
  await fresh.getByTestId('files-input').setInputFiles(reportPath);
  await expect(fresh.getByTestId('results-source')).toContainText('From the report');
  const freshPoint = fresh.getByTestId('embedding-map').locator('.recharts-scatter-symbol').first();
  await freshPoint.scrollIntoViewIfNeeded();
  await freshPoint.hover();
  await expect(fresh.getByTestId('embedding-map').locator('.map-tooltip img')).toHaveAttribute(
    'src',
    /^data:image\/jpeg;base64,/,
  );
  await other.close();
});

test('the configuration lives in the address bar: changing K or a class string rewrites #c=, and that URL restores it', async ({
  page,
  browser,
}) => {
  await page.goto('/?model=local:tiny-clip');
  await page.getByTestId('folder-input').setInputFiles(folder);
  await page.locator('#class-text-0').fill('a bird that lives on land');
  await expect.poll(() => page.url()).toContain('#c=');
  await openBundleFile(page, bundle);
  await setK(page, 6);
  const entries = await page.evaluate(() => window.history.length);
  await expect
    .poll(async () => {
      const other = await browser.newContext();
      const probe = await other.newPage();
      await probe.goto(page.url());
      const k = await probe
        .getByTestId('config-k')
        .innerText()
        .catch(() => '');
      await other.close();
      return k;
    })
    .toBe('6');
  // rewritten in place: no history entry per change
  expect(await page.evaluate(() => window.history.length)).toBe(entries);
});
