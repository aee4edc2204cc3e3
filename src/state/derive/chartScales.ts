/**
 * Small pure decisions behind the results charts (per-group chart, δ chart): which groups are the worst of a
 * series (ties included), and a readable symmetric axis for δ in percentage points.
 */
import type { GroupStats } from '../../core';

export interface WorstGroups {
  /** `${class}/${attribute}` of every group at the lowest accuracy (more than one when they tie) */
  keys: ReadonlySet<string>;
  /** the lowest accuracy (NaN when no group has images) */
  accuracy: number;
  /** every group with images has this same accuracy */
  allTie: boolean;
}

/** Two accuracies closer than this are the same number on screen (0.1 % rounding) and count as a tie. */
const TIE_TOLERANCE = 1e-9;

/** The worst groups of one method: every group with images whose accuracy equals the minimum. */
export function worstGroups(groups: readonly GroupStats[]): WorstGroups {
  let lowest = Number.POSITIVE_INFINITY;
  let counted = 0;
  for (const g of groups) {
    if (g.n < 1 || !Number.isFinite(g.accuracy)) continue;
    counted++;
    if (g.accuracy < lowest) lowest = g.accuracy;
  }
  if (counted === 0) return { keys: new Set(), accuracy: Number.NaN, allTie: false };
  const keys = new Set<string>();
  for (const g of groups) {
    if (g.n >= 1 && Math.abs(g.accuracy - lowest) <= TIE_TOLERANCE) keys.add(`${g.class}/${g.attribute}`);
  }
  return { keys, accuracy: lowest, allTie: counted > 1 && keys.size === counted };
}

/** Bounds a δ axis may use, in percentage points: the smallest that holds every bar. */
const DELTA_BOUNDS = [5, 10, 20, 25, 50, 100] as const;

/**
 * A symmetric δ axis in percentage points around 0: [−b, b] with b the smallest of 5, 10, 20, 25, 50, 100
 * points that holds every |δ|, and five ticks (−b, −b/2, 0, b/2, b). Symmetric so that "more right when the
 * attribute is present" and "less right" read at the same scale; never a "1 pts" axis for tiny data.
 */
export function deltaAxis(deltasInPoints: readonly number[]): { domain: [number, number]; ticks: number[] } {
  let largest = 0;
  for (const d of deltasInPoints) if (Number.isFinite(d)) largest = Math.max(largest, Math.abs(d));
  const bound = DELTA_BOUNDS.find((b) => largest <= b) ?? Math.ceil(largest / 50) * 50;
  return { domain: [-bound, bound], ticks: [-bound, -bound / 2, 0, bound / 2, bound] };
}
