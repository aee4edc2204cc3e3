/**
 * SPEC §7: RoboShot, TIE*, TIE, Orth-Proj and Orth-Cali on precomputed embeddings. Each classifies with the
 * zero-shot class weights w_c and the attribute words a_1 … a_S; each predicts argmax_c x'·w'_c.
 * Everything is computed in double precision per image (no N × dim copy); scores are stored as float32.
 */
import { ConfigError } from './errors';
import {
  amplify,
  normalizeInPlace,
  orthonormalBasis,
  projectOut,
  solveSymmetricPositiveDefinite,
} from './linearAlgebra';
import { type FieldIssue, buildGroupPrompts, fillTemplate, validateGroupPromptPattern } from './templates';
import { wilsonInterval } from './metrics';
import type { AttributeMethodConfig, GroupStats, ImageRecord, MethodConfig, MethodResult } from './types';

/** Looks up a text embedding (unit or not) by its exact text; undefined when it was never embedded. */
export type PromptLookup = (text: string) => Float32Array | undefined;

export interface AttributeMethodInput {
  /** N × dim, need not be unit */
  imageEmbeddings: Float32Array;
  n: number;
  dim: number;
  /** class strings, C */
  classes: readonly string[];
  /** C × dim zero-shot class text embeddings w_c (the zero-shot template filled with each class), need not be unit */
  classWeights: Float32Array;
  /** attribute words a_1 … a_S (the dataset's attribute strings, as the user edited them) */
  attributes: readonly string[];
  /** index into `attributes` per image, −1 when unknown: only `tie` reads it */
  imageAttributes?: Int32Array;
  prompts: PromptLookup;
}

/** A recorded method parameter (reports and the CLI's JSON write these as they are). */
export type MethodParameter = number | string | number[] | string[];

export interface AttributeMethodResult extends MethodResult {
  /** tiestar: the guessed attribute per image (index into attributes); tie: the true one (−1 unknown) */
  pseudoAttribute?: Int32Array;
  /**
   * What the method used and found: `attributes`, `phrasings`; roboshot `rejectPairs`, `rejectDirections`,
   * `accept` ("p | q"), `acceptDirections`; tiestar/tie `alpha` (per attribute, NaN when no image has it) and
   * `imagesPerAttribute` (tie also `unlabelledImages`); orth* `basisSize`, `pairs` (m), `lambda`.
   */
  parameters: Record<string, MethodParameter>;
}

/** `"a", "b", "c" and 4 more`: the first `shown` texts, quoted, for messages that name missing texts. */
export function quoteTexts(texts: readonly string[], shown = 3): string {
  const quoted = texts
    .slice(0, shown)
    .map((text) => `"${text}"`)
    .join(', ');
  return texts.length > shown ? `${quoted} and ${texts.length - shown} more` : quoted;
}

/** A text a method needs is not among the embedded prompts (and no model was given to encode it). */
export class MissingPromptError extends ConfigError {
  readonly missing: string[];
  constructor(missing: string[]) {
    super(
      'prompts',
      `no text embedding for ${quoteTexts(missing)}: embed ${missing.length === 1 ? 'this text' : 'these texts'} with the model first`,
    );
    this.name = 'MissingPromptError';
    this.missing = missing;
  }
}

export function isAttributeMethodConfig(config: MethodConfig): config is AttributeMethodConfig {
  switch (config.method) {
    case 'roboshot':
    case 'tiestar':
    case 'tie':
    case 'orthproj':
    case 'orthcali':
      return true;
    case 'zeroshot':
    case 'ensemble':
    case 'random':
    case 'sage':
    case 'groupprompt':
    case 'adapter':
      return false;
  }
}

export function isAttributeMethodResult(result: MethodResult): result is AttributeMethodResult {
  return 'parameters' in result;
}

