/**
 * The service-worker fallback for hosts that cannot send COOP/COEP (issue 4 §6): the built app, served by a
 * plain static server with no isolation headers, must register public/coi-serviceworker.js, reload once,
 * and come back cross-origin isolated (so onnxruntime-web can use threads), with the app still rendering.
 */
import { expect, test } from '@playwright/test';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// the folder playwright.config.ts' webServer just built (parallel runs build into their own)
const DIST = resolve(ROOT, process.env.E2E_DIST ?? 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
};

let server: Server;
let origin: string;

test.beforeAll(async () => {
  if (!existsSync(join(DIST, 'index.html')))
    throw new Error(`no built app in ${DIST} (the Playwright webServer builds it)`);
  // a static host that sends no COOP/COEP/CORP headers, like GitHub Pages
  server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    let file = normalize(join(DIST, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(DIST + sep)) file = join(DIST, 'index.html');
    if (!existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
    });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise<void>((done) => server.close(() => done()));
});

test.use({ serviceWorkers: 'allow' });

test('without COOP/COEP headers the service worker makes the app cross-origin isolated', async ({ page }) => {
  const first = await page.request.get(`${origin}/`);
  expect(first.headers()['cross-origin-embedder-policy']).toBeUndefined();

  await page.goto(`${origin}/`);
  // the first load is not isolated; coi-serviceworker.js registers and reloads once
  await expect
    .poll(async () => page.evaluate(() => self.crossOriginIsolated).catch(() => false), { timeout: 60_000 })
    .toBe(true);
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(
    `${origin}/coi-serviceworker.js`,
  );
  expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
  await expect(page.getByRole('heading', { name: 'SAGE Explorer' })).toBeVisible();

  // a second visit is isolated from its first byte (the worker serves the navigation)
  await page.reload();
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
});

test('with the headers the worker registers for offline visits without reloading, and a second visit works offline', async ({
  page,
  context,
}) => {
  await page.goto('/?model=local:tiny-clip');
  await expect(page.getByRole('heading', { name: 'SAGE Explorer' })).toBeVisible();
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  await expect
    .poll(async () => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? ''), { timeout: 30_000 })
    .toContain('/coi-serviceworker.js');
  // isolated by the host's headers: no reload was needed
  expect(await page.evaluate(() => sessionStorage.getItem('sage-coi-reloaded'))).toBeNull();
  await context.setOffline(true);
  try {
    await page.reload();
    await expect(page.getByRole('heading', { name: 'SAGE Explorer' })).toBeVisible();
    await expect(page.getByRole('button', { name: /try the example/i })).toBeVisible();
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  } finally {
    await context.setOffline(false);
  }
});
