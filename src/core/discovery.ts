/**
 * Attribute discovery without attribute labels, "B2T-vocab + δ check" (METHODS §5): per class, B2T scores of
 * vocabulary words (how much closer CLIP puts a word to the class's misclassified images than to its correctly
 * classified ones) and Yang et al.'s δ / MI check on CLIP presence tags. The same CLIP judges and is audited,
 * so every discovered word is a hypothesis to test by grouping, not a finding.
 */
import { accuracyDelta, mutualInformation } from './discoveryStats';
import { ConfigError } from './errors';
import { DEFAULT_PRESENCE_TOP_K, type PresenceTags, presenceTags, unitRows } from './presenceTags';

/** Fewer wrong (or right) images than this in a class: the class is skipped (METHODS §5 step 2). */
export const MIN_WRONG_OR_RIGHT = 5;
/** Yang et al.'s `min_detect` for images with the word present, and the same for absent (METHODS §5 step 4). */
export const MIN_PRESENT = 10;
export const MIN_ABSENT = 10;
/** B2T keeps its top 20 words. */
export const B2T_TOP = 20;
/** MI at or below this counts as 0 (float rounding of exactly independent counts). */
const MI_FLOOR = 1e-12;

export interface DiscoveryInput {
  /** N × dim image embeddings (need not be unit; they are normalised for B2T's means) */
  imageEmbeddings: Float32Array;
  n: number;
  dim: number;
  classes: readonly string[];
  /** true class index per image, length N */
  labels: ArrayLike<number>;
  /** predicted class index per image of the method under audit, length N */
  predicted: ArrayLike<number>;
  /** the vocabulary V (after `dropClassWords`) */
  words: readonly string[];
  /** V × dim word embeddings e_v (made unit here) */
  wordEmbeddings: Float32Array;
}

export interface DiscoveryOptions {
  /** presence = among an image's top-k words (default 5) */
  topK?: number;
  /** tags computed before for the same images, words and k (skips the N·V·dim pass, e.g. when the method changes) */
  tags?: PresenceTags;
  /** example image indices per row (default 8), wrong ones first */
  examples?: number;
  /** defaults MIN_WRONG_OR_RIGHT, MIN_PRESENT, MIN_ABSENT */
  minWrongOrRight?: number;
  minPresent?: number;
  minAbsent?: number;
}

/** One (class, word) that passed the δ check. */
export interface DiscoveryRow {
  word: string;
  /** index into DiscoveryInput.words */
  wordIndex: number;
  /** 100 · e_v·(mean wrong − mean right) over unit vectors (may be ≤ 0 here; only the `b2t` list drops those) */
  b2tScore: number;
  /** acc(present) − acc(absent) */
  delta: number;
  /** 95% interval for δ (Newcombe's hybrid score interval from the two Wilson intervals) */
  ci95: [number, number];
  nPresent: number;
  nAbsent: number;
  /** mutual information of (presence, error) within the class, nats; > 0 */
  mi: number;
  accPresent: number;
  accPresentCi95: [number, number];
  accAbsent: number;
  accAbsentCi95: [number, number];
  /** image indices of the class with the word present: wrong predictions first, then right; at most `examples` */
  examples: number[];
}

/** A B2T-ranked word (score > 0). `tag` "M" when the word also scores > 0 for another class, else "S" (as B2T). */
export interface B2tWord {
  word: string;
  wordIndex: number;
  score: number;
  tag: 'S' | 'M';
}

export interface ClassDiscovery {
  class: string;
  classIndex: number;
  n: number;
  nWrong: number;
  nRight: number;
  /** why the class was skipped (a sentence), or null */
  skipped: string | null;
  /** "hurts when present": δ < 0, ascending (most harmful first) */
  hurts: DiscoveryRow[];
  /** "helps when present": δ > 0, descending */
  helps: DiscoveryRow[];
  /** B2T ranking: score > 0, descending, top 20 */
  b2t: B2tWord[];
}

export interface DiscoveryResult {
  topK: number;
  words: readonly string[];
  classes: ClassDiscovery[];
  /** the presence tags used (pass back as `options.tags` to re-run for another method without recomputing) */
  tags: PresenceTags;
}

function checkInput(input: DiscoveryInput): void {
  const { n, classes, labels, predicted, words, wordEmbeddings, dim } = input;
  if (labels.length !== n) throw new ConfigError('labels', `expected ${n} class labels, got ${labels.length}`);
  if (predicted.length !== n) throw new ConfigError('predicted', `expected ${n} predictions, got ${predicted.length}`);
  if (wordEmbeddings.length !== words.length * dim) {
    throw new ConfigError(
      'wordEmbeddings',
      `expected ${words.length} × ${dim} numbers (one row per word), got ${wordEmbeddings.length}`,
    );
  }
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= classes.length) {
      throw new ConfigError(`labels[${i}]`, `expected a class index in 0..${classes.length - 1}, got ${y}`);
    }
  }
}

