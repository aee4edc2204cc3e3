/**
 * What the page's hash asks for: `#c=<config link>[&r=<results>]`, `#report=<url>`, `#tour`, or nothing.
 * Parsing never throws; a malformed hash becomes `{ kind: 'invalid', error }` for the UI to show.
 */
import type { ConfigDecodeResult } from './urlState';
import { decodeSharedLink, type LinkReportDecodeResult } from './linkReport';

export type HashRoute =
  | { kind: 'none' }
  | { kind: 'tour' }
  /** `result` is the decoded (or refused) configuration; `results` the link's results part (null: none) */
  | { kind: 'config'; result: ConfigDecodeResult; results: LinkReportDecodeResult | null }
  /** an absolute http(s) URL to fetch with loadReportFromUrl */
  | { kind: 'report'; url: string }
  | { kind: 'invalid'; error: string };

/** `hash` as in `location.hash`; `pageUrl` (location.href) resolves a relative report URL. */
export function parseHashRoute(hash: string, pageUrl: string): HashRoute {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  if (body === '') return { kind: 'none' };
  if (body === 'tour') return { kind: 'tour' };
  if (body.startsWith('c=')) {
    const link = decodeSharedLink(body);
    return { kind: 'config', result: link.config, results: link.results };
  }
  if (body.startsWith('report=')) return reportRoute(body.slice('report='.length), pageUrl);
  const shown = body.length > 40 ? `${body.slice(0, 40)}…` : body;
  return { kind: 'invalid', error: `unknown link part "#${shown}": expected #c=…, #report=… or #tour` };
}

function reportRoute(encoded: string, pageUrl: string): HashRoute {
  if (encoded === '') return { kind: 'invalid', error: '#report= needs the address of a report' };
  if (encoded.length > 8192) return { kind: 'invalid', error: 'the report address is too long (over 8192 characters)' };
  let text: string;
  try {
    text = decodeURIComponent(encoded);
  } catch {
    return { kind: 'invalid', error: 'the report address is not correctly %-encoded' };
  }
  let url: URL;
  try {
    url = new URL(text, pageUrl);
  } catch {
    return { kind: 'invalid', error: `the report address ${JSON.stringify(text.slice(0, 200))} is not a valid URL` };
  }
  // Only http(s): no javascript:, data:, blob: or file: addresses from a link someone sent.
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { kind: 'invalid', error: `the report address must start with https:// or http:// (got ${url.protocol})` };
  }
  return { kind: 'report', url: url.href };
}

/** `#report=<url>` for a report published at `url`. */
export function reportHash(url: string): string {
  return `#report=${encodeURIComponent(url)}`;
}
