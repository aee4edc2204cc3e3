/**
 * Everything the results views show, derived from the analysis and the view parameters.
 * Pure functions with identity-keyed memo caches: changing K reruns only SAGE and random (O(N·C)),
 * and K-independent tables (separation, single-template stats) are computed once per analysis.
 */
import {
  type Analysis,
  type AttributeMethodResult,
  type Discrepancy,
  type GroupPrompt,
  type ImageGroups,
  type GroupStats,
  type ImageRecord,
  type Knowledge,
  type MethodConfig,
  type MethodId,
  type MethodParameter,
  type MethodResult,
  type MethodSettings,
  type Metrics,
  type PromptLookup,
  ATTRIBUTE_METHOD_IDS,
  METHOD_HOW_IT_WORKS,
  METHOD_KNOWLEDGE,
  METHOD_NAMES,
  MissingPromptError,
  buildPrompts,
  discrepancyFromGroups,
  imageAttributeIndices,
  imageGroups,
  isAttributeMethodConfig,
  isAttributeMethodResult,
  methodConfig,
  metricsFromImageGroups,
  promptsNeeded,
  pseudoAttributeAccuracy,
  runAttributeMethod,
  runGroupPrompt,
  runMethod,
} from '../../core';
import { errorMessage } from '../../core/errors';
import type { AttributeMethodSettings } from '../methodSettings';
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
  /** extra text embeddings by exact text (the results store's lookup; group prompts included) */
  prompts: ReadonlyMap<string, Float32Array>;
  /**
   * The distinct non-empty attributes the records carry, sorted as the CLI sorts a bundle's (record values:
   * folder names in a run), and the attribute word each stands for, in the same order.
   */
  attributeKeys: readonly string[];
  attributeWords: readonly string[];
  /** the SPEC §7 settings and the group prompt pattern Orth-Proj/Orth-Cali fill */
  methodSettings: AttributeMethodSettings & { groupPromptPattern: string };
}

export interface MethodRow {
  method: MethodId;
  label: string;
  /** the extra knowledge beyond the class names: attribute words (group prompts, §7) or labels (TIE) */
  knowledge: Knowledge;
  /** one line, for the hover/focus help */
  howItWorks: string;
  config: MethodConfig;
  result: MethodResult;
  metrics: Metrics;
  /** SPEC §7 methods: what the method used and found (recorded in reports) */
  parameters?: Record<string, MethodParameter>;
}

/** A method that could not run on these results, with the reason in a sentence. */
export interface UnavailableMethod {
  method: MethodId;
  label: string;
  knowledge: Knowledge;
  howItWorks: string;
  reason: string;
  /** texts that need embedding first (empty when something else is missing) */
  missing: string[];
}

/** The papers' names; the template methods say in a few words what they combine. */
export const METHOD_LABELS: Record<MethodId, string> = {
  ...METHOD_NAMES,
  zeroshot: 'Zero-shot (one template)',
  ensemble: 'Ensemble (all templates)',
  random: 'Random K templates',
  sage: 'SAGE (top-K by separation)',
};

/** The view parameters (and the SPEC §7 settings) as the core's method settings, sized to this analysis. */
export function viewSettings(view: ViewParams, input: ResultsInput): MethodSettings {
  const { k, seed, aggregate, zeroshotTemplate } = view;
  const { phrasings, acceptPairs, lambda, groupPromptPattern } = input.methodSettings;
  return {
    k,
    seed,
    aggregate,
    template: zeroshotTemplate,
    poolSize: input.analysis.pool.length,
    templateCount: input.analysis.m,
    phrasings,
    acceptPairs,
    lambda,
    groupPromptPattern,
  };
}

// ---- memo caches keyed by the analysis object (a new analysis = new caches) ----

const resultCache = new WeakMap<Analysis, Map<string, MethodResult>>();
/**
 * SAGE and random per K (and seed, aggregate): the last few only. One result holds N·K template indices, so
 * keeping every K a user slides through would grow to hundreds of MB at 10,000 images × 80 templates.
 */
