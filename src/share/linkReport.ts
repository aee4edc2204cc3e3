/**
 * The "link report": a small summary of the results that a share link may carry beside its configuration, so the
 * recipient sees the numbers at once without running (issue 13 §5). The link is then
 * `#c=<config part>&r=<version>.<base64url(deflate-raw(json) ‖ fnv1a32)>`: the configuration part is exactly the v1
 * link of urlState.ts (a link without `&r=` is unchanged, so every old link opens as before), and the results part
 * has its own version, byte format and caps.
 *
 * What it carries, and why:
 * - per method (the comparison table's rows): id, the label the sender saw, images n and correct, its worst group
 *   (class, attribute, n, correct), and n/correct per group. Integers only: every figure (accuracy, WGA, gap, HM,
 *   95% Wilson intervals) is recomputed from them exactly, and integers compress far better than floats.
 * - provenance (app version, model, dtype, backend, date), K, the selected method, the class labels and attribute
 *   words the groups are named by, and the image count. The built-in example's id when the results came from it
 *   (so the recipient can run the same thing); otherwise nothing about the images: no file names, no pictures.
 * - Size: the results part is kept under LINK_REPORT_BUDGET characters. A run with many groups first drops
 *   per-group rows: each method's worst group and zero-shot's best stay, then the groups where zero-shot does worst,
 *   and the link says how many of how many it kept. Every method's overall figures and worst group are always
 *   exact, because they are stored on their own.
 * - Reading is as careful as the configuration part: length capped before decoding, checksum before inflating,
 *   inflation capped (bombs refused with bounded memory), every field validated with valibot and problems named in
 *   words ("method 2 (SAGE …): group 3 (landbird / water) has 12 correct of 10 images"). Decoding never throws.
 */
import * as v from 'valibot';
import { groupStats, harmonicMean, wilsonInterval } from '../core/metrics';
import { check, describeValue, list, text, wholeNumber, type FieldPath } from '../core/schemaErrors';
import { METHOD_HOW_IT_WORKS, METHOD_KNOWLEDGE, type Knowledge } from '../core/methodKnowledge';
import { METHOD_IDS, type GroupStats, type MethodId, type Metrics } from '../core/types';
import { errorMessage } from '../core/errors';
import type { Provenance } from './provenance';
import type { ExplorerConfig } from '../core/config';
import { decodeConfigParam, decodePayload, encodePayload, shareUrl, type ConfigDecodeResult } from './urlState';

export const LINK_REPORT_VERSION = 1;

/** Characters of the results part a link is made with at most: with a default-pool configuration (~150 characters)
 * and a page address, a link stays under 8 KB. */
export const LINK_REPORT_BUDGET = 7000;

export const LINK_REPORT_LIMITS = {
  /** characters of `<version>.<data>` read at all (above the budget: links made by a future, roomier version) */
  encodedChars: 32_000,
  /** bytes of JSON after inflating */
  decompressedBytes: 256 * 1024,
  methods: 64,
  groups: 5000,
  classes: 1000,
  attributes: 1000,
  stringLength: 1000,
} as const;

/** The method ids a link report may name: every method, and the trained adapter's row. */
const LINK_METHOD_IDS: readonly MethodId[] = [...METHOD_IDS, 'adapter'];

/** One row of the comparison table as it travels. */
export interface LinkReportMethod {
  method: MethodId;
  /** the row's label as the sender saw it */
  label: string;
  /** recomputed from integers: groups are only those the link kept (see LinkReport.groupsKept) */
  metrics: Metrics;
}

export interface LinkReport {
  provenance: Provenance;
  /** the built-in example's id when the results came from it, else null */
  example: string | null;
  /** the class labels the images carry, in class order */
  classes: string[];
  /** the non-empty attributes of the images */
  attributes: string[];
  /** images analysed */
  images: number;
  k: number;
  /** the method selected when the link was made */
  selected: MethodId;
  /** groups with images in the run */
  groupCount: number;
  /** groups whose rows the link kept (= groupCount unless the size budget dropped some) */
  groupsKept: number;
  methods: LinkReportMethod[];
}

/** What the share bar passes in: the rows on screen and where they came from. */
export interface LinkReportInput {
  provenance: Provenance;
  example: string | null;
  classes: readonly string[];
  attributes: readonly string[];
  images: number;
  k: number;
  selected: MethodId;
  methods: readonly { method: MethodId; label: string; metrics: Metrics }[];
}