/** Phrasing errors: none given, a phrasing without "{}" for the attribute word, duplicates (they would count twice). */
export function validatePhrasings(phrasings: readonly string[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (phrasings.length === 0) issues.push({ field: 'phrasings', message: 'at least one phrasing is needed' });
  const seen = new Set<string>();
  phrasings.forEach((phrasing, index) => {
    const field = `phrasing ${index + 1}`;
    if (!phrasing.includes('{}')) {
      issues.push({ field, message: `"${phrasing}" has no "{}" where the attribute word goes` });
    }
    if (seen.has(phrasing)) issues.push({ field, message: `"${phrasing}" is listed twice` });
    seen.add(phrasing);
  });
  return issues;
}

/** Attribute word errors: none given, empty words, duplicates (their phrase vectors would coincide). */
export function validateAttributeWords(attributes: readonly string[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (attributes.length === 0) {
    issues.push({ field: 'attributes', message: 'these methods need at least one attribute word' });
  }
  const seen = new Set<string>();
  attributes.forEach((attribute, index) => {
    const field = `attribute ${index + 1}`;
    if (attribute.trim() === '') issues.push({ field, message: 'the attribute word is empty' });
    else if (seen.has(attribute)) issues.push({ field, message: `"${attribute}" is listed twice` });
    seen.add(attribute);
  });
  return issues;
}

function throwIssues(issues: FieldIssue[]): void {
  if (issues.length > 0) throw new ConfigError(issues[0].field, issues.map((i) => i.message).join('; '));
}

/** The phrasings filled with one attribute word: the texts whose mean is f(a). */
export function attributePhrases(phrasings: readonly string[], attribute: string): string[] {
  return phrasings.map((phrasing) => fillTemplate(phrasing, attribute));
}

/**
 * Every text `config` needs embedded besides the template × class grid, in a fixed order without repeats:
 * the phrasings filled with each attribute word, then roboshot's accept phrases or orth*'s group prompts.
 * These exact strings are the bundle's `prompts` keys. Empty for the template methods and groupprompt.
 */
export function promptsNeeded(
  config: MethodConfig,
  classes: readonly string[],
  attributes: readonly string[],
): string[] {
  if (!isAttributeMethodConfig(config)) return [];
  const texts = attributes.flatMap((attribute) => attributePhrases(config.phrasings, attribute));
  if (config.method === 'roboshot') for (const [p, q] of config.accept) texts.push(p, q);
  if (config.method === 'orthproj' || config.method === 'orthcali') {
    for (const prompt of buildGroupPrompts(config.groupPromptPattern, classes, attributes)) texts.push(prompt.prompt);
  }
  return [...new Set(texts)];
}

/** Unit embeddings of `texts` in double precision, or a MissingPromptError naming every text that is absent. */
function lookUpAll(prompts: PromptLookup, texts: readonly string[], dim: number): Map<string, Float64Array> {
  const found = new Map<string, Float64Array>();
  const missing: string[] = [];
  for (const text of texts) {
    const embedding = prompts(text);
    if (embedding === undefined) {
      missing.push(text);
      continue;
    }
    if (embedding.length !== dim) {
      throw new ConfigError('prompts', `the embedding of "${text}" has ${embedding.length} numbers, expected ${dim}`);
    }
    found.set(text, normalizeInPlace(Float64Array.from(embedding)));
  }
  if (missing.length > 0) throw new MissingPromptError(missing);
  return found;
}

/** f(a) = n(mean_F T(F(a))) for every attribute word, from already looked-up unit phrase embeddings. */
function phraseVectors(
  attributes: readonly string[],
  phrasings: readonly string[],
  units: Map<string, Float64Array>,
  dim: number,
): Float64Array[] {
  return attributes.map((attribute) => {
    const sum = new Float64Array(dim);
    for (const text of attributePhrases(phrasings, attribute)) {
      const unit = units.get(text);
      if (unit === undefined) throw new MissingPromptError([text]);
      for (let d = 0; d < dim; d++) sum[d] += unit[d];
    }
    return normalizeInPlace(sum);
  });
}

/** Unit class weights w_c in double precision. */
function unitClassWeights(input: AttributeMethodInput): Float64Array[] {
  const { classWeights, classes, dim } = input;
  if (classWeights.length !== classes.length * dim) {
    throw new ConfigError('classWeights', `expected ${classes.length} × ${dim} numbers, got ${classWeights.length}`);
  }
  return classes.map((_, c) => normalizeInPlace(Float64Array.from(classWeights.subarray(c * dim, (c + 1) * dim))));
}

/** Unit image i in double precision, into `out`. */
function readImage(input: AttributeMethodInput, i: number, out: Float64Array): Float64Array {
  const base = i * input.dim;
  for (let d = 0; d < input.dim; d++) out[d] = input.imageEmbeddings[base + d];
  return normalizeInPlace(out);
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let d = 0; d < a.length; d++) sum += a[d] * b[d];
  return sum;
}

/** Scores x·w_c into row i and the argmax (ties → lower class index) into predicted[i]. */
function score(
  x: Float64Array,
  weights: readonly Float64Array[],
  i: number,
  scores: Float32Array,
  predicted: Int32Array,
): void {
  const c = weights.length;
  let best = 0;
  let bestScore = -Infinity;
  for (let cls = 0; cls < c; cls++) {
    const value = dot(x, weights[cls]);
    scores[i * c + cls] = value;
    if (value > bestScore) {
      bestScore = value;
      best = cls;
    }
  }
  predicted[i] = best;
}

function emptyResult(config: AttributeMethodConfig, n: number, c: number) {
  return {
    config,
    predicted: new Int32Array(n),
    scores: new Float32Array(n * c),
    selected: new Uint16Array(0),
    kSelected: 0,
  };
}

/** roboshot: x' = n((I − Q_R Q_Rᵀ) x), x'' = n((I + Q_A Q_Aᵀ) x'); class weights unchanged. */
function roboshot(
  input: AttributeMethodInput,
  config: Extract<AttributeMethodConfig, { method: 'roboshot' }>,
  units: Map<string, Float64Array>,
  attributeVectors: Float64Array[],
): AttributeMethodResult {
  const { n, dim } = input;
  const rejectVectors: Float64Array[] = [];
  for (let i = 0; i < attributeVectors.length; i++) {
    for (let j = i + 1; j < attributeVectors.length; j++) {
      const v = new Float64Array(dim);
      for (let d = 0; d < dim; d++) v[d] = attributeVectors[i][d] - attributeVectors[j][d];
      rejectVectors.push(v);
    }
  }
  const acceptVectors = config.accept.map(([p, q]) => {
    const up = units.get(p);
    const uq = units.get(q);
    if (up === undefined || uq === undefined) throw new MissingPromptError(up === undefined ? [p] : [q]);
    const v = new Float64Array(dim);
    for (let d = 0; d < dim; d++) v[d] = up[d] - uq[d];
    return v;
  });
  // rejected and accepted directions are orthonormalised separately, as RoboShot's code does
  const reject = orthonormalBasis(rejectVectors);
  const accept = orthonormalBasis(acceptVectors);
  const weights = unitClassWeights(input);
  const result = emptyResult(config, n, weights.length);
  const x = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    readImage(input, i, x);
    normalizeInPlace(projectOut(x, reject));
    if (accept.length > 0) normalizeInPlace(amplify(x, accept));
    score(x, weights, i, result.scores, result.predicted);
  }
  return {
    ...result,
    parameters: {
      attributes: [...input.attributes],
      phrasings: [...config.phrasings],
      rejectPairs: rejectVectors.length,
      rejectDirections: reject.length,
      accept: config.accept.map(([p, q]) => `${p} | ${q}`),
      acceptDirections: accept.length,
    },
  };
}

