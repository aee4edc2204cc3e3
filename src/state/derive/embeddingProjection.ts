/**
 * The embedding map's PCA, memoised per embedding store and image count: a bundle's projection is computed once
 * in the bundle worker (it takes about a second at 100,000 images) and handed over with primeProjection.
 */
import { type Pca2, pca2 } from '../../core/pca';

const projections = new WeakMap<Float32Array, Map<string, Pca2>>();

const keyOf = (n: number, dim: number) => `${n}×${dim}`;

export function projectionOf(embeddings: Float32Array, n: number, dim: number): Pca2 {
  let byShape = projections.get(embeddings);
  if (!byShape) {
    byShape = new Map();
    projections.set(embeddings, byShape);
  }
  let projection = byShape.get(keyOf(n, dim));
  if (!projection) {
    projection = pca2(embeddings, n, dim);
    byShape.set(keyOf(n, dim), projection);
  }
  return projection;
}

/** Records a projection computed elsewhere (the bundle worker) for these embeddings. */
export function primeProjection(embeddings: Float32Array, n: number, dim: number, projection: Pca2): void {
  const byShape = projections.get(embeddings) ?? new Map<string, Pca2>();
  byShape.set(keyOf(n, dim), projection);
  projections.set(embeddings, byShape);
}
