/**
 * The analysis object: everything SAGE and the template baselines need, derived once from the similarity
 * tensor so that changing K, the method or the aggregate never recomputes a dot product.
 *
 * For each image i and a ranking of the pool templates (SAGE: by separation; random: a seeded permutation),
 * prefix tables over the ranking give any K in O(C):
 *   scoreSums[i][k][c] = Σ_{j≤k} s[i][rank_j][c]                  → aggregate "score":     mean = sum / (k+1)
 *   invNorms[i][k][c]  = 1 / ‖Σ_{j≤k} u[rank_j][c]‖                → aggregate "embedding": v·normalize(Σu) = sum · invNorm
 * ‖Σu‖² is built incrementally from the per-class text Gram matrices (SPEC §2 step 3 without touching D).
 * Build: O(N·C·P²/2) once; a new K: O(N·C) plus copying the N·K selected indices.
 */
import { ConfigError } from './errors';
import { imageSeed, mulberry32, shuffleInPlace } from './random';
import { type SimilarityTensor, textGram } from './similarityTensor';

export interface AnalysisOptions {
  /** template indices (into the full pool of M) to choose from; default: all. Stored ascending. */
  templates?: readonly number[];
}

/** Prefix tables over one per-image ranking of the pool templates (see the module comment). */
export interface RankingTables {
  /** N × P template indices (full-pool numbering), best first */
  order: Uint16Array;
  /** N × P × C */
  scoreSums: Float32Array;
  /** N × P × C */
  invNorms: Float32Array;
}

export interface Analysis {
  tensor: SimilarityTensor;
  n: number;
  m: number;
  c: number;
  /** the template subset in use, ascending (full-pool indices); P = pool.length */
  pool: Uint16Array;
  /** sep[i][t] = max_c s − min_c s for every template of the full pool, N × M (SPEC §2 step 1) */
  separation: Float32Array;
  /** per-class text Gram matrices, (t·M + t')·C + c */
  gram: Float64Array;
  /** SAGE ranking: pool templates by separation, descending; ties → lower template index first */
  sage: RankingTables;
  /** random ranking for a seed: built on first use; the last seed's tables are kept (they are as big as SAGE's) */
  randomTables(seed: number): RankingTables;
}

function checkPool(templates: readonly number[] | undefined, m: number): Uint16Array {
  // rankings are stored as Uint16 template indices
  if (m > 0xffff) throw new ConfigError('templates', `at most ${0xffff} templates are supported, got ${m}`);
  if (templates === undefined) return Uint16Array.from({ length: m }, (_, t) => t);
  if (templates.length === 0) throw new ConfigError('templates', 'the template subset is empty');
  const seen = new Set<number>();
  templates.forEach((t, index) => {
    if (!Number.isInteger(t) || t < 0 || t >= m) {
      throw new ConfigError(`templates[${index}]`, `expected a template index in 0..${m - 1}, got ${t}`);
    }
    if (seen.has(t)) throw new ConfigError(`templates[${index}]`, `template ${t} is listed twice`);
    seen.add(t);
  });
  return Uint16Array.from([...seen].sort((a, b) => a - b));
}

/** Fills sep[i][t] (range over classes of s[i][t][·]) for images [from, to). */
function fillSeparation(tensor: SimilarityTensor, separation: Float32Array, from: number, to: number): void {
  const { m, c, values } = tensor;
  for (let row = from * m; row < to * m; row++) {
    const base = row * c;
    let lo = values[base];
    let hi = lo;
    for (let k = 1; k < c; k++) {
      const v = values[base + k];
      if (v < lo) lo = v;
      else if (v > hi) hi = v;
    }
    separation[row] = hi - lo;
  }
}

/** sep[i][t] over the full pool, N × M: range over classes of s[i][t][·] (SPEC §2 step 1). */
export function templateSeparation(tensor: SimilarityTensor): Float32Array {
  const separation = new Float32Array(tensor.n * tensor.m);
  fillSeparation(tensor, separation, 0, tensor.n);
  return separation;
}

/**
 * Per image in [from, to): pool templates by separation descending. Stable insertion sort over a local key
 * array; the pool is ascending, so an equal separation never moves ahead of a lower template index.
 */
function fillSeparationOrder(
  separation: Float32Array,
  m: number,
  pool: Uint16Array,
  order: Uint16Array,
  from: number,
  to: number,
): void {
  const p = pool.length;
  const keys = new Float32Array(p);
  for (let i = from; i < to; i++) {
    const base = i * p;
    const sepBase = i * m;
    for (let j = 0; j < p; j++) {
      const t = pool[j];
      const value = separation[sepBase + t];
      let pos = j;
      while (pos > 0 && keys[pos - 1] < value) {
        keys[pos] = keys[pos - 1];
        order[base + pos] = order[base + pos - 1];
        pos--;
      }
      keys[pos] = value;
      order[base + pos] = t;
    }
  }
}

