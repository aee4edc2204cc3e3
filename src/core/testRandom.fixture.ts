/** Random embeddings for tests (seeded, so failures reproduce). */
import { mulberry32 } from './random';

export function randomMatrix(rows: number, dim: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  return Float32Array.from({ length: rows * dim }, () => next() * 2 - 1);
}