/**
 * tiestar / tie: ŝ = argmax_s x·t_s (or the true attribute for tie); α_s = mean of x·t_s over the images with
 * ŝ = s; x' = n(x − α_ŝ t_ŝ). Images whose true attribute is unknown (tie) are classified untranslated.
 */
function translation(
  input: AttributeMethodInput,
  config: Extract<AttributeMethodConfig, { method: 'tiestar' | 'tie' }>,
  attributeVectors: Float64Array[],
): AttributeMethodResult {
  const { n, dim } = input;
  const s = attributeVectors.length;
  const useLabels = config.method === 'tie';
  const labels = input.imageAttributes;
  if (useLabels) {
    if (labels === undefined || labels.length !== n) {
      throw new ConfigError('attribute labels', 'TIE needs every image’s attribute label (it uses the true labels)');
    }
    for (let i = 0; i < n; i++) {
      if (!Number.isInteger(labels[i]) || labels[i] < -1 || labels[i] >= s) {
        throw new ConfigError(
          'attribute labels',
          `image ${i + 1} has attribute index ${labels[i]}, expected −1..${s - 1}`,
        );
      }
    }
  }
  const attributeOf = new Int32Array(n);
  const similarity = new Float64Array(n);
  const sums = new Float64Array(s);
  const counts = new Int32Array(s);
  const x = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    readImage(input, i, x);
    let chosen = 0;
    if (useLabels && labels !== undefined) {
      chosen = labels[i];
    } else {
      let best = -Infinity;
      for (let a = 0; a < s; a++) {
        const value = dot(x, attributeVectors[a]);
        if (value > best) {
          best = value;
          chosen = a;
        }
      }
    }
    attributeOf[i] = chosen;
    if (chosen < 0) continue;
    similarity[i] = dot(x, attributeVectors[chosen]);
    sums[chosen] += similarity[i];
    counts[chosen]++;
  }
  const alpha = Array.from(sums, (sum, a) => (counts[a] > 0 ? sum / counts[a] : NaN));
  const weights = unitClassWeights(input);
  const result = emptyResult(config, n, weights.length);
  for (let i = 0; i < n; i++) {
    readImage(input, i, x);
    const a = attributeOf[i];
    if (a >= 0) {
      const t = attributeVectors[a];
      for (let d = 0; d < dim; d++) x[d] -= alpha[a] * t[d];
      normalizeInPlace(x);
    }
    score(x, weights, i, result.scores, result.predicted);
  }
  const parameters: Record<string, MethodParameter> = {
    attributes: [...input.attributes],
    phrasings: [...config.phrasings],
    alpha,
    imagesPerAttribute: Array.from(counts),
  };
  if (useLabels) parameters.unlabelledImages = n - counts.reduce((total, count) => total + count, 0);
  return { ...result, pseudoAttribute: attributeOf, parameters };
}

