/** The analysis flags analyze and compare share, checked against the bundle (K range, template indices, weights). */
import {
  CLIP_TEMPLATES,
  DEFAULT_ZEROSHOT_TEMPLATE,
  type EmbeddingBundle,
  type GroupWeights,
  type MethodSettings,
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
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export const ANALYSIS_FLAGS_HELP = `  --k N                 templates SAGE/random select per image, 1..M (default 1)
  --template I          zero-shot template index (default: "a photo of a {}." if the bundle has it — index ${DEFAULT_ZEROSHOT_TEMPLATE} in the CLIP pool — else 0)
  --templates I,J,...   restrict the template pool to these indices (default: all M)
  --seed S              seed for the random baseline (default 0)
  --aggregate A         embedding (mean of text embeddings, default) | score (mean of cosine scores)
  --weights g=w,...     group weights for adjusted accuracy, e.g. landbird/land=3498,landbird/water=184`;

/** The method settings (core's MethodSettings, checked against the bundle) plus what only the CLI sets. */
export interface AnalysisSettings extends MethodSettings {
  /** template subset (full-pool indices), undefined = all */
  templates: number[] | undefined;
  weights: GroupWeights | undefined;
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

export function readAnalysisSettings(parsed: ParsedArgs, bundle: EmbeddingBundle): AnalysisSettings {
  const m = bundle.templates.length;
  const templatesFlag = parsed.values.templates;
  const templates = typeof templatesFlag === 'string' ? parseTemplateList(templatesFlag, m) : undefined;
  const poolSize = templates?.length ?? m;
  const weightsFlag = parsed.values.weights;
  return {
    k: integerFlag(parsed, 'k', 1, poolSize) ?? 1,
    template: integerFlag(parsed, 'template', 0, m - 1) ?? defaultTemplate(bundle),
    seed: integerFlag(parsed, 'seed', 0, 0xffffffff) ?? 0,
    aggregate: choiceFlag(parsed, 'aggregate', ['embedding', 'score'] as const, 'embedding'),
    templates,
    poolSize,
    templateCount: m,
    weights: typeof weightsFlag === 'string' ? parseWeights(weightsFlag) : undefined,
  };
}
