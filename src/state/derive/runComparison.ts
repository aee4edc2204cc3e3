/**
 * The runs-compared table (issue 13 §5) derived from the kept runs: per method, each run's worst-group accuracy
 * and accuracy with the best WGA marked; per group (class × attribute) of one chosen method, each run's accuracy
 * and n; the difference B − A when exactly two runs are kept; and notes when the runs are not like for like
 * (other images, other K).
 */
import type { GroupStats, MethodId } from '../../core';
import type { SavedRun } from '../runHistory';
import { METHOD_LABELS } from './views';

/** How a cell compares with the other runs of its row. */
export type BestMark = 'best' | 'tied best' | null;

export interface MethodRunCell {
  worstGroupAccuracy: number;
  accuracy: number;
  /** images behind the accuracy */
  n: number;
  worstGroup: Pick<GroupStats, 'class' | 'attribute' | 'n'>;
  mark: BestMark;
}

export interface MethodRunRow {
  method: MethodId;
  label: string;
  /** one per run, in the runs' order; null when that run has no row for the method */
  cells: (MethodRunCell | null)[];
  /** exactly two runs with this method: B − A as fractions (×100 = percentage points) */
  delta: { worstGroupAccuracy: number; accuracy: number } | null;
}

export interface GroupRunCell {
  accuracy: number;
  correct: number;
  n: number;
  mark: BestMark;
}

export interface GroupRunRow {
  key: string;
  /** the class string of the first run that has the group */
  class: string;
  attribute: string;
  /** the class strings other runs gave this class, when they differ (class strings edited) */
  otherClassNames: string[];
  cells: (GroupRunCell | null)[];
  /** exactly two runs with this group: accuracy B − A as a fraction */
  delta: number | null;
}

/** Whether every run saw the same images in the same groups. */
export type ImagesMatch = 'same' | 'regrouped' | 'different';

export interface RunComparisonData {
  runs: readonly SavedRun[];
  methods: MethodRunRow[];
  images: ImagesMatch;
  /** sentences shown above the table (not like for like) */
  notes: string[];
}

export const DIFFERENT_IMAGES_NOTE = 'These runs used different images: numbers are not directly comparable.';
export const REGROUPED_NOTE =
  'These runs used the same images, but some images are in other groups (re-tagged): per-group numbers are not directly comparable.';

/** Tolerance for equal accuracies (both are counts over n, so equal counts give equal numbers). */
const EPSILON = 1e-9;

/**
 * Marks the largest values: 'best' when one cell has it, 'tied best' when several do; none when fewer than two
 * cells have a number or every cell is equal (no run is better).
 */
export function bestMarks(values: readonly (number | null)[]): BestMark[] {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const max = Math.max(...finite);
  const min = Math.min(...finite);
  if (finite.length < 2 || max - min < EPSILON) return values.map(() => null);
  const top = finite.filter((v) => max - v < EPSILON).length;
  return values.map((v) =>
    v !== null && Number.isFinite(v) && max - v < EPSILON ? (top > 1 ? 'tied best' : 'best') : null,
  );
}

function delta(a: number | undefined, b: number | undefined): number | null {
  return a !== undefined && b !== undefined && Number.isFinite(a) && Number.isFinite(b) ? b - a : null;
}

