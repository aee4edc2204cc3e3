/**
 * ExplorerConfig ⇄ URL hash fragment: `#c=<version>.<base64url(deflate-raw(json) ‖ fnv1a32)>`.
 *
 * - Never images, never embeddings: only the configuration (classes, attributes, templates, method …).
 * - Compact: fields equal to the v1 defaults are omitted, and the template pool is written as references
 *   into the built-in 80-template pool plus literal strings for custom or edited templates, so a link with
 *   the default pool stays well under 200 characters. Custom pools are stored in full.
 * - Safe to decode anything: input length is capped before decoding, a checksum rejects corrupted links
 *   before inflating, inflation is streamed in 1 KiB steps and stopped once the output passes a cap
 *   (zip bombs are refused with bounded memory), and every field is validated with a named error.
 *   Decoding returns a discriminated result and never throws.
 * - Versioned: the defaults and the template pool referenced by indices are part of format v1 (pinned
 *   here, not taken from the app's current defaults), so an old link decodes the same forever; a future
 *   v2 adds a migration step from v1 in LINK_MIGRATIONS.
 * - A link may carry a small summary of the results after the configuration, `#c=…&r=…` (linkReport.ts): the
 *   `c` part stays exactly this format, so links without results are unchanged.
 */
import { Inflate, deflateSync } from 'fflate';
import clipTemplates from '../core/clipTemplates.json';
import type { ExplorerConfig } from '../core/config';
import { decodeBase64Url, encodeBase64Url } from '../core/base64';
import * as v from 'valibot';
import { errorMessage } from '../core/errors';
import { check, describeValue, list, problemSentence, type SchemaProblem } from '../core/schemaErrors';
import { checkExplorerConfig, LINK_PLACES } from './configValidation';
import { migrateToCurrent, type Migrations } from './versioning';

export const LINK_VERSION = 1;

/** Older link versions → one step newer. Empty while v1 is the only version. */
export const LINK_MIGRATIONS: Migrations = {};

export const LINK_LIMITS = {
  /** characters of the `<version>.<data>` parameter; a longer link is refused before any decoding */
  encodedChars: 100_000,
  /** bytes of JSON after inflating */
  decompressedBytes: 1 << 20,
} as const;

/** The built-in pool as it was when link v1 was defined: indices in links refer to this list. */
export const LINK_V1_TEMPLATE_POOL: readonly string[] = clipTemplates;

/** Values a v1 link omits. Pinned to the format, deliberately not imported from app defaults. */
export const LINK_V1_DEFAULTS = {
  model: 'Xenova/clip-vit-base-patch32',
  dtype: 'fp32',
  groupPromptPattern: 'a photo of a {class} on {attribute}.',
  method: 'sage',
  k: 1,
  aggregate: 'embedding',
  seed: 0,
  zeroshotTemplate: 39,
} as const satisfies Partial<ExplorerConfig>;

/** Short payload keys → ExplorerConfig fields (also used to name fields in errors). */
const FIELD_KEYS = {
  model: 'm',
  dtype: 'd',
  classes: 'c',
  attributes: 'a',
  templates: 't',
  groupPromptPattern: 'g',
  method: 'me',
  k: 'k',
  aggregate: 'ag',
  seed: 's',
  zeroshotTemplate: 'z',
  phrasings: 'ph',
  acceptPairs: 'ap',
  lambda: 'l',
} as const satisfies Record<keyof ExplorerConfig, string>;

/**
 * The SPEC §7 settings at their defaults (pinned like LINK_V1_DEFAULTS): omitted from a link, and a link
 * without them means these. Added to v1 additively: older apps ignore the keys with a warning.
 */
export const LINK_V1_METHOD_DEFAULTS = {
  phrasings: ['{}', 'a photo of {}.', 'a photo with a {} background.'],
  lambda: 1000,
} as const;
const METHOD_KEYS = ['phrasings', 'acceptPairs', 'lambda'] as const;

/**
 * One entry of an encoded template pool: an index into the v1 pool, an inclusive index range
 * `[first, last]`, or a literal template.
 */
type TemplateItem = number | [number, number] | string;

export type ConfigDecodeResult =
  { ok: true; config: ExplorerConfig; warnings: string[]; migratedFrom?: number } | { ok: false; error: string };

