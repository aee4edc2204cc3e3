/** From a bundle (+ splits and chosen templates) to the arrays training reads, and an adapter's class prompts back. */
import { bundleAttributes, bundlePromptLookup } from './analyzeBundle';
import { type PromptLookup, imageAttributeIndices, quoteTexts } from './attributeMethods';
import { ConfigError } from './errors';
import type { EmbeddingBundle, Split } from './types';
import { attributePromptTexts } from './adapterOptions';
import type { AdapterTrainingData, TrainedAdapter } from './adapterTypes';

export interface AdapterDataOptions {
  /** one split per bundle image */
  splits: readonly Split[];
  /** indices into the bundle's templates (see chooseTrainingTemplates) */
  templates: readonly number[];
  /** fills each attribute word before it goes into a template (default "{}", the bare word) */
  attributePhrase?: string;
  /** text embeddings for attribute prompts the bundle lacks (e.g. encoded with the model now) */
  prompts?: PromptLookup;
}

/** The bundle's images' splits when every image carries one; undefined otherwise (then make a seeded split). */
export function bundleSplits(bundle: EmbeddingBundle): Split[] | undefined {
  const splits: Split[] = [];
  for (const image of bundle.images) {
    if (image.split === undefined) return undefined;
    splits.push(image.split);
  }
  return splits;
}

/** The attribute prompt texts training needs (T×S, template-major) that neither the bundle nor `extra` holds. */
export function adapterPromptsMissing(
  bundle: EmbeddingBundle,
  templates: readonly number[],
  attributePhrase = '{}',
  extra?: PromptLookup,
): string[] {
  const lookup = bundlePromptLookup(bundle);
  const texts = attributePromptTexts(
    templates.map((t) => bundle.templates[t]),
    bundleAttributes(bundle),
    attributePhrase,
  );
  return [...new Set(texts.filter((text) => lookup(text) === undefined && extra?.(text) === undefined))];
}

/** The class prompts (T×C×d) of `templates` (indices into the bundle's pool), template-major. */
function classRows(bundle: EmbeddingBundle, templates: readonly number[]): Float32Array {
  const { dim: d } = bundle;
  const C = bundle.classes.length;
  const out = new Float32Array(templates.length * C * d);
  templates.forEach((t, m) => {
    if (!Number.isInteger(t) || t < 0 || t >= bundle.templates.length) {
      throw new ConfigError('templates', `template ${t + 1} is not one of the bundle's ${bundle.templates.length}`);
    }
    out.set(bundle.text.subarray(t * C * d, (t + 1) * C * d), m * C * d);
  });
  return out;
}

/** Training data from a bundle: attribute words are its images' distinct attributes (sorted, as `embed` lists them). */
export function adapterDataFromBundle(bundle: EmbeddingBundle, options: AdapterDataOptions): AdapterTrainingData {
  const { dim: d } = bundle;
  const attributes = bundleAttributes(bundle);
  const templateTexts = options.templates.map((t) => bundle.templates[t]);
  const lookup = bundlePromptLookup(bundle);
  const texts = attributePromptTexts(templateTexts, attributes, options.attributePhrase);
  const missing = adapterPromptsMissing(bundle, options.templates, options.attributePhrase, options.prompts);
  if (missing.length > 0) {
    throw new ConfigError(
      'prompts',
      `training needs the text embedding of ${quoteTexts(missing)}, which the bundle does not have`,
    );
  }
  const attributeText = new Float32Array(texts.length * d);
  texts.forEach((text, r) => {
    const row = lookup(text) ?? options.prompts?.(text);
    if (row !== undefined) attributeText.set(row, r * d);
  });
  const classIndex = new Map(bundle.classes.map((cls, c) => [cls, c]));
  if (options.splits.length !== bundle.images.length) {
    throw new ConfigError('splits', `has ${options.splits.length} entries for ${bundle.images.length} images`);
  }
  return {
    dim: d,
    classes: bundle.classes,
    attributes,
    templates: templateTexts,
    imageEmbeddings: bundle.imageEmbeddings,
    imageClasses: Int32Array.from(bundle.images, (image) => classIndex.get(image.class) ?? -1),
    imageAttributes: imageAttributeIndices(bundle.images, attributes),
    splits: options.splits,
    classText: classRows(bundle, options.templates),
    attributeText,
  };
}

/**
 * The adapter's class prompts from a bundle: its templates looked up by text in the bundle's pool, its classes
 * matched by name. Throws a ConfigError that says what does not match.
 */
export function adapterClassText(adapter: TrainedAdapter, bundle: EmbeddingBundle): Float32Array {
  if (adapter.dim !== bundle.dim) {
    throw new ConfigError(
      'dim',
      `the adapter was trained on ${adapter.dim}-number embeddings but the bundle's have ${bundle.dim}: use a bundle from the same model`,
    );
  }
  if (adapter.classes.join('\u0000') !== bundle.classes.join('\u0000')) {
    throw new ConfigError(
      'classes',
      `the adapter was trained for the classes ${adapter.classes.join(', ')} but the bundle has ${bundle.classes.join(', ')}`,
    );
  }
  const indices = adapter.templates.map((template) => bundle.templates.indexOf(template));
  const absent = adapter.templates.filter((_, m) => indices[m] < 0);
  if (absent.length > 0) {
    throw new ConfigError(
      'templates',
      `the adapter uses template${absent.length === 1 ? '' : 's'} ${quoteTexts(absent)}, which the bundle does not have`,
    );
  }
  return classRows(bundle, indices);
}
