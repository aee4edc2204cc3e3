/**
 * What the Discover panel shows (issue 14), derived from the results with the core's discovery functions:
 * the vocabulary's word vectors from the results' prompt lookup, the per-class ranked lists for one method's
 * predictions, the self-check against real attribute labels, and inferred-vs-real group agreement.
 */
import {
  type AttributeWordRank,
  type DiscoveryResult,
  type DroppedWord,
  type ImageRecord,
  type PresenceTags,
  type VocabularyEmbeddings,
  VOCABULARY_TEMPLATE,
  attributeWordRanks,
  discoverAttributes,
  dropClassWords,
  parseVocabulary,
  presenceTags,
  vocabularyEmbeddings,
  vocabularyPromptTexts,
} from '../core';
import { promptLookup, type MethodRow, type ResultsInput } from './derive/views';

export interface DiscoveryVocabulary extends VocabularyEmbeddings {
  /** the parsed list before class words were dropped */
  listed: number;
  /** words dropped because they name (part of) a class */
  dropped: DroppedWord[];
  /** the prompt templates each word is read with */
  templates: string[];
  /** every prompt text the kept words need (`missing` are the ones the results do not hold) */
  texts: string[];
}

let vocabularyMemo: {
  key: readonly unknown[];
  value: DiscoveryVocabulary;
} | null = null;

/**
 * The vocabulary's words and vectors e_v from the texts the results hold (a run's embedded prompts, a bundle's
 * `prompts`). Words whose prompts are not held yet are left out and their texts listed in `missing`.
 */
export function discoveryVocabulary(
  input: ResultsInput,
  vocabularyText: string,
  ensemble: boolean,
): DiscoveryVocabulary {
  const key = [input.prompts, input.analysis.tensor.unitText, input.classes, input.templates, vocabularyText, ensemble];
  if (vocabularyMemo && vocabularyMemo.key.every((part, i) => part === key[i])) return vocabularyMemo.value;
  const parsed = parseVocabulary(vocabularyText);
  const { kept, dropped } = dropClassWords(parsed, input.classes);
  const templates = ensemble ? [...input.templates] : [VOCABULARY_TEMPLATE];
  const embedded = vocabularyEmbeddings(kept, input.dim, promptLookup(input), templates);
  const value: DiscoveryVocabulary = {
    ...embedded,
    listed: parsed.length,
    dropped,
    templates,
    texts: vocabularyPromptTexts(kept, templates),
  };
  vocabularyMemo = { key, value };
  return value;
}

/** Presence tags per (image store, word vectors, k, n): the N·V·dim pass runs once, whichever method is audited. */
const tagsCache = new WeakMap<Float32Array, WeakMap<Float32Array, Map<string, PresenceTags>>>();

function tagsFor(input: ResultsInput, words: Float32Array, count: number, topK: number): PresenceTags {
  let byWords = tagsCache.get(input.embeddings);
  if (!byWords) {
    byWords = new WeakMap();
    tagsCache.set(input.embeddings, byWords);
  }
  let byK = byWords.get(words);
  if (!byK) {
    byK = new Map();
    byWords.set(words, byK);
  }
  const key = `${topK}:${input.analysis.n}`;
  let tags = byK.get(key);
  if (!tags) {
    tags = presenceTags(input.embeddings, input.analysis.n, input.dim, words, count, topK);
    byK.set(key, tags);
  }
  return tags;
}

/** Class index of each analysed record (−1 never happens: records carry the results' class strings). */
export function classLabels(input: Pick<ResultsInput, 'records' | 'classes'>): Int32Array {
  const index = new Map(input.classes.map((c, i) => [c, i]));
  return Int32Array.from(input.records, (r) => index.get(r.class) ?? -1);
}

/** METHODS §5 for `row`'s predictions; null when no vocabulary word has vectors yet. */
export function runDiscovery(
  input: ResultsInput,
  row: MethodRow,
  vocabulary: VocabularyEmbeddings,
  topK: number,
): DiscoveryResult | null {
  if (vocabulary.words.length === 0) return null;
  const n = input.analysis.n;
  return discoverAttributes(
    {
      imageEmbeddings: input.embeddings.subarray(0, n * input.dim),
      n,
      dim: input.dim,
      classes: input.classes,
      labels: classLabels(input),
      predicted: row.result.predicted.subarray(0, n),
      words: vocabulary.words,
      wordEmbeddings: vocabulary.embeddings,
    },
    { topK, tags: tagsFor(input, vocabulary.embeddings, vocabulary.words.length, topK) },
  );
}

/**
 * Where the true attribute words rank, from the real labels. In a run a label is a folder name with an attribute
 * word beside it ("water" → "a water background"): the word when the vocabulary holds it, else the folder name.
 * null when the images carry no attribute labels.
 */
export function selfCheck(
  result: DiscoveryResult,
  input: Pick<ResultsInput, 'records' | 'classes'>,
  realRecords: readonly ImageRecord[],
  attributeWords: Readonly<Record<string, string>>,
): AttributeWordRank[] | null {
  if (!realRecords.some((r) => r.attribute !== '')) return null;
  const known = new Set(result.words.map((w) => w.toLowerCase()));
  const wordOf = (key: string): string => {
    const word = attributeWords[key] ?? key;
    // neither in the vocabulary: the folder name, as the groups are named
    return known.has(word.trim().toLowerCase()) ? word : key;
  };
  const words = realRecords.map((r) => (r.attribute === '' ? '' : wordOf(r.attribute)));
  return attributeWordRanks(result, words, classLabels(input));
}

/** Images per (real attribute, inferred attribute) within one class. */
export interface ClassAgreement {
  class: string;
  real: string[];
  inferred: string[];
  /** counts[r][j]: images with real value real[r] and inferred value inferred[j] */
  counts: number[][];
  n: number;
  /** images on the diagonal of the best one-to-one matching of values, as a share of n (when both have 2 values) */
  bestMatch: number | null;
}

/** How the inferred groups line up with the real ones, class by class. */
export function groupAgreement(
  realRecords: readonly ImageRecord[],
  inferredRecords: readonly ImageRecord[],
  classes: readonly string[],
): ClassAgreement[] {
  // the real groups by the names the views gave them (folder names in a run)
  const realWord = (a: string) => (a === '' ? '(none)' : a);
  return classes.flatMap((cls) => {
    const pairs: [string, string][] = [];
    for (let i = 0; i < Math.min(realRecords.length, inferredRecords.length); i++) {
      if (realRecords[i].class === cls) pairs.push([realWord(realRecords[i].attribute), inferredRecords[i].attribute]);
    }
    if (pairs.length === 0) return [];
    const real = [...new Set(pairs.map((p) => p[0]))].sort();
    const inferred = [...new Set(pairs.map((p) => p[1]))].sort();
    const counts = real.map(() => inferred.map(() => 0));
    for (const [r, j] of pairs) counts[real.indexOf(r)][inferred.indexOf(j)]++;
    let bestMatch: number | null = null;
    if (real.length === 2 && inferred.length === 2) {
      const straight = counts[0][0] + counts[1][1];
      const crossed = counts[0][1] + counts[1][0];
      bestMatch = Math.max(straight, crossed) / pairs.length;
    }
    return [{ class: cls, real, inferred, counts, n: pairs.length, bestMatch }];
  });
}