export interface DecodeOptions {
  /** for tests of the migration hook; defaults to LINK_MIGRATIONS */
  migrations?: Migrations;
}

// ---------------------------------------------------------------- encoding

/** `<version>.<data>`: the value of the `c` hash parameter. */
export function encodeConfigParam(config: ExplorerConfig): string {
  return `${LINK_VERSION}.${encodePayload(compactConfig(config))}`;
}

/** `#c=<version>.<data>` */
export function configToHash(config: ExplorerConfig): string {
  return `#c=${encodeConfigParam(config)}`;
}

/** The page URL with its hash replaced by the configuration. */
export function shareUrl(config: ExplorerConfig, pageUrl: string): string {
  const hashAt = pageUrl.indexOf('#');
  return (hashAt < 0 ? pageUrl : pageUrl.slice(0, hashAt)) + configToHash(config);
}

/** Encodes any JSON payload in the link byte format (exported for tests and future versions). */
export function encodePayload(payload: unknown): string {
  const json = new TextEncoder().encode(JSON.stringify(payload));
  const deflated = deflateSync(json, { level: 9 });
  const bytes = new Uint8Array(deflated.length + 4);
  bytes.set(deflated);
  new DataView(bytes.buffer).setUint32(deflated.length, fnv1a32(deflated));
  return encodeBase64Url(bytes);
}

function compactConfig(config: ExplorerConfig): Record<string, unknown> {
  const compact: Record<string, unknown> = {
    [FIELD_KEYS.classes]: config.classes,
    [FIELD_KEYS.attributes]: config.attributes,
  };
  const templates = compactTemplates(config.templates);
  if (templates) compact[FIELD_KEYS.templates] = templates;
  for (const key of Object.keys(LINK_V1_DEFAULTS) as (keyof typeof LINK_V1_DEFAULTS)[]) {
    if (config[key] !== LINK_V1_DEFAULTS[key]) compact[FIELD_KEYS[key]] = config[key];
  }
  const { phrasings, acceptPairs, lambda } = config;
  const defaultPhrasings = LINK_V1_METHOD_DEFAULTS.phrasings;
  if (
    phrasings &&
    !(phrasings.length === defaultPhrasings.length && phrasings.every((p, i) => p === defaultPhrasings[i]))
  )
    compact[FIELD_KEYS.phrasings] = phrasings;
  if (acceptPairs && acceptPairs.length > 0) compact[FIELD_KEYS.acceptPairs] = acceptPairs;
  if (lambda !== undefined && lambda !== LINK_V1_METHOD_DEFAULTS.lambda) compact[FIELD_KEYS.lambda] = lambda;
  return compact;
}

const POOL_INDEX = new Map<string, number>();
LINK_V1_TEMPLATE_POOL.forEach((template, i) => {
  if (!POOL_INDEX.has(template)) POOL_INDEX.set(template, i);
});

/** undefined when the pool is exactly the v1 pool (the field is then omitted). */
function compactTemplates(templates: readonly string[]): TemplateItem[] | undefined {
  if (templates.length === LINK_V1_TEMPLATE_POOL.length && templates.every((t, i) => t === LINK_V1_TEMPLATE_POOL[i])) {
    return undefined;
  }
  const items: TemplateItem[] = [];
  for (const template of templates) {
    const index = POOL_INDEX.get(template);
    const last = items[items.length - 1];
    if (index === undefined) items.push(template);
    else if (typeof last === 'number' && last === index - 1) items[items.length - 1] = [last, index];
    else if (Array.isArray(last) && last[1] === index - 1) last[1] = index;
    else items.push(index);
  }
  return items;
}

// ---------------------------------------------------------------- decoding

/** Decodes a full hash (`#c=…` or `c=…`). */
export function decodeConfigHash(hash: string, options: DecodeOptions = {}): ConfigDecodeResult {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!body.startsWith('c='))
    return { ok: false, error: 'not a configuration link: the part after "#" should start with "c="' };
  return decodeConfigParam(body.slice(2), options);
}

