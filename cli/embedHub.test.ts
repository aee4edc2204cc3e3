/**
 * `embed --model <hub id>` through the real hub code path, against a local fake hub (HF_ENDPOINT): download
 * progress in MB, files fetched once then served from the on-disk cache, the same embeddings as the folder,
 * and a failed download that names the file, its URL and what to do. (No machine here reaches the real hub.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBundle } from '../src/core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TINY = join(ROOT, 'models/tiny-clip');
const FIXTURES = join(ROOT, 'src/model/fixtures');

let server: Server;
let endpoint: string;
/** paths requested from the fake hub, in order */
const requests: string[] = [];
/** files the fake hub answers with HTTP 500 */
const broken = new Set<string>(['broken-org/tiny-clip/onnx/text_model.onnx']);

beforeAll(async () => {
  if (!existsSync(join(TINY, 'onnx/vision_model.onnx'))) {
    execFileSync('npm', ['run', 'models:synth', '--', '--size', 'tiny'], { cwd: ROOT, stdio: 'inherit' });
  }
  // <owner>/<name>/resolve/<revision>/<file> → models/tiny-clip/<file>, like huggingface.co
  server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    requests.push(`${request.method} ${path}${request.headers.range ? ` ${request.headers.range}` : ''}`);
    const match = /^\/([\w.-]+\/[\w.-]+)\/resolve\/[^/]+\/(.+)$/.exec(path);
    const file = match ? normalize(join(TINY, match[2])) : '';
    if (match && broken.has(`${match[1]}/${match[2]}`)) return void response.writeHead(500).end('boom');
    if (!match || !file.startsWith(TINY + sep) || !existsSync(file) || !statSync(file).isFile())
      return void response.writeHead(404).end();
    // honour Range like the hub does (transformers.js probes sizes with "bytes=0-0")
    const size = statSync(file).size;
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const end = range && range[2] !== '' ? Math.min(Number(range[2]), size - 1) : size - 1;
    const headers = {
      'Content-Length': String(end - start + 1),
      'Content-Type': 'application/octet-stream',
      'Accept-Ranges': 'bytes',
    };
    if (range) response.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${end}/${size}` });
    else response.writeHead(200, headers);
    if (request.method === 'HEAD') return void response.end();
    createReadStream(file, { start, end }).pipe(response);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((done) => server.close(() => done()));
});

/** The CLI as a child process, asynchronously (the fake hub lives in this process and must keep answering). */
function runCliAsync(
  args: string[],
  environment: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/sage-explorer.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, SAGE_DEBUG: '', ...environment },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

function imageSet(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sage-hub-set-'));
  for (const [path, file] of [
    ['waterbird/water/a.jpg', 'landscape.jpg'],
    ['landbird/land/c.png', 'gray.png'],
  ]) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    copyFileSync(join(FIXTURES, file), join(dir, path));
  }
  return dir;
}

describe('embed --model <hub id> (fake hub via HF_ENDPOINT)', () => {
  it('downloads with MB progress, caches on disk, and embeds exactly like the same model as a folder', async () => {
    const set = imageSet();
    const cacheDir = mkdtempSync(join(tmpdir(), 'sage-hub-cache-'));
    const environment = { HF_ENDPOINT: endpoint, SAGE_MODEL_CACHE: cacheDir };
    // fp32 explicitly (the default for Node is q8, which tiny-clip also ships): the files fetched are listed below
    const args = ['embed', set, '--model', 'test-org/tiny-clip', '--dtype', 'fp32'];
    requests.length = 0;
    const first = await runCliAsync([...args, '--out', join(set, 'hub.json')], environment);
    expect(first.status, first.stderr).toBe(0);
    const visionMb = (statSync(join(TINY, 'onnx/vision_model.onnx')).size / 1024 / 1024).toFixed(1);
    expect(first.stderr).toContain(`download onnx/vision_model.onnx: ${visionMb}/${visionMb} MB (all files: `);
    expect(first.stderr).toMatch(/download onnx\/text_model\.onnx: 6\.2\/6\.2 MB/);
    // one full download per weight file (ranged "bytes=0-0" probes aside)
    expect(requests.filter((r) => r.startsWith('GET') && r.endsWith('.onnx')).sort()).toEqual([
      'GET /test-org/tiny-clip/resolve/main/onnx/text_model.onnx',
      'GET /test-org/tiny-clip/resolve/main/onnx/vision_model.onnx',
    ]);

    // second run: every model file comes from SAGE_MODEL_CACHE, none from the hub
    requests.length = 0;
    const second = await runCliAsync([...args, '--out', join(set, 'hub2.json')], environment);
    expect(second.status, second.stderr).toBe(0);
    expect(requests.filter((r) => r.startsWith('GET'))).toEqual([]);

    // the same model as a folder gives the same vectors; the bundle names the hub id
    const local = await runCliAsync(
      ['embed', set, '--model', TINY, '--dtype', 'fp32', '--out', join(set, 'local.json')],
      {},
    );
    expect(local.status, local.stderr).toBe(0);
    const hub = parseBundle(readFileSync(join(set, 'hub.json'), 'utf8'));
    const folder = parseBundle(readFileSync(join(set, 'local.json'), 'utf8'));
    expect(hub.model).toBe('test-org/tiny-clip');
    expect(hub.meta).toMatchObject({ modelId: 'test-org/tiny-clip', backend: 'node', dtype: 'fp32' });
    expect(Array.from(hub.imageEmbeddings)).toEqual(Array.from(folder.imageEmbeddings));
    expect(Array.from(hub.text)).toEqual(Array.from(folder.text));
  }, 120_000);

  it('a failed download names the file, its URL and what to do', async () => {
    const run = await runCliAsync(['embed', imageSet(), '--model', 'broken-org/tiny-clip', '--dtype', 'fp32'], {
      HF_ENDPOINT: endpoint,
      SAGE_MODEL_CACHE: mkdtempSync(join(tmpdir(), 'sage-hub-cache-')),
    });
    expect(run.status).toBe(1);
    expect(run.stderr).not.toContain('internal error');
    expect(run.stderr).toContain(
      `embed: could not load model file onnx/text_model.onnx from ${endpoint}/broken-org/tiny-clip/resolve/main/onnx/text_model.onnx`,
    );
    expect(run.stderr).toMatch(/offline or the hub is unreachable.*local folder.*--model.*HF_ENDPOINT/);
  }, 120_000);

  it('an unreachable hub: the message names the first file it could not fetch and its URL', async () => {
    const run = await runCliAsync(['embed', imageSet(), '--model', 'Xenova/clip-vit-base-patch32'], {
      HF_ENDPOINT: 'http://127.0.0.1:9',
      SAGE_MODEL_CACHE: mkdtempSync(join(tmpdir(), 'sage-hub-cache-')),
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /embed: could not load model file ([\w/.]+) from http:\/\/127\.0\.0\.1:9\/Xenova\/clip-vit-base-patch32\/resolve\/main\/\1: /,
    );
  }, 120_000);

  it('an HF_ENDPOINT that is not a URL is refused by name', async () => {
    const run = await runCliAsync(['embed', imageSet(), '--model', 'test-org/tiny-clip'], { HF_ENDPOINT: 'not a url' });
    expect(run.stderr).toMatch(/^sage-explorer: HF_ENDPOINT: expected a URL/m);
    expect(run.status).toBe(2);
  });
});
