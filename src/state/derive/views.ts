/**
 * Everything the results views show, derived from the analysis and the view parameters.
 * Pure functions with identity-keyed memo caches: changing K reruns only SAGE and random (O(N·C)),
 * and K-independent tables (separation, single-template stats) are computed once per analysis.
 */
import {
  type Analysis,
  type Discrepancy,
  type GroupPrompt,
  type GroupStats,
  type ImageRecord,
  type MethodConfig,
  type MethodId,
  type MethodResult,
  type MethodSettings,
  type Metrics,
  type SingleTemplateStats,
  type TemplateSeries,
  accuracyDiscrepancy,
  computeMetrics,
  meanSeparation,
  methodConfig,
  runGroupPrompt,
  runMethod,
  selectionFrequency,
  singleTemplateStats,
} from '../../core';
import type { ViewParams } from '../results';

export interface ResultsInput {
  analysis: Analysis;
  /** exactly analysis.n records */
  records: readonly ImageRecord[];
  classes: readonly string[];
  templates: readonly string[];
  /** at least analysis.n × dim */
  embeddings: Float32Array;
  dim: number;
  groupPrompts: readonly GroupPrompt[];
}

export interface MethodRow {
  method: MethodId;
  label: string;
  /** group-prompt needs the attribute words: extra knowledge the other methods do not have */
  usesAttributes: boolean;
  config: MethodConfig;
  result: MethodResult;
  metrics: Metrics;
}

export const METHOD_LABELS: Record<MethodId, string> = {
  zeroshot: 'Zero-shot (one template)',
  ensemble: 'Ensemble (all templates)',
  random: 'Random K templates',
  sage: 'SAGE (top-K by separation)',
  groupprompt: 'Group prompts',
  roboshot: 'RoboShot',
  tiestar: 'TIE*',
  tie: 'TIE (uses attribute labels)',
  orthproj: 'Orth-Proj',
  orthcali: 'Orth-Cali',
};

/** The view parameters as the core's method settings, sized to this analysis. */
export function viewSettings(view: ViewParams, analysis: Analysis): MethodSettings {
  const { k, seed, aggregate, zeroshotTemplate } = view;
  return { k, seed, aggregate, template: zeroshotTemplate, poolSize: analysis.pool.length, templateCount: analysis.m };
}

// ---- memo caches keyed by the analysis object (a new analysis = new caches) ----

const resultCache = new WeakMap<Analysis, Map<string, MethodResult>>();
const metricsCache = new WeakMap<MethodResult, Metrics>();
const separationCache = new WeakMap<Analysis, TemplateSeries>();
const singleCache = new WeakMap<Analysis, SingleTemplateStats[]>();

function cached<V>(analysis: Analysis, key: string, make: () => V, cache: WeakMap<Analysis, Map<string, V>>): V {
  let inner = cache.get(analysis);
  if (!inner) {
    inner = new Map();
    cache.set(analysis, inner);
  }
  let value = inner.get(key);
  if (value === undefined) {
    value = make();
    inner.set(key, value);
  }
  return value;
}

export function runCached(input: ResultsInput, config: MethodConfig): MethodResult {
  return cached(
    input.analysis,
    JSON.stringify(config),
    () => {
      if (config.method !== 'groupprompt') return runMethod(input.analysis, config);
      const classIndex = new Map(input.classes.map((c, i) => [c, i]));
      const embeddings = new Float32Array(input.groupPrompts.length * input.dim);
      const classIndices = input.groupPrompts.map((p, j) => {
        embeddings.set(p.embedding, j * input.dim);
        return classIndex.get(p.class) ?? -1;
      });
      return runGroupPrompt(input.embeddings, input.analysis.n, input.dim, input.classes.length, {
        classIndices,
        embeddings,
      });
    },
    resultCache,
  );
}

export function metricsOf(input: ResultsInput, result: MethodResult): Metrics {
  let metrics = metricsCache.get(result);
  if (!metrics) {
    metrics = computeMetrics(input.records, input.classes, result.predicted);
    metricsCache.set(result, metrics);
  }
  return metrics;
}

export function availableMethods(input: ResultsInput): MethodId[] {
  const methods: MethodId[] = ['zeroshot', 'ensemble', 'random', 'sage'];
  if (input.groupPrompts.length > 0 && coversAllClasses(input)) methods.push('groupprompt');
  return methods;
}

function coversAllClasses(input: ResultsInput): boolean {
  const covered = new Set(input.groupPrompts.map((p) => p.class));
  return input.classes.every((c) => covered.has(c));
}

export function methodRow(input: ResultsInput, method: MethodId, view: ViewParams): MethodRow {
  const config = methodConfig(method, viewSettings(view, input.analysis));
  const result = runCached(input, config);
  return {
    method,
    label: METHOD_LABELS[method],
    usesAttributes: method === 'groupprompt',
    config,
    result,
    metrics: metricsOf(input, result),
  };
}

export function compareMethods(input: ResultsInput, view: ViewParams): MethodRow[] {
  return availableMethods(input).map((method) => methodRow(input, method, view));
}

