/**
 * The browser worker (onnxruntime-web, WASM) against the Node CLI (onnxruntime-node) on the same tiny
 * synthetic model and images: embeddings must agree (max |Δ| < 1e-4), batch size must not matter, and a
 * second pass must come from the IndexedDB cache. The Node side is computed here by running the real CLI.
 */
import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
// core/bundle imports a JSON module, which Playwright's loader rejects; the vectors are base64 float32 either way
import { base64ToFloats } from '../src/core/base64';
import type { RuntimeCheckApi, RuntimeCheckOutcome } from './runtime-check';
import { ensureTinyModel, FIXTURES, fixtureImageFolder, ROOT, TINY } from './tinyModelFixtures';

const IMAGES = [
  { id: 'waterbird/water/landscape.jpg', file: 'landscape.jpg' },
  { id: 'waterbird/land/alpha.png', file: 'alpha.png' },
  { id: 'landbird/land/gray.png', file: 'gray.png' },
];
const PROMPTS = ['a photo of a landbird.', 'a photo of a waterbird.'];

interface NodeReference {
  images: Map<string, Float32Array>;
  text: Float32Array[];
  dim: number;
}

let node: NodeReference;
const browserRuns: Map<string, number[]>[] = [];

test.beforeAll(() => {
  ensureTinyModel();
  const set = fixtureImageFolder(
    'sage-e2e-runtime-',
    IMAGES.map((image) => [image.id, image.file] as const),
    'set',
  );
  const dir = dirname(set);
  writeFileSync(join(dir, 'templates.json'), JSON.stringify(['a photo of a {}.']));
  const out = join(dir, 'bundle.json');
  const run = spawnSync(
    process.execPath,
    [
      join(ROOT, 'bin/sage-explorer.js'),
      'embed',
      set,
      '--model',
      TINY,
      '--templates',
      join(dir, 'templates.json'),
      '--dtype',
      'fp32',
      '--out',
      out,
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`embed CLI failed: ${run.stderr}`);
  const bundle = JSON.parse(readFileSync(out, 'utf8')) as {
    dim: number;
    classes: string[];
    text: string[];
    images: { id: string; embedding: string }[];
  };
  const images = new Map<string, Float32Array>(
    bundle.images.map((image) => [image.id, base64ToFloats(image.embedding)]),
  );
  const text = bundle.text.map((row) => base64ToFloats(row));
  expect(bundle.classes).toEqual(['landbird', 'waterbird']);
  node = { images, text, dim: bundle.dim };
});

async function openRuntime(page: Page): Promise<void> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/e2e/runtime-check.html');
  await page.waitForFunction(() => window.__sageRuntime !== undefined);
  const loaded = await page.evaluate(() =>
    (window.__sageRuntime as RuntimeCheckApi).load({ kind: 'local', name: 'tiny-clip' }, 'wasm', 'fp32'),
  );
  expect(loaded.runtime).toMatchObject({
    backend: 'wasm',
    dtype: 'fp32',
    modelId: 'local:tiny-clip',
    crossOriginIsolated: true,
  });
  // isolated page → multithreaded WASM: min(cores, 4) threads (backend.ts MAX_WASM_THREADS)
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  expect(loaded.runtime.threads).toBe(Math.max(1, Math.min(cores, 4)));
  expect(loaded.dim).toBe(node.dim);
  expect(errors).toEqual([]);
}

async function embedInBrowser(page: Page, batchSize: number) {
  const payload = IMAGES.map((image) => ({
    id: image.id,
    base64: readFileSync(join(FIXTURES, image.file)).toString('base64'),
  }));
  return page.evaluate(([images, size]) => (window.__sageRuntime as RuntimeCheckApi).embedImages(images, size), [
    payload,
    batchSize,
  ] as const);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

function compareWithNode(outcomes: RuntimeCheckOutcome[], label: string): Map<string, number[]> {
  const embeddings = new Map<string, number[]>();
  const perImage: string[] = [];
  let overall = 0;
  for (const outcome of outcomes) {
    if (!outcome.ok) throw new Error(`${outcome.id}: ${outcome.reason}`);
    const reference = node.images.get(outcome.id);
    if (!reference) throw new Error(`no Node embedding for ${outcome.id}`);
    const diff = maxAbsDiff(outcome.embedding, reference);
    perImage.push(`${outcome.id.split('/').pop()} ${diff.toExponential(2)}`);
    overall = Math.max(overall, diff);
    embeddings.set(outcome.id, outcome.embedding);
  }
  console.log(`[runtime] ${label}: browser vs node max |Δ| = ${overall.toExponential(2)} (${perImage.join(', ')})`);
  expect(overall).toBeLessThan(1e-4);
  return embeddings;
}

for (const batchSize of [1, 4]) {
  test(`worker (WASM) embeddings equal the Node CLI's, batch ${batchSize}`, async ({ page }) => {
    await openRuntime(page);
    const first = await embedInBrowser(page, batchSize);
    expect(first.outcomes).toHaveLength(IMAGES.length);
    expect(first.batches).toBe(Math.ceil(IMAGES.length / batchSize));
    expect(first.outcomes.every((o) => o.ok && !o.fromCache)).toBe(true);
    console.log(
      `[runtime] batch ${batchSize}: ${IMAGES.length} images in ${first.ms.toFixed(0)} ms (${((IMAGES.length / first.ms) * 1000).toFixed(1)} img/s, first call)`,
    );
    browserRuns.push(compareWithNode(first.outcomes, `batch ${batchSize}`));

    // a second pass over the same bytes comes from IndexedDB: nothing is re-embedded
    const second = await embedInBrowser(page, batchSize);
    expect(second.outcomes.every((o) => o.ok && o.fromCache)).toBe(true);

    const text = await page.evaluate(
      (prompts) => (window.__sageRuntime as RuntimeCheckApi).embedText(prompts),
      PROMPTS,
    );
    const textDiff = Math.max(...text.map((row, c) => maxAbsDiff(row, node.text[c])));
    console.log(`[runtime] text: browser vs node max |Δ| = ${textDiff.toExponential(2)}`);
    expect(textDiff).toBeLessThan(1e-4);
  });
}

test('a worker that crashes mid-run is restarted, the model reloaded, and the run finishes with the same embeddings', async ({
  page,
}) => {
  await openRuntime(page);
  await page.evaluate(() => (window.__sageRuntime as RuntimeCheckApi).crashAfterBatches(1));
  const run = await embedInBrowser(page, 1);
  expect(run.restarts).toBe(1);
  expect(run.outcomes.map((o) => o.id).sort()).toEqual(IMAGES.map((i) => i.id).sort());
  compareWithNode(run.outcomes, 'after a worker crash');
  // the restarted worker wrote to the same IndexedDB: a second pass re-embeds nothing
  const again = await embedInBrowser(page, 1);
  expect(again.restarts).toBe(0);
  expect(again.outcomes.every((o) => o.ok && o.fromCache)).toBe(true);
});

test('batch size does not change any browser embedding', () => {
  expect(browserRuns).toHaveLength(2);
  const [one, four] = browserRuns;
  let max = 0;
  for (const [id, embedding] of one) max = Math.max(max, maxAbsDiff(embedding, four.get(id) ?? []));
  console.log(`[runtime] browser batch 1 vs 4 max |Δ| = ${max.toExponential(2)}`);
  expect(max).toBeLessThan(1e-6);
});
