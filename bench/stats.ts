/** Small statistics for the benchmark: medians of timed runs and least-squares slopes of memory samples. */

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median: expected at least one value, got none');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface LinearFit {
  slope: number;
  intercept: number;
  /** coefficient of determination; 0 when y does not vary */
  r2: number;
}

/** Ordinary least squares y = slope·x + intercept. Needs two distinct x values. */
export function linearFit(xs: readonly number[], ys: readonly number[]): LinearFit {
  if (xs.length !== ys.length) throw new Error(`linearFit: ${xs.length} x values but ${ys.length} y values`);
  const n = xs.length;
  if (n < 2) throw new Error(`linearFit: expected at least 2 points, got ${n}`);
  let sumX = 0;
  let sumY = 0;
  for (let i = 0; i < n; i++) {
    sumX += xs[i];
    sumY += ys[i];
  }
  const meanX = sumX / n;
  const meanY = sumY / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - meanX;
    const dy = ys[i] - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) throw new Error('linearFit: all x values are equal');
  const slope = sxy / sxx;
  const r2 = syy === 0 ? 0 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept: meanY - slope * meanX, r2 };
}

/** items per second from a count and a duration in milliseconds. */
export function perSecond(items: number, ms: number): number {
  if (!(ms > 0)) throw new Error(`perSecond: duration must be positive, got ${ms} ms`);
  return (items * 1000) / ms;
}

/** The later part of a series (drops warm-up samples): at least `minKeep` points when there are that many. */
export function tail<T>(values: readonly T[], dropFraction: number, minKeep = 2): T[] {
  const drop = Math.floor(values.length * dropFraction);
  const keep = Math.max(Math.min(minKeep, values.length), values.length - drop);
  return values.slice(values.length - keep);
}