/** Decodes the `<version>.<data>` parameter. Never throws. */
export function decodeConfigParam(param: string, options: DecodeOptions = {}): ConfigDecodeResult {
  try {
    return decodeUnsafe(param, options.migrations ?? LINK_MIGRATIONS);
  } catch (e) {
    // Validation returns its problems; anything thrown would be a bug, still reported, never thrown on.
    return { ok: false, error: `internal error while reading the link: ${errorMessage(e)}` };
  }
}

function decodeUnsafe(param: unknown, migrations: Migrations): ConfigDecodeResult {
  if (typeof param !== 'string')
    return { ok: false, error: `the link data should be text, but is ${describeValue(param)}` };
  if (param.length > LINK_LIMITS.encodedChars) {
    return {
      ok: false,
      error: `link data is too long (${param.length} characters; at most ${LINK_LIMITS.encodedChars})`,
    };
  }
  const match = /^(\d{1,9})\.(.*)$/s.exec(param);
  if (!match) return { ok: false, error: 'not a SAGE Explorer configuration link: expected c=<version>.<data>' };
  const version = Number(match[1]);
  if (version > LINK_VERSION) {
    // Checked before decoding: a newer version's data may not even be in this byte format.
    return migrateToCurrent(null, version, LINK_VERSION, migrations, 'link', label) as { ok: false; error: string };
  }
  const payload = decodePayload(match[2]);
  if (!payload.ok) return payload;
  const migrated = migrateToCurrent(payload.value, version, LINK_VERSION, migrations, 'link', label);
  if (!migrated.ok) return migrated;
  const expansion = expandConfig(migrated.payload);
  if (!expansion.ok) return { ok: false, error: expansion.error };
  const { expanded, unknownKeys } = expansion;
  const checked = checkExplorerConfig(expanded);
  if (!checked.ok) return { ok: false, error: problemSentence(checked.problem, LINK_PLACES, expanded) };
  const { config, warnings } = checked;
  for (const key of unknownKeys)
    warnings.push(`link data: unknown field ${JSON.stringify(key)} ignored (made by a newer app?)`);
  return migrated.migratedFrom === undefined
    ? { ok: true, config, warnings }
    : { ok: true, config, warnings, migratedFrom: migrated.migratedFrom };
}

const label = (version: number): string => `v${version}`;

/** base64url → checksum → capped inflate → UTF-8 → JSON. `maxBytes` caps the inflated JSON (the results part's is smaller). */
export function decodePayload(
  data: string,
  maxBytes: number = LINK_LIMITS.decompressedBytes,
): { ok: true; value: unknown } | { ok: false; error: string } {
  const decoded = decodeBase64Url(data);
  if (!decoded.ok)
    return { ok: false, error: `link data is damaged (${decoded.error}); was the link cut off or edited?` };
  const bytes = decoded.bytes;
  if (bytes.length < 6) return { ok: false, error: 'link data is too short; was the link cut off?' };
  const deflated = bytes.subarray(0, bytes.length - 4);
  const stored = new DataView(bytes.buffer, bytes.byteOffset + deflated.length, 4).getUint32(0);
  if (stored !== fnv1a32(deflated))
    return { ok: false, error: 'link data is damaged (checksum mismatch); was the link cut off or edited?' };
  const inflated = inflateCapped(deflated, maxBytes);
  if (!inflated.ok) return inflated;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated.bytes);
  } catch {
    return { ok: false, error: 'link data is not valid UTF-8 text' };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, error: `link data is not valid JSON (${errorMessage(e)})` };
  }
}

const INFLATE_STEP = 1024;

/**
 * Inflates raw DEFLATE input 1 KiB at a time and stops as soon as the output passes `maxBytes`.
 * DEFLATE expands at most ~1032:1, so one step produces at most ~1 MiB: memory stays bounded even
 * for a zip bomb, and time is bounded by the cap rather than the bomb's nominal size.
 */
export function inflateCapped(
  data: Uint8Array,
  maxBytes: number,
): { ok: true; bytes: Uint8Array } | { ok: false; error: string } {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let finished = false;
  const inflater = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total <= maxBytes) chunks.push(chunk);
    if (final) finished = true;
  });
  try {
    for (let at = 0; at < data.length && total <= maxBytes; at += INFLATE_STEP) {
      inflater.push(data.subarray(at, at + INFLATE_STEP), at + INFLATE_STEP >= data.length);
    }
  } catch (e) {
    return {
      ok: false,
      error: `link data is damaged (cannot decompress: ${errorMessage(e)})`,
    };
  }
  if (total > maxBytes) return { ok: false, error: `link data expands to more than ${maxBytes} bytes; refused` };
  if (!finished) return { ok: false, error: 'link data is damaged (compressed data ends early)' };
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { ok: true, bytes };
}

