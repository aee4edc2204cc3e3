import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeBundle } from '../core/bundle';
import { buildReport, stringifyReport } from './reportBuild';
import { loadReportFromFile, loadReportFromUrl, openDroppedJson } from './reportLoader';
import { runFixture } from './testSupport';

const built = buildReport(runFixture().input);
if (!built.ok) throw new Error(built.error);
const reportText = stringifyReport(built.report);

/** A fetch that answers with the given Response and records whether the body was cancelled. */
function fakeFetch(make: () => Response): typeof fetch {
  return (async () => make()) as typeof fetch;
}

function streamOf(chunks: number, chunkSize: number, onCancel: () => void): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ >= chunks) controller.close();
      else controller.enqueue(new Uint8Array(chunkSize).fill(32));
    },
    cancel: onCancel,
  });
}

describe('loadReportFromUrl', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/report.json')
        response.writeHead(200, { 'content-type': 'application/json' }).end(reportText);
      else response.writeHead(404, 'Not Found').end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fetches and parses a report over HTTP', async () => {
    const result = await loadReportFromUrl(`${base}/report.json`);
    expect(result.ok && result.report).toEqual(built.report);
  });

  it('names the HTTP status', async () => {
    expect(await loadReportFromUrl(`${base}/missing.json`)).toEqual({
      ok: false,
      error: `the server answered 404 Not Found for ${base}/missing.json`,
    });
  });

  it('explains a network or CORS failure', async () => {
    const failing = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const result = await loadReportFromUrl('https://elsewhere.example/r.json', { fetch: failing });
    expect(result).toEqual({
      ok: false,
      error:
        'could not fetch the report from https://elsewhere.example/r.json (Failed to fetch). If it is on another site, that site must allow cross-origin requests (CORS).',
    });
  });

  it('refuses a declared size over the cap without reading the body', async () => {
    let cancelled = false;
    const response = () =>
      new Response(
        streamOf(10, 1024, () => (cancelled = true)),
        { headers: { 'content-length': String(600 * 1024 * 1024) } },
      );
    const result = await loadReportFromUrl('https://x.example/r.json', { fetch: fakeFetch(response) });
    expect(result).toEqual({ ok: false, error: 'the report is 600 MB, more than the 256 MB this app opens' });
    expect(cancelled).toBe(true);
  });

  it('stops reading a body that grows past the cap (no or false content-length)', async () => {
    let cancelled = false;
    let chunksRead = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        chunksRead++;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
      cancel: () => {
        cancelled = true;
      },
    });
    const result = await loadReportFromUrl('https://x.example/r.json', {
      fetch: fakeFetch(() => new Response(stream)),
      maxBytes: 1024 * 1024,
    });
    expect(result).toEqual({ ok: false, error: 'the report is larger than the 1 MB this app opens; stopped reading' });
    expect(cancelled).toBe(true);
    expect(chunksRead).toBeLessThan(20);
  });

  it('reports bytes that are not UTF-8, and JSON that is not a report', async () => {
    const bytes = () => new Response(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
    expect(await loadReportFromUrl('https://x.example/r', { fetch: fakeFetch(bytes) })).toEqual({
      ok: false,
      error: 'the report is not UTF-8 text',
    });
    const other = () => new Response('{"format":"something/1"}');
    const result = await loadReportFromUrl('https://x.example/r', { fetch: fakeFetch(other) });
    expect(!result.ok && result.error).toBe(
      'this file is not a SAGE Explorer report: its format is "something/1", expected "sage-report/1"',
    );
  });

  it('says when loading was cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await loadReportFromUrl(`${base}/report.json`, { signal: controller.signal });
    expect(result).toEqual({ ok: false, error: 'loading the report was cancelled' });
  });
});

describe('loadReportFromFile and openDroppedJson', () => {
  it('opens a dropped report file and refuses one over the cap', async () => {
    const result = await loadReportFromFile(new Blob([reportText]));
    expect(result.ok).toBe(true);
    expect(await loadReportFromFile(new Blob(['{}']), 1)).toEqual({
      ok: false,
      error: 'the file is 2 bytes, more than the 1 bytes this app opens',
    });
  });

  it('routes a report, a bundle and anything else', () => {
    const asReport = openDroppedJson(reportText);
    expect(asReport.kind === 'report' && asReport.result.ok).toBe(true);
    const bundleText = serializeBundle(runFixture().bundle);
    const asBundle = openDroppedJson(bundleText);
    expect(asBundle.kind === 'bundle' && asBundle.result.ok && asBundle.result.bundle.images.length).toBe(24);
    const broken = openDroppedJson(bundleText.replace('"dim":8', '"dim":7'));
    expect(broken.kind).toBe('bundle');
    expect(broken.kind === 'bundle' && !broken.result.ok && broken.result.error).toMatch(
      /^text embedding 1 \(template 1 with class landbird\) holds 8 float32 values \(base64\), expected 7$/,
    );
    expect(openDroppedJson('{"format":1}')).toEqual({
      kind: 'invalid',
      error: 'this is not a SAGE Explorer file: its format is 1, expected "sage-report/…" or "sage-embeddings/…"',
    });
    expect(openDroppedJson('nope').kind).toBe('invalid');
  });
});