/** 1 / ‖x_i‖ per image (0 for a zero row). */
function inverseNorms(x: Float32Array, n: number, dim: number): Float64Array {
  const inv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sq = 0;
    for (let d = 0; d < dim; d++) sq += x[i * dim + d] * x[i * dim + d];
    inv[i] = sq > 0 ? 1 / Math.sqrt(sq) : 0;
  }
  return inv;
}

/**
 * B2T scores of every word for every class: C × V, row c = 100·e_v·(μ(wrong) − μ(right)) over unit vectors.
 * A class without a wrong or a right image gets NaN (no difference of means exists).
 */
export function b2tScores(input: DiscoveryInput): Float64Array {
  const { imageEmbeddings: x, n, dim, classes, labels, predicted, words } = input;
  const c = classes.length;
  const v = words.length;
  const e = unitRows(input.wordEmbeddings, v, dim);
  const inv = inverseNorms(x, n, dim);
  const wrongSum = new Float64Array(c * dim);
  const rightSum = new Float64Array(c * dim);
  const wrongN = new Int32Array(c);
  const rightN = new Int32Array(c);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    const wrong = predicted[i] !== y;
    const sum = wrong ? wrongSum : rightSum;
    if (wrong) wrongN[y]++;
    else rightN[y]++;
    for (let d = 0; d < dim; d++) sum[y * dim + d] += x[i * dim + d] * inv[i];
  }
  const scores = new Float64Array(c * v);
  const diff = new Float64Array(dim);
  for (let y = 0; y < c; y++) {
    if (wrongN[y] === 0 || rightN[y] === 0) {
      scores.fill(NaN, y * v, (y + 1) * v);
      continue;
    }
    for (let d = 0; d < dim; d++) diff[d] = wrongSum[y * dim + d] / wrongN[y] - rightSum[y * dim + d] / rightN[y];
    for (let w = 0; w < v; w++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += e[w * dim + d] * diff[d];
      scores[y * v + w] = 100 * s;
    }
  }
  return scores;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Per-class counts of images with each word present, and of those the correctly predicted ones. */
function presenceCounts(
  tags: PresenceTags,
  classImages: readonly number[],
  correct: Uint8Array,
): { present: Int32Array; presentCorrect: Int32Array } {
  const present = new Int32Array(tags.vocabularySize);
  const presentCorrect = new Int32Array(tags.vocabularySize);
  const k = tags.topK;
  for (const i of classImages) {
    for (let r = 0; r < k; r++) {
      const w = tags.topWords[i * k + r];
      present[w]++;
      presentCorrect[w] += correct[i];
    }
  }
  return { present, presentCorrect };
}

function exampleImages(
  tags: PresenceTags,
  word: number,
  classImages: readonly number[],
  correct: Uint8Array,
  max: number,
) {
  const wrong: number[] = [];
  const right: number[] = [];
  const k = tags.topK;
  for (const i of classImages) {
    if (wrong.length >= max) break;
    let present = false;
    for (let r = 0; r < k && !present; r++) present = tags.topWords[i * k + r] === word;
    if (present) (correct[i] === 1 ? right : wrong).push(i);
  }
  return [...wrong, ...right].slice(0, max);
}

const byWord = (a: { word: string }, b: { word: string }) => (a.word < b.word ? -1 : a.word > b.word ? 1 : 0);

/**
 * METHODS §5 "B2T-vocab + δ check" for every class. Classes with fewer than 5 wrong or 5 right images are
 * skipped with a reason. Rows need ≥ 10 images with the word present and ≥ 10 absent, and MI > 0. Ties in δ are
 * broken by larger MI, then by word.
 */
