/**
 * The methods of SPEC §2–3 on a prebuilt analysis. Every template method is O(N·C) (+ copying the N·K
 * selected indices): the dot products and prefix tables were computed once in `buildAnalysis`.
 */
import type { Analysis, RankingTables } from './analysis';
import { ConfigError } from './errors';
import type { Aggregate, MethodConfig, MethodResult } from './types';
import { normalizeRows } from './vectors';

function checkK(k: number, p: number): void {
  if (!Number.isInteger(k) || k < 1 || k > p) {
    throw new ConfigError('k', `expected an integer in 1..${p} (the number of templates), got ${k}`);
  }
}

function checkAggregate(aggregate: Aggregate): void {
  if (aggregate !== 'embedding' && aggregate !== 'score') {
    throw new ConfigError('aggregate', `expected "embedding" or "score", got ${String(aggregate)}`);
  }
}

/** Picks the first K of each image's ranking and reads scores from the prefix tables. */
function fromRanking(
  analysis: Analysis,
  tables: RankingTables,
  k: number,
  aggregate: Aggregate,
  config: MethodConfig,
): MethodResult {
  const { n, c } = analysis;
  const p = analysis.pool.length;
  checkK(k, p);
  checkAggregate(aggregate);
  const predicted = new Int32Array(n);
  const scores = new Float32Array(n * c);
  const selected = new Uint16Array(n * k);
  const { scoreSums, invNorms, order } = tables;
  const invK = 1 / k;
  const byEmbedding = aggregate === 'embedding';
  for (let i = 0; i < n; i++) {
    const src = (i * p + k - 1) * c;
    const dst = i * c;
    let best = 0;
    let bestScore = -Infinity;
    for (let cls = 0; cls < c; cls++) {
      const score = byEmbedding ? scoreSums[src + cls] * invNorms[src + cls] : scoreSums[src + cls] * invK;
      scores[dst + cls] = score;
      if (score > bestScore) {
        bestScore = score;
        best = cls;
      }
    }
    predicted[i] = best;
    for (let j = 0; j < k; j++) selected[i * k + j] = order[i * p + j];
  }
  return { config, predicted, scores, selected, kSelected: k };
}

/** One template's column of the tensor. */
function zeroshot(analysis: Analysis, template: number, config: MethodConfig): MethodResult {
  const { n, m, c, tensor } = analysis;
  if (!Number.isInteger(template) || template < 0 || template >= m) {
    throw new ConfigError('template', `expected a template index in 0..${m - 1}, got ${template}`);
  }
  const predicted = new Int32Array(n);
  const scores = new Float32Array(n * c);
  const selected = new Uint16Array(n).fill(template);
  for (let i = 0; i < n; i++) {
    const src = (i * m + template) * c;
    let best = 0;
    for (let cls = 0; cls < c; cls++) {
      const score = tensor.values[src + cls];
      scores[i * c + cls] = score;
      if (score > scores[i * c + best]) best = cls;
    }
    predicted[i] = best;
  }
  return { config, predicted, scores, selected, kSelected: 1 };
}

/**
 * All pool templates, computed directly rather than from the prefix tables: the class weight
 * w[c] = normalize(Σ_t u[t][c]) is the same for every image, so ‖Σ_t u[t][c]‖ comes from the Gram matrix once.
 */
function ensemble(analysis: Analysis, aggregate: Aggregate, config: MethodConfig): MethodResult {
  checkAggregate(aggregate);
  const { n, m, c, tensor, gram, pool } = analysis;
  const scale = new Float64Array(c);
  for (let cls = 0; cls < c; cls++) {
    if (aggregate === 'score') {
      scale[cls] = 1 / pool.length;
      continue;
    }
    let normSq = 0;
    for (const t of pool) for (const t2 of pool) normSq += gram[(t * m + t2) * c + cls];
    scale[cls] = normSq > 0 ? 1 / Math.sqrt(normSq) : 0;
  }
  const predicted = new Int32Array(n);
  const scores = new Float32Array(n * c);
  const sums = new Float64Array(c);
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    for (const t of pool) {
      const src = (i * m + t) * c;
      for (let cls = 0; cls < c; cls++) sums[cls] += tensor.values[src + cls];
    }
    let best = 0;
    for (let cls = 0; cls < c; cls++) {
      const score = sums[cls] * scale[cls];
      scores[i * c + cls] = score;
      if (score > scores[i * c + best]) best = cls;
    }
    predicted[i] = best;
  }
  return { config, predicted, scores, selected: new Uint16Array(0), kSelected: 0 };
}

