/**
 * The hub path in the browser worker (issue 4 §3–4), with huggingface.co answered by Playwright from the tiny
 * model (no machine here reaches the hub): a hub id loads through transformers.js, its files and the ORT WASM
 * land in Cache Storage, and a second page loads the same model with the hub unreachable.
 */
import { expect, test, type Page } from '@playwright/test';
import type { RuntimeCheckApi } from './runtime-check';
import { ensureTinyModel, serveTinyModelAsHub } from './tinyModelFixtures';

const HUB_ID = 'test-org/tiny-clip';

test.beforeAll(ensureTinyModel);

/** The tiny model at huggingface.co/<HUB_ID>, recording the files asked for; or, offline, every request fails. */
async function fakeHub(page: Page, online: boolean, served: string[]): Promise<void> {
  if (!online) {
    await page.route('https://huggingface.co/**', (route) => {
      served.push(route.request().url());
      return route.abort('internetdisconnected');
    });
    return;
  }
  await serveTinyModelAsHub(page, HUB_ID, (_url, file) => served.push(file));
}

async function loadHubModel(page: Page) {
  await page.goto('/e2e/runtime-check.html');
  await page.waitForFunction(() => window.__sageRuntime !== undefined);
  return page.evaluate(
    (id) => (window.__sageRuntime as RuntimeCheckApi).load({ kind: 'hub', id }, 'wasm', 'fp32'),
    HUB_ID,
  );
}

async function cachedUrls(page: Page): Promise<string[]> {
  return page.evaluate(async () =>
    (await (await caches.open('transformers-cache')).keys()).map((request) => request.url),
  );
}

test('a hub model loads in the worker, is cached with the ORT WASM, and loads again with the hub offline', async ({
  page,
  context,
}) => {
  const served: string[] = [];
  await fakeHub(page, true, served);
  const first = await loadHubModel(page);
  expect(first.runtime).toMatchObject({ backend: 'wasm', dtype: 'fp32', modelId: HUB_ID });
  expect(served).toEqual(
    expect.arrayContaining(['onnx/text_model.onnx', 'onnx/vision_model.onnx', 'tokenizer.json', 'config.json']),
  );
  const text = await page.evaluate(() => (window.__sageRuntime as RuntimeCheckApi).embedText(['a photo of a cat']));

  const cached = await cachedUrls(page);
  const hubPrefix = `https://huggingface.co/${HUB_ID}/resolve/main/`;
  expect(cached).toEqual(
    expect.arrayContaining([
      `${hubPrefix}onnx/text_model.onnx`,
      `${hubPrefix}onnx/vision_model.onnx`,
      `${hubPrefix}tokenizer.json`,
    ]),
  );
  // the self-hosted ONNX Runtime files too (useWasmCache), so a second visit needs no network for them either
  expect(cached.some((url) => /\/ort\/ort-wasm[^/]*\.wasm$/.test(url))).toBe(true);

  // second visit, hub unreachable: everything comes from Cache Storage
  const offline = await context.newPage();
  const servedOffline: string[] = [];
  await fakeHub(offline, false, servedOffline);
  const second = await loadHubModel(offline);
  expect(second.runtime.modelId).toBe(HUB_ID);
  const again = await offline.evaluate(() => (window.__sageRuntime as RuntimeCheckApi).embedText(['a photo of a cat']));
  expect(again).toEqual(text);
  expect(servedOffline).toEqual([]);
});

test('a hub model that is not there: the error names the file, its hub URL and what to do', async ({ page }) => {
  await fakeHub(page, true, []);
  await page.goto('/e2e/runtime-check.html');
  await page.waitForFunction(() => window.__sageRuntime !== undefined);
  const message = await page.evaluate(() =>
    (window.__sageRuntime as RuntimeCheckApi).load({ kind: 'hub', id: 'test-org/missing-model' }, 'wasm', 'fp32').then(
      () => 'loaded',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    ),
  );
  expect(message).toMatch(
    /could not load model file [\w/.]+ from https:\/\/huggingface\.co\/test-org\/missing-model\/resolve\/main\/[\w/.]+/,
  );
  expect(message).toMatch(/offline or the hub is unreachable.*"local folder".*drop the model folder/);
});