type OrthConfig = Extract<AttributeMethodConfig, { method: 'orthproj' | 'orthcali' }>;

/** The words, texts and sizes the §7 methods share between the image-side and the text-side entry points. */
type TextSide = Pick<AttributeMethodInput, 'dim' | 'classes' | 'attributes' | 'prompts'>;

interface OrthProjection {
  /** w ↦ n(P w) with P = P0 (I + λM)⁻¹ */
  project(w: Float64Array): Float64Array;
  parameters: Record<string, MethodParameter>;
}

/**
 * Orth-Proj / Orth-Cali's P = P0 (I + λM)⁻¹, P0 = I − UUᵀ (U spans the f(a_s)), M = DDᵀ/m over within-class
 * group-prompt differences. (I + λM)⁻¹ w = w − D((m/λ)I + DᵀD)⁻¹Dᵀw (Woodbury): an m × m solve, no d × d
 * inverse. λ = 0 (orthproj) leaves P = P0.
 */
function orthProjection(
  input: TextSide,
  config: OrthConfig,
  units: Map<string, Float64Array>,
  attributeVectors: Float64Array[],
): OrthProjection {
  const { dim, classes, attributes } = input;
  const lambda = config.method === 'orthcali' ? config.lambda : 0;
  if (!Number.isFinite(lambda) || lambda < 0) {
    throw new ConfigError('lambda', `expected a number ≥ 0, got ${lambda}`);
  }
  const basis = orthonormalBasis(attributeVectors);
  const groupPrompts = buildGroupPrompts(config.groupPromptPattern, classes, attributes);
  const differences: Float64Array[] = [];
  const s = attributes.length;
  for (let c = 0; c < classes.length; c++) {
    for (let i = 0; i < s; i++) {
      for (let j = i + 1; j < s; j++) {
        const zi = units.get(groupPrompts[c * s + i].prompt);
        const zj = units.get(groupPrompts[c * s + j].prompt);
        if (zi === undefined || zj === undefined) {
          throw new MissingPromptError([groupPrompts[c * s + (zi === undefined ? i : j)].prompt]);
        }
        const v = new Float64Array(dim);
        for (let d = 0; d < dim; d++) v[d] = zi[d] - zj[d];
        differences.push(v);
      }
    }
  }
  const m = differences.length;
  const calibrate = lambda > 0 && m > 0;
  // (m/λ)I + DᵀD is the same for every vector: build it once
  const system = new Float64Array(m * m);
  if (calibrate) {
    for (let a = 0; a < m; a++) {
      for (let b = 0; b <= a; b++) {
        const value = dot(differences[a], differences[b]) + (a === b ? m / lambda : 0);
        system[a * m + b] = value;
        system[b * m + a] = value;
      }
    }
  }
  const project = (w: Float64Array) => {
    const g = Float64Array.from(w);
    if (calibrate) {
      const projected = Float64Array.from(differences, (column) => dot(column, w));
      const y = solveSymmetricPositiveDefinite(system, projected, m);
      for (let k = 0; k < m; k++) for (let d = 0; d < dim; d++) g[d] -= differences[k][d] * y[k];
    }
    return normalizeInPlace(projectOut(g, basis));
  };
  return {
    project,
    parameters: {
      attributes: [...attributes],
      phrasings: [...config.phrasings],
      groupPromptPattern: config.groupPromptPattern,
      basisSize: basis.length,
      pairs: m,
      lambda,
    },
  };
}

