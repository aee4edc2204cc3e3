/**
 * Set-up shared by the runtime specs: the tiny synthetic CLIP they run on, small folders of the committed
 * preprocessing fixtures laid out as class/attribute/image, and the tiny model served as if from the hub
 * (no machine here reaches huggingface.co).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from '@playwright/test';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const TINY = join(ROOT, 'models/tiny-clip');
export const FIXTURES = join(ROOT, 'src/model/fixtures');

/** setup:test generates the model; a spec run on its own makes sure it is there. */
export function ensureTinyModel(): void {
  if (!existsSync(join(TINY, 'onnx/vision_model.onnx'))) {
    execFileSync('npm', ['run', 'models:synth', '--', '--size', 'tiny'], { cwd: ROOT, stdio: 'inherit' });
  }
}

/** A fresh `<tmp>/<prefix>…/<name>` folder with each fixture image copied to its class/attribute path. */
export function fixtureImageFolder(
  prefix: string,
  images: readonly (readonly [path: string, fixture: string])[],
  name = 'birds',
): string {
  const folder = join(mkdtempSync(join(tmpdir(), prefix)), name);
  for (const [path, fixture] of images) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    copyFileSync(join(FIXTURES, fixture), join(folder, path));
  }
  return folder;
}

const HUB_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': '*',
  'access-control-expose-headers': 'content-length, content-range, etag',
  'cross-origin-resource-policy': 'cross-origin',
};

/**
 * Answers https://huggingface.co/<hubId>/resolve/<rev>/<file> with models/tiny-clip/<file> (byte ranges
 * included, as resumed downloads ask), 404 for anything else. `onRequest` sees each request's URL and the
 * file it asked for ('' when it named no file of this model).
 */
export async function serveTinyModelAsHub(
  target: Page | BrowserContext,
  hubId: string,
  onRequest: (url: string, file: string) => void = () => undefined,
): Promise<void> {
  await target.route('https://huggingface.co/**', async (route) => {
    const request = route.request();
    if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: HUB_HEADERS });
    const match = /^\/([\w.-]+\/[\w.-]+)\/resolve\/[^/]+\/(.+)$/.exec(new URL(request.url()).pathname);
    const file = match && match[1] === hubId ? decodeURIComponent(match[2]) : '';
    onRequest(request.url(), file);
    const path = normalize(join(TINY, file));
    if (file === '' || !path.startsWith(TINY + sep) || !existsSync(path) || !statSync(path).isFile())
      return route.fulfill({ status: 404, headers: HUB_HEADERS, body: 'not found' });
    const body = readFileSync(path);
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers().range ?? '');
    const headers = { ...HUB_HEADERS, 'content-type': 'application/octet-stream' };
    if (range) {
      const start = Number(range[1]);
      const end = range[2] === '' ? body.length - 1 : Math.min(Number(range[2]), body.length - 1);
      return route.fulfill({
        status: 206,
        headers: { ...headers, 'content-range': `bytes ${start}-${end}/${body.length}` },
        body: body.subarray(start, end + 1),
      });
    }
    return route.fulfill({ status: 200, headers, body });
  });
}
