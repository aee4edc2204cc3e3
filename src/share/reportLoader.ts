/**
 * Opening a report from a URL (`#report=<url>`) or a dropped file, size-capped and validated, and
 * telling a dropped report from a dropped embedding bundle. Never throws: every failure is a message.
 * A report at another origin is fetched only because the user opened that link; the server must allow
 * CORS, and no credentials are sent cross-origin (fetch's default 'same-origin').
 */
import { parseBundle } from '../core/bundle';
import type { EmbeddingBundle } from '../core/types';
import { errorMessage } from '../core/errors';
import { describeValue } from '../core/schemaErrors';
import type { ReportParseResult } from './reportFormat';
import { parseReport, parseReportValue } from './reportRead';

/** Default cap: a 10,000-image report with 512-d embeddings is ~30 MB. */
export const REPORT_MAX_BYTES = 256 * 1024 * 1024;

export interface LoadReportOptions {
  /** injectable for tests; defaults to the global fetch */
  fetch?: typeof fetch;
  maxBytes?: number;
  signal?: AbortSignal;
}

function megabytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

export async function loadReportFromUrl(url: string, options: LoadReportOptions = {}): Promise<ReportParseResult> {
  const maxBytes = options.maxBytes ?? REPORT_MAX_BYTES;
  const doFetch = options.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await doFetch(url, { signal: options.signal, headers: { Accept: 'application/json' } });
  } catch (e) {
    if (isAbort(e)) return { ok: false, error: 'loading the report was cancelled' };
    return {
      ok: false,
      error: `could not fetch the report from ${url} (${errorMessage(e)}). If it is on another site, that site must allow cross-origin requests (CORS).`,
    };
  }
  if (!response.ok)
    return { ok: false, error: `the server answered ${response.status} ${response.statusText} for ${url}`.trim() };
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return {
      ok: false,
      error: `the report is ${megabytes(declared)}, more than the ${megabytes(maxBytes)} this app opens`,
    };
  }
  const body = await readCapped(response, maxBytes);
  if (!body.ok) return body;
  return parseReportBytes(body.bytes);
}

/** A dropped or picked report file. */
export async function loadReportFromFile(file: Blob, maxBytes: number = REPORT_MAX_BYTES): Promise<ReportParseResult> {
  if (file.size > maxBytes)
    return {
      ok: false,
      error: `the file is ${megabytes(file.size)}, more than the ${megabytes(maxBytes)} this app opens`,
    };
  try {
    return parseReportBytes(new Uint8Array(await file.arrayBuffer()));
  } catch (e) {
    return { ok: false, error: `could not read the file (${errorMessage(e)})` };
  }
}

function parseReportBytes(bytes: Uint8Array): ReportParseResult {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, error: 'the report is not UTF-8 text' };
  }
  return parseReport(text);
}

async function readCapped(
  response: Response,
  maxBytes: number,
): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; error: string }> {
  if (!response.body) return { ok: true, bytes: new Uint8Array(await response.arrayBuffer()) };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return {
          ok: false,
          error: `the report is larger than the ${megabytes(maxBytes)} this app opens; stopped reading`,
        };
      }
      chunks.push(value);
    }
  } catch (e) {
    if (isAbort(e)) return { ok: false, error: 'loading the report was cancelled' };
    return {
      ok: false,
      error: `the connection failed while reading the report (${errorMessage(e)})`,
    };
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { ok: true, bytes };
}

function isAbort(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

export type DroppedJson =
  | { kind: 'report'; result: ReportParseResult }
  | { kind: 'bundle'; result: { ok: true; bundle: EmbeddingBundle } | { ok: false; error: string } }
  | { kind: 'invalid'; error: string };

/**
 * A dropped .json is either a report or an embedding bundle (issue 5 §6): parse once, route by
 * `format`, validate with the matching parser (the core's for bundles).
 */
export function openDroppedJson(text: string): DroppedJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { kind: 'invalid', error: `this file is not valid JSON (${errorMessage(e)})` };
  }
  const format =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>).format
      : undefined;
  if (typeof format === 'string' && format.startsWith('sage-embeddings/')) {
    try {
      return { kind: 'bundle', result: { ok: true, bundle: parseBundle(value) } };
    } catch (e) {
      return { kind: 'bundle', result: { ok: false, error: errorMessage(e) } };
    }
  }
  if (typeof format === 'string' && format.startsWith('sage-report/'))
    return { kind: 'report', result: parseReportValue(value) };
  return {
    kind: 'invalid',
    error:
      format === undefined
        ? 'this is not a SAGE Explorer file: it has no "format" field (a report says "sage-report/…", an embeddings bundle "sage-embeddings/…")'
        : `this is not a SAGE Explorer file: its format is ${describeValue(format)}, expected "sage-report/…" or "sage-embeddings/…"`,
  };
}