export function discoverAttributes(input: DiscoveryInput, options: DiscoveryOptions = {}): DiscoveryResult {
  checkInput(input);
  const { n, dim, classes, labels, predicted, words } = input;
  const v = words.length;
  const topK = options.topK ?? DEFAULT_PRESENCE_TOP_K;
  const minWrongOrRight = options.minWrongOrRight ?? MIN_WRONG_OR_RIGHT;
  const minPresent = options.minPresent ?? MIN_PRESENT;
  const minAbsent = options.minAbsent ?? MIN_ABSENT;
  const maxExamples = options.examples ?? 8;
  const tags = options.tags ?? presenceTags(input.imageEmbeddings, n, dim, input.wordEmbeddings, v, topK);
  if (tags.n !== n || tags.vocabularySize !== v) {
    throw new ConfigError('tags', 'the presence tags were computed for other images or another vocabulary');
  }
  const scores = b2tScores(input);
  const correct = new Uint8Array(n);
  const imagesOf: number[][] = classes.map(() => []);
  for (let i = 0; i < n; i++) {
    correct[i] = predicted[i] === labels[i] ? 1 : 0;
    imagesOf[labels[i]].push(i);
  }
  const positiveIn = new Int32Array(v);
  for (let y = 0; y < classes.length; y++) {
    for (let w = 0; w < v; w++) if (scores[y * v + w] > 0) positiveIn[w]++;
  }
  const result: ClassDiscovery[] = classes.map((cls, y) => {
    const images = imagesOf[y];
    let nRight = 0;
    for (const i of images) nRight += correct[i];
    const nWrong = images.length - nRight;
    const base = { class: cls, classIndex: y, n: images.length, nWrong, nRight };
    if (nWrong < minWrongOrRight || nRight < minWrongOrRight) {
      const skipped =
        `class ${y + 1} (${cls}) has ${plural(nWrong, 'wrong prediction')} and ${plural(nRight, 'right one')}; ` +
        `discovery needs at least ${minWrongOrRight} of each`;
      return { ...base, skipped, hurts: [], helps: [], b2t: [] };
    }
    const b2t: B2tWord[] = [];
    for (let w = 0; w < v; w++) {
      const score = scores[y * v + w];
      if (score > 0) b2t.push({ word: words[w], wordIndex: w, score, tag: positiveIn[w] > 1 ? 'M' : 'S' });
    }
    b2t.sort((a, b) => b.score - a.score || byWord(a, b));
    const { present, presentCorrect } = presenceCounts(tags, images, correct);
    const hurts: DiscoveryRow[] = [];
    const helps: DiscoveryRow[] = [];
    for (let w = 0; w < v; w++) {
      const nPresent = present[w];
      const nAbsent = images.length - nPresent;
      if (nPresent < minPresent || nAbsent < minAbsent) continue;
      const rightPresent = presentCorrect[w];
      const rightAbsent = nRight - rightPresent;
      const mi = mutualInformation(nPresent - rightPresent, rightPresent, nAbsent - rightAbsent, rightAbsent);
      if (!(mi > MI_FLOOR)) continue;
      const stats = accuracyDelta(rightPresent, nPresent, rightAbsent, nAbsent);
      if (stats.delta === 0) continue;
      const row: DiscoveryRow = {
        word: words[w],
        wordIndex: w,
        b2tScore: scores[y * v + w],
        ...stats,
        nPresent,
        nAbsent,
        mi,
        examples: exampleImages(tags, w, images, correct, maxExamples),
      };
      (stats.delta < 0 ? hurts : helps).push(row);
    }
    hurts.sort((a, b) => a.delta - b.delta || b.mi - a.mi || byWord(a, b));
    helps.sort((a, b) => b.delta - a.delta || b.mi - a.mi || byWord(a, b));
    return { ...base, skipped: null, hurts, helps, b2t: b2t.slice(0, B2T_TOP) };
  });
  return { topK: tags.topK, words, classes: result, tags };
}

/** Where a true attribute word ranks in one class's lists (1-based; null = not listed). */
export interface AttributeWordRank {
  class: string;
  attribute: string;
  /** the vocabulary word matched (case-insensitive), or null when the attribute is not in the vocabulary */
  word: string | null;
  hurtsRank: number | null;
  helpsRank: number | null;
  b2tRank: number | null;
}

/**
 * The self-check when the data also has attribute labels (METHODS §5): for each class and each attribute value
 * its images carry, where that word ranks in the class's hurts, helps and B2T lists.
 */
export function attributeWordRanks(
  result: DiscoveryResult,
  imageAttributes: readonly string[],
  labels: ArrayLike<number>,
): AttributeWordRank[] {
  const byLower = new Map(result.words.map((word) => [word.toLowerCase(), word]));
  const ranks: AttributeWordRank[] = [];
  for (const cls of result.classes) {
    const values = new Set<string>();
    for (let i = 0; i < imageAttributes.length; i++) {
      if (labels[i] === cls.classIndex && imageAttributes[i] !== '') values.add(imageAttributes[i]);
    }
    for (const attribute of [...values].sort()) {
      const word = byLower.get(attribute.trim().toLowerCase()) ?? null;
      const rankIn = (list: readonly { word: string }[]) => {
        const at = word === null ? -1 : list.findIndex((row) => row.word === word);
        return at < 0 ? null : at + 1;
      };
      ranks.push({
        class: cls.class,
        attribute,
        word,
        hurtsRank: rankIn(cls.hurts),
        helpsRank: rankIn(cls.helps),
        b2tRank: rankIn(cls.b2t),
      });
    }
  }
  return ranks;
}
