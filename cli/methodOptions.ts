/** The analysis flags analyze and compare share, checked against the bundle (K range, template indices, weights). */
import {
  CLIP_TEMPLATES,
  DEFAULT_GROUP_PROMPT_PATTERN,
  DEFAULT_ORTHCALI_LAMBDA,
  DEFAULT_PHRASINGS,
  DEFAULT_ZEROSHOT_TEMPLATE,
  type EmbeddingBundle,
  type GroupWeights,
  type MethodSettings,
  validateGroupPromptPattern,
  validatePhrasings,
} from '../src/core';
import { type FlagSpec, type ParsedArgs, choiceFlag, integerFlag } from './args';
import { CliInputError } from './command';

export const ANALYSIS_FLAGS: FlagSpec = {
  k: { type: 'string' },
  template: { type: 'string' },
  templates: { type: 'string' },
  seed: { type: 'string' },
  aggregate: { type: 'string' },
  weights: { type: 'string' },
  phrasings: { type: 'string' },
  accept: { type: 'string' },
  lambda: { type: 'string' },
  'group-pattern': { type: 'string' },
  model: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export const ANALYSIS_FLAGS_HELP = `  --k N                 templates SAGE/random select per image, 1..M (default 1)
  --template I          zero-shot template index (default: "a photo of a {}." if the bundle has it — index ${DEFAULT_ZEROSHOT_TEMPLATE} in the CLIP pool — else 0)
  --templates I,J,...   restrict the template pool to these indices (default: all M)
  --seed S              seed for the random baseline (default 0)
  --aggregate A         embedding (mean of text embeddings, default) | score (mean of cosine scores)
  --weights g=w,...     group weights for adjusted accuracy, e.g. landbird/land=3498,landbird/water=184
  --phrasings "P|Q"     attribute phrasings for roboshot, tiestar, tie, orthproj, orthcali, "|"-separated, each
                        with "{}" for the attribute word (default "${DEFAULT_PHRASINGS.join('|')}")
  --accept "p|q;p2|q2"  roboshot accept pairs: the direction from q to p is amplified (default: none)
  --lambda L            orthcali calibration strength λ ≥ 0 (default ${DEFAULT_ORTHCALI_LAMBDA}; orthproj is λ = 0)
  --group-pattern P     group prompts orthproj/orthcali calibrate with, as given to embed (default
                        "${DEFAULT_GROUP_PROMPT_PATTERN}")
  --model M             encode texts those methods need that the bundle lacks with this model (hub id or
                        folder; it must be the model that made the bundle, and runs at the precision the bundle
                        records). Without it they must be in the bundle`;

/** The method settings (core's MethodSettings, checked against the bundle) plus what only the CLI sets. */
export interface AnalysisSettings extends MethodSettings {
  /** template subset (full-pool indices), undefined = all */
  templates: number[] | undefined;
  weights: GroupWeights | undefined;
  phrasings: string[];
  acceptPairs: [string, string][];
  lambda: number;
  groupPromptPattern: string;
  /** --model: encode missing §7 prompts with it */
  model: string | undefined;
}

function defaultTemplate(bundle: EmbeddingBundle): number {
  const photo = bundle.templates.indexOf(CLIP_TEMPLATES[DEFAULT_ZEROSHOT_TEMPLATE]);
  return photo >= 0 ? photo : 0;
}

function parseTemplateList(value: string, m: number): number[] {
  const indices = value.split(',').map((part) => {
    const n = Number(part.trim());
    if (part.trim() === '' || !Number.isInteger(n) || n < 0 || n >= m) {
      throw new CliInputError(`--templates: expected template indices in 0..${m - 1}, got "${part}"`);
    }
    return n;
  });
  if (new Set(indices).size !== indices.length) throw new CliInputError('--templates: an index is listed twice');
  return indices;
}

/** "landbird/land=3498,landbird/water=184" → weights; the group key is everything before the last "=". */
export function parseWeights(value: string): GroupWeights {
  const weights: GroupWeights = {};
  for (const part of value.split(',')) {
    const eq = part.lastIndexOf('=');
    const key = part.slice(0, eq).trim();
    const weight = Number(part.slice(eq + 1));
    if (eq <= 0 || key === '' || part.slice(eq + 1).trim() === '' || !Number.isFinite(weight) || weight < 0) {
      throw new CliInputError(`--weights: expected class/attribute=weight (weight ≥ 0), got "${part}"`);
    }
    weights[key] = weight;
  }
  return weights;
}

/** "{}|a photo of {}." → the phrasings, trimmed; each needs "{}" and none may repeat. */
export function parsePhrasings(value: string): string[] {
  const phrasings = value.split('|').map((part) => part.trim());
  const issues = validatePhrasings(phrasings);
  if (issues.length > 0) {
    throw new CliInputError(`--phrasings: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
  }
  return phrasings;
}

/** "webbed feet|talons;large|small" → accept pairs; each is two non-empty phrases. */
export function parseAcceptPairs(value: string): [string, string][] {
  if (value.trim() === '') return [];
  return value.split(';').map((part) => {
    const phrases = part.split('|').map((phrase) => phrase.trim());
    if (phrases.length !== 2 || phrases[0] === '' || phrases[1] === '') {
      throw new CliInputError(`--accept: expected pairs "p|q" separated by ";", got "${part}"`);
    }
    return [phrases[0], phrases[1]];
  });
}

function parseLambda(value: string): number {
  const lambda = Number(value);
  if (value.trim() === '' || !Number.isFinite(lambda) || lambda < 0) {
    throw new CliInputError(`--lambda: expected a number ≥ 0, got "${value}"`);
  }
  return lambda;
}

function readGroupPattern(parsed: ParsedArgs): string {
  const pattern = parsed.values['group-pattern'];
  if (typeof pattern !== 'string') return DEFAULT_GROUP_PROMPT_PATTERN;
  const issues = validateGroupPromptPattern(pattern);
  if (issues.length > 0) throw new CliInputError(`--group-pattern: ${issues.map((i) => i.message).join('; ')}`);
  return pattern;
}

export function readAnalysisSettings(parsed: ParsedArgs, bundle: EmbeddingBundle): AnalysisSettings {
  const m = bundle.templates.length;
  const templatesFlag = parsed.values.templates;
  const templates = typeof templatesFlag === 'string' ? parseTemplateList(templatesFlag, m) : undefined;
  const poolSize = templates?.length ?? m;
  const weightsFlag = parsed.values.weights;
  const { phrasings, accept, lambda, model } = parsed.values;
  return {
    k: integerFlag(parsed, 'k', 1, poolSize) ?? 1,
    template: integerFlag(parsed, 'template', 0, m - 1) ?? defaultTemplate(bundle),
    seed: integerFlag(parsed, 'seed', 0, 0xffffffff) ?? 0,
    aggregate: choiceFlag(parsed, 'aggregate', ['embedding', 'score'] as const, 'embedding'),
    templates,
    poolSize,
    templateCount: m,
    weights: typeof weightsFlag === 'string' ? parseWeights(weightsFlag) : undefined,
    phrasings: typeof phrasings === 'string' ? parsePhrasings(phrasings) : [...DEFAULT_PHRASINGS],
    acceptPairs: typeof accept === 'string' ? parseAcceptPairs(accept) : [],
    lambda: typeof lambda === 'string' ? parseLambda(lambda) : DEFAULT_ORTHCALI_LAMBDA,
    groupPromptPattern: readGroupPattern(parsed),
    model: typeof model === 'string' && model !== '' ? model : undefined,
  };
}
