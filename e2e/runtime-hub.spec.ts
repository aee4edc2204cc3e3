/**
 * The hub path in the browser worker (issue 4 §3–4), with huggingface.co answered by Playwright from the tiny
 * model (no machine here reaches the hub): a hub id loads through transformers.js, its files and the ORT WASM
 * land in Cache Storage, and a second page loads the same model with the hub unreachable.
 */
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuntimeCheckApi } from './runtime-check';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TINY = join(ROOT, 'models/tiny-clip');
const HUB_ID = 'test-org/tiny-clip';

test.beforeAll(() => {
  if (!existsSync(join(TINY, 'onnx/vision_model.onnx'))) {
    execFileSync('npm', ['run', 'models:synth', '--', '--size', 'tiny'], { cwd: ROOT, stdio: 'inherit' });
  }
});

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': '*',
  'access-control-expose-headers': 'content-length, content-range, etag',
};

/** huggingface.co/<id>/resolve/main/<file> → models/tiny-clip/<file>; or, offline, every request fails. */
async function fakeHub(page: Page, online: boolean, served: string[]): Promise<void> {
  await page.route('https://huggingface.co/**', async (route) => {
    if (!online) return route.abort('internetdisconnected');
    const request = route.request();
    if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: CORS });
    const match = /^\/([\w.-]+\/[\w.-]+)\/resolve\/[^/]+\/(.+)$/.exec(new URL(request.url()).pathname);
    const file = match && match[1] === HUB_ID ? normalize(join(TINY, decodeURIComponent(match[2]))) : '';
    if (!file.startsWith(TINY + sep) || !existsSync(file) || !statSync(file).isFile()) return route.fulfill({ status: 404, headers: CORS });
    const body = readFileSync(file);
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers().range ?? '');
    if (range) {
      const start = Number(range[1]);
      const end = range[2] === '' ? body.length - 1 : Math.min(Number(range[2]), body.length - 1);
      return route.fulfill({ status: 206, headers: { ...CORS, 'content-range': `bytes ${start}-${end}/${body.length}` }, body: body.subarray(start, end + 1) });
    }
    served.push(match?.[2] ?? '');
    return route.fulfill({ status: 200, headers: CORS, body });
  });
}

async function loadHubModel(page: Page) {
  await page.goto('/e2e/runtime-check.html');
  await page.waitForFunction(() => window.__sageRuntime !== undefined);
  return page.evaluate((id) => (window.__sageRuntime as RuntimeCheckApi).load({ kind: 'hub', id }, 'wasm', 'fp32'), HUB_ID);
}

async function cachedUrls(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await (await caches.open('transformers-cache')).keys()).map((request) => request.url));
}

test('a hub model loads in the worker, is cached with the ORT WASM, and loads again with the hub offline', async ({ page, context }) => {
  const served: string[] = [];
  await fakeHub(page, true, served);
  const first = await loadHubModel(page);
  expect(first.runtime).toMatchObject({ backend: 'wasm', dtype: 'fp32', modelId: HUB_ID });
  expect(served).toEqual(expect.arrayContaining(['onnx/text_model.onnx', 'onnx/vision_model.onnx', 'tokenizer.json', 'config.json']));
  const text = await page.evaluate(() => (window.__sageRuntime as RuntimeCheckApi).embedText(['a photo of a cat']));

  const cached = await cachedUrls(page);
  const hubPrefix = `https://huggingface.co/${HUB_ID}/resolve/main/`;
  expect(cached).toEqual(expect.arrayContaining([`${hubPrefix}onnx/text_model.onnx`, `${hubPrefix}onnx/vision_model.onnx`, `${hubPrefix}tokenizer.json`]));
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
  expect(message).toMatch(/could not load model file [\w/.]+ from https:\/\/huggingface\.co\/test-org\/missing-model\/resolve\/main\/[\w/.]+/);
  expect(message).toMatch(/offline or the hub is unreachable.*"local folder".*drop the model folder/);
});
