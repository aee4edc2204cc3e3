/**
 * One call from a parsed bundle to a method's result and metrics — what the CLI and the UI share.
 * Build a `BundleAnalysis` once and pass it back in to run more methods / K values without recomputing.
 */
import { type Analysis, buildAnalysis } from './analysis';
import {
  type MethodParameter,
  type PromptLookup,
  debiasTextRows,
  imageAttributeIndices,
  isAttributeMethodConfig,
  promptsNeeded,
  runAttributeMethod,
} from './attributeMethods';
import { ConfigError } from './errors';
import { computeMetrics } from './metrics';
import { type GroupPromptInput, runGroupPrompt, runMethod } from './methods';
import { similarityTensor } from './similarityTensor';
import { buildPrompts } from './templates';
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
  /** SPEC §7 methods: more text embeddings (e.g. encoded with a model), consulted when the bundle lacks a text */
  prompts?: PromptLookup;
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

/** The attribute words of a bundle: its images' distinct non-empty attributes, sorted (as `embed` lists them). */
export function bundleAttributes(bundle: EmbeddingBundle): string[] {
  return [...new Set(bundle.images.map((image) => image.attribute).filter((a) => a !== ''))].sort();
}

const lookups = new WeakMap<EmbeddingBundle, Map<string, Float32Array>>();

/**
 * Every text embedding a bundle holds, by exact text: `prompts`, the group prompts and the template × class
 * grid (so the group prompts are stored once and serve Orth-Proj/Orth-Cali too). Built once per bundle.
 */
export function bundlePromptLookup(bundle: EmbeddingBundle): PromptLookup {
  let byText = lookups.get(bundle);
  if (byText === undefined) {
    const texts = new Map<string, Float32Array>();
    const { dim } = bundle;
    buildPrompts(bundle.templates, bundle.classes).forEach((text, row) => {
      if (!texts.has(text)) texts.set(text, bundle.text.subarray(row * dim, (row + 1) * dim));
    });
    for (const prompt of bundle.groupPrompts ?? []) texts.set(prompt.prompt, prompt.embedding);
    for (const prompt of bundle.prompts ?? []) texts.set(prompt.text, prompt.embedding);
    byText = texts;
    lookups.set(bundle, byText);
  }
  const found = byText;
  return (text) => found.get(text);
}

/** The texts `config` needs that neither the bundle nor `extra` holds (empty for the template methods). */
export function missingPrompts(bundle: EmbeddingBundle, config: MethodConfig, extra?: PromptLookup): string[] {
  const lookup = bundlePromptLookup(bundle);
  return promptsNeeded(config, bundle.classes, bundleAttributes(bundle)).filter(
    (text) => lookup(text) === undefined && extra?.(text) === undefined,
  );
}

/** The class weights w_c of one template: its C rows of the bundle's text grid (template-major, SPEC §1). */
export function templateClassWeights(bundle: EmbeddingBundle, template: number): Float32Array {
  const c = bundle.classes.length;
  if (!Number.isInteger(template) || template < 0 || template >= bundle.templates.length) {
    throw new ConfigError(
      'template',
      `expected a template index in 0..${bundle.templates.length - 1}, got ${template}`,
    );
  }
  return bundle.text.subarray(template * c * bundle.dim, (template + 1) * c * bundle.dim);
}

/**
 * Runs any method (groupprompt and the SPEC §7 methods included) on a bundle. The §7 methods take the bundle's
 * attribute words (`bundleAttributes`), its image attributes as TIE's labels, and the zero-shot template's
 * class weights; they return an AttributeMethodResult (see `isAttributeMethodResult`).
 */
export function runOnBundle(prepared: BundleAnalysis, config: MethodConfig, extraPrompts?: PromptLookup): MethodResult {
  const { bundle, analysis } = prepared;
  if (isAttributeMethodConfig(config)) {
    const lookup = bundlePromptLookup(bundle);
    const attributes = bundleAttributes(bundle);
    return runAttributeMethod(
      {
        imageEmbeddings: bundle.imageEmbeddings,
        n: bundle.images.length,
        dim: bundle.dim,
        classes: bundle.classes,
        classWeights: templateClassWeights(bundle, config.template),
        attributes,
        imageAttributes: imageAttributeIndices(bundle.images, attributes),
        prompts: (text) => lookup(text) ?? extraPrompts?.(text),
      },
      config,
    );
  }
  if (config.method !== 'groupprompt') return runMethod(analysis, config);
  const prompts = groupPromptInput(bundle);
  if (prompts === undefined) {
    throw new ConfigError('groupPrompts', 'the bundle has no group prompts, which groupprompt needs');
  }
  return runGroupPrompt(bundle.imageEmbeddings, bundle.images.length, bundle.dim, bundle.classes.length, prompts);
}

/**
 * The "combine" option: a copy of the bundle whose template × class text rows went through Orth-Proj /
 * Orth-Cali's projection (`config`), so any template method (SAGE included) then runs on debiased text.
 * The images, prompts and group prompts are the bundle's own.
 */
export function debiasBundleText(
  bundle: EmbeddingBundle,
  config: MethodConfig,
  extraPrompts?: PromptLookup,
): { bundle: EmbeddingBundle; parameters: Record<string, MethodParameter> } {
  const lookup = bundlePromptLookup(bundle);
  const { text, parameters } = debiasTextRows(
    bundle.text,
    bundle.templates.length * bundle.classes.length,
    {
      dim: bundle.dim,
      classes: bundle.classes,
      attributes: bundleAttributes(bundle),
      prompts: (t) => lookup(t) ?? extraPrompts?.(t),
    },
    config,
  );
  return { bundle: { ...bundle, text }, parameters };
}

export function analyzeBundle(
  bundle: EmbeddingBundle,
  config: MethodConfig,
  options: AnalyzeOptions = {},
): AnalyzeResult {
  const prepared = options.prepared ?? prepareBundle(bundle, options.templates);
  if (prepared.bundle !== bundle) throw new ConfigError('prepared', 'was built for a different bundle');
  const result = runOnBundle(prepared, config, options.prompts);
  const metrics = computeMetrics(bundle.images, bundle.classes, result.predicted, options.weights);
  return { prepared, result, metrics };
}
