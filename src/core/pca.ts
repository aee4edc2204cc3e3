/**
 * 2-D PCA of row vectors for the embedding map. Pure.
 * Power iteration on XᵀX without forming the D×D covariance (O(N·D) per step), with deflation
 * for the second component. Fitting uses at most `maxFitRows` evenly spaced rows; all rows are projected.
 */

export interface Pca2 {
  /** N × 2 row-major projections */
  points: Float32Array;
  /** the two unit principal directions, each length D */
  components: [Float64Array, Float64Array];
  /** variance along each component (over the fitted rows) */
  variance: [number, number];
  /** total variance of the fitted rows (the sum over all D dimensions) */
  totalVariance: number;
  /**
   * share of the total variance each component keeps, 0–1 (what the map's axes report as "% of variance
   * explained"); 0 when the rows do not vary at all
   */
  explained: [number, number];
}

export function pca2(rows: Float32Array, n: number, dim: number, maxFitRows = 2000, iterations = 100): Pca2 {
  if (rows.length < n * dim) throw new Error(`pca2: rows has ${rows.length} numbers, expected ${n}×${dim}`);
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    const o = i * dim;
    for (let d = 0; d < dim; d++) mean[d] += rows[o + d];
  }
  if (n > 0) for (let d = 0; d < dim; d++) mean[d] /= n;

  const fitCount = Math.min(n, maxFitRows);
  const fit = new Float64Array(fitCount * dim);
  let sumOfSquares = 0;
  for (let j = 0; j < fitCount; j++) {
    const i = Math.floor((j * n) / fitCount);
    for (let d = 0; d < dim; d++) {
      const centred = rows[i * dim + d] - mean[d];
      fit[j * dim + d] = centred;
      sumOfSquares += centred * centred;
    }
  }
  // the same normalisation as the components' variance, so the shares are comparable
  const totalVariance = fitCount > 1 ? sumOfSquares / (fitCount - 1) : 0;

  const first = topComponent(fit, fitCount, dim, null, iterations);
  const second = topComponent(fit, fitCount, dim, first.vector, iterations);

  const points = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    let a = 0;
    let b = 0;
    const o = i * dim;
    for (let d = 0; d < dim; d++) {
      const x = rows[o + d] - mean[d];
      a += x * first.vector[d];
      b += x * second.vector[d];
    }
    points[2 * i] = a;
    points[2 * i + 1] = b;
  }
  const share = (variance: number) => (totalVariance > 0 ? Math.min(1, variance / totalVariance) : 0);
  return {
    points,
    components: [first.vector, second.vector],
    variance: [first.variance, second.variance],
    totalVariance,
    explained: [share(first.variance), share(second.variance)],
  };
}

function topComponent(
  x: Float64Array,
  n: number,
  dim: number,
  orthogonalTo: Float64Array | null,
  iterations: number,
): { vector: Float64Array; variance: number } {
  // deterministic, not axis-aligned start so it is unlikely to be orthogonal to the answer
  let v = new Float64Array(dim);
  for (let d = 0; d < dim; d++) v[d] = 1 + ((d * 7919) % 13) / 13;
  project(v, orthogonalTo);
  normalise(v);
  const xv = new Float64Array(n);
  let eigen = 0;
  for (let it = 0; it < iterations; it++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      const o = i * dim;
      for (let d = 0; d < dim; d++) s += x[o + d] * v[d];
      xv[i] = s;
    }
    const next = new Float64Array(dim);
    for (let i = 0; i < n; i++) {
      const s = xv[i];
      const o = i * dim;
      for (let d = 0; d < dim; d++) next[d] += x[o + d] * s;
    }
    project(next, orthogonalTo);
    const norm = normalise(next);
    let change = 0;
    for (let d = 0; d < dim; d++) change += Math.abs(next[d] - v[d]);
    v = next;
    eigen = norm;
    if (norm === 0 || change < 1e-9) break;
  }
  // fix the sign so results are reproducible: largest-magnitude coordinate positive
  let argmax = 0;
  for (let d = 1; d < dim; d++) if (Math.abs(v[d]) > Math.abs(v[argmax])) argmax = d;
  if (v[argmax] < 0) for (let d = 0; d < dim; d++) v[d] = -v[d];
  return { vector: v, variance: n > 1 ? eigen / (n - 1) : 0 };
}

function project(v: Float64Array, away: Float64Array | null): void {
  if (!away) return;
  let dot = 0;
  for (let d = 0; d < v.length; d++) dot += v[d] * away[d];
  for (let d = 0; d < v.length; d++) v[d] -= dot * away[d];
}

function normalise(v: Float64Array): number {
  let s = 0;
  for (let d = 0; d < v.length; d++) s += v[d] * v[d];
  const norm = Math.sqrt(s);
  if (norm > 0) for (let d = 0; d < v.length; d++) v[d] /= norm;
  return norm;
}
