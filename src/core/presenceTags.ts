/**
 * CLIP presence tags (METHODS §5 step 3): word v is "present" in image i when it is among i's top-k vocabulary
 * words by x_i·e_v. CLIP here stands in for Yang et al.'s OWL-ViT detector, so the tags are noisy. Also the
 * hand-off (step 5): a word or set of words → an inferred attribute label per image.
 */
import { ConfigError } from './errors';
import { dotRowsBlocked } from './similarityTensor';

/** Images scored per call of the blocked kernel: 64 × V float32 scores stay small (V = 500 → 128 KB). */
const IMAGE_BLOCK = 64;

export const DEFAULT_PRESENCE_TOP_K = 5;

/** The top-k vocabulary words of every image. */
export interface PresenceTags {
  n: number;
  /** number of vocabulary words V */
  vocabularySize: number;
  /** k (capped at V) */
  topK: number;
  /** N × topK word indices, best first (ties: lower word index first) */
  topWords: Int32Array;
  /** N × topK scores x_i·e_v of those words (e_v unit; x_i as given, so comparable within an image only) */
  topScores: Float32Array;
}

/** Unit rows (a zero row stays zero). A new array; the input is not changed. */
export function unitRows(rows: Float32Array, count: number, dim: number): Float32Array {
  const out = new Float32Array(count * dim);
  for (let r = 0; r < count; r++) {
    const base = r * dim;
    let sq = 0;
    for (let d = 0; d < dim; d++) sq += rows[base + d] * rows[base + d];
    const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
    for (let d = 0; d < dim; d++) out[base + d] = rows[base + d] * inv;
  }
  return out;
}

function checkSizes(imageEmbeddings: Float32Array, n: number, dim: number, words: Float32Array, v: number): void {
  if (imageEmbeddings.length < n * dim) {
    throw new ConfigError('imageEmbeddings', `expected ${n} × ${dim} numbers, got ${imageEmbeddings.length}`);
  }
  if (words.length < v * dim) {
    throw new ConfigError('wordEmbeddings', `expected ${v} × ${dim} numbers, got ${words.length}`);
  }
}

/**
 * Top-k words per image. `wordEmbeddings` (V × dim) are made unit here; image norms do not change an image's
 * ranking, so images are used as given. Cost N·V·dim multiply-adds, in blocks of 64 images through the
 * similarity tensor's register-blocked kernel; no allocation per image.
 */
export function presenceTags(
  imageEmbeddings: Float32Array,
  n: number,
  dim: number,
  wordEmbeddings: Float32Array,
  vocabularySize: number,
  topK: number = DEFAULT_PRESENCE_TOP_K,
): PresenceTags {
  if (!Number.isInteger(topK) || topK < 1) throw new ConfigError('topK', `expected an integer ≥ 1, got ${topK}`);
  checkSizes(imageEmbeddings, n, dim, wordEmbeddings, vocabularySize);
  const v = vocabularySize;
  const k = Math.min(topK, v);
  const words = unitRows(wordEmbeddings, v, dim);
  const topWords = new Int32Array(n * k);
  const topScores = new Float32Array(n * k);
  const block = Math.max(1, Math.min(n, IMAGE_BLOCK));
  const blockScores = new Float32Array(block * v);
  const bestWord = new Int32Array(k);
  const bestScore = new Float64Array(k);
  for (let first = 0; first < n; first += block) {
    const count = Math.min(block, n - first);
    dotRowsBlocked(imageEmbeddings.subarray(first * dim), count, words, v, dim, blockScores, 0);
    for (let b = 0; b < count; b++) {
      const i = first + b;
      const row = b * v;
      // insertion into a sorted top-k; strict ">" keeps the lower word index first on ties
      let filled = 0;
      for (let word = 0; word < v; word++) {
        const s = blockScores[row + word];
        if (filled === k && !(s > bestScore[k - 1])) continue;
        let pos = filled < k ? filled++ : k - 1;
        while (pos > 0 && s > bestScore[pos - 1]) {
          bestScore[pos] = bestScore[pos - 1];
          bestWord[pos] = bestWord[pos - 1];
          pos--;
        }
        bestScore[pos] = s;
        bestWord[pos] = word;
      }
      for (let r = 0; r < k; r++) {
        topWords[i * k + r] = bestWord[r];
        topScores[i * k + r] = bestScore[r];
      }
    }
  }
  return { n, vocabularySize: v, topK: k, topWords, topScores };
}

