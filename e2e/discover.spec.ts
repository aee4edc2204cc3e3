/**
 * Issue 14 in the browser: discovery on the example set (synthetic CLIP, so the words themselves mean little),
 * a word handed off as the attribute every view groups by, and back to the real labels.
 */
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ARTIFACTS, expectRunFinished } from './explorerFixtures';

/** The group chart's group names, from its table view (switched on when the chart shows). */
async function groupNames(page: Page): Promise<string[]> {
  const frame = page.getByTestId('group-chart');
  const toggle = frame.getByRole('button', { name: 'Show table' });
  if ((await toggle.count()) > 0) await toggle.click();
  return frame.getByTestId('group-table').locator('tbody th').allTextContents();
}

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test('discover on the example set, turn a word into groups, and go back', async ({ page }) => {
  test.setTimeout(360_000);
  await page.goto('/?model=local:tiny-clip');
  await page.getByTestId('try-example').click();
  await expectRunFinished(page, /^Embedded/, 240_000);
  const realGroups = ['landbird / land', 'landbird / water', 'waterbird / land', 'waterbird / water'];
  await expect.poll(() => groupNames(page)).toEqual(realGroups);

  // reachable from the results header
  await page.getByTestId('open-discover').click();
  const discover = page.getByTestId('discover');
  await expect(discover.getByText('CLIP does both jobs here')).toBeVisible();
  // the vocabulary prompts are read by the loaded model after the run (no sentence about missing prompts)
  await expect(discover.getByTestId('discover-results')).toBeVisible({ timeout: 120_000 });
  await expect(discover.getByTestId('vocabulary-missing')).toHaveCount(0);
  await expect(discover.getByTestId('discover-results')).toHaveAttribute('data-method', 'zeroshot');
  await expect(discover.getByTestId('discover-class')).toHaveCount(2);

  // a wider top-k tags more words per image, so the synthetic model's lists are not empty
  await discover.getByTestId('discover-top-k').fill('20');
  const word = discover.getByTestId('group-by-word').first();
  await expect(word).toBeVisible();
  const chosen = ((await word.textContent()) ?? '').trim();
  expect(chosen).not.toBe('');
  // every number of a row is explained
  const list = discover.locator('.discover-table').first();
  for (const term of ['B2T score', 'δ when present', 'n present / absent', 'MI (nats)'])
    await expect(
      list.locator('thead').getByRole('button', { name: new RegExp(term.replace(/[()]/g, '.')) }),
    ).toHaveCount(1);

  // the self-check: the example's real attribute 'water' (folder name; its attribute word is a phrase) is looked up
  await discover.getByTestId('self-check').locator('summary').click();
  const selfCheckRows = discover.getByTestId('self-check-table').locator('tbody tr');
  await expect(selfCheckRows).toHaveCount(4);
  await expect(selfCheckRows.filter({ hasText: 'water' }).first()).not.toContainText('not in the vocabulary');

  for (const width of [1440, 1024, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await discover.scrollIntoViewIfNeeded();
    await discover.screenshot({ path: join(ARTIFACTS, `discover-${width}.png`) });
    expect(await horizontalOverflow(page), `horizontal page overflow at ${width} px`).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  // one click: the word becomes the attribute of every view
  await word.click();
  const note = page.getByTestId('inferred-attribute-note');
  await expect(note).toBeVisible();
  await expect(note.getByTestId('inferred-badge')).toHaveText('inferred attribute');
  await expect(note).toContainText(`‘${chosen}’`);
  const isInferred = (g: string) => g.endsWith(` / ${chosen}`) || g.endsWith(` / not ${chosen}`);
  await expect.poll(async () => (await groupNames(page)).every(isInferred)).toBe(true);
  const inferredGroups = await groupNames(page);
  expect(inferredGroups.some((g) => g.endsWith(` / not ${chosen}`))).toBe(true);
  expect(inferredGroups.some((g) => g.endsWith(` / ${chosen}`) && !g.endsWith(`not ${chosen}`))).toBe(true);
  // the δ table and the gallery's group filter follow
  await page.getByTestId('discrepancy-chart').getByRole('button', { name: 'Show table' }).click();
  await expect(page.getByTestId('discrepancy-table').locator('tbody td:nth-child(3)').first()).toHaveText(
    new RegExp(`^(not )?${chosen}$`),
  );
  await expect(page.locator('#gallery-group option', { hasText: `/ not ${chosen}` }).first()).toBeAttached();
  // the comparison with the real labels (the example carries them)
  await expect(discover.getByTestId('agreement-table')).toHaveCount(2);
  await expect(discover.getByTestId('discover-inferred')).toContainText('inferred attribute');
  await page.screenshot({ path: join(ARTIFACTS, 'discover-inferred-1280.png'), fullPage: true });

  await page.getByLabel('colour theme').selectOption('projector');
  await note.scrollIntoViewIfNeeded();
  await page.locator('#results').screenshot({ path: join(ARTIFACTS, 'discover-inferred-projector.png') });
  await discover.screenshot({ path: join(ARTIFACTS, 'discover-projector.png') });
  await page.getByLabel('colour theme').selectOption('light');

  // a set of words: any of them vs the rest
  const boxes = discover.locator('.discover-table tbody input[type=checkbox]');
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  const picked = ((await discover.getByTestId('picked-bar').locator('strong').textContent()) ?? '').split(', ');
  expect(picked.length).toBe(2);
  await discover.getByTestId('group-by-picked').click();
  await expect.poll(() => groupNames(page)).toContain(`landbird / ${picked.join('/')}`);
  await expect.poll(() => groupNames(page)).toContain('landbird / other');

  // back to the real labels
  await note.getByTestId('real-labels').click();
  await expect(note).toHaveCount(0);
  await expect.poll(() => groupNames(page)).toEqual(realGroups);
});
