/**
 * One call from a parsed bundle to a method's result and metrics — what the CLI and the UI share.
 * Build a `BundleAnalysis` once and pass it back in to run more methods / K values without recomputing.
 */
import { type Analysis, buildAnalysis } from './analysis';
import { ConfigError } from './errors';
import { computeMetrics } from './metrics';
import { type GroupPromptInput, runGroupPrompt, runMethod } from './methods';
import { similarityTensor } from './similarityTensor';
import type { EmbeddingBundle, GroupWeights, MethodConfig, MethodResult, Metrics } from './types';

export interface BundleAnalysis {
  bundle: EmbeddingBundle;
  analysis: Analysis;
}

export interface AnalyzeOptions {
  /** template subset (full-pool indices); default all */
  templates?: readonly number[];
  weights?: GroupWeights;
  /** a previous `prepareBundle` result for the same bundle and template subset, to skip the build */
  prepared?: BundleAnalysis;
}

export interface AnalyzeResult {
  prepared: BundleAnalysis;
  result: MethodResult;
  metrics: Metrics;
}

/** Similarity tensor + analysis tables for a bundle: the expensive, K-independent part. */
export function prepareBundle(bundle: EmbeddingBundle, templates?: readonly number[]): BundleAnalysis {
  const tensor = similarityTensor({
    imageEmbeddings: bundle.imageEmbeddings,
    n: bundle.images.length,
    textEmbeddings: bundle.text,
    m: bundle.templates.length,
    c: bundle.classes.length,
    dim: bundle.dim,
  });
  return { bundle, analysis: buildAnalysis(tensor, { templates }) };
}

/** The bundle's group prompts as `runGroupPrompt` input; undefined when the bundle has none. */
export function groupPromptInput(bundle: EmbeddingBundle): GroupPromptInput | undefined {
  const prompts = bundle.groupPrompts;
  if (prompts === undefined || prompts.length === 0) return undefined;
  const classIndex = new Map(bundle.classes.map((cls, i) => [cls, i]));
  const embeddings = new Float32Array(prompts.length * bundle.dim);
  const classIndices = prompts.map((p, j) => {
    embeddings.set(p.embedding, j * bundle.dim);
    const cls = classIndex.get(p.class);
    if (cls === undefined) throw new ConfigError(`groupPrompts[${j}].class`, `unknown class "${p.class}"`);
    return cls;
  });
  return { classIndices, embeddings };
}

/** Runs any method (groupprompt included) on a bundle and evaluates it. */
export function runOnBundle(prepared: BundleAnalysis, config: MethodConfig): MethodResult {
  const { bundle, analysis } = prepared;
  if (config.method !== 'groupprompt') return runMethod(analysis, config);
  const prompts = groupPromptInput(bundle);
  if (prompts === undefined) {
    throw new ConfigError('groupPrompts', 'the bundle has no group prompts, which groupprompt needs');
  }
  return runGroupPrompt(bundle.imageEmbeddings, bundle.images.length, bundle.dim, bundle.classes.length, prompts);
}

export function analyzeBundle(
  bundle: EmbeddingBundle,
  config: MethodConfig,
  options: AnalyzeOptions = {},
): AnalyzeResult {
  const prepared = options.prepared ?? prepareBundle(bundle, options.templates);
  if (prepared.bundle !== bundle) throw new ConfigError('prepared', 'was built for a different bundle');
  const result = runOnBundle(prepared, config);
  const metrics = computeMetrics(bundle.images, bundle.classes, result.predicted, options.weights);
  return { prepared, result, metrics };
}
