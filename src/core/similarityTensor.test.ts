import { describe, expect, it } from 'vitest';
import { HAND } from './handCase.fixture';
import { extendSimilarityTensor, similarityTensor, textGram } from './similarityTensor';
import { randomMatrix } from './testRandom.fixture';

/** Straightforward cosine: normalise both, dot (the definition, no blocking). */
function cosine(a: Float32Array, ai: number, b: Float32Array, bi: number, dim: number): number {
  let dot = 0,
    na = 0,
    nb = 0;
  for (let d = 0; d < dim; d++) {
    dot += a[ai * dim + d] * b[bi * dim + d];
    na += a[ai * dim + d] ** 2;
    nb += b[bi * dim + d] ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

describe('similarityTensor', () => {
  it('matches the hand case', () => {
    const t = similarityTensor({ imageEmbeddings: HAND.images, n: 2, textEmbeddings: HAND.text, m: 2, c: 2, dim: 2 });
    const expected = [0.8, 0.6, 0.8, 0.96, 0.6, 0.8, 0.6, 1.0];
    expected.forEach((v, j) => expect(t.values[j]).toBeCloseTo(v, 6));
  });

  it('equals normalised dot products for every (image, template, class), including the block remainders', () => {
    const n = 7,
      m = 3,
      c = 3,
      dim = 5; // n % 4 and (m·c) % 2 both non-zero
    const images = randomMatrix(n, dim, 1);
    const text = randomMatrix(m * c, dim, 2);
    const t = similarityTensor({ imageEmbeddings: images, n, textEmbeddings: text, m, c, dim });
    expect(t.values).toHaveLength(n * m * c);
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < m * c; r++) expect(t.values[i * m * c + r]).toBeCloseTo(cosine(images, i, text, r, dim), 6);
    }
  });

  it('is invariant to scaling the inputs', () => {
    const n = 5,
      m = 2,
      c = 2,
      dim = 4;
    const images = randomMatrix(n, dim, 3);
    const text = randomMatrix(m * c, dim, 4);
    const base = similarityTensor({ imageEmbeddings: images, n, textEmbeddings: text, m, c, dim });
    const scaled = similarityTensor({
      imageEmbeddings: images.map((x) => x * 37.5),
      n,
      textEmbeddings: text.map((x) => x * 0.01),
      m,
      c,
      dim,
    });
    base.values.forEach((v, j) => expect(scaled.values[j]).toBeCloseTo(v, 6));
  });

  it('extends with new batches, keeping old rows and matching a one-shot build', () => {
    const n = 11,
      m = 4,
      c = 2,
      dim = 6;
    const images = randomMatrix(n, dim, 5);
    const text = randomMatrix(m * c, dim, 6);
    const whole = similarityTensor({ imageEmbeddings: images, n, textEmbeddings: text, m, c, dim });
    let streamed = similarityTensor({ imageEmbeddings: new Float32Array(0), n: 0, textEmbeddings: text, m, c, dim });
    for (const [from, to] of [
      [0, 3],
      [3, 4],
      [4, 11],
    ]) {
      const before = streamed.values.slice();
      streamed = extendSimilarityTensor(streamed, images.slice(from * dim, to * dim), to - from);
      expect(Array.from(streamed.values.subarray(0, before.length))).toEqual(Array.from(before));
    }
    expect(streamed.n).toBe(n);
    expect(Array.from(streamed.values)).toEqual(Array.from(whole.values));
  });

  it('rejects inputs shorter than their stated shape, naming the field', () => {
    expect(() =>
      similarityTensor({ imageEmbeddings: new Float32Array(3), n: 2, textEmbeddings: HAND.text, m: 2, c: 2, dim: 2 }),
    ).toThrow(/^imageEmbeddings: expected at least 4 floats, got 3/);
    expect(() =>
      similarityTensor({ imageEmbeddings: HAND.images, n: 2, textEmbeddings: HAND.text, m: 3, c: 2, dim: 2 }),
    ).toThrow(/^textEmbeddings:/);
  });

  it('builds per-class Gram matrices of the unit text vectors', () => {
    const t = similarityTensor({ imageEmbeddings: HAND.images, n: 2, textEmbeddings: HAND.text, m: 2, c: 2, dim: 2 });
    const g = textGram(t);
    // (t·M + t')·C + c
    expect(g[(0 * 2 + 1) * 2 + 0]).toBeCloseTo(1, 9); // u[0][c0]·u[1][c0] = (1,0)·(1,0)
    expect(g[(0 * 2 + 1) * 2 + 1]).toBeCloseTo(0.8, 6); // (0,1)·(0.6,0.8)
    expect(g[(1 * 2 + 0) * 2 + 1]).toBeCloseTo(0.8, 6);
    expect(g[(1 * 2 + 1) * 2 + 1]).toBeCloseTo(1, 6);
  });
});
