/**
 * One home for turning user-facing settings into a method's configuration: the CLI (flags) and the app
 * (view parameters) both fill a MethodSettings and call methodConfig, so a new method is added in one place.
 */
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
}

/**
 * The configuration for `method` from `settings`. K is clamped to 1..poolSize and the zero-shot template to
 * 0..templateCount−1, so a K or template left over from a larger pool (the app keeps them when templates change)
 * still runs.
 */
export function methodConfig(method: MethodId, settings: MethodSettings): MethodConfig {
  const poolSize = Math.max(1, settings.poolSize);
  const k = Math.min(Math.max(1, settings.k), poolSize);
  switch (method) {
    case 'zeroshot':
      return { method, template: Math.min(Math.max(0, settings.template), Math.max(1, settings.templateCount) - 1) };
    case 'ensemble':
      return { method, aggregate: settings.aggregate };
    case 'random':
      return { method, k, seed: settings.seed, aggregate: settings.aggregate };
    case 'sage':
      return { method, k, aggregate: settings.aggregate };
    case 'groupprompt':
      return { method };
  }
}

/** Templates a method combines per image: K for sage/random, 1 for zero-shot, the pool for ensemble, null for groupprompt. */
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
  }
}
