// Manual check that a generated model runs in Chromium on onnxruntime-web's WASM backend and agrees
// with onnxruntime-node: `npx tsx models/synth/check-ort-web.ts [models/tiny-clip]`.
// It prints numbers rather than asserting; the app's real browser test lives in e2e/.

import { createReadStream, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import * as ortNode from 'onnxruntime-node';
import { TEXT_FILE, VISION_FILE } from './generate.ts';
import { maxAbsDiff, smoothRandomImage } from './test-support.ts';

interface PageResult {
  image?: number[];
  text?: number[];
  error?: string;
  isolated?: boolean;
}

const repoRoot = resolve(import.meta.dirname, '..', '..');
const modelFolder = resolve(process.argv[2] ?? join(repoRoot, 'models', 'tiny-clip'));
const ortDist = join(repoRoot, 'node_modules', 'onnxruntime-web', 'dist');
const INPUT_IDS = [49406, 320, 1125, 539, 320, 2368, 49407, 49407]; // "a photo of a cat" + one pad
const CONTENT_TYPES: Record<string, string> = { '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

// The page receives the pixels from the server, so both runtimes see identical inputs.
const pixels = smoothRandomImage(1);
const PAGE = `<!doctype html><script type="module">
import * as ort from '/ort/ort.wasm.min.mjs';
ort.env.wasm.wasmPaths = '/ort/';
ort.env.wasm.numThreads = Number(new URLSearchParams(location.search).get('threads'));
try {
  const pixels = new Float32Array(await (await fetch('/pixels')).arrayBuffer());
  const options = { executionProviders: ['wasm'] };
  const vision = await ort.InferenceSession.create('/model/${VISION_FILE}', options);
  const image = await vision.run({ pixel_values: new ort.Tensor('float32', pixels, [1, 3, 224, 224]) });
  const text = await ort.InferenceSession.create('/model/${TEXT_FILE}', options);
  const ids = BigInt64Array.from(${JSON.stringify(INPUT_IDS)}.map(BigInt));
  const textOut = await text.run({ input_ids: new ort.Tensor('int64', ids, [1, ids.length]) });
  window.result = { image: Array.from(image.image_embeds.data), text: Array.from(textOut.text_embeds.data), isolated: crossOriginIsolated };
} catch (error) {
  window.result = { error: String(error) };
}
</script>`;

const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const server = createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (path === '/') {
    response.writeHead(200, { 'content-type': 'text/html', ...isolationHeaders });
    response.end(PAGE);
    return;
  }
  if (path === '/pixels') {
    response.writeHead(200, { 'content-type': 'application/octet-stream', ...isolationHeaders });
    response.end(Buffer.from(pixels.buffer));
    return;
  }
  const file = path.startsWith('/ort/')
    ? join(ortDist, path.slice(5))
    : path.startsWith('/model/')
      ? join(modelFolder, path.slice(7))
      : '';
  if (!file || !existsSync(file)) {
    response.writeHead(404);
    response.end();
    return;
  }
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    ...isolationHeaders,
  });
  createReadStream(file).pipe(response);
});

async function nodeOutputs(): Promise<{ image: Float32Array; text: Float32Array }> {
  const vision = await ortNode.InferenceSession.create(join(modelFolder, VISION_FILE));
  const text = await ortNode.InferenceSession.create(join(modelFolder, TEXT_FILE));
  const image = await vision.run({ pixel_values: new ortNode.Tensor('float32', pixels, [1, 3, 224, 224]) });
  const ids = BigInt64Array.from(INPUT_IDS.map(BigInt));
  const textOut = await text.run({ input_ids: new ortNode.Tensor('int64', ids, [1, ids.length]) });
  return { image: image.image_embeds.data as Float32Array, text: textOut.text_embeds.data as Float32Array };
}

async function main(): Promise<void> {
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  const reference = await nodeOutputs();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  let failed = false;
  try {
    for (const threads of [1, 2]) {
      const page = await browser.newPage();
      const started = Date.now();
      await page.goto(`http://127.0.0.1:${port}/?threads=${threads}`);
      await page.waitForFunction(() => (window as unknown as { result?: PageResult }).result !== undefined, null, {
        timeout: 600_000,
      });
      const result = await page.evaluate(() => (window as unknown as { result: PageResult }).result);
      await page.close();
      if (result.error || !result.image || !result.text) {
        failed = true;
        console.log(`threads=${threads}: ${result.error ?? 'no output'}`);
        continue;
      }
      console.log(
        `threads=${threads} crossOriginIsolated=${result.isolated} load+run ${Date.now() - started} ms; ` +
          `max |web - node|: image_embeds ${maxAbsDiff(result.image, reference.image).toExponential(2)}, ` +
          `text_embeds ${maxAbsDiff(result.text, reference.text).toExponential(2)}`,
      );
    }
  } finally {
    await browser.close();
    server.close();
  }
  if (failed) process.exitCode = 1;
}

await main();
