/**
 * The engine side of a K change, in Node on the UI benchmark's bundle: what the results view derives when K moves
 * (every method row of the comparison table, and the templates table's pick counts), without React or the DOM.
 * Built as the results store builds it (src/state/results.ts, useResultsInput), so the same caches are hit.
 */
import { buildAnalysis, similarityTensor, type EmbeddingBundle } from '../src/core';
import { DEFAULT_GROUP_PROMPT_PATTERN } from '../src/core/config';
import { templateStats } from '../src/state/derive/templateStats';
import { compareAll, type ResultsInput } from '../src/state/derive/views';
import { DEFAULT_METHOD_SETTINGS } from '../src/state/methodSettings';
import { DEFAULT_VIEW } from '../src/state/results';

export interface EngineFigures {
  /** similarity tensor + analysis (separation, rankings, prefix tables): once per bundle */
  analysisMs: number;
  /** every row at the first K: the K-independent rows (zero-shot, ensemble, group prompts, §7) included */
  firstCompareMs: number;
  /** every row at a new K, per change */
  compareMs: number[];
  /** the templates table (SAGE's pick counts) at a new K, per change */
  templateTableMs: number[];
}

export function resultsInputOf(bundle: EmbeddingBundle): ResultsInput {
  const { dim, classes, templates } = bundle;
  const n = bundle.images.length;
  const tensor = similarityTensor({
    imageEmbeddings: bundle.imageEmbeddings,
    n,
    textEmbeddings: bundle.text,
    m: templates.length,
    c: classes.length,
    dim,
  });
  const prompts = new Map((bundle.prompts ?? []).map((p) => [p.text, p.embedding]));
  for (const g of bundle.groupPrompts ?? []) if (!prompts.has(g.prompt)) prompts.set(g.prompt, g.embedding);
  const attributeKeys = [...new Set(bundle.images.map((r) => r.attribute))].filter((a) => a !== '').sort();
  return {
    analysis: buildAnalysis(tensor),
    records: bundle.images,
    classes,
    templates,
    embeddings: bundle.imageEmbeddings,
    dim,
    groupPrompts: bundle.groupPrompts ?? [],
    prompts,
    attributeKeys,
    attributeWords: attributeKeys,
    methodSettings: { ...DEFAULT_METHOD_SETTINGS, groupPromptPattern: DEFAULT_GROUP_PROMPT_PATTERN },
  };
}

const time = <T>(run: () => T): [T, number] => {
  const start = performance.now();
  const value = run();
  return [value, performance.now() - start];
};

/** K = 1 first (everything computed), then each K of `ks` once, as the slider visits them. */
export function measureEngine(bundle: EmbeddingBundle, ks: readonly number[]): EngineFigures {
  const [input, analysisMs] = time(() => resultsInputOf(bundle));
  const [, firstCompareMs] = time(() => compareAll(input, { ...DEFAULT_VIEW, k: 1 }));
  const compareMs: number[] = [];
  const templateTableMs: number[] = [];
  for (const k of ks) {
    const [comparison, compare] = time(() => compareAll(input, { ...DEFAULT_VIEW, k }));
    compareMs.push(compare);
    const sage = comparison.rows.find((row) => row.method === 'sage');
    // what the templates view computes (SeparationChart): its table and pick counts at this K
    if (sage) {
      const { analysis, records, classes, templates } = input;
      templateTableMs.push(time(() => templateStats(analysis, records, classes, templates, sage.result))[1]);
    }
  }
  return { analysisMs, firstCompareMs, compareMs, templateTableMs };
}
