/**
 * The results' headline (issue 12 §1): what is biased and what the chosen method changed, in words, from the
 * numbers the comparison table shows. Pure: the UI passes the table's own percentage formatter, so every figure
 * (and every "tie", decided on the figures as shown) reads exactly as in the table.
 */
import { type GroupKey, type GroupStats, type MethodId, type Metrics, METHOD_NAMES } from '../../core';

/**
 * Below this many images a group's accuracy is called too uncertain to judge: with n < 10 one image moves it by
 * more than 10 points, and the 95% Wilson interval around 50% is wider than ±27 points.
 */
export const MIN_GROUP_SIZE = 10;

/** At most this many groups are named in one list; the rest are counted ("and 2 more groups"). */
const MAX_LISTED = 3;

export interface HeadlineMethod {
  method: MethodId;
  metrics: Metrics;
}

export interface HeadlineInput {
  /** the baseline every headline starts from */
  zeroshot: HeadlineMethod;
  /** the selected method, or SAGE when zero-shot itself is selected (see comparedMethod) */
  compared: HeadlineMethod;
  /** SAGE's and random's K */
  k: number;
  classes: readonly string[];
  /** the non-empty attributes the images carry (folder names in a run), as the groups name them */
  attributeKeys: readonly string[];
  /** false while images are still arriving: a group with no images may only be late */
  complete: boolean;
}

/** One group's figure as the table shows it. */
export interface GroupFigure {
  class: string;
  attribute: string;
  /** "landbird / water", or the class alone when the images have no attribute */
  label: string;
  n: number;
  accuracy: number;
  /** the accuracy through the table's formatter, e.g. "0.0%" */
  shown: string;
}

export type Change = 'raises' | 'lowers' | 'keeps';

export interface GroupChange {
  before: GroupFigure;
  after: GroupFigure;
  change: Change;
}

/** A run of text; numbers and group names are marked so the UI can set them apart. */
export interface HeadlinePiece {
  text: string;
  kind?: 'number' | 'group';
}

export interface HeadlineSentence {
  part: 'baseline' | 'change' | 'small' | 'missing';
  pieces: HeadlinePiece[];
}

export interface Headline {
  baseline: {
    method: MethodId;
    name: string;
    /** its worst group(s): more than one when they tie as shown; the table's worst group first */
    worst: GroupFigure[];
    /** its best group, null when every group shows the same accuracy */
    best: GroupFigure | null;
    groupCount: number;
  };
  compared: {
    method: MethodId;
    /** "SAGE (K = 1)", "Ensemble", … */
    name: string;
    /** what it does on the baseline's worst group(s), same order */
    changes: GroupChange[];
    worst: GroupFigure[];
  };
  /** groups with images but fewer than MIN_GROUP_SIZE */
  tooFew: GroupFigure[];
  /** class × attribute combinations without a single image */
  missing: { class: string; attribute: string; label: string }[];
  sentences: HeadlineSentence[];
}

/** The method the headline compares with zero-shot: the selected one, or SAGE when zero-shot is selected. */
export function comparedMethod<R extends { method: MethodId }>(rows: readonly R[], selected: R): R {
  if (selected.method !== 'zeroshot') return selected;
  return rows.find((r) => r.method === 'sage') ?? selected;
}

export function groupName(group: GroupKey): string {
  return group.attribute === '' ? group.class : `${group.class} / ${group.attribute}`;
}

const keyOf = (group: GroupKey): string => `${group.class}\u0000${group.attribute}`;

function figure(group: GroupStats, format: (value: number) => string): GroupFigure {
  return {
    class: group.class,
    attribute: group.attribute,
    label: groupName(group),
    n: group.n,
    accuracy: group.accuracy,
    shown: format(group.accuracy),
  };
}

/** The groups whose accuracy shows as the worst group's does, the metrics' own worst group first. */
function worstGroups(metrics: Metrics, format: (value: number) => string): GroupFigure[] {
  const worst = figure(metrics.worstGroup, format);
  const others = metrics.groups
    .filter((g) => keyOf(g) !== keyOf(worst) && format(g.accuracy) === worst.shown)
    .map((g) => figure(g, format));
  return [worst, ...others];
}

function bestGroup(metrics: Metrics, format: (value: number) => string): GroupFigure {
  let best = metrics.groups[0];
  for (const g of metrics.groups) if (g.accuracy > best.accuracy) best = g;
  return figure(best, format);
}