const kResultCache = new WeakMap<Analysis, Map<string, MethodResult>>();
const K_RESULTS_KEPT = 24;
const metricsCache = new WeakMap<MethodResult, Metrics>();
/** one row object per result: rows that K does not change keep their identity, so memoised views keep theirs */
const rowCache = new WeakMap<MethodResult, MethodRow>();
const imageGroupsCache = new WeakMap<readonly ImageRecord[], { classes: readonly string[]; groups: ImageGroups }>();

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

const gridLookupCache = new WeakMap<Analysis, Map<string, Float32Array>>();

/**
 * Text embeddings by exact text: the results' prompts, then the template × class grid — the texts the CLI's
 * bundle lookup also finds (core bundlePromptLookup), so both run a method on the same embeddings.
 */
export function promptLookup(input: ResultsInput): PromptLookup {
  const { analysis, templates, classes, dim } = input;
  let grid = gridLookupCache.get(analysis);
  if (!grid) {
    const rows = new Map<string, Float32Array>();
    const text = analysis.tensor.unitText;
    buildPrompts(templates, classes).forEach((prompt, row) => {
      if (!rows.has(prompt)) rows.set(prompt, text.subarray(row * dim, (row + 1) * dim));
    });
    grid = rows;
    gridLookupCache.set(analysis, grid);
  }
  const found = grid;
  return (prompt) => input.prompts.get(prompt) ?? found.get(prompt);
}

/** Texts `config` needs that no embedding is known for (empty for the template methods and groupprompt). */
export function missingTexts(input: ResultsInput, config: MethodConfig): string[] {
  const lookup = promptLookup(input);
  return promptsNeeded(config, input.classes, input.attributeWords).filter((text) => lookup(text) === undefined);
}

function runAttributeCached(input: ResultsInput, config: MethodConfig): AttributeMethodResult {
  const { analysis, classes, dim } = input;
  const c = classes.length;
  const template = isAttributeMethodConfig(config) ? config.template : 0;
  return runAttributeMethod(
    {
      imageEmbeddings: input.embeddings,
      n: analysis.n,
      dim,
      classes,
      classWeights: analysis.tensor.unitText.subarray(template * c * dim, (template + 1) * c * dim),
      attributes: input.attributeWords,
      imageAttributes: imageAttributeIndices(input.records, input.attributeKeys),
      prompts: promptLookup(input),
    },
    config,
  );
}

