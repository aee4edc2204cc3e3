/** The embedding map's data: the PCA points of every image, bucketed by (class, attribute) group. Pure. */
import { assignGroups } from '../../core';
import type { ResultsInput } from './views';

export interface MapPoint {
  x: number;
  y: number;
  id: string;
  /** the point's group, as `labelGroup` names it */
  group: string;
  /** whether the selected method classified the image correctly */
  correct: boolean;
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
  predicted: Int32Array,
  labelGroup: (cls: string, attribute: string) => string,
): MapSeries[] {
  const { groups, imageGroup } = assignGroups(input.records, input.classes);
  const classIndex = new Map(input.classes.map((c, i) => [c, i]));
  const names = groups.map((g) => labelGroup(g.class, g.attribute));
  const buckets: MapPoint[][] = groups.map(() => []);
  input.records.forEach((r, i) => {
    const group = imageGroup[i];
    buckets[group].push({
      x: points[2 * i],
      y: points[2 * i + 1],
      id: r.id,
      group: names[group],
      correct: predicted[i] === classIndex.get(r.class),
    });
  });
  return names.map((name, group) => ({ name, points: buckets[group] }));
}