export type LinkReportEncoding =
  { ok: true; param: string; groupCount: number; groupsKept: number } | { ok: false; error: string };

export type LinkReportDecodeResult =
  { ok: true; report: LinkReport; warnings: string[] } | { ok: false; error: string };

// ---------------------------------------------------------------- compact form

/** worst group: [class index, attribute index, n, correct] */
type CompactWorst = [number, number, number, number];
/** [id, label, n, correct, worst, per kept group n0, c0, n1, c1, …] */
type CompactMethod = [string, string, number, number, CompactWorst, number[]];

interface CompactReport {
  /** [app version, model, dtype, backend, date] */
  p: [string, string, string, string, string];
  x?: string;
  c: string[];
  /** attribute names the groups use ('' = no attribute), indexed by the group pairs */
  a: string[];
  /** the non-empty attributes of the images, as indices into `a` */
  ak: number[];
  n: number;
  k: number;
  s: string;
  /** groups in the run */
  G: number;
  /** kept groups as flattened [class index, attribute index] pairs */
  g: number[];
  r: CompactMethod[];
}

const groupKeyOf = (g: { class: string; attribute: string }): string => `${g.class}\u0000${g.attribute}`;

// ---------------------------------------------------------------- encoding

/**
 * The results part (`<version>.<data>`), kept under `budget` characters by dropping per-group rows (see the module
 * comment). Fails only when the rows are inconsistent (methods scored on different groups) or even the overall
 * figures do not fit.
 */
