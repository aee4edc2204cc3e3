/**
 * The trained adapter in the results (issue 15): every method scored on the test split only (a sub-analysis
 * of the test images, so every results view works there as on all images), and the "Yang et al. 2023
 * (trained)" row, which is only ever scored on the test split: its predictions are core's applyAdapter.
 */
import { adapterClassText, applyAdapter } from '../../core/adapter';
import type { TrainedAdapter } from '../../core/adapter';
import { buildAnalysis, similarityTensor, type EmbeddingBundle, type MethodResult, type Split } from '../../core';
import { errorMessage } from '../../core/errors';
import { METHOD_HOW_IT_WORKS, METHOD_KNOWLEDGE } from '../../core';
import { METHOD_LABELS, metricsOf, type MethodRow, type ResultsInput, type UnavailableMethod } from './views';

/** Indices (into the input's records) of the test images. */
export function testIndices(splits: readonly (Split | undefined)[], n: number): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (splits[i] === 'test') out.push(i);
  return Int32Array.from(out);
}

const subsetCache = new WeakMap<ResultsInput, { key: string; input: ResultsInput }>();

/**
 * The same results restricted to the test images: their records, embeddings and a fresh analysis of them
 * (built from the raw text grid `text`, as the CLI's analyze of the test images would), so every method and
 * view runs on exactly the test split. Memoised per input and split.
 */
export function testSplitInput(
  input: ResultsInput,
  text: Float32Array,
  splits: readonly (Split | undefined)[],
): ResultsInput {
  const indices = testIndices(splits, input.analysis.n);
  const key = indices.join(',');
  const known = subsetCache.get(input);
  if (known?.key === key) return known.input;
  const { dim } = input;
  const n = indices.length;
  const embeddings = new Float32Array(Math.max(1, n) * dim);
  indices.forEach((from, i) => embeddings.set(input.embeddings.subarray(from * dim, (from + 1) * dim), i * dim));
  const tensor = similarityTensor({
    imageEmbeddings: embeddings,
    n,
    textEmbeddings: text,
    m: input.templates.length,
    c: input.classes.length,
    dim,
  });
  const subset: ResultsInput = {
    ...input,
    analysis: buildAnalysis(tensor),
    records: Array.from(indices, (i) => input.records[i]),
    embeddings,
  };
  subsetCache.set(input, { key, input: subset });
  return subset;
}

export const TRAINED_LABEL = 'Yang et al. 2023 (trained)';

const resultCache = new WeakMap<TrainedAdapter, WeakMap<ResultsInput, MethodRow>>();

/**
 * The trained row on `testInput` (the test split's input), or why it cannot be shown. `bundle` gives the
 * templates' class prompts the adapter reads (its templates looked up by text).
 */
export function trainedRow(
  testInput: ResultsInput,
  adapter: TrainedAdapter,
  bundle: Pick<EmbeddingBundle, 'dim' | 'classes' | 'templates' | 'text'>,
): MethodRow | UnavailableMethod {
  let perInput = resultCache.get(adapter);
  const known = perInput?.get(testInput);
  if (known) return known;
  const knowledge = adapter.variant === 'vs' ? 'attribute labels' : 'attribute words';
  const base = {
    method: 'adapter' as const,
    label: TRAINED_LABEL,
    knowledge,
    howItWorks: METHOD_HOW_IT_WORKS.adapter,
  } satisfies Partial<MethodRow>;
  let prediction;
  try {
    const classText = adapterClassText(adapter, bundle as EmbeddingBundle);
    prediction = applyAdapter(adapter, testInput.embeddings, testInput.analysis.n, classText);
  } catch (error) {
    return { ...base, reason: `The trained adapter does not fit these results: ${errorMessage(error)}.`, missing: [] };
  }
  const config = {
    method: 'adapter' as const,
    variant: adapter.variant,
    seed: adapter.seed,
    epochs: adapter.epochs,
    bestEpoch: adapter.bestEpoch,
    templates: adapter.templates.length,
  };
  const result: MethodResult = {
    config,
    predicted: prediction.predicted,
    scores: prediction.scores,
    selected: new Uint16Array(0),
    kSelected: 0,
  };
  const row: MethodRow = { ...base, config, result, metrics: metricsOf(testInput, result) };
  if (!perInput) {
    perInput = new WeakMap();
    resultCache.set(adapter, perInput);
  }
  perInput.set(testInput, row);
  return row;
}

/** The trained row's place in the table before any adapter is trained: how to get one. */
export function untrainedRow(reason: string): UnavailableMethod {
  return {
    method: 'adapter',
    label: METHOD_LABELS.adapter,
    knowledge: METHOD_KNOWLEDGE.adapter,
    howItWorks: METHOD_HOW_IT_WORKS.adapter,
    reason,
    missing: [],
  };
}