/** "SAGE (K = 3)": the methods that keep K templates say which K. */
export function methodName(method: MethodId, k: number): string {
  return method === 'sage' || method === 'random' ? `${METHOD_NAMES[method]} (K = ${k})` : METHOD_NAMES[method];
}

// ---- pieces ----

const text = (t: string): HeadlinePiece => ({ text: t });
const num = (t: string): HeadlinePiece => ({ text: t, kind: 'number' });
const grp = (t: string): HeadlinePiece => ({ text: t, kind: 'group' });

/** "landbird / water (n = 12)" */
function groupWithN(g: GroupFigure): HeadlinePiece[] {
  return [grp(g.label), text(` (n = ${g.n})`)];
}

/** "A, B and C", or "A, B, C and 2 more groups" */
function list<T>(items: readonly T[], piece: (item: T) => HeadlinePiece[], noun = 'groups'): HeadlinePiece[] {
  const shown = items.length > MAX_LISTED + 1 ? items.slice(0, MAX_LISTED) : items;
  const rest = items.length - shown.length;
  const out: HeadlinePiece[] = [];
  shown.forEach((item, i) => {
    if (i > 0) out.push(text(i === shown.length - 1 && rest === 0 ? ' and ' : ', '));
    out.push(...piece(item));
  });
  if (rest > 0) out.push(text(` and ${rest} more ${noun}`));
  return out;
}

function compareShown(after: GroupFigure, before: GroupFigure): Change {
  if (after.shown === before.shown) return 'keeps';
  return after.accuracy > before.accuracy ? 'raises' : 'lowers';
}

/** Sentence text for tests and plain-text uses. */
export function sentenceText(sentence: HeadlineSentence): string {
  return sentence.pieces.map((p) => p.text).join('');
}

// ---- sentences ----

function baselineSentence(h: Headline['baseline']): HeadlineSentence {
  const [worst] = h.worst;
  const pieces: HeadlinePiece[] = [text(`${h.name} gets `)];
  if (h.groupCount === 1) {
    pieces.push(num(worst.shown), text(' on '), ...groupWithN(worst));
    pieces.push(text(', the only group with images, so there is no other group to compare it with.'));
  } else if (h.best === null) {
    pieces.push(num(worst.shown), text(` on every group (${h.groupCount} groups): no group is worse off.`));
  } else {
    pieces.push(num(worst.shown), text(' on '), ...list(h.worst, groupWithN));
    if (h.worst.length > 1) pieces.push(text(', a tie for its worst group,'));
    pieces.push(text(' while '), num(h.best.shown), text(' on '), ...groupWithN(h.best), text('.'));
  }
  return { part: 'baseline', pieces };
}

function changeSentence(h: Headline): HeadlineSentence {
  const { compared, baseline } = h;
  const worst = compared.worst;
  const allEqual = worst.length === baseline.groupCount && baseline.groupCount > 1;
  const pieces: HeadlinePiece[] = [text(compared.name)];
  if (baseline.best === null && baseline.groupCount > 1) {
    // the baseline is as good on every group: say where this method is weakest
    if (allEqual) pieces.push(text(' gets '), num(worst[0].shown), text(' on every group.'));
    else if (worst.length > 1) {
      pieces.push(text(' gets '), num(worst[0].shown), text(' on its worst groups, '), ...list(worst, groupWithN));
      pieces.push(text(' (a tie).'));
    } else
      pieces.push(
        text(' gets '),
        num(worst[0].shown),
        text(' on its worst group, '),
        ...groupWithN(worst[0]),
        text('.'),
      );
    return { part: 'change', pieces };
  }
  // what the method does to the group(s) the baseline is worst on
  const single = compared.changes.length === 1;
  compared.changes.forEach((c, i) => {
    pieces.push(text(i === 0 ? ' ' : i === compared.changes.length - 1 ? ' and ' : ', '));
    if (i === 0 || c.change !== compared.changes[i - 1].change) pieces.push(text(`${c.change} `));
    pieces.push(single ? text('that group') : grp(c.before.label));
    pieces.push(text(c.change === 'keeps' ? ' at ' : ' to '), num(c.after.shown));
  });
  pieces.push(text('.'));
  const worstKeys = new Set(baseline.worst.map(keyOf));
  if (worst.every((g) => worstKeys.has(keyOf(g)))) return { part: 'change', pieces };
  // its own worst group lies elsewhere: name it, as its table row does
  if (allEqual) pieces.push(text(' It gets '), num(worst[0].shown), text(' on every group.'));
  else if (worst.length > 1) {
    pieces.push(text(' Its worst groups now tie at '), num(worst[0].shown), text(': '), ...list(worst, groupWithN));
    pieces.push(text('.'));
  } else {
    pieces.push(text(' Its worst group is now '), grp(worst[0].label), text(' at '), num(worst[0].shown));
    pieces.push(text(` (n = ${worst[0].n}).`));
  }
  return { part: 'change', pieces };
}