export function encodeLinkReport(input: LinkReportInput, budget: number = LINK_REPORT_BUDGET): LinkReportEncoding {
  if (input.methods.length === 0) return { ok: false, error: 'there are no results to put in the link' };
  const all = groupOrder(input);
  const priority = keptFirst(input, all);
  const make = (count: number): string => {
    const kept = new Set(priority.slice(0, count));
    return `${LINK_REPORT_VERSION}.${encodePayload(
      compact(
        input,
        all.filter((g) => kept.has(groupKeyOf(g))),
      ),
    )}`;
  };
  const full = make(all.length);
  if (full.length <= budget) return { ok: true, param: full, groupCount: all.length, groupsKept: all.length };
  // the largest number of kept rows that fits (the length grows with the rows kept)
  let low = 0;
  let high = all.length - 1;
  let best: string | null = null;
  let bestCount = 0;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const param = make(mid);
    if (param.length <= budget) {
      best = param;
      bestCount = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  if (best === null) {
    return {
      ok: false,
      error: `even without per-group rows the results need more than ${budget} characters; export a report instead`,
    };
  }
  return { ok: true, param: best, groupCount: all.length, groupsKept: bestCount };
}

/** Every group any row scores, in the first row's order (class order, then attribute), others after. */
function groupOrder(input: LinkReportInput): { class: string; attribute: string }[] {
  const seen = new Map<string, { class: string; attribute: string }>();
  for (const m of input.methods)
    for (const g of m.metrics.groups)
      if (!seen.has(groupKeyOf(g))) seen.set(groupKeyOf(g), { class: g.class, attribute: g.attribute });
  return [...seen.values()];
}

/** Group keys, the ones to keep first: every worst group, zero-shot's best, then zero-shot's lowest accuracies. */
function keptFirst(input: LinkReportInput, all: readonly { class: string; attribute: string }[]): string[] {
  const baseline = input.methods.find((m) => m.method === 'zeroshot') ?? input.methods[0];
  const accuracy = new Map(baseline.metrics.groups.map((g) => [groupKeyOf(g), g.accuracy]));
  const order: string[] = [];
  const add = (key: string) => {
    if (!order.includes(key)) order.push(key);
  };
  for (const m of input.methods) add(groupKeyOf(m.metrics.worstGroup));
  const best = [...baseline.metrics.groups].sort((a, b) => b.accuracy - a.accuracy)[0];
  if (best) add(groupKeyOf(best));
  const rest = all
    .map((g, i) => ({ key: groupKeyOf(g), i, accuracy: accuracy.get(groupKeyOf(g)) ?? Infinity }))
    .sort((a, b) => a.accuracy - b.accuracy || a.i - b.i);
  for (const g of rest) add(g.key);
  return order;
}

function compact(input: LinkReportInput, kept: readonly { class: string; attribute: string }[]): CompactReport {
  const classes = [...input.classes];
  const classIndex = (name: string): number => {
    let i = classes.indexOf(name);
    if (i < 0) i = classes.push(name) - 1;
    return i;
  };
  const attributes: string[] = [];
  const attributeIndex = (name: string): number => {
    let i = attributes.indexOf(name);
    if (i < 0) i = attributes.push(name) - 1;
    return i;
  };
  const attributeKeys = input.attributes.map(attributeIndex);
  const groups = kept.flatMap((g) => [classIndex(g.class), attributeIndex(g.attribute)]);
  const methods = input.methods.map((m): CompactMethod => {
    const byKey = new Map(m.metrics.groups.map((g) => [groupKeyOf(g), g]));
    const w = m.metrics.worstGroup;
    // a group this row did not score (another split) is written as 0 of 0
    const counts = kept.flatMap((g) => {
      const s = byKey.get(groupKeyOf(g));
      return s ? [s.n, s.correct] : [0, 0];
    });
    return [
      m.method,
      m.label,
      m.metrics.n,
      m.metrics.correct,
      [classIndex(w.class), attributeIndex(w.attribute), w.n, w.correct],
      counts,
    ];
  });
  const { appVersion, model, dtype, backend, date } = input.provenance;
  const out: CompactReport = {
    p: [appVersion, model, dtype, backend, date],
    c: classes,
    a: attributes,
    ak: attributeKeys,
    n: input.images,
    k: input.k,
    s: input.selected,
    G: groupOrder(input).length,
    g: groups,
    r: methods,
  };
  if (input.example) out.x = input.example;
  return out;
}

// ---------------------------------------------------------------- decoding

const line = text({ maxLength: LINK_REPORT_LIMITS.stringLength, noControl: true });
const count = wholeNumber(0);
const index = wholeNumber(0, LINK_REPORT_LIMITS.classes + LINK_REPORT_LIMITS.attributes);

const compactSchema = v.object({
  p: v.tuple([line, line, line, line, line], (issue) => `should be 5 texts, but is ${describeValue(issue.input)}`),
  x: v.optional(line),
  c: list(line, LINK_REPORT_LIMITS.classes),
  a: list(line, LINK_REPORT_LIMITS.attributes + 1),
  ak: list(index, LINK_REPORT_LIMITS.attributes),
  n: count,
  k: wholeNumber(1),
  s: line,
  G: count,
  g: list(index, 2 * LINK_REPORT_LIMITS.groups),
  r: list(
    v.tuple(
      [line, line, count, count, v.tuple([index, index, count, count]), list(count, 2 * LINK_REPORT_LIMITS.groups)],
      (issue) =>
        `should be [method, label, n, correct, worst group, group counts], but is ${describeValue(issue.input)}`,
    ),
    LINK_REPORT_LIMITS.methods,
  ),
});

/** Field names in the user's words, for problems found by the schema. */
const FIELD_WORDS: Record<string, string> = {
  p: 'provenance (app, model, precision, backend, date)',
  x: 'example name',
  c: 'class list',
  a: 'attribute list',
  ak: 'attribute list',
  n: 'number of images',
  k: 'K',
  s: 'selected method',
  G: 'number of groups',
  g: 'group list',
  r: 'method list',
};

function place(path: FieldPath): string {
  const [key, i, j] = path;
  const words = FIELD_WORDS[String(key)] ?? String(key);
  if (key === 'r' && typeof i === 'number') {
    const part = ['method id', 'label', 'number of images', 'number correct', 'worst group', 'group counts'];
    return `method ${i + 1}${typeof j === 'number' ? `: ${part[j] ?? `entry ${j + 1}`}` : ''}`;
  }
  return typeof i === 'number' ? `${words}: entry ${i + 1}` : words;
}

const fail = (error: string): { ok: false; error: string } => ({ ok: false, error: `the results part: ${error}` });

/** Reads the `r` parameter (`<version>.<data>`). Never throws. */
export function decodeLinkReport(param: string): LinkReportDecodeResult {
  try {
    return decodeUnsafe(param);
  } catch (e) {
    return fail(`internal error while reading it: ${errorMessage(e)}`);
  }
}

function decodeUnsafe(param: string): LinkReportDecodeResult {
  if (param.length > LINK_REPORT_LIMITS.encodedChars)
    return fail(`it is too long (${param.length} characters; at most ${LINK_REPORT_LIMITS.encodedChars})`);
  const match = /^(\d{1,9})\.(.*)$/s.exec(param);
  if (!match) return fail('expected r=<version>.<data>');
  const version = Number(match[1]);
  if (version !== LINK_REPORT_VERSION) {
    return fail(
      version > LINK_REPORT_VERSION
        ? `it was made by a newer version (v${version}); this app reads v${LINK_REPORT_VERSION}. The configuration still opens.`
        : `version v${version} is not known`,
    );
  }
  const payload = decodePayload(match[2], LINK_REPORT_LIMITS.decompressedBytes);
  if (!payload.ok) return fail(payload.error);
  const checked = check(compactSchema, payload.value);
  if (!checked.ok) {
    const { path, text: problem, form } = checked.problem;
    if (path.length === 0) return fail(`it ${problem}`);
    return fail(form === 'statement' ? `${place(path)}: ${problem}` : `${place(path)} ${problem}`);
  }
  return expand(checked.value);
}

type Compact = v.InferOutput<typeof compactSchema>;

function expand(compact: Compact): LinkReportDecodeResult {
  const warnings: string[] = [];
  const { c: classes, a: attributes } = compact;
  const nameAt = (ci: number, ai: number): { class: string; attribute: string } | null =>
    ci < classes.length && ai < attributes.length ? { class: classes[ci], attribute: attributes[ai] } : null;
  if (compact.g.length % 2 !== 0)
    return fail('group list has an odd number of entries (expected class, attribute pairs)');
  const groups: { class: string; attribute: string }[] = [];
  for (let i = 0; i < compact.g.length; i += 2) {
    const g = nameAt(compact.g[i], compact.g[i + 1]);
    if (!g) return fail(`group ${i / 2 + 1} names a class or attribute the link does not list`);
    groups.push(g);
  }
  if (groups.length > compact.G) return fail(`it lists ${groups.length} groups but says the run had ${compact.G}`);
  const attributeKeys: string[] = [];
  for (const ai of compact.ak) {
    if (ai >= attributes.length) return fail(`attribute ${ai + 1} is not in its attribute list`);
    attributeKeys.push(attributes[ai]);
  }
  const complete = groups.length === compact.G;
  const methods: LinkReportMethod[] = [];
  for (let r = 0; r < compact.r.length; r++) {
    const [id, label, n, correct, worst, counts] = compact.r[r];
    const name = `method ${r + 1} (${label})`;
    if (!(LINK_METHOD_IDS as readonly string[]).includes(id)) {
      warnings.push(
        `The link's results name a method this app does not know (${JSON.stringify(id)}); its row is left out.`,
      );
      continue;
    }
    if (n < 1) return fail(`${name} has no images`);
    if (correct > n) return fail(`${name} has ${correct} correct of ${n} images`);
    const worstName = nameAt(worst[0], worst[1]);
    if (!worstName) return fail(`${name}: its worst group names a class or attribute the link does not list`);
    const [, , wn, wc] = worst;
    if (wn < 1 || wc > wn) return fail(`${name}: its worst group has ${wc} correct of ${wn} images`);
    if (counts.length !== 2 * groups.length)
      return fail(`${name} has ${counts.length / 2} group counts for ${groups.length} groups`);
    const stats: GroupStats[] = [];
    let sumN = 0;
    let sumCorrect = 0;
    for (let i = 0; i < groups.length; i++) {
      const [gn, gc] = [counts[2 * i], counts[2 * i + 1]];
      const group = `${groups[i].class}${groups[i].attribute === '' ? '' : ` / ${groups[i].attribute}`}`;
      if (gc > gn) return fail(`${name}: group ${i + 1} (${group}) has ${gc} correct of ${gn} images`);
      sumN += gn;
      sumCorrect += gc;
      // a group this row did not score (0 of 0) is not one of its groups
      if (gn > 0) stats.push(groupStats(groups[i].class, groups[i].attribute, gn, gc));
    }
    if (sumN > n || sumCorrect > correct)
      return fail(`${name}: its groups add up to more images (or correct ones) than the row has`);
    if (complete && (sumN !== n || sumCorrect !== correct))
      return fail(`${name}: its groups add up to ${sumCorrect} of ${sumN}, but the row says ${correct} of ${n}`);
    const worstStats = groupStats(worstName.class, worstName.attribute, wn, wc);
    if (stats.some((g) => g.accuracy < worstStats.accuracy))
      return fail(`${name}: a group does worse than the row's worst group`);
    methods.push({ method: id as MethodId, label, metrics: metricsOf(n, correct, worstStats, stats, complete) });
  }
  if (!(LINK_METHOD_IDS as readonly string[]).includes(compact.s))
    return fail(`selected method ${JSON.stringify(compact.s)} is not a method this app knows`);
  const [appVersion, model, dtype, backend, date] = compact.p;
  return {
    ok: true,
    warnings,
    report: {
      provenance: { appVersion, model, dtype, backend, date },
      example: compact.x ?? null,
      classes,
      attributes: attributeKeys,
      images: compact.n,
      k: compact.k,
      selected: compact.s as MethodId,
      groupCount: compact.G,
      groupsKept: groups.length,
      methods,
    },
  };
}

/**
 * The core's Metrics from the integers (core/metrics summarize does the same from a full group table). Balanced
 * accuracy needs every group: unknown (NaN, shown as "–") when the link dropped some.
 */
function metricsOf(n: number, correct: number, worst: GroupStats, groups: GroupStats[], complete: boolean): Metrics {
  const accuracy = correct / n;
  const worstGroup = groups.find((g) => groupKeyOf(g) === groupKeyOf(worst)) ?? worst;
  return {
    n,
    correct,
    accuracy,
    accuracyCi95: wilsonInterval(correct, n),
    worstGroupAccuracy: worstGroup.accuracy,
    worstGroup,
    balancedAccuracy:
      complete && groups.length > 0 ? groups.reduce((sum, g) => sum + g.accuracy, 0) / groups.length : NaN,
    gap: accuracy - worstGroup.accuracy,
    harmonicMean: harmonicMean(accuracy, worstGroup.accuracy),
    groups,
  };
}

/**
 * The built-in example the records came from, or null: every record is one of its images (id
 * `<example>/<class folder>/<attribute folder>/<file>`) still carrying its own attribute. Class strings may be
 * edited: the link's configuration carries them and "Run this on the example" applies them.
 */
export function exampleOf(
  records: readonly { id: string; attribute: string }[],
  exampleIds: readonly string[],
): string | null {
  if (records.length === 0) return null;
  for (const example of exampleIds) {
    const prefix = `${example}/`;
    const all = records.every((r) => {
      if (!r.id.startsWith(prefix)) return false;
      const parts = r.id.slice(prefix.length).split('/');
      return parts.length === 3 && parts[1] === r.attribute;
    });
    if (all) return example;
  }
  return null;
}

/** A link's rows as the comparison table shows them: what each method knows and how it works, in this app's words. */
export function linkReportRows(
  report: LinkReport,
): (LinkReportMethod & { knowledge: Knowledge; howItWorks: string })[] {
  return report.methods.map((m) => ({
    ...m,
    knowledge: METHOD_KNOWLEDGE[m.method],
    howItWorks: METHOD_HOW_IT_WORKS[m.method],
  }));
}

/** "4 groups" or "40 of 1,000 groups (those where zero-shot does worst)": what the link's group table holds. */
export function keptGroupsText(groupsKept: number, groupCount: number): string {
  if (groupsKept >= groupCount) return `${groupCount} ${groupCount === 1 ? 'group' : 'groups'}`;
  return `${groupsKept} of ${groupCount.toLocaleString('en')} groups (every worst group, then those where zero-shot does worst)`;
}

// ---------------------------------------------------------------- the whole link

/** A share link's parts: its configuration, and its results when it carries them. */
export interface SharedLink {
  config: ConfigDecodeResult;
  /** null: the link carries the configuration only */
  results: LinkReportDecodeResult | null;
}

/**
 * `c=<config>[&r=<results>]` (the hash without "#"). The results part is read on its own: a damaged one leaves
 * the configuration usable, with the reason beside it. Parts this app does not know are ignored with a warning.
 */
export function decodeSharedLink(body: string): SharedLink {
  const [first, ...rest] = body.split('&');
  const config = decodeConfigParam(first.startsWith('c=') ? first.slice(2) : first);
  let results: LinkReportDecodeResult | null = null;
  const unknown: string[] = [];
  for (const part of rest) {
    if (part.startsWith('r=') && results === null) results = decodeLinkReport(part.slice(2));
    else unknown.push(part.split('=')[0].slice(0, 20));
  }
  if (config.ok && unknown.length > 0)
    config.warnings.push(
      `link: unknown part${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => JSON.stringify(u)).join(', ')} ignored (made by a newer app?)`,
    );
  return { config, results };
}

/** The page URL with its hash replaced by the configuration and, when given, the results part. */
export function shareUrlWithResults(config: ExplorerConfig, resultsParam: string | null, pageUrl: string): string {
  const url = shareUrl(config, pageUrl);
  return resultsParam === null ? url : `${url}&r=${resultsParam}`;
}
