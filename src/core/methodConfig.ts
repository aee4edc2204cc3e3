/**
 * One home for turning user-facing settings into a method's configuration: the CLI (flags) and the app
 * (view parameters) both fill a MethodSettings and call methodConfig, so a new method is added in one place.
 */
import { DEFAULT_GROUP_PROMPT_PATTERN } from './config';
import { ConfigError } from './errors';
import { DEFAULT_ORTHCALI_LAMBDA, DEFAULT_PHRASINGS } from './methodKnowledge';
import type { Aggregate, MethodConfig, MethodId } from './types';

/** The knobs a user sets for the methods; each method takes the ones it needs. */
export interface MethodSettings {
  /** templates SAGE/random combine per image */
  k: number;
  /** zero-shot template index, into all templateCount templates (it need not be in a chosen subset) */
  template: number;
  /** seed for the random baseline */
  seed: number;
  aggregate: Aggregate;
  /** templates SAGE/random choose from: M, or the size of a chosen subset */
  poolSize: number;
  /** templates in the bundle (M) */
  templateCount: number;
  /** SPEC §7 attribute phrasings, each with "{}" for the attribute word (default DEFAULT_PHRASINGS) */
  phrasings?: readonly string[];
  /** RoboShot accept pairs (p, q) (default none) */
  acceptPairs?: readonly (readonly [string, string])[];
  /** Orth-Cali's λ (default DEFAULT_ORTHCALI_LAMBDA) */
  lambda?: number;
  /** group prompt pattern for Orth-Proj/Orth-Cali (default DEFAULT_GROUP_PROMPT_PATTERN) */
  groupPromptPattern?: string;
}

/**
 * The configuration for `method` from `settings`. K is clamped to 1..poolSize and the zero-shot template to
 * 0..templateCount−1, so a K or template left over from a larger pool (the app keeps them when templates change)
 * still runs.
 */
export function methodConfig(method: MethodId, settings: MethodSettings): MethodConfig {
  const poolSize = Math.max(1, settings.poolSize);
  const k = Math.min(Math.max(1, settings.k), poolSize);
  const template = Math.min(Math.max(0, settings.template), Math.max(1, settings.templateCount) - 1);
  const phrasings = [...(settings.phrasings ?? DEFAULT_PHRASINGS)];
  const groupPromptPattern = settings.groupPromptPattern ?? DEFAULT_GROUP_PROMPT_PATTERN;
  switch (method) {
    case 'zeroshot':
      return { method, template };
    case 'ensemble':
      return { method, aggregate: settings.aggregate };
    case 'random':
      return { method, k, seed: settings.seed, aggregate: settings.aggregate };
    case 'sage':
      return { method, k, aggregate: settings.aggregate };
    case 'groupprompt':
      return { method };
    case 'roboshot':
      return { method, template, phrasings, accept: (settings.acceptPairs ?? []).map(([p, q]) => [p, q]) };
    case 'tiestar':
    case 'tie':
      return { method, template, phrasings };
    case 'orthproj':
      return { method, template, phrasings, groupPromptPattern };
    case 'orthcali':
      return { method, template, phrasings, groupPromptPattern, lambda: settings.lambda ?? DEFAULT_ORTHCALI_LAMBDA };
    case 'adapter':
      throw new ConfigError('method', 'the trained adapter’s row comes from a trained adapter, not from settings');
  }
}

/**
 * Templates a method combines per image: K for sage/random, 1 for zero-shot, the pool for ensemble, null for
 * groupprompt and the SPEC §7 methods (they use the zero-shot template's class weights, not a selection).
 */
export function effectiveK(config: MethodConfig, poolSize: number): number | null {
  switch (config.method) {
    case 'zeroshot':
      return 1;
    case 'ensemble':
      return poolSize;
    case 'random':
    case 'sage':
      return config.k;
    case 'groupprompt':
    case 'roboshot':
    case 'tiestar':
    case 'tie':
    case 'orthproj':
    case 'orthcali':
    case 'adapter':
      return null;
  }
}

/** A short human label, e.g. "sage K=3 (embedding)". */
export function describeConfig(config: MethodConfig, poolSize: number): string {
  switch (config.method) {
    case 'zeroshot':
      return `zeroshot (template ${config.template})`;
    case 'ensemble':
      return `ensemble (${poolSize} templates, ${config.aggregate})`;
    case 'random':
      return `random K=${config.k} (seed ${config.seed}, ${config.aggregate})`;
    case 'sage':
      return `sage K=${config.k} (${config.aggregate})`;
    case 'groupprompt':
      return 'groupprompt (uses attribute words: extra knowledge)';
    case 'roboshot':
      return `roboshot (template ${config.template}, ${config.accept.length} accept pair${config.accept.length === 1 ? '' : 's'})`;
    case 'tiestar':
      return `tiestar (template ${config.template})`;
    case 'tie':
      return `tie (template ${config.template}; uses the attribute labels it is scored on)`;
    case 'orthproj':
      return `orthproj (template ${config.template})`;
    case 'orthcali':
      return `orthcali (template ${config.template}, λ=${config.lambda})`;
    case 'adapter':
      return `adapter (${config.variant}, seed ${config.seed}, epoch ${config.bestEpoch} of ${config.epochs}; trained on class labels + attribute ${config.variant === 'vs' ? 'labels' : 'words'})`;
  }
}
