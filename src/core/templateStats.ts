/**
 * Per-template statistics (SPEC §4): mean separation overall and per group, each template's accuracy and WGA
 * when used alone, and how often SAGE (or random) selects each template. All read the prebuilt analysis.
 */
import type { Analysis } from './analysis';
import { ConfigError } from './errors';
import { assignGroups, computeMetrics, groupKey } from './metrics';
import type { GroupKey, GroupStats, ImageRecord, MethodResult } from './types';

/** A per-template series (length M, full-pool numbering) for one group. */
export interface GroupSeries extends GroupKey {
  n: number;
  values: number[];
}

export interface TemplateSeries {
  /** over all images, length M */
  overall: number[];
  /** per group, groups sorted by class then attribute */
  groups: GroupSeries[];
}

function checkRecords(analysis: Analysis, records: readonly ImageRecord[]): void {
  if (records.length !== analysis.n) {
    throw new ConfigError('images', `expected ${analysis.n} image records (one per tensor row), got ${records.length}`);
  }
}

/** Mean of sep[i][t] per template, over all images and per group. */
export function meanSeparation(
  analysis: Analysis,
  records: readonly ImageRecord[],
  classes: readonly string[],
): TemplateSeries {
  checkRecords(analysis, records);
  const { n, m, separation } = analysis;
  const { groups, imageGroup, sizes } = assignGroups(records, classes);
  const overall = new Float64Array(m);
  const perGroup = new Float64Array(groups.length * m);
  for (let i = 0; i < n; i++) {
    const g = imageGroup[i] * m;
    for (let t = 0; t < m; t++) {
      const s = separation[i * m + t];
      overall[t] += s;
      perGroup[g + t] += s;
    }
  }
  return {
    overall: Array.from(overall, (sum) => sum / n),
    groups: groups.map((group, gi) => ({
      ...group,
      n: sizes[gi],
      values: Array.from(perGroup.subarray(gi * m, (gi + 1) * m), (sum) => sum / sizes[gi]),
    })),
  };
}

export interface SingleTemplateStats {
  template: number;
  accuracy: number;
  worstGroupAccuracy: number;
  worstGroup: GroupStats;
}

/** Zero-shot with template t into `predicted`: argmax over classes, the first best wins (as runMethod's). */
function predictWithTemplate(analysis: Analysis, t: number, predicted: Int32Array): void {
  const { n, m, c, tensor } = analysis;
  for (let i = 0; i < n; i++) {
    const base = (i * m + t) * c;
    let best = 0;
    for (let cls = 1; cls < c; cls++) if (tensor.values[base + cls] > tensor.values[base + best]) best = cls;
    predicted[i] = best;
  }
}

/** Accuracy and WGA of every template used alone (zero-shot with that template), full pool. */
export function singleTemplateStats(
  analysis: Analysis,
  records: readonly ImageRecord[],
  classes: readonly string[],
): SingleTemplateStats[] {
  checkRecords(analysis, records);
  const { n, m } = analysis;
  const predicted = new Int32Array(n);
  const stats: SingleTemplateStats[] = [];
  for (let t = 0; t < m; t++) {
    predictWithTemplate(analysis, t, predicted);
    const metrics = computeMetrics(records, classes, predicted);
    stats.push({
      template: t,
      accuracy: metrics.accuracy,
      worstGroupAccuracy: metrics.worstGroupAccuracy,
      worstGroup: metrics.worstGroup,
    });
  }
  return stats;
}

/**
 * Fraction of images whose selection includes each template, overall and per group (for K > 1 an image counts
 * once for each of its K templates, so a series sums to K). Needs a template-selecting result (sage/random/zeroshot).
 */
export function selectionFrequency(
  result: MethodResult,
  records: readonly ImageRecord[],
  classes: readonly string[],
  m: number,
): TemplateSeries {
  const n = records.length;
  const k = result.kSelected;
  if (k === 0) throw new ConfigError('result', `${result.config.method} selects no templates`);
  if (result.selected.length !== n * k) {
    throw new ConfigError('result', `expected ${n} × ${k} selected templates, got ${result.selected.length}`);
  }
  const { groups, imageGroup, sizes } = assignGroups(records, classes);
  const overall = new Float64Array(m);
  const perGroup = new Float64Array(groups.length * m);
  for (let i = 0; i < n; i++) {
    const g = imageGroup[i] * m;
    for (let j = 0; j < k; j++) {
      const t = result.selected[i * k + j];
      overall[t]++;
      perGroup[g + t]++;
    }
  }
  return {
    overall: Array.from(overall, (count) => count / n),
    groups: groups.map((group, gi) => ({
      ...group,
      n: sizes[gi],
      values: Array.from(perGroup.subarray(gi * m, (gi + 1) * m), (count) => count / sizes[gi]),
    })),
  };
}

export interface TemplateGroup extends GroupKey {
  n: number;
}

/** What a template does regardless of K. */
export interface TemplateAlone {
  template: number;
  text: string;
  meanSeparation: number;
  /** per group, in `groups` order */
  groupSeparation: number[];
  accuracyAlone: number;
  worstGroupAccuracyAlone: number;
  worstGroupAlone: GroupKey;
  /** per group, in `groups` order */
  groupAccuracyAlone: number[];
}

/** Every template used alone (zero-shot with that template): the K-independent half of the templates view. */
export interface TemplatesAlone {
  groups: TemplateGroup[];
  templates: TemplateAlone[];
  /** N × M: 1 where template t alone classifies image i correctly (i·M + t) */
  correctAlone: Uint8Array;
}

/**
 * Per template: mean separation overall and per group, accuracy and worst-group accuracy when used alone, and
 * which images it alone gets right. O(N·M·C) plus one metrics pass per template; `texts` name the templates.
 */
export function templatesAlone(
  analysis: Analysis,
  records: readonly ImageRecord[],
  classes: readonly string[],
  texts: readonly string[],
): TemplatesAlone {
  checkRecords(analysis, records);
  const { n, m } = analysis;
  const separation = meanSeparation(analysis, records, classes);
  const groups = separation.groups.map((g) => ({ class: g.class, attribute: g.attribute, n: g.n }));
  const classIndex = new Map(classes.map((cls, index) => [cls, index]));
  const labels = Int32Array.from(records, (record) => classIndex.get(record.class) ?? -1);
  const correctAlone = new Uint8Array(n * m);
  const predicted = new Int32Array(n);
  const templates: TemplateAlone[] = [];
  for (let t = 0; t < m; t++) {
    predictWithTemplate(analysis, t, predicted);
    for (let i = 0; i < n; i++) correctAlone[i * m + t] = predicted[i] === labels[i] ? 1 : 0;
    const metrics = computeMetrics(records, classes, predicted);
    const accuracyByGroup = new Map(metrics.groups.map((g) => [groupKey(g), g.accuracy]));
    templates.push({
      template: t,
      text: texts[t] ?? `template ${t}`,
      meanSeparation: separation.overall[t],
      groupSeparation: separation.groups.map((g) => g.values[t]),
      accuracyAlone: metrics.accuracy,
      worstGroupAccuracyAlone: metrics.worstGroupAccuracy,
      worstGroupAlone: { class: metrics.worstGroup.class, attribute: metrics.worstGroup.attribute },
      groupAccuracyAlone: groups.map((g) => accuracyByGroup.get(groupKey(g)) ?? NaN),
    });
  }
  return { groups, templates, correctAlone };
}