/** 1 where any of `wordIndices` is among the image's top-k words, else 0 (length N). */
export function wordPresence(tags: PresenceTags, wordIndices: readonly number[]): Uint8Array {
  const wanted = new Uint8Array(tags.vocabularySize);
  for (const word of wordIndices) {
    if (!Number.isInteger(word) || word < 0 || word >= tags.vocabularySize) {
      throw new ConfigError('wordIndices', `expected word indices in 0..${tags.vocabularySize - 1}, got ${word}`);
    }
    wanted[word] = 1;
  }
  const present = new Uint8Array(tags.n);
  const k = tags.topK;
  for (let i = 0; i < tags.n; i++) {
    for (let r = 0; r < k; r++) {
      if (wanted[tags.topWords[i * k + r]] === 1) {
        present[i] = 1;
        break;
      }
    }
  }
  return present;
}

/** Attribute labels inferred from presence tags or an argmax (METHODS §5 step 5), one per image. */
export interface InferredAttribute {
  /** the label of each image, length N */
  labels: string[];
  /** the distinct label values, in a fixed order (present first, or the contrast words in the given order) */
  values: string[];
}

/** "water" → "water" / "not water"; {water, ocean, beach} → "water/ocean/beach" / "other". */
export function inferredAttributeNames(words: readonly string[]): { present: string; absent: string } {
  if (words.length === 0) throw new ConfigError('words', 'choose at least one word');
  return words.length === 1
    ? { present: words[0], absent: `not ${words[0]}` }
    : { present: words.join('/'), absent: 'other' };
}

/**
 * The hand-off from tags: an image is labelled with the word (or the joined set) when any of `wordIndices`
 * is among its top-k words, else "not <word>" (one word) or "other" (a set). `words` is the vocabulary.
 */
export function inferredAttributeFromTags(
  tags: PresenceTags,
  words: readonly string[],
  wordIndices: readonly number[],
): InferredAttribute {
  const present = wordPresence(tags, wordIndices);
  const names = inferredAttributeNames(wordIndices.map((w) => words[w]));
  const labels = Array.from(present, (p) => (p === 1 ? names.present : names.absent));
  return { labels, values: [names.present, names.absent] };
}

/**
 * The hand-off for a user-chosen contrast set (e.g. land vs water), as TIE* does: each image gets the word
 * with the largest x_i·e_v among `contrastEmbeddings` (S × dim, made unit here; ties → the earlier word).
 */
export function inferredAttributeByArgmax(
  imageEmbeddings: Float32Array,
  n: number,
  dim: number,
  contrastEmbeddings: Float32Array,
  contrastWords: readonly string[],
): InferredAttribute & { choice: Int32Array } {
  const s = contrastWords.length;
  if (s < 2) throw new ConfigError('contrastWords', 'a contrast set needs at least two words');
  checkSizes(imageEmbeddings, n, dim, contrastEmbeddings, s);
  const words = unitRows(contrastEmbeddings, s, dim);
  const choice = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestScore = -Infinity;
    for (let w = 0; w < s; w++) {
      let score = 0;
      for (let d = 0; d < dim; d++) score += imageEmbeddings[i * dim + d] * words[w * dim + d];
      if (score > bestScore) {
        bestScore = score;
        best = w;
      }
    }
    choice[i] = best;
  }
  return { labels: Array.from(choice, (c) => contrastWords[c]), values: [...contrastWords], choice };
}
