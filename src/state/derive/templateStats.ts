/**
 * The templates view (issue 12 §3): per template its mean class separation (overall and per group), its
 * accuracy and worst-group accuracy when used alone for every image, and — at the current K — how many images
 * SAGE picked it for and how often it is right on exactly those images. The last two side by side explain why
 * SAGE can beat every single template: a template that fails a whole group alone is picked only for the images
 * it separates well, and there it is usually right.
 */
import {
  type Analysis,
  type GroupKey,
  type ImageRecord,
  type MethodResult,
  computeMetrics,
  groupKey,
  meanSeparation,
  runMethod,
  selectionFrequency,
} from '../../core';

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

/** …and what SAGE does with it at the current K. */
export interface TemplateStat extends TemplateAlone {
  /** images whose SAGE selection includes this template */
  picks: number;
  /** per group, in `groups` order */
  groupPicks: number[];
  /** of those images, how many this template alone classifies correctly */
  pickedForCorrect: number;
  /** pickedForCorrect / picks (NaN when never picked) */
  pickedForAccuracy: number;
}

export interface TemplateStats {
  groups: TemplateGroup[];
  /** by template index */
  templates: TemplateStat[];
  /** SAGE's K */
  k: number;
  imageCount: number;
}

interface AloneStats {
  groups: TemplateGroup[];
  templates: TemplateAlone[];
  /** N × M: 1 where template t alone classifies image i correctly (i·M + t) */
  correctAlone: Uint8Array;
}

const aloneCache = new WeakMap<Analysis, AloneStats>();

function aloneStats(
  analysis: Analysis,
  records: readonly ImageRecord[],
  classes: readonly string[],
  texts: readonly string[],
): AloneStats {
  const cached = aloneCache.get(analysis);
  if (cached) return cached;
  const { n, m } = analysis;
  const separation = meanSeparation(analysis, records, classes);
  const groups = separation.groups.map((g) => ({ class: g.class, attribute: g.attribute, n: g.n }));
  const classIndex = new Map(classes.map((cls, index) => [cls, index]));
  const labels = Int32Array.from(records, (record) => classIndex.get(record.class) ?? -1);
  const correctAlone = new Uint8Array(n * m);
  const templates: TemplateAlone[] = [];
  for (let t = 0; t < m; t++) {
    // a template used alone is the zero-shot method with that template
    const { predicted } = runMethod(analysis, { method: 'zeroshot', template: t });
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
  const stats = { groups, templates, correctAlone };
  aloneCache.set(analysis, stats);
  return stats;
}

/**
 * Every template's statistics for SAGE's result `sage` (its selection at the current K). The K-independent part
 * is computed once per analysis; a K change costs O(N·K).
 */
export function templateStats(
  analysis: Analysis,
  records: readonly ImageRecord[],
  classes: readonly string[],
  texts: readonly string[],
  sage: MethodResult,
): TemplateStats {
  const alone = aloneStats(analysis, records, classes, texts);
  const { n, m } = analysis;
  const k = sage.kSelected;
  const frequency = selectionFrequency(sage, records, classes, m);
  const pickedForCorrect = new Int32Array(m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const t = sage.selected[i * k + j];
      pickedForCorrect[t] += alone.correctAlone[i * m + t];
    }
  }
  const templates = alone.templates.map((t): TemplateStat => {
    const picks = Math.round(frequency.overall[t.template] * n);
    return {
      ...t,
      picks,
      groupPicks: frequency.groups.map((g) => Math.round(g.values[t.template] * g.n)),
      pickedForCorrect: pickedForCorrect[t.template],
      pickedForAccuracy: picks > 0 ? pickedForCorrect[t.template] / picks : NaN,
    };
  });
  return { groups: alone.groups, templates, k, imageCount: n };
}

export type TemplateSort = 'separation' | 'picks' | 'wgaAlone';

export const TEMPLATE_SORTS: Record<TemplateSort, string> = {
  separation: 'mean class separation',
  picks: 'times picked by SAGE',
  wgaAlone: 'worst-group accuracy alone',
};

/** The value a sort orders by (largest first). */
export function sortValue(stat: TemplateStat, by: TemplateSort): number {
  switch (by) {
    case 'separation':
      return stat.meanSeparation;
    case 'picks':
      return stat.picks;
    case 'wgaAlone':
      return stat.worstGroupAccuracyAlone;
  }
}

/** Templates largest first by `by`; ties → lower template index first. */
export function sortTemplates(templates: readonly TemplateStat[], by: TemplateSort): TemplateStat[] {
  return [...templates].sort((a, b) => sortValue(b, by) - sortValue(a, by) || a.template - b.template);
}

/** SAGE's most-picked templates (picks > 0), most first, at most `limit`. */
export function mostPicked(templates: readonly TemplateStat[], limit = 5): TemplateStat[] {
  return sortTemplates(
    templates.filter((t) => t.picks > 0),
    'picks',
  ).slice(0, limit);
}
