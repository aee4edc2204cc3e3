/**
 * The K curve (core/kCurve) memoised per analysis, seed and aggregate: a K change reuses the curve, and a bundle's
 * curve computed in the bundle worker is handed over with primeKCurve.
 */
import type { Analysis, ImageRecord } from '../../core';
import { type KCurve, type KCurveOptions, kCurve } from '../../core/kCurve';

const curveCache = new WeakMap<Analysis, Map<string, KCurve>>();

const keyOf = (options: KCurveOptions) => `${options.seed}\u0000${options.aggregate}`;

function curvesOf(analysis: Analysis): Map<string, KCurve> {
  let byOptions = curveCache.get(analysis);
  if (!byOptions) {
    byOptions = new Map();
    curveCache.set(analysis, byOptions);
  }
  return byOptions;
}

export function kCurveCached(
  analysis: Analysis,
  records: readonly ImageRecord[],
  classes: readonly string[],
  options: KCurveOptions,
): KCurve {
  const byOptions = curvesOf(analysis);
  let curve = byOptions.get(keyOf(options));
  if (!curve) {
    curve = kCurve(analysis, records, classes, options);
    byOptions.set(keyOf(options), curve);
  }
  return curve;
}

/** Records a curve computed elsewhere (the bundle worker) for this analysis and these options. */
export function primeKCurve(analysis: Analysis, options: KCurveOptions, curve: KCurve): void {
  curvesOf(analysis).set(keyOf(options), curve);
}