type Expansion = { ok: true; expanded: Record<string, unknown>; unknownKeys: string[] } | { ok: false; error: string };

/** Compact v1 payload → full (still unvalidated) ExplorerConfig-shaped object. */
function expandConfig(payload: unknown): Expansion {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return { ok: false, error: `the link data should be an object, but is ${describeValue(payload)}` };
  }
  const compact = payload as Record<string, unknown>;
  const known = new Set<string>(Object.values(FIELD_KEYS));
  const expanded: Record<string, unknown> = {
    classes: compact[FIELD_KEYS.classes],
    attributes: compact[FIELD_KEYS.attributes],
  };
  if (FIELD_KEYS.templates in compact) {
    const templates = expandTemplates(compact[FIELD_KEYS.templates]);
    if (!Array.isArray(templates)) return { ok: false, error: problemSentence(templates, LINK_PLACES, expanded) };
    expanded.templates = templates;
  } else {
    expanded.templates = [...LINK_V1_TEMPLATE_POOL];
  }
  for (const key of Object.keys(LINK_V1_DEFAULTS) as (keyof typeof LINK_V1_DEFAULTS)[]) {
    const short = FIELD_KEYS[key];
    expanded[key] = short in compact ? compact[short] : LINK_V1_DEFAULTS[key];
  }
  for (const key of METHOD_KEYS) if (FIELD_KEYS[key] in compact) expanded[key] = compact[FIELD_KEYS[key]];
  // Unknown keys are reported, never copied (a "__proto__" key must not reach an object).
  return { ok: true, expanded, unknownKeys: Object.keys(compact).filter((key) => !known.has(key)) };
}

const MAX_TEMPLATES = 5000;

/** A template, a built-in template index, or an inclusive [first, last] range of them. */
const templateItem = v.union(
  [v.string(), v.number(), v.tuple([v.number(), v.number()])],
  (issue) =>
    `should be a template, a built-in template number or a [first, last] range, but is ${describeValue(issue.input)}`,
);

/** The compact template list → templates, or the first problem (entries are counted from 1, like every list). */
function expandTemplates(value: unknown): string[] | SchemaProblem {
  const pool = LINK_V1_TEMPLATE_POOL;
  const checked = check(list(templateItem, MAX_TEMPLATES), value, ['templates']);
  if (!checked.ok) {
    const [, entry] = checked.problem.path;
    // the compact list's entries are not templates: name them as entries of the template list
    if (typeof entry !== 'number') return checked.problem;
    return { path: ['templates'], text: `entry ${entry + 1} ${checked.problem.text}`, form: 'predicate' };
  }
  const problem = (text: string): SchemaProblem => ({ path: ['templates'], text, form: 'predicate' });
  const missing = (index: number, entry: number): SchemaProblem | null =>
    Number.isInteger(index) && index >= 0 && index < pool.length
      ? null
      : problem(
          `entry ${entry + 1} refers to built-in template ${describeValue(index)}, which does not exist (the pool has ${pool.length}, numbered from 0)`,
        );
  const templates: string[] = [];
  for (let i = 0; i < checked.value.length; i++) {
    const item = checked.value[i];
    const [first, last] = typeof item === 'string' ? [-1, -1] : typeof item === 'number' ? [item, item] : item;
    if (typeof item === 'string') templates.push(item);
    else {
      const bad = missing(first, i) ?? missing(last, i);
      if (bad) return bad;
      if (last < first) return problem(`entry ${i + 1} is the range ${first}…${last}, which runs backwards`);
      for (let t = first; t <= last && templates.length <= MAX_TEMPLATES; t++) templates.push(pool[t]);
    }
    if (templates.length > MAX_TEMPLATES) return problem(`has more than ${MAX_TEMPLATES} templates`);
  }
  return templates;
}

/** FNV-1a, 32 bit: detects every single-byte change, enough to tell a cut or mistyped link apart. */
export function fnv1a32(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i];
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