/** Per image: a seeded permutation of the pool (image i's draw depends only on seed and i). */
function fillSeededOrder(pool: Uint16Array, seed: number, order: Uint16Array, from: number, to: number): void {
  const p = pool.length;
  for (let i = from; i < to; i++) {
    const row = order.subarray(i * p, (i + 1) * p);
    row.set(pool);
    shuffleInPlace(row, mulberry32(imageSeed(seed, i)));
  }
}

/**
 * Prefix sums of scores and inverse norms of Σu along each image's ranking, for images [from, to).
 * O(C·P²/2) per image: ‖Σ_{j≤k} u_j‖² = ‖Σ_{j<k} u_j‖² + G[k][k] + 2 Σ_{j<k} G[j][k].
 * Loop order: class outside, earlier ranks inside, with a scalar accumulator. The class-innermost order
 * (a Float64Array of C partial sums updated per earlier rank) measured ~25% slower: V8 keeps the scalar in a
 * register but must load/store the array. G is symmetric, so G[o_j][t] is read from row t at column o_j.
 */
function fillRankingTables(
  tensor: SimilarityTensor,
  gram: Float64Array,
  tables: RankingTables,
  p: number,
  from: number,
  to: number,
): void {
  const { m, c, values } = tensor;
  const { order, scoreSums, invNorms } = tables;
  const sums = new Float64Array(c);
  const normsSq = new Float64Array(c);
  /** column offset t·C of each already-ranked template of the current image */
  const rankedColumn = new Int32Array(p);
  const gramRow = m * c;
  for (let i = from; i < to; i++) {
    const orderBase = i * p;
    sums.fill(0);
    normsSq.fill(0);
    for (let k = 0; k < p; k++) {
      const t = order[orderBase + k];
      rankedColumn[k] = t * c;
      const sBase = (i * m + t) * c;
      const out = (orderBase + k) * c;
      const rowBase = t * gramRow;
      for (let cls = 0; cls < c; cls++) {
        const base = rowBase + cls;
        let cross = 0;
        for (let j = 0; j < k; j++) cross += gram[base + rankedColumn[j]];
        const normSq = normsSq[cls] + gram[base + t * c] + 2 * cross;
        normsSq[cls] = normSq;
        sums[cls] += values[sBase + cls];
        scoreSums[out + cls] = sums[cls];
        invNorms[out + cls] = normSq > 0 ? 1 / Math.sqrt(normSq) : 0;
      }
    }
  }
}

/** Prefix tables for a complete per-image ranking `order` (N × P). */
export function buildRankingTables(
  tensor: SimilarityTensor,
  gram: Float64Array,
  order: Uint16Array,
  p: number,
): RankingTables {
  const size = tensor.n * p * tensor.c;
  const tables = { order, scoreSums: new Float32Array(size), invNorms: new Float32Array(size) };
  fillRankingTables(tensor, gram, tables, p, 0, tensor.n);
  return tables;
}

function allocateTables(n: number, p: number, c: number): RankingTables {
  return {
    order: new Uint16Array(n * p),
    scoreSums: new Float32Array(n * p * c),
    invNorms: new Float32Array(n * p * c),
  };
}

/** Random tables for one seed, as the analysis caches them. */
export interface SeededTables {
  seed: number;
  tables: RankingTables;
}

function assemble(
  tensor: SimilarityTensor,
  pool: Uint16Array,
  separation: Float32Array,
  gram: Float64Array,
  sage: RankingTables,
  random?: SeededTables,
): Analysis {
  const { n, m, c } = tensor;
  const p = pool.length;
  let randomCache: SeededTables | undefined = random;
  return {
    tensor,
    n,
    m,
    c,
    pool,
    separation,
    gram,
    sage,
    randomTables(seed: number): RankingTables {
      if (!Number.isInteger(seed)) throw new ConfigError('seed', `expected an integer, got ${seed}`);
      if (randomCache?.seed !== seed) {
        const tables = allocateTables(n, p, c);
        fillSeededOrder(pool, seed, tables.order, 0, n);
        fillRankingTables(tensor, gram, tables, p, 0, n);
        randomCache = { seed, tables };
      }
      return randomCache.tables;
    },
  };
}

/** Builds the analysis once from the tensor (and an optional template subset). */
export function buildAnalysis(tensor: SimilarityTensor, options: AnalysisOptions = {}): Analysis {
  const { n, m, c } = tensor;
  const pool = checkPool(options.templates, m);
  const separation = templateSeparation(tensor);
  const gram = textGram(tensor);
  const sage = allocateTables(n, pool.length, c);
  fillSeparationOrder(separation, m, pool, sage.order, 0, n);
  fillRankingTables(tensor, gram, sage, pool.length, 0, n);
  return assemble(tensor, pool, separation, gram, sage);
}

