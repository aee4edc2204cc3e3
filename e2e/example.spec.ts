/** "Try the example" loads waterbirds-lite with its groups and class strings and runs it end to end. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ARTIFACTS, ROOT, expectRunFinished } from './explorerFixtures';

interface Manifest {
  images: { class: string; attribute: string }[];
  classes: { folder: string; text: string }[];
}

test('the example loads and runs', async ({ page }) => {
  const manifest = JSON.parse(
    readFileSync(join(ROOT, 'public', 'examples', 'waterbirds-lite', 'manifest.json'), 'utf8'),
  ) as Manifest;
  const count = (cls: string, attribute: string) =>
    manifest.images.filter((i) => i.class === cls && i.attribute === attribute).length;

  await page.goto('/?model=local:tiny-clip');
  await page.screenshot({ path: join(ARTIFACTS, 'start-1280.png') });
  await page.getByTestId('try-example').click();
  const matrix = page.getByTestId('group-matrix');
  await expect(matrix).toBeVisible();
  await expect(matrix.locator('tbody tr').first().locator('th')).toHaveText('landbird');
  await expect(matrix.locator('tbody tr').first().locator('td').first().locator('.count')).toContainText(
    String(count('landbird', 'land')),
  );
  await expect(page.locator('#class-text-0')).toHaveValue(manifest.classes[0].text);
  await expectRunFinished(page, /^Embedded/, 170_000);
  await expect(page.getByTestId('results-source')).toContainText(
    `${manifest.images.length} of ${manifest.images.length} images analysed`,
  );
  await expect(page.getByTestId('comparison-table').locator('tr[data-method=groupprompt]')).toBeVisible();
  await page.screenshot({ path: join(ARTIFACTS, 'example-results-1280.png'), fullPage: true });
});