export function runCached(input: ResultsInput, config: MethodConfig): MethodResult {
  if (config.method === 'sage' || config.method === 'random') return runPerK(input.analysis, config);
  // the §7 methods also depend on the attribute words (which grow with the streamed records, like the analysis)
  const key = isAttributeMethodConfig(config)
    ? `${JSON.stringify(config)}\u0000${JSON.stringify(input.attributeWords)}`
    : JSON.stringify(config);
  return cached(
    input.analysis,
    key,
    () => {
      if (isAttributeMethodConfig(config)) return runAttributeCached(input, config);
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

/** A K-dependent result from a small least-recently-used cache (a K slid back to is instant, memory stays flat). */
function runPerK(analysis: Analysis, config: MethodConfig): MethodResult {
  let results = kResultCache.get(analysis);
  if (!results) {
    results = new Map();
    kResultCache.set(analysis, results);
  }
  const key = JSON.stringify(config);
  let result = results.get(key);
  if (result) {
    results.delete(key);
  } else {
    result = runMethod(analysis, config);
    const oldest = results.size >= K_RESULTS_KEPT ? results.keys().next() : null;
    if (oldest && !oldest.done) results.delete(oldest.value);
  }
  results.set(key, result);
  return result;
}

/** Each image's group and class, computed once per record list (then every method and K is scored in O(N)). */
function imageGroupsOf(input: ResultsInput): ImageGroups {
  const known = imageGroupsCache.get(input.records);
  if (known && known.classes === input.classes) return known.groups;
  const groups = imageGroups(input.records, input.classes);
  imageGroupsCache.set(input.records, { classes: input.classes, groups });
  return groups;
}

export function metricsOf(input: ResultsInput, result: MethodResult): Metrics {
  let metrics = metricsCache.get(result);
  if (!metrics) {
    metrics = metricsFromImageGroups(imageGroupsOf(input), result.predicted);
    metricsCache.set(result, metrics);
  }
  return metrics;
}

/** The methods these results can show: the template methods, group prompts when every class has one, and §7. */
export function availableMethods(input: ResultsInput): MethodId[] {
  const methods: MethodId[] = ['zeroshot', 'ensemble', 'random', 'sage'];
  if (input.groupPrompts.length > 0 && coversAllClasses(input)) methods.push('groupprompt');
  if (input.attributeWords.length > 0) methods.push(...ATTRIBUTE_METHOD_IDS);
  return methods;
}

function coversAllClasses(input: ResultsInput): boolean {
  const covered = new Set(input.groupPrompts.map((p) => p.class));
  return input.classes.every((c) => covered.has(c));
}

/**
 * Every text the §7 methods need under `settings` besides the template × class grid (attribute phrases, accept
 * phrases, group prompts), without repeats: what a run embeds up front and a settings change embeds later.
 */
export function attributeMethodTexts(
  classes: readonly string[],
  attributeWords: readonly string[],
  settings: AttributeMethodSettings & { groupPromptPattern: string },
): string[] {
  if (attributeWords.length === 0) return [];
  const methodSettings: MethodSettings = {
    ...settings,
    k: 1,
    seed: 0,
    aggregate: 'embedding',
    template: 0,
    poolSize: 1,
    templateCount: 1,
  };
  const texts = ATTRIBUTE_METHOD_IDS.flatMap((method) =>
    promptsNeeded(methodConfig(method, methodSettings), classes, attributeWords),
  );
  return [...new Set(texts)];
}

/** Throws for a §7 method whose texts are not embedded (MissingPromptError) or whose settings are invalid. */
export function methodRow(input: ResultsInput, method: MethodId, view: ViewParams): MethodRow {
  const config = methodConfig(method, viewSettings(view, input));
  const result = runCached(input, config);
  const known = rowCache.get(result);
  if (known) return known;
  const row: MethodRow = {
    method,
    label: METHOD_LABELS[method],
    knowledge: METHOD_KNOWLEDGE[method],
    howItWorks: METHOD_HOW_IT_WORKS[method],
    config,
    result,
    metrics: metricsOf(input, result),
  };
  if (isAttributeMethodResult(result)) row.parameters = result.parameters;
  rowCache.set(result, row);
  return row;
}

/** The sentence a row shows instead of numbers when texts are missing. */
export function missingTextSentence(missing: readonly string[]): string {
  const shown = missing
    .slice(0, 2)
    .map((text) => `‘${text}’`)
    .join(' and ');
  const more = missing.length > 2 ? ` (and ${missing.length - 2} more)` : '';
  const texts = missing.length === 1 ? 'the text' : 'the texts';
  // said for a non-engineer: what is missing, and the two ways to get it
  return `Needs ${texts} ${shown}${more} read by the CLIP model, and these results do not include ${missing.length === 1 ? 'it' : 'them'}: run the images in this app, or make the bundle again with the CLI's embed.`;
}

export interface MethodComparison {
  rows: MethodRow[];
  /** §7 methods that cannot run yet (texts to embed, invalid settings), with the reason */
  unavailable: UnavailableMethod[];
}

/** Every available method's row; a §7 method that cannot run becomes an UnavailableMethod instead. */
export function compareAll(input: ResultsInput, view: ViewParams): MethodComparison {
  const rows: MethodRow[] = [];
  const unavailable: UnavailableMethod[] = [];
  for (const method of availableMethods(input)) {
    const note = { method, label: METHOD_LABELS[method], knowledge: METHOD_KNOWLEDGE[method] };
    const howItWorks = METHOD_HOW_IT_WORKS[method];
    const missing = missingTexts(input, methodConfig(method, viewSettings(view, input)));
    if (missing.length > 0) {
      unavailable.push({ ...note, howItWorks, missing, reason: missingTextSentence(missing) });
      continue;
    }
    try {
      rows.push(methodRow(input, method, view));
    } catch (error) {
      if (!(error instanceof MissingPromptError) && !isAttributeMethod(method)) throw error;
      const texts = error instanceof MissingPromptError ? error.missing : [];
      const reason =
        texts.length > 0
          ? missingTextSentence(texts)
          : `This method cannot run with these settings: ${errorMessage(error)}`;
      unavailable.push({ ...note, howItWorks, missing: texts, reason });
    }
  }
  return { rows, unavailable };
}

function isAttributeMethod(method: MethodId): boolean {
  return (ATTRIBUTE_METHOD_IDS as readonly MethodId[]).includes(method);
}

/** The rows that could be computed (exports and reports use these). */
export function compareMethods(input: ResultsInput, view: ViewParams): MethodRow[] {
  return compareAll(input, view).rows;
}

/**
 * TIE*'s guessed attribute against the true one, per (class, attribute) group: how well the attribute words
 * alone recover the attribute. null for any other row.
 */
export function pseudoAttributeGroups(input: ResultsInput, row: MethodRow): GroupStats[] | null {
  if (row.method !== 'tiestar') return null;
  const guessed = isAttributeMethodResult(row.result) ? row.result.pseudoAttribute : undefined;
  if (!guessed) return null;
  // the result is cached per analysis and attribute words, so it fixes the records this is computed over
  let groups = pseudoAttributeCache.get(row.result);
  if (!groups) {
    const truth = imageAttributeIndices(input.records, input.attributeKeys);
    groups = pseudoAttributeAccuracy(input.records, input.classes, truth, guessed);
    pseudoAttributeCache.set(row.result, groups);
  }
  return groups;
}

const pseudoAttributeCache = new WeakMap<MethodResult, GroupStats[]>();

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

/** δ per (class, attribute) from the row's own group table (accuracyDiscrepancy without another pass over N). */
export function discrepancies(input: ResultsInput, row: MethodRow): Discrepancy[] {
  return discrepancyFromGroups(row.metrics.groups, input.classes);
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

const decimals = (values: readonly number[]): string =>
  values.map((v) => (Number.isFinite(v) ? v.toFixed(3) : '–')).join(', ');
const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * One short line of what a §7 row used and found (its recorded parameters), e.g. "λ = 1000 · 4 group-prompt
 * pairs"; TIE* adds how often its guessed attribute was right. null for the other methods.
 */
export function parameterSummary(input: ResultsInput, row: MethodRow): string | null {
  const p = row.parameters;
  if (!p) return null;
  const num = (key: string): number => (typeof p[key] === 'number' ? p[key] : NaN);
  const list = (key: string): number[] => {
    const value = p[key];
    return Array.isArray(value) ? value.map(Number) : [];
  };
  const words = input.attributeWords;
  switch (row.method) {
    case 'roboshot':
      return `${plural(num('rejectDirections'), 'direction')} removed, ${plural(num('acceptDirections'), 'direction')} amplified`;
    case 'tiestar': {
      const groups = pseudoAttributeGroups(input, row) ?? [];
      const n = groups.reduce((sum, g) => sum + g.n, 0);
      const correct = groups.reduce((sum, g) => sum + g.correct, 0);
      const guessed = n > 0 ? ` · attribute guessed right for ${((100 * correct) / n).toFixed(1)}% of ${n} images` : '';
      return `α (${words.join(', ')}) = ${decimals(list('alpha'))}${guessed}`;
    }
    case 'tie':
      return `α (${words.join(', ')}) = ${decimals(list('alpha'))} · fitted on the true attributes of these images`;
    case 'orthproj':
      return `${plural(num('basisSize'), 'attribute direction')} projected out of the class prompts`;
    case 'orthcali':
      return `λ = ${num('lambda')} · ${plural(num('basisSize'), 'attribute direction')} · ${plural(num('pairs'), 'group-prompt pair')}`;
    default:
      return null;
  }
}
