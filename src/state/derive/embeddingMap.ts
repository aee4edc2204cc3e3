/** The embedding map's data: the PCA points of every image, bucketed by (class, attribute) group. Pure. */
import { assignGroups } from '../../core';
import type { ResultsInput } from './views';

export interface MapPoint {
  x: number;
  y: number;
  id: string;
  /** the point's group, as `labelGroup` names it */
  group: string;
  /** the image's position in the results (looks up what depends on K or the method, e.g. correctness) */
  index: number;
  /** whether the selected method classified the image correctly; null when not asked (the plot's points) */
  correct: boolean | null;
}

export interface MapSeries {
  name: string;
  points: MapPoint[];
}

/**
 * One series per group, in the groups' order (class order, then attribute). `points` is N × 2 row-major
 * (pca2's output); `predicted` the selected method's class per image.
 */
export function embeddingMapSeries(
  input: Pick<ResultsInput, 'records' | 'classes'>,
  points: Float32Array,
  predicted: Int32Array | null,
  labelGroup: (cls: string, attribute: string) => string,
  /** keep every stride-th image of each group (each group keeps its first); 1 keeps all */
  stride = 1,
): MapSeries[] {
  const { groups, imageGroup } = assignGroups(input.records, input.classes);
  const classIndex = new Map(input.classes.map((c, i) => [c, i]));
  const names = groups.map((g) => labelGroup(g.class, g.attribute));
  const buckets: MapPoint[][] = groups.map(() => []);
  const seen = new Int32Array(groups.length);
  input.records.forEach((r, i) => {
    const group = imageGroup[i];
    if (seen[group]++ % stride !== 0) return;
    buckets[group].push({
      x: points[2 * i],
      y: points[2 * i + 1],
      id: r.id,
      group: names[group],
      index: i,
      correct: predicted ? predicted[i] === classIndex.get(r.class) : null,
    });
  });
  return names.map((name, group) => ({ name, points: buckets[group] }));
}

/** The marker shapes the map cycles through (recharts symbol and legend types), one per group. */
export const MAP_SHAPES = ['circle', 'square', 'triangle', 'diamond', 'cross', 'star', 'wye'] as const;
export type MapShape = (typeof MAP_SHAPES)[number];

/**
 * A group's marker: shape and colour both change from group to group, and the plot and the legend read the
 * same pair, so the legend's symbol is the one drawn on the map. Colour is a theme variable (--series-1…6).
 */
export function groupMarker(groupIndex: number): { shape: MapShape; colour: string } {
  return {
    shape: MAP_SHAPES[groupIndex % MAP_SHAPES.length],
    colour: `var(--series-${(groupIndex % 6) + 1})`,
  };
}

/** "PC 1 (34% of variance explained)": an axis title from the component's share of the variance (0–1). */
export function componentAxisLabel(component: 1 | 2, share: number): string {
  const percent = share * 100;
  const shown = percent > 0 && percent < 1 ? percent.toFixed(1) : percent.toFixed(0);
  return `PC ${component} (${shown}% of variance explained)`;
}

/** Fewer images than this give no map worth reading (two points always lie on a line). */
export const MAP_MIN_IMAGES = 3;

/** Why the map cannot be drawn, in words, or null when it can. */
export function mapUnavailableReason(n: number, totalVariance: number): string | null {
  if (n < MAP_MIN_IMAGES) {
    return `The map needs at least ${MAP_MIN_IMAGES} images to show how they spread; these results have ${n === 0 ? 'none' : n === 1 ? 'only 1' : `only ${n}`} so far.`;
  }
  if (!(totalVariance > 0)) {
    return 'All image embeddings are identical, so there is no spread to map.';
  }
  return null;
}

/**
 * Most points the map draws: recharts makes one SVG element per point, and tens of thousands freeze the page
 * for minutes. Above this the map draws an even sample of each group and says so.
 */
export const MAP_POINT_LIMIT = 2500;

/** The sampling stride for n images: 1 up to MAP_POINT_LIMIT. */
export function mapStride(n: number): number {
  return Math.max(1, Math.ceil(n / MAP_POINT_LIMIT));
}