function smallSentence(h: Headline): HeadlineSentence {
  const few = h.tooFew;
  const smallest = Math.min(...few.map((g) => g.n));
  const points = Math.round(100 / Math.max(...few.map((g) => g.n)));
  const pieces: HeadlinePiece[] = [text('Too few images to judge: '), ...list(few, groupWithN)];
  pieces.push(
    text(
      few.length === 1
        ? ` has fewer than ${MIN_GROUP_SIZE} images, so one image moves its accuracy by ${Math.round(100 / smallest)} points`
        : ` have fewer than ${MIN_GROUP_SIZE} images each, so one image moves their accuracy by ${points} points or more`,
    ),
  );
  const headlineGroups = new Set(h.baseline.worst.map(keyOf));
  const judged = few.some((g) => headlineGroups.has(keyOf(g))) && h.baseline.best !== null;
  pieces.push(text(judged ? '; read the comparison above with its 95% intervals.' : '.'));
  return { part: 'small', pieces };
}

function missingSentence(h: Headline, complete: boolean): HeadlineSentence {
  const yet = complete ? '' : ' yet';
  const pieces: HeadlinePiece[] = [
    text('No images of '),
    ...list(h.missing, (g) => [grp(g.label)], 'combinations'),
    text(
      `${yet}: ${h.missing.length === 1 ? 'that group' : 'those groups'} cannot be judged, and worst-group accuracy covers only the groups that have images.`,
    ),
  ];
  return { part: 'missing', pieces };
}

/** Class × attribute combinations (or classes, when no image has an attribute) with no image. */
export function missingGroups(
  classes: readonly string[],
  attributeKeys: readonly string[],
  present: readonly GroupKey[],
): { class: string; attribute: string; label: string }[] {
  const have = new Set(present.map(keyOf));
  const attributes = attributeKeys.length > 0 ? attributeKeys : [''];
  const missing: { class: string; attribute: string; label: string }[] = [];
  for (const cls of classes) {
    for (const attribute of attributes) {
      const group = { class: cls, attribute };
      if (!have.has(keyOf(group))) missing.push({ ...group, label: groupName(group) });
    }
  }
  return missing;
}

/** The headline for these rows: structured figures and the sentences built from them. */
export function headline(input: HeadlineInput, format: (value: number) => string): Headline {
  const { zeroshot, compared, k } = input;
  const zsWorst = worstGroups(zeroshot.metrics, format);
  const groupCount = zeroshot.metrics.groups.length;
  const best = bestGroup(zeroshot.metrics, format);
  const byKey = new Map(compared.metrics.groups.map((g) => [keyOf(g), g]));
  const changes: GroupChange[] = zsWorst.map((before) => {
    const group = byKey.get(keyOf(before));
    const after = group ? figure(group, format) : before;
    return { before, after, change: compareShown(after, before) };
  });
  const h: Headline = {
    baseline: {
      method: zeroshot.method,
      name: methodName(zeroshot.method, k),
      worst: zsWorst,
      best: best.shown === zsWorst[0].shown ? null : best,
      groupCount,
    },
    compared: {
      method: compared.method,
      name: methodName(compared.method, k),
      changes,
      worst: worstGroups(compared.metrics, format),
    },
    tooFew: zeroshot.metrics.groups.filter((g) => g.n < MIN_GROUP_SIZE).map((g) => figure(g, format)),
    missing: missingGroups(input.classes, input.attributeKeys, zeroshot.metrics.groups),
    sentences: [],
  };
  h.sentences.push(baselineSentence(h.baseline));
  if (compared.method !== zeroshot.method) h.sentences.push(changeSentence(h));
  if (h.tooFew.length > 0) h.sentences.push(smallSentence(h));
  if (h.missing.length > 0) h.sentences.push(missingSentence(h, input.complete));
  return h;
}