/** orthproj / orthcali: w'_c = n(P w_c); images unchanged. */
function orthogonal(
  input: AttributeMethodInput,
  config: OrthConfig,
  units: Map<string, Float64Array>,
  attributeVectors: Float64Array[],
): AttributeMethodResult {
  const { project, parameters } = orthProjection(input, config, units, attributeVectors);
  const weights = unitClassWeights(input).map(project);
  const result = emptyResult(config, input.n, weights.length);
  const x = new Float64Array(input.dim);
  for (let i = 0; i < input.n; i++) score(readImage(input, i, x), weights, i, result.scores, result.predicted);
  return { ...result, parameters };
}

/** Checks the settings and looks up every text the method needs: unit text embeddings and f(a) per word. */
function prepareTexts(
  input: TextSide,
  config: AttributeMethodConfig,
): { units: Map<string, Float64Array>; attributeVectors: Float64Array[] } {
  throwIssues(validatePhrasings(config.phrasings));
  throwIssues(validateAttributeWords(input.attributes));
  if (config.method === 'roboshot') {
    config.accept.forEach(([p, q], index) => {
      if (p.trim() === '' || q.trim() === '') {
        throw new ConfigError(`accept pair ${index + 1}`, 'both phrases of an accept pair must be non-empty');
      }
    });
  }
  if (config.method === 'orthproj' || config.method === 'orthcali') {
    throwIssues(validateGroupPromptPattern(config.groupPromptPattern));
  }
  const units = lookUpAll(input.prompts, promptsNeeded(config, input.classes, input.attributes), input.dim);
  return { units, attributeVectors: phraseVectors(input.attributes, config.phrasings, units, input.dim) };
}

/**
 * The "combine" option (issue 11 §4, in no source): Orth-Proj / Orth-Cali's projection applied to every row of
 * a text grid — e.g. all M × C template prompts — each row replaced by n(P u), so SAGE and the other template
 * methods then run on debiased text. Rows need not be unit. Returns the new rows and the projection's parameters.
 */