/**
 * Runs a template method (zeroshot, ensemble, random, sage) on the analysis. `groupprompt` needs prompt
 * embeddings the analysis does not hold: use `runGroupPrompt` (or `analyzeBundle`, which dispatches).
 */
export function runMethod(analysis: Analysis, config: MethodConfig): MethodResult {
  switch (config.method) {
    case 'zeroshot':
      return zeroshot(analysis, config.template, config);
    case 'ensemble':
      return ensemble(analysis, config.aggregate, config);
    case 'sage':
      return fromRanking(analysis, analysis.sage, config.k, config.aggregate, config);
    case 'random':
      checkK(config.k, analysis.pool.length);
      return fromRanking(analysis, analysis.randomTables(config.seed), config.k, config.aggregate, config);
    case 'groupprompt':
      throw new ConfigError('method', 'groupprompt needs group prompt embeddings: use runGroupPrompt or analyzeBundle');
    case 'roboshot':
    case 'tiestar':
    case 'tie':
    case 'orthproj':
    case 'orthcali':
      throw new ConfigError(
        'method',
        `${config.method} needs attribute words and their text embeddings: use runAttributeMethod or analyzeBundle`,
      );
    case 'adapter':
      throw new ConfigError('method', 'the adapter needs a trained adapter: use applyAdapter');
  }
}

/** Prompt embeddings for `groupprompt`: one row per prompt, with the class it stands for. */
export interface GroupPromptInput {
  /** class index per prompt, length G */
  classIndices: Int32Array | readonly number[];
  /** G × dim, need not be unit */
  embeddings: Float32Array;
}

/**
 * SPEC §3 `groupprompt`: cosine of each image with each (class, attribute) prompt; the prediction is the class
 * of the best prompt, and a class's score is the max over its prompts. Every class needs at least one prompt.
 */
export function runGroupPrompt(
  imageEmbeddings: Float32Array,
  n: number,
  dim: number,
  c: number,
  prompts: GroupPromptInput,
): MethodResult {
  const g = prompts.classIndices.length;
  if (prompts.embeddings.length < g * dim) {
    throw new ConfigError('groupPrompts', `expected ${g} × ${dim} floats, got ${prompts.embeddings.length}`);
  }
  const covered = new Uint8Array(c);
  for (let j = 0; j < g; j++) {
    const cls = prompts.classIndices[j];
    if (!Number.isInteger(cls) || cls < 0 || cls >= c) {
      throw new ConfigError(`groupPrompts[${j}].class`, `expected a class index in 0..${c - 1}, got ${cls}`);
    }
    covered[cls] = 1;
  }
  const missing = covered.indexOf(0);
  if (missing >= 0) throw new ConfigError('groupPrompts', `class ${missing} has no group prompt`);
  const unitPrompts = normalizeRows(prompts.embeddings, g, dim);
  const unitImages = normalizeRows(imageEmbeddings, n, dim);
  const predicted = new Int32Array(n);
  const scores = new Float32Array(n * c).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const a = i * dim;
    for (let j = 0; j < g; j++) {
      const b = j * dim;
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += unitImages[a + d] * unitPrompts[b + d];
      const slot = i * c + prompts.classIndices[j];
      if (dot > scores[slot]) scores[slot] = dot;
    }
    let best = 0;
    for (let cls = 1; cls < c; cls++) if (scores[i * c + cls] > scores[i * c + best]) best = cls;
    predicted[i] = best;
  }
  return { config: { method: 'groupprompt' }, predicted, scores, selected: new Uint16Array(0), kSelected: 0 };
}
