/** Attribute discovery on a parsed bundle: the vocabulary's vectors from its `prompts`, and class labels per image. */
import { bundlePromptLookup } from './analyzeBundle';
import { type DiscoveryOptions, type DiscoveryResult, discoverAttributes } from './discovery';
import { ConfigError } from './errors';
import type { EmbeddingBundle } from './types';
import { type DroppedWord, type VocabularyEmbeddings, dropClassWords, vocabularyEmbeddings } from './vocabulary';

/** The vocabulary of a bundle: class words dropped, then each word's e_v from the stored prompt texts. */
export interface BundleVocabulary extends VocabularyEmbeddings {
  /** words dropped because they name (part of) a class */
  dropped: DroppedWord[];
}

/**
 * `words` minus class words, with e_v from the bundle's stored text embeddings (`prompts`, also the template
 * grid and group prompts). `templates`: one (default `a photo of a {}.`) or several for the ensemble.
 */
export function bundleVocabulary(
  bundle: EmbeddingBundle,
  words: readonly string[],
  templates?: readonly string[],
): BundleVocabulary {
  const { kept, dropped } = dropClassWords(words, bundle.classes);
  return { ...vocabularyEmbeddings(kept, bundle.dim, bundlePromptLookup(bundle), templates), dropped };
}

/** Class index per image of a bundle (its `class` strings looked up in `classes`). */
export function bundleLabels(bundle: EmbeddingBundle): Int32Array {
  const index = new Map(bundle.classes.map((cls, i) => [cls, i]));
  return Int32Array.from(bundle.images, (image, i) => {
    const y = index.get(image.class);
    if (y === undefined) throw new ConfigError(`images[${i}].class`, `unknown class "${image.class}"`);
    return y;
  });
}

/** Discovery on a bundle for one method's predictions (e.g. `MethodResult.predicted`). */
export function discoverOnBundle(
  bundle: EmbeddingBundle,
  predicted: ArrayLike<number>,
  vocabulary: Pick<VocabularyEmbeddings, 'words' | 'embeddings'>,
  options?: DiscoveryOptions,
): DiscoveryResult {
  return discoverAttributes(
    {
      imageEmbeddings: bundle.imageEmbeddings,
      n: bundle.images.length,
      dim: bundle.dim,
      classes: bundle.classes,
      labels: bundleLabels(bundle),
      predicted,
      words: vocabulary.words,
      wordEmbeddings: vocabulary.embeddings,
    },
    options,
  );
}
