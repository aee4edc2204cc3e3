/**
 * Ingest robustness in the browser (issue 7): the bad-file fixtures dropped into the app. Files decidable
 * from their first bytes are skipped at the drop, the rest by the worker's decoder (createImageBitmap /
 * the JS PNG decoder) during the run, each with its reason; the awkward-but-valid ones (16-bit, CMYK,
 * grayscale, alpha, EXIF-rotated, unicode and long names, duplicates) embed like `sage-explorer embed`
 * embeds them in Node, which is what shows orientation, colour conversion and bit depth are handled alike.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { LONG_NAME, UNICODE_NAME, writeRobustnessFixtures, type Fixture } from '../scripts/robustness-fixtures';
import { ARTIFACTS, embedWithCli, expectRunFinished } from './explorerFixtures';

/** A sage-embeddings/1 or report vector: base64 little-endian float32, or a plain array. */
function floats(value: string | number[]): Float32Array {
  if (Array.isArray(value)) return Float32Array.from(value);
  const raw = Buffer.from(value, 'base64');
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}

test('bad files are listed with their reason, awkward valid ones embed as in Node', async ({ page }) => {
  const root = join(mkdtempSync(join(tmpdir(), 'sage-e2e-robust-')), 'drop');
  // two classes so the run can start: the same fixtures under both
  const fixtures: Fixture[] = await writeRobustnessFixtures(join(root, 'cls'));
  await writeRobustnessFixtures(join(root, 'other'));
  const good = fixtures.filter((f) => f.expect.decodes);
  const bad = fixtures.filter((f) => !f.expect.decodes);

  await page.goto('/?model=local:tiny-clip');
  await page.getByTestId('folder-input').setInputFiles(root);
  await expect(page.getByTestId('group-matrix')).toBeVisible();
  const skipped = page.getByTestId('skipped-list');
  // decided at the drop from name and first bytes (the ingest's wording, src/state/ingest/ingest.robustness.test.ts)
  const atDrop: Record<string, RegExp> = {
    'bad/zero-byte.jpg': /empty file \(0 bytes\)/,
    'bad/text-named.jpg': /not an image: the file contains text/,
    'bad/vector.svg': /SVG is a vector format/,
    'bad/iphone.heic': /HEIC images are not supported/,
    'bad/scan.tiff': /TIFF images are not supported/,
  };
  for (const path of Object.keys(atDrop)) await expect(skipped).toContainText(`cls/${path}`);

  await page.getByTestId('run-button').click();
  await expectRunFinished(page, /^Embedded/, 150_000);
  await expect(page.getByTestId('results-source')).not.toContainText('updating');
  // every bad fixture is listed once per class; the rest with the reason the Node decoder gives (same wording)
  const listed = await skipped.locator('li').allInnerTexts();
  for (const fixture of bad) {
    for (const cls of ['cls', 'other']) {
      const lines = listed.filter((text) => text.includes(`drop/${cls}/${fixture.path} `));
      expect(lines, `${cls}/${fixture.path}`).toHaveLength(1);
      if (fixture.expect.decodes) continue;
      expect(lines[0], fixture.path).toMatch(atDrop[fixture.path] ?? fixture.expect.reason);
    }
  }
  // sent to the worker: all but the files refused at the drop; analysed: the ones that decode
  const sent = 2 * (fixtures.length - Object.keys(atDrop).length);
  await expect(page.getByTestId('results-source')).toContainText(`${2 * good.length} of ${sent} images analysed`);

  // the browser's embeddings of the valid odd files equal the CLI's (tiny CLIP, fp32, same preprocessing)
  const downloadPromise = page.waitForEvent('download');
  await page.getByTestId('export-report').click();
  const reportPath = join(ARTIFACTS, 'robustness-report.json');
  await (await downloadPromise).saveAs(reportPath);
  // read as plain JSON (the report module pulls in the core's JSON imports, which Playwright's loader refuses)
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as {
    dataset: { images: { id: string }[] };
    embeddings?: { dim: number; images: string };
  };
  if (!report.embeddings) throw new Error('the report has no embeddings');
  const bundle = JSON.parse(readFileSync(embedWithCli(root), 'utf8')) as {
    dim: number;
    images: { id: string; embedding: string | number[] }[];
  };
  const dim = bundle.dim;
  expect(report.embeddings.dim).toBe(dim);
  const all = floats(report.embeddings.images);
  const browserById = new Map(
    report.dataset.images.map((image, i) => [image.id, all.subarray(i * dim, (i + 1) * dim)]),
  );
  const names: string[] = [];
  let worst = 0;
  for (const fixture of good) {
    const id = `drop/cls/${fixture.path}`;
    const browser = browserById.get(id);
    const entry = bundle.images.find((image) => image.id === `cls/${fixture.path}` || image.id === id);
    expect(browser, id).toBeDefined();
    expect(entry, `CLI bundle has ${fixture.path}`).toBeDefined();
    const node = floats(entry?.embedding ?? []);
    expect(node).toHaveLength(dim);
    let maxDiff = 0;
    node.forEach((x, d) => (maxDiff = Math.max(maxDiff, Math.abs(x - (browser as Float32Array)[d]))));
    // measured 4.8e-7 (both use libjpeg-turbo); a missed rotation or colour conversion moved it by 0.37
    expect(maxDiff, `${fixture.what}: max |browser − node|`).toBeLessThan(1e-4);
    worst = Math.max(worst, maxDiff);
    names.push(fixture.path);
  }
  console.log(
    `${good.length} awkward valid files: max |browser − node| over all embedding values = ${worst.toExponential(2)}`,
  );
  expect(names).toContain(`odd/${UNICODE_NAME}`);
  expect(names).toContain(`odd/${LONG_NAME}`);
});

test('reload during a run: the embeddings done so far survive, and running again takes them from the cache', async ({
  page,
}) => {
  await page.goto('/?model=local:tiny-clip');
  await page.getByTestId('try-example').click();
  const status = page.getByTestId('run-status');
  // wait until some batches are in (each batch is stored before it is reported), then reload mid-run
  await expect(status).toHaveText(/^(?:[2-9]\d|1[0-3]\d) \/ 150 images/, { timeout: 150_000 });
  const doneBeforeReload = Number(/^(\d+)/.exec(await status.innerText())?.[1]);
  await page.reload();
  await page.getByTestId('try-example').click();
  await expect(status).toContainText('Embedded 150 images', { timeout: 150_000 });
  const fromCache = Number(/, (\d+) from the cache/.exec(await status.innerText())?.[1] ?? 0);
  console.log(`reloaded after ${doneBeforeReload} of 150 images; the next run took ${fromCache} from the cache`);
  expect(fromCache).toBeGreaterThanOrEqual(doneBeforeReload);
  expect(fromCache).toBeLessThan(150);
  await expect(page.getByTestId('results-source')).toContainText('150 of 150 images analysed');
});
