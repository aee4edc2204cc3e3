/**
 * Model download failing half-way (issue 7, faults), end to end on Node: tiny CLIP from a local "hub"
 * (HF_ENDPOINT) whose connection breaks off in the middle of onnx/vision_model.onnx. transformers.js keeps
 * hub files in a file cache (SAGE_MODEL_CACHE); a broken download must be resumed, or fail naming the
 * file, and never leave a partial file in that cache.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadClipNode } from './nodeClip';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tinyModel = join(root, 'models/tiny-clip');
const BROKEN = 'onnx/vision_model.onnx';
const PREFIX = '/sage/tiny-clip/resolve/main/';

/** breaks: how many more times the vision weights break off half-way (Infinity: always). */
let breaks = 0;
const requests: { file: string; range: string | undefined }[] = [];
let server: Server;

beforeAll(async () => {
  if (!existsSync(join(tinyModel, BROKEN)))
    execFileSync('npm', ['run', 'models:synth', '--', '--size', 'tiny'], { cwd: root, stdio: 'inherit' });
  server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const file = path.startsWith(PREFIX) ? path.slice(PREFIX.length) : '';
    const onDisk = join(tinyModel, file);
    if (file === '' || file.includes('..') || !existsSync(onDisk) || !statSync(onDisk).isFile()) {
      response.writeHead(404).end();
      return;
    }
    requests.push({ file, range: request.headers.range });
    const bytes = readFileSync(onDisk);
    // transformers.js probes with bytes=0-0 (metadata); resumes ask bytes=<n>-
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
    const from = range ? Number(range[1]) : 0;
    const to = range && range[2] !== '' ? Math.min(Number(range[2]), bytes.length - 1) : bytes.length - 1;
    const body = bytes.subarray(from, to + 1);
    const headers = { 'Content-Type': 'application/octet-stream', 'Content-Length': String(body.length) };
    if (range) response.writeHead(206, { ...headers, 'Content-Range': `bytes ${from}-${to}/${bytes.length}` });
    else response.writeHead(200, headers);
    if (request.method === 'HEAD') return void response.end();
    if (file === BROKEN && body.length > 1 && breaks > 0) {
      breaks--;
      // half the body, then the connection drops
      response.write(body.subarray(0, Math.floor(body.length / 2)), () => response.destroy());
      return;
    }
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function useHub(): string {
  const cache = mkdtempSync(join(tmpdir(), 'sage-model-cache-'));
  process.env.HF_ENDPOINT = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  process.env.SAGE_MODEL_CACHE = cache;
  requests.length = 0;
  return cache;
}

/** Every file under `dir`, relative. */
function filesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

async function embedOne(model: string): Promise<Float32Array> {
  const png = new Uint8Array(
    await sharp({ create: { width: 24, height: 24, channels: 3, background: '#c63' } })
      .png()
      .toBuffer(),
  );
  const { embedder } = await loadClipNode(model, { dtype: 'fp32' });
  const outcomes = [];
  for await (const batch of embedder.embedImages([{ id: 'a.png', read: async () => png }], 1))
    outcomes.push(...batch.outcomes);
  await embedder.dispose();
  const [first] = outcomes;
  if (!first.ok) throw new Error(first.reason);
  return first.embedding;
}

describe('model download breaking off half-way', () => {
  it('is resumed from where it broke; the model works and the cached file is whole', async () => {
    const cache = useHub();
    breaks = 1;
    const viaHub = await embedOne('sage/tiny-clip');
    const downloads = requests.filter((r) => r.file === BROKEN && r.range !== 'bytes=0-0');
    expect(downloads.map((r) => r.range)).toEqual([undefined, expect.stringMatching(/^bytes=[1-9]\d*-$/)]);
    const cachedFile = filesIn(cache).find((f) => f.endsWith(BROKEN));
    expect(cachedFile).toBeDefined();
    expect(readFileSync(join(cache, cachedFile as string))).toEqual(readFileSync(join(tinyModel, BROKEN)));
    expect(Array.from(viaHub)).toEqual(Array.from(await embedOne(tinyModel)));
  }, 60_000);

  it('fails after the retries with a message naming the file; nothing partial is cached, and the next load works', async () => {
    const cache = useHub();
    breaks = Number.POSITIVE_INFINITY;
    const error = await loadClipNode('sage/tiny-clip', { dtype: 'fp32' }).then(
      () => null,
      (e: unknown) => e as Error & { file?: string },
    );
    expect(error?.message).toMatch(
      /^could not load model file onnx\/vision_model\.onnx from http:\/\/127\.0\.0\.1:\d+\/sage\/tiny-clip\/resolve\/main\/onnx\/vision_model\.onnx: .*broke off after \d+ of \d+ bytes \(4 attempts\)/,
    );
    expect(error?.file).toBe(BROKEN);
    expect(requests.filter((r) => r.file === BROKEN && r.range !== 'bytes=0-0')).toHaveLength(4);
    // no partial (or temporary) vision weights were left in the cache
    expect(filesIn(cache).filter((f) => f.includes('vision_model'))).toEqual([]);

    breaks = 0;
    expect((await embedOne('sage/tiny-clip')).length).toBeGreaterThan(0);
  }, 60_000);
});
