/** Defaults of the adapter training (METHODS.md §4b "browser preset") and the templates it uses. */
import { fillTemplate } from './templates';
import type { AdapterOptions, AdapterOptimizer, LossWeights } from './adapterTypes';

export const ADAPTER_FORMAT = 'sage-adapter/1';

/** METHODS §4b README settings for Waterbirds: every used term weighs 1. */
export const DEFAULT_LOSS_WEIGHTS: Readonly<LossWeights> = Object.freeze({
  clip: 1,
  image: 1,
  language: 1,
  spurious: 1,
});

const OPTIMIZER_DEFAULTS: Record<AdapterOptimizer, { learningRate: number; weightDecay: number }> = {
  // the browser preset: few full-batch steps, so Adam's per-entry step size matters more than SGD's
  adam: { learningRate: 1e-3, weightDecay: 0 },
  // the paper's README: SGD, momentum 0.9, lr 1e-4, weight decay 1e-5
  sgd: { learningRate: 1e-4, weightDecay: 1e-5 },
};

export const DEFAULT_ADAPTER_EPOCHS = 50;

/** Every option filled: learning rate and weight decay default by optimizer unless given. */
export function adapterOptions(partial: Partial<AdapterOptions> = {}): AdapterOptions {
  const optimizer = partial.optimizer ?? 'adam';
  return {
    variant: partial.variant ?? 'ls',
    epochs: partial.epochs ?? DEFAULT_ADAPTER_EPOCHS,
    seed: partial.seed ?? 0,
    optimizer,
    learningRate: partial.learningRate ?? OPTIMIZER_DEFAULTS[optimizer].learningRate,
    weightDecay: partial.weightDecay ?? OPTIMIZER_DEFAULTS[optimizer].weightDecay,
    momentum: partial.momentum ?? 0.9,
    batchSize: partial.batchSize ?? 128,
    fullBatchLimit: partial.fullBatchLimit ?? 2048,
    weights: { ...DEFAULT_LOSS_WEIGHTS, ...partial.weights },
  };
}

/**
 * The 8 default training templates: the 7 that OpenAI's CLIP notebook found best as an ensemble on ImageNet, plus
 * "a photo of a {}." (the app's zero-shot template). All are in the standard 80-template pool.
 */
export const TRAINING_TEMPLATES: readonly string[] = Object.freeze([
  'itap of a {}.',
  'a bad photo of the {}.',
  'a origami {}.',
  'a photo of the large {}.',
  'a {} in a video game.',
  'art of the {}.',
  'a photo of the small {}.',
  'a photo of a {}.',
]);

/**
 * Indices into `pool` of the templates to train with: `count` ≥ the pool size takes the whole pool (80 = the
 * paper); otherwise TRAINING_TEMPLATES found in the pool come first (in that order), then the pool's own templates
 * in pool order until `count` are chosen. So a user-edited pool still gets `count` templates.
 */
export function chooseTrainingTemplates(pool: readonly string[], count = TRAINING_TEMPLATES.length): number[] {
  if (count >= pool.length) return pool.map((_, i) => i);
  const chosen: number[] = [];
  for (const template of TRAINING_TEMPLATES) {
    const at = pool.indexOf(template);
    if (at >= 0 && chosen.length < count && !chosen.includes(at)) chosen.push(at);
  }
  for (let i = 0; i < pool.length && chosen.length < count; i++) if (!chosen.includes(i)) chosen.push(i);
  return chosen;
}

/**
 * The attribute prompts L_ls and L_vs read: each template filled with each attribute word (through `phrase`,
 * default "{}": the bare word, as the paper's `spurious` prompts; "bird on {}" gives its `generic-spurious` ones).
 * T×S, template-major: index t·S + s.
 */
export function attributePromptTexts(
  templates: readonly string[],
  attributes: readonly string[],
  phrase = '{}',
): string[] {
  return templates.flatMap((template) =>
    attributes.map((attribute) => fillTemplate(template, fillTemplate(phrase, attribute))),
  );
}
