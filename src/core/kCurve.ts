/**
 * Worst-group accuracy and accuracy against K (issue 12 §4), for SAGE and for the random baseline, K = 1 … P.
 *
 * Computed once per analysis, seed and aggregate (state/derive/kCurve caches it), not per K change. The analysis already holds, for every image,
 * its template ranking (SAGE: by separation; random: the seeded permutation the random row uses) and prefix
 * sums of scores and inverse norms along it (core/analysis RankingTables): the scores at any K are read from
 * row K−1 of those tables, exactly as the core's runMethod reads them. So the curve is P passes of O(N·C) reads
 * with no selection re-run, no per-K allocation, and per-group correct counts instead of P metric objects.
 * kCurve.test.ts checks it against the comparison table's method rows (runMethod + computeMetrics) at every K.
 */
import type { Analysis, RankingTables } from './analysis';
import { assignGroups } from './metrics';
import type { Aggregate, ImageRecord } from './types';

export interface KCurvePoint {
  k: number;
  sageWorstGroupAccuracy: number;
  sageAccuracy: number;
  randomWorstGroupAccuracy: number;
  randomAccuracy: number;
}

export interface KCurve {
  points: KCurvePoint[];
  /** the K with the highest SAGE worst-group accuracy; ties → the smallest such K */
  bestK: number;
}

export interface KCurveOptions {
  /** the random row's seed (the view's), so the random curve at K equals the random row at K */
  seed: number;
  aggregate: Aggregate;
}

/** Per K (index K−1): accuracy and worst-group accuracy of the predictions the tables give at K. */
function sweep(
  analysis: Analysis,
  tables: RankingTables,
  aggregate: Aggregate,
  labels: Int32Array,
  imageGroup: Int32Array,
  groupSizes: Int32Array,
): { accuracy: Float64Array; worstGroupAccuracy: Float64Array } {
  const { n, c } = analysis;
  const p = analysis.pool.length;
  const { scoreSums, invNorms } = tables;
  const byEmbedding = aggregate === 'embedding';
  const accuracy = new Float64Array(p);
  const worstGroupAccuracy = new Float64Array(p);
  const groupCorrect = new Int32Array(groupSizes.length);
  for (let k = 1; k <= p; k++) {
    groupCorrect.fill(0);
    const invK = 1 / k;
    let correct = 0;
    for (let i = 0; i < n; i++) {
      const src = (i * p + k - 1) * c;
      // the same score and argmax (first best wins) as the core's fromRanking
      let best = 0;
      let bestScore = -Infinity;
      for (let cls = 0; cls < c; cls++) {
        const score = byEmbedding ? scoreSums[src + cls] * invNorms[src + cls] : scoreSums[src + cls] * invK;
        if (score > bestScore) {
          bestScore = score;
          best = cls;
        }
      }
      if (best === labels[i]) {
        correct++;
        groupCorrect[imageGroup[i]]++;
      }
    }
    let worst = Infinity;
    for (let g = 0; g < groupSizes.length; g++) {
      const groupAccuracy = groupCorrect[g] / groupSizes[g];
      if (groupAccuracy < worst) worst = groupAccuracy;
    }
    accuracy[k - 1] = correct / n;
    worstGroupAccuracy[k - 1] = worst;
  }
  return { accuracy, worstGroupAccuracy };
}

/** SAGE's and random's accuracy and worst-group accuracy at every K = 1 … pool size. */
export function kCurve(
  analysis: Analysis,
  records: readonly ImageRecord[],
  classes: readonly string[],
  options: KCurveOptions,
): KCurve {
  if (records.length !== analysis.n || analysis.n === 0) return { points: [], bestK: 1 };
  const { imageGroup, sizes } = assignGroups(records, classes);
  const classIndex = new Map(classes.map((cls, index) => [cls, index]));
  const labels = Int32Array.from(records, (record) => classIndex.get(record.class) ?? -1);
  const sage = sweep(analysis, analysis.sage, options.aggregate, labels, imageGroup, sizes);
  const random = sweep(analysis, analysis.randomTables(options.seed), options.aggregate, labels, imageGroup, sizes);
  const points: KCurvePoint[] = [];
  let bestK = 1;
  let bestWorstGroupAccuracy = -Infinity;
  for (let k = 1; k <= analysis.pool.length; k++) {
    const point = {
      k,
      sageWorstGroupAccuracy: sage.worstGroupAccuracy[k - 1],
      sageAccuracy: sage.accuracy[k - 1],
      randomWorstGroupAccuracy: random.worstGroupAccuracy[k - 1],
      randomAccuracy: random.accuracy[k - 1],
    };
    // strictly greater: a tie keeps the smaller K
    if (point.sageWorstGroupAccuracy > bestWorstGroupAccuracy) {
      bestWorstGroupAccuracy = point.sageWorstGroupAccuracy;
      bestK = k;
    }
    points.push(point);
  }
  return { points, bestK };
}
