/** Evaluation metrics (SPEC §4). Labels and groups enter only here, never into the methods. */
import { ConfigError } from './errors';
import type { Discrepancy, GroupKey, GroupStats, GroupWeights, ImageRecord, Interval, Metrics } from './types';

/** z for a two-sided 95% interval. */
export const Z_95 = 1.96;

/**
 * Wilson score interval for `correct` successes out of `n` (z = 1.96). Unlike the normal approximation it stays
 * inside [0, 1] and is honest for the small groups user data has. n = 0 → [0, 1] (nothing is known).
 */
export function wilsonInterval(correct: number, n: number, z: number = Z_95): Interval {
  if (n <= 0) return { low: 0, high: 1 };
  const p = correct / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

/** The key used for group weights and lookups: `${class}/${attribute}`. */
export function groupKey(group: GroupKey): string {
  return `${group.class}/${group.attribute}`;
}

function classIndexOf(classes: readonly string[]): Map<string, number> {
  return new Map(classes.map((cls, index) => [cls, index]));
}

function checkInputs(
  records: readonly ImageRecord[],
  classes: readonly string[],
  predicted: ArrayLike<number>,
): Map<string, number> {
  if (predicted.length !== records.length) {
    throw new ConfigError(
      'predicted',
      `expected ${records.length} predictions (one per image), got ${predicted.length}`,
    );
  }
  const index = classIndexOf(classes);
  records.forEach((record, i) => {
    if (!index.has(record.class)) throw new ConfigError(`images[${i}].class`, `unknown class "${record.class}"`);
    const p = predicted[i];
    if (!Number.isInteger(p) || p < 0 || p >= classes.length) {
      throw new ConfigError(`predicted[${i}]`, `expected a class index in 0..${classes.length - 1}, got ${p}`);
    }
  });
  return index;
}

/** One group's stats from its counts (accuracy NaN when the group is empty). */
export function groupStats(cls: string, attribute: string, n: number, correct: number): GroupStats {
  return { class: cls, attribute, n, correct, accuracy: n > 0 ? correct / n : NaN, ci95: wilsonInterval(correct, n) };
}

/**
 * Per-group n / correct / accuracy / Wilson interval, sorted by class (class-list order) then attribute
 * (string order). Only groups that have images appear, so every group has n ≥ 1.
 */
export function computeGroupStats(
  records: readonly ImageRecord[],
  classes: readonly string[],
  predicted: ArrayLike<number>,
): GroupStats[] {
  const index = checkInputs(records, classes, predicted);
  const counts = new Map<string, { cls: string; attribute: string; n: number; correct: number }>();
  records.forEach((record, i) => {
    const key = groupKey(record);
    let entry = counts.get(key);
    if (entry === undefined) {
      entry = { cls: record.class, attribute: record.attribute, n: 0, correct: 0 };
      counts.set(key, entry);
    }
    entry.n++;
    if (predicted[i] === index.get(record.class)) entry.correct++;
  });
  return [...counts.values()]
    .sort((a, b) => (index.get(a.cls) ?? 0) - (index.get(b.cls) ?? 0) || compareStrings(a.attribute, b.attribute))
    .map((entry) => groupStats(entry.cls, entry.attribute, entry.n, entry.correct));
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Adjusted accuracy: group accuracies weighted by user weights (e.g. Waterbirds training-set group sizes).
 * Groups the weights do not name count with weight 0; a weight naming a group with no images is an error.
 */
export function adjustedAccuracy(groups: readonly GroupStats[], weights: GroupWeights): number {
  const byKey = new Map(groups.map((g) => [groupKey(g), g]));
  let total = 0;
  let weighted = 0;
  for (const [key, weight] of Object.entries(weights)) {
    const field = `weights.${key}`;
    const group = byKey.get(key);
    if (group === undefined) {
      throw new ConfigError(field, `no such group; groups are ${[...byKey.keys()].join(', ') || '(none)'}`);
    }
    if (!Number.isFinite(weight) || weight < 0)
      throw new ConfigError(field, `expected a non-negative number, got ${weight}`);
    total += weight;
    weighted += weight * group.accuracy;
  }
  if (total <= 0) throw new ConfigError('weights', 'the weights sum to 0');
  return weighted / total;
}

/** SPEC §4 metrics for one method's predictions (class indices into `classes`). */
export function computeMetrics(
  records: readonly ImageRecord[],
  classes: readonly string[],
  predicted: ArrayLike<number>,
  weights?: GroupWeights,
): Metrics {
  if (records.length === 0) throw new ConfigError('images', 'no images to evaluate');
  return summarize(computeGroupStats(records, classes, predicted), records.length, weights);
}

/**
 * What the metrics need from the records, computed once per image set: each image's group (as assignGroups)
 * and true class index. Many methods' (and many K's) predictions are then scored with integer loops only.
 */
export interface ImageGroups {
  groups: GroupKey[];
  /** group index per image */
  imageGroup: Int32Array;
  /** images per group */
  sizes: Int32Array;
  /** true class index per image (into the classes given to imageGroups) */
  imageClass: Int32Array;
  classCount: number;
}

export function imageGroups(records: readonly ImageRecord[], classes: readonly string[]): ImageGroups {
  const { groups, imageGroup, sizes } = assignGroups(records, classes);
  const order = classIndexOf(classes);
  const imageClass = Int32Array.from(records, (record) => order.get(record.class) ?? -1);
  return { groups, imageGroup, sizes, imageClass, classCount: classes.length };
}

/** computeMetrics for records grouped once by imageGroups: the same Metrics in O(N) integer work. */
export function metricsFromImageGroups(
  images: ImageGroups,
  predicted: ArrayLike<number>,
  weights?: GroupWeights,
): Metrics {
  const { groups, imageGroup, sizes, imageClass, classCount } = images;
  const n = imageGroup.length;
  if (n === 0) throw new ConfigError('images', 'no images to evaluate');
  if (predicted.length !== n) {
    throw new ConfigError('predicted', `expected ${n} predictions (one per image), got ${predicted.length}`);
  }
  const correct = new Int32Array(groups.length);
  for (let i = 0; i < n; i++) {
    const p = predicted[i];
    if (!Number.isInteger(p) || p < 0 || p >= classCount) {
      throw new ConfigError(`predicted[${i}]`, `expected a class index in 0..${classCount - 1}, got ${p}`);
    }
    if (p === imageClass[i]) correct[imageGroup[i]]++;
  }
  const stats = groups.map((g, gi) => groupStats(g.class, g.attribute, sizes[gi], correct[gi]));
  return summarize(stats, n, weights);
}

/** Accuracy, WGA (first of the worst in group order), balanced accuracy, gap, HM from the group table. */
function summarize(groups: GroupStats[], n: number, weights: GroupWeights | undefined): Metrics {
  let correct = 0;
  for (const g of groups) correct += g.correct;
  const accuracy = correct / n;
  let worstGroup = groups[0];
  let accuracySum = 0;
  for (const g of groups) {
    accuracySum += g.accuracy;
    if (g.accuracy < worstGroup.accuracy) worstGroup = g;
  }
  const worstGroupAccuracy = worstGroup.accuracy;
  const metrics: Metrics = {
    n,
    correct,
    accuracy,
    accuracyCi95: wilsonInterval(correct, n),
    worstGroupAccuracy,
    worstGroup,
    balancedAccuracy: accuracySum / groups.length,
    gap: accuracy - worstGroupAccuracy,
    harmonicMean: harmonicMean(accuracy, worstGroupAccuracy),
    groups,
  };
  if (weights !== undefined) metrics.adjustedAccuracy = adjustedAccuracy(groups, weights);
  return metrics;
}

/** 2ab/(a+b); 0 when both are 0. */
export function harmonicMean(a: number, b: number): number {
  return a + b > 0 ? (2 * a * b) / (a + b) : 0;
}

/**
 * Accuracy discrepancy (Yang et al. 2023, eq. 7) for every (class y, attribute value s) seen in the data:
 * δ = acc(y | s present) − acc(y | s absent), where "absent" means images of class y with another attribute.
 *
 * Ranking: by signed δ, largest first (as Yang et al. rank attributes). A large positive δ says the model is
 * right more often when s is present — it leans on s for class y, the signature of a spurious cue. With a
 * binary attribute the negative entry is the mirror image of a positive one, so ranking by |δ| would list
 * every finding twice. NaN (s always or never present for y) goes last; ties by class order, then attribute.
 */
export function accuracyDiscrepancy(
  records: readonly ImageRecord[],
  classes: readonly string[],
  predicted: ArrayLike<number>,
): Discrepancy[] {
  return discrepancyFromGroups(computeGroupStats(records, classes, predicted), classes);
}

/** accuracyDiscrepancy from a method's group table (its Metrics.groups): the same list, no pass over the images. */
export function discrepancyFromGroups(groups: readonly GroupStats[], classes: readonly string[]): Discrepancy[] {
  const classTotals = new Map<string, { n: number; correct: number }>();
  for (const g of groups) {
    const total = classTotals.get(g.class) ?? { n: 0, correct: 0 };
    total.n += g.n;
    total.correct += g.correct;
    classTotals.set(g.class, total);
  }
  const order = classIndexOf(classes);
  const result: Discrepancy[] = groups.map((g) => {
    const total = classTotals.get(g.class) ?? { n: 0, correct: 0 };
    const nAbsent = total.n - g.n;
    const accAbsent = nAbsent > 0 ? (total.correct - g.correct) / nAbsent : NaN;
    return { class: g.class, attribute: g.attribute, delta: g.accuracy - accAbsent, nPresent: g.n, nAbsent };
  });
  return result.sort((a, b) => {
    const aNaN = Number.isNaN(a.delta);
    const bNaN = Number.isNaN(b.delta);
    if (aNaN !== bNaN) return aNaN ? 1 : -1;
    if (!aNaN && a.delta !== b.delta) return b.delta - a.delta;
    return (order.get(a.class) ?? 0) - (order.get(b.class) ?? 0) || compareStrings(a.attribute, b.attribute);
  });
}

/** The groups present in `records` (sorted as in computeGroupStats) and each image's group index. */
export function assignGroups(
  records: readonly ImageRecord[],
  classes: readonly string[],
): { groups: GroupKey[]; imageGroup: Int32Array; sizes: Int32Array } {
  const order = classIndexOf(classes);
  const keys = new Map<string, GroupKey>();
  records.forEach((record, i) => {
    if (!order.has(record.class)) throw new ConfigError(`images[${i}].class`, `unknown class "${record.class}"`);
    const key = groupKey(record);
    if (!keys.has(key)) keys.set(key, { class: record.class, attribute: record.attribute });
  });
  const groups = [...keys.values()].sort(
    (a, b) => (order.get(a.class) ?? 0) - (order.get(b.class) ?? 0) || compareStrings(a.attribute, b.attribute),
  );
  const index = new Map(groups.map((g, gi) => [groupKey(g), gi]));
  const imageGroup = new Int32Array(records.length);
  const sizes = new Int32Array(groups.length);
  records.forEach((record, i) => {
    const gi = index.get(groupKey(record)) ?? 0;
    imageGroup[i] = gi;
    sizes[gi]++;
  });
  return { groups, imageGroup, sizes };
}