// ---- per-group accuracy: selected method vs zero-shot ----

export interface GroupComparison {
  group: string;
  class: string;
  attribute: string;
  n: number;
  selected: GroupStats;
  zeroshot: GroupStats;
}

export function groupComparison(selected: MethodRow, zeroshot: MethodRow): GroupComparison[] {
  const zsByKey = new Map(zeroshot.metrics.groups.map((g) => [`${g.class}/${g.attribute}`, g]));
  return selected.metrics.groups.map((g) => ({
    group: g.attribute === '' ? g.class : `${g.class} / ${g.attribute}`,
    class: g.class,
    attribute: g.attribute,
    n: g.n,
    selected: g,
    zeroshot: zsByKey.get(`${g.class}/${g.attribute}`) ?? g,
  }));
}

// ---- per-template class separation ----

export interface TemplateRow {
  template: number;
  text: string;
  meanSeparation: number;
  /** per group, in `groups` order */
  groupSeparation: number[];
  singleAccuracy: number;
  singleWorstGroupAccuracy: number;
  /** images whose SAGE selection (at the current K) includes this template */
  sagePicks: number;
}

export interface TemplateTable {
  groups: { class: string; attribute: string; n: number }[];
  rows: TemplateRow[];
  /** template indices of the most-picked templates (up to 5 with picks > 0), most first */
  mostPicked: number[];
}

export function templateTable(input: ResultsInput, sage: MethodRow): TemplateTable {
  const { analysis, records, classes, templates } = input;
  let separation = separationCache.get(analysis);
  if (!separation) {
    separation = meanSeparation(analysis, records, classes);
    separationCache.set(analysis, separation);
  }
  let single = singleCache.get(analysis);
  if (!single) {
    single = singleTemplateStats(analysis, records, classes);
    singleCache.set(analysis, single);
  }
  const frequency = selectionFrequency(sage.result, records, classes, analysis.m);
  const rows: TemplateRow[] = templates.map((text, t) => ({
    template: t,
    text,
    meanSeparation: separation.overall[t],
    groupSeparation: separation.groups.map((g) => g.values[t]),
    singleAccuracy: single[t].accuracy,
    singleWorstGroupAccuracy: single[t].worstGroupAccuracy,
    sagePicks: Math.round(frequency.overall[t] * records.length),
  }));
  const mostPicked = rows
    .filter((r) => r.sagePicks > 0)
    .sort((a, b) => b.sagePicks - a.sagePicks || a.template - b.template)
    .slice(0, 5)
    .map((r) => r.template);
  return {
    groups: separation.groups.map((g) => ({ class: g.class, attribute: g.attribute, n: g.n })),
    rows,
    mostPicked,
  };
}

export function discrepancies(input: ResultsInput, row: MethodRow): Discrepancy[] {
  return accuracyDiscrepancy(input.records, input.classes, row.result.predicted);
}

// ---- one image ----

/** CLIP's logit scale (SPEC §1): probabilities shown to users are softmax(100 · cosine). */
export const LOGIT_SCALE = 100;

export function softmaxScaled(scores: ArrayLike<number>, scale = LOGIT_SCALE): number[] {
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) max = Math.max(max, scores[i]);
  const exps = Array.from({ length: scores.length }, (_, i) => Math.exp(scale * (scores[i] - max)));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

export interface ImageDetail {
  index: number;
  record: ImageRecord;
  perMethod: { method: MethodId; label: string; predicted: string; correct: boolean; probabilities: number[] }[];
  /** templates by this image's separation, largest first, with the per-class similarities */
  topTemplates: { template: number; text: string; separation: number; similarities: number[] }[];
  /** SAGE's selection for this image at the current K, best first */
  sagePicked: number[];
}

export function imageDetail(input: ResultsInput, rows: readonly MethodRow[], index: number, top = 5): ImageDetail {
  const { analysis, classes, templates } = input;
  const { m, c } = analysis;
  const record = input.records[index];
  const perMethod = rows.map((row) => {
    const scores = row.result.scores.subarray(index * c, (index + 1) * c);
    const predicted = row.result.predicted[index];
    return {
      method: row.method,
      label: row.label,
      predicted: classes[predicted],
      correct: classes[predicted] === record.class,
      probabilities: softmaxScaled(scores),
    };
  });
  const order = Array.from({ length: m }, (_, t) => t).sort(
    (a, b) => analysis.separation[index * m + b] - analysis.separation[index * m + a] || a - b,
  );
  const topTemplates = order.slice(0, top).map((t) => ({
    template: t,
    text: templates[t],
    separation: analysis.separation[index * m + t],
    similarities: Array.from(analysis.tensor.values.subarray((index * m + t) * c, (index * m + t + 1) * c)),
  }));
  const sage = rows.find((r) => r.method === 'sage');
  const k = sage?.result.kSelected ?? 0;
  const sagePicked = sage ? Array.from(sage.result.selected.subarray(index * k, (index + 1) * k)) : [];
  return { index, record, perMethod, topTemplates, sagePicked };
}
