/**
 * The templates view (issue 12 §3): per template its mean class separation (overall and per group), its
 * accuracy and worst-group accuracy when used alone for every image, and — at the current K — how many images
 * SAGE picked it for and how often it is right on exactly those images. The last two side by side explain why
 * SAGE can beat every single template: a template that fails a whole group alone is picked only for the images
 * it separates well, and there it is usually right.
 */
import { type Analysis, type ImageRecord, type MethodResult, selectionFrequency } from '../../core';
import { type TemplateAlone, type TemplateGroup, type TemplatesAlone, templatesAlone } from '../../core/templateStats';

export type { TemplateAlone, TemplateGroup } from '../../core/templateStats';

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

const aloneCache = new WeakMap<Analysis, TemplatesAlone>();

function aloneStats(
  analysis: Analysis,
  records: readonly ImageRecord[],
  classes: readonly string[],
  texts: readonly string[],
): TemplatesAlone {
  let stats = aloneCache.get(analysis);
  if (!stats) {
    stats = templatesAlone(analysis, records, classes, texts);
    aloneCache.set(analysis, stats);
  }
  return stats;
}

/** Records the templates-alone statistics computed elsewhere (the bundle worker) for this analysis. */
export function primeTemplatesAlone(analysis: Analysis, stats: TemplatesAlone): void {
  aloneCache.set(analysis, stats);
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