/** The image ids of a run (its setup's "id, class folder, attribute folder" entries, or an opened file's ids). */
function imageIdsOf(run: SavedRun): string[] | null {
  if (run.setup.images) return run.setup.images.map((entry) => entry.split('\u0000')[0]).sort();
  return run.imageIds ? [...run.imageIds].sort() : null;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Same image ids in every run → 'same', unless two runs that list their groups put an image in another group
 * ('regrouped'); other ids → 'different'. A run that records no images (none does today) counts as different.
 */
export function imagesMatch(runs: readonly SavedRun[]): ImagesMatch {
  if (runs.length < 2) return 'same';
  const ids = runs.map(imageIdsOf);
  const first = ids[0];
  if (!first || ids.some((list) => !list || !sameList(list, first))) return 'different';
  const grouped = runs.map((r) => r.setup.images).filter((images): images is readonly string[] => !!images);
  return grouped.every((images) => sameList(images, grouped[0])) ? 'same' : 'regrouped';
}

/** Methods in the order the runs list them (the comparison table's order), each once. */
function methodOrder(runs: readonly SavedRun[]): MethodId[] {
  const seen = new Set<MethodId>();
  for (const run of runs) for (const row of run.rows) seen.add(row.method);
  return [...seen];
}

export function compareRuns(runs: readonly SavedRun[]): RunComparisonData {
  const two = runs.length === 2;
  const methods = methodOrder(runs).map((method): MethodRunRow => {
    const metrics = runs.map((run) => run.rows.find((r) => r.method === method)?.metrics ?? null);
    const marks = bestMarks(metrics.map((m) => m?.worstGroupAccuracy ?? null));
    const cells = metrics.map((m, i): MethodRunCell | null =>
      m
        ? {
            worstGroupAccuracy: m.worstGroupAccuracy,
            accuracy: m.accuracy,
            n: m.n,
            worstGroup: { class: m.worstGroup.class, attribute: m.worstGroup.attribute, n: m.worstGroup.n },
            mark: marks[i],
          }
        : null,
    );
    const [a, b] = metrics;
    const wga = two ? delta(a?.worstGroupAccuracy, b?.worstGroupAccuracy) : null;
    return {
      method,
      label: METHOD_LABELS[method],
      cells,
      delta: wga === null ? null : { worstGroupAccuracy: wga, accuracy: delta(a?.accuracy, b?.accuracy) ?? NaN },
    };
  });
  const images = imagesMatch(runs);
  const notes: string[] = [];
  if (images === 'different') notes.push(DIFFERENT_IMAGES_NOTE);
  if (images === 'regrouped') notes.push(REGROUPED_NOTE);
  const kNote = differentKNote(runs);
  if (kNote) notes.push(kNote);
  return { runs, methods, images, notes };
}

/** SAGE and random depend on K: when the runs were kept at different K, say which. */
export function differentKNote(runs: readonly SavedRun[]): string | null {
  const withK = runs.filter((run) => run.rows.some((r) => r.method === 'sage' || r.method === 'random'));
  if (new Set(withK.map((r) => r.k)).size < 2) return null;
  const each = withK.map((r) => `K = ${r.k} in “${r.label}”`).join(', ');
  return `SAGE and random templates use ${each}: their rows compare different K. The K slider recomputes the column of the results on screen; the other runs keep their K.`;
}

/**
 * One method's accuracy per class × attribute group in every run. Groups are matched by the class's position in
 * each run's class strings (so an edited class string still lines up) and the attribute.
 */
export function groupBreakdown(runs: readonly SavedRun[], method: MethodId): GroupRunRow[] {
  const rows = new Map<
    string,
    { class: string; attribute: string; names: Set<string>; stats: (GroupStats | null)[] }
  >();
  runs.forEach((run, i) => {
    const groups = run.rows.find((r) => r.method === method)?.metrics.groups ?? [];
    for (const g of groups) {
      const classIndex = run.setup.classes.indexOf(g.class);
      const key = `${classIndex >= 0 ? classIndex : g.class}\u0000${g.attribute}`;
      let row = rows.get(key);
      if (!row) {
        row = { class: g.class, attribute: g.attribute, names: new Set([g.class]), stats: runs.map(() => null) };
        rows.set(key, row);
      }
      row.names.add(g.class);
      row.stats[i] = g;
    }
  });
  const two = runs.length === 2;
  return [...rows].map(([key, row]) => {
    const marks = bestMarks(row.stats.map((g) => (g && g.n > 0 ? g.accuracy : null)));
    const [a, b] = row.stats;
    return {
      key,
      class: row.class,
      attribute: row.attribute,
      otherClassNames: [...row.names].filter((name) => name !== row.class),
      cells: row.stats.map((g, i) => (g ? { accuracy: g.accuracy, correct: g.correct, n: g.n, mark: marks[i] } : null)),
      delta: two && a && b && a.n > 0 && b.n > 0 ? b.accuracy - a.accuracy : null,
    };
  });
}