export function debiasTextRows(
  text: Float32Array,
  rows: number,
  input: TextSide,
  config: MethodConfig,
): { text: Float32Array; parameters: Record<string, MethodParameter> } {
  if (config.method !== 'orthproj' && config.method !== 'orthcali') {
    throw new ConfigError('method', `only orthproj and orthcali debias text, not ${config.method}`);
  }
  const { dim } = input;
  if (text.length < rows * dim) throw new ConfigError('text', `expected ${rows} × ${dim} numbers, got ${text.length}`);
  const { units, attributeVectors } = prepareTexts(input, config);
  const { project, parameters } = orthProjection(input, config, units, attributeVectors);
  const out = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) out.set(project(Float64Array.from(text.subarray(r * dim, (r + 1) * dim))), r * dim);
  return { text: out, parameters };
}

/**
 * Runs one SPEC §7 method. Throws a ConfigError naming the field for bad settings and a MissingPromptError
 * naming every text that has no embedding.
 */
export function runAttributeMethod(input: AttributeMethodInput, config: MethodConfig): AttributeMethodResult {
  if (!isAttributeMethodConfig(config)) {
    throw new ConfigError(
      'method',
      `${config.method} is not an attribute method (roboshot, tiestar, tie, orthproj, orthcali)`,
    );
  }
  const { n, dim } = input;
  if (input.imageEmbeddings.length < n * dim) {
    throw new ConfigError('imageEmbeddings', `expected ${n} × ${dim} numbers, got ${input.imageEmbeddings.length}`);
  }
  const { units, attributeVectors } = prepareTexts(input, config);
  switch (config.method) {
    case 'roboshot':
      return roboshot(input, config, units, attributeVectors);
    case 'tiestar':
    case 'tie':
      return translation(input, config, attributeVectors);
    case 'orthproj':
    case 'orthcali':
      return orthogonal(input, config, units, attributeVectors);
  }
}

/** Index of each image's attribute in `attributes` (−1 when it is not one of them, e.g. ''). */
export function imageAttributeIndices(images: readonly ImageRecord[], attributes: readonly string[]): Int32Array {
  const index = new Map(attributes.map((attribute, a) => [attribute, a]));
  return Int32Array.from(images, (image) => index.get(image.attribute) ?? -1);
}

/**
 * How often TIE*'s guessed attribute equals the true one, per (class, attribute) group, with Wilson intervals.
 * Images with an unknown true attribute (−1) are left out. Groups sorted by class order, then attribute.
 */
export function pseudoAttributeAccuracy(
  images: readonly ImageRecord[],
  classes: readonly string[],
  trueAttributes: Int32Array,
  pseudoAttribute: Int32Array,
): GroupStats[] {
  const groups = new Map<string, { cls: string; attribute: string; n: number; correct: number }>();
  images.forEach((image, i) => {
    if (trueAttributes[i] < 0) return;
    const key = `${image.class}\u0000${image.attribute}`;
    const group = groups.get(key) ?? { cls: image.class, attribute: image.attribute, n: 0, correct: 0 };
    group.n++;
    if (pseudoAttribute[i] === trueAttributes[i]) group.correct++;
    groups.set(key, group);
  });
  const classOrder = new Map(classes.map((cls, c) => [cls, c]));
  return [...groups.values()]
    .sort(
      (a, b) =>
        (classOrder.get(a.cls) ?? classes.length) - (classOrder.get(b.cls) ?? classes.length) ||
        (a.attribute < b.attribute ? -1 : a.attribute > b.attribute ? 1 : 0),
    )
    .map((g) => ({
      class: g.cls,
      attribute: g.attribute,
      n: g.n,
      correct: g.correct,
      accuracy: g.correct / g.n,
      ci95: wilsonInterval(g.correct, g.n),
    }));
}