/**
 * For streaming: `tensor` is `previous.tensor` extended with new images (extendSimilarityTensor). Only the new
 * rows' separation, ranking and prefix tables are computed; old rows are copied; the Gram matrices are reused.
 * Random tables are rebuilt lazily on next use.
 */
export function extendAnalysis(previous: Analysis, tensor: SimilarityTensor): Analysis {
  if (tensor.m !== previous.m || tensor.c !== previous.c || tensor.unitText !== previous.tensor.unitText) {
    throw new ConfigError('tensor', 'is not an extension of the analysed tensor (different text embeddings)');
  }
  if (tensor.n < previous.n)
    throw new ConfigError('tensor', `has ${tensor.n} images, fewer than the ${previous.n} analysed`);
  const { n, m, c } = tensor;
  const { pool, gram } = previous;
  const p = pool.length;
  const from = previous.n;
  const separation = new Float32Array(n * m);
  separation.set(previous.separation);
  fillSeparation(tensor, separation, from, n);
  const sage = allocateTables(n, p, c);
  sage.order.set(previous.sage.order);
  sage.scoreSums.set(previous.sage.scoreSums);
  sage.invNorms.set(previous.sage.invNorms);
  fillSeparationOrder(separation, m, pool, sage.order, from, n);
  fillRankingTables(tensor, gram, sage, p, from, n);
  return assemble(tensor, pool, separation, gram, sage);
}

/**
 * The same analysis with its images in another order: image i of the result is image `order[i]` of `analysis`
 * (a permutation of 0 … N−1). The tensor rows, separations and SAGE tables are per image, so they are copied,
 * not recomputed (a rebuild costs O(N·C·P²/2)); the random tables depend on each image's position and are
 * rebuilt lazily for the new positions. Used when a run that streamed in another order ends (issue 12 §7).
 */
export function reorderAnalysis(analysis: Analysis, order: Int32Array): Analysis {
  const { tensor, n, m, c, pool } = analysis;
  if (tensor.n !== n) throw new ConfigError('analysis', `covers ${n} of the tensor's ${tensor.n} images`);
  if (order.length !== n) throw new ConfigError('order', `expected ${n} positions, got ${order.length}`);
  const used = new Uint8Array(n);
  for (const from of order) {
    if (!(from >= 0 && from < n) || used[from]) throw new ConfigError('order', 'is not a permutation of the images');
    used[from] = 1;
  }
  const p = pool.length;
  const row = m * c;
  const storage = new Float32Array(tensor.storage.length);
  const separation = new Float32Array(n * m);
  const sage = allocateTables(n, p, c);
  const previous = analysis.sage;
  for (let i = 0; i < n; i++) {
    const from = order[i];
    storage.set(tensor.values.subarray(from * row, (from + 1) * row), i * row);
    separation.set(analysis.separation.subarray(from * m, (from + 1) * m), i * m);
    sage.order.set(previous.order.subarray(from * p, (from + 1) * p), i * p);
    sage.scoreSums.set(previous.scoreSums.subarray(from * p * c, (from + 1) * p * c), i * p * c);
    sage.invNorms.set(previous.invNorms.subarray(from * p * c, (from + 1) * p * c), i * p * c);
  }
  const reordered: SimilarityTensor = { ...tensor, values: storage.subarray(0, n * row), storage };
  return assemble(reordered, pool, separation, analysis.gram, sage);
}

/**
 * The typed arrays behind an analysis, with the random tables of one seed: what a worker that built the analysis
 * hands to the page (structured-cloneable, every array transferable), and restoreAnalysis turns back into one.
 */
export interface AnalysisParts {
  tensor: SimilarityTensor;
  pool: Uint16Array;
  separation: Float32Array;
  gram: Float64Array;
  sage: RankingTables;
  random?: SeededTables;
}

/** The analysis's arrays, building the random tables for `randomSeed` first when given. */
export function analysisParts(analysis: Analysis, randomSeed?: number): AnalysisParts {
  const { tensor, pool, separation, gram, sage } = analysis;
  const random = randomSeed === undefined ? undefined : { seed: randomSeed, tables: analysis.randomTables(randomSeed) };
  return { tensor, pool, separation, gram, sage, ...(random ? { random } : {}) };
}

/** The analysis analysisParts came from, without recomputing anything (its random tables start cached). */
export function restoreAnalysis(parts: AnalysisParts): Analysis {
  const { tensor, pool, separation, gram, sage, random } = parts;
  const p = pool.length;
  const expected = tensor.n * p * tensor.c;
  if (
    separation.length !== tensor.n * tensor.m ||
    sage.scoreSums.length !== expected ||
    sage.order.length !== tensor.n * p
  ) {
    throw new ConfigError('analysis', 'its tables do not match its similarity tensor');
  }
  return assemble(tensor, pool, separation, gram, sage, random);
}
