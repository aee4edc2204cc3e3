import { describe, expect, it } from 'vitest';
import { buildAnalysis, extendAnalysis } from './analysis';
import { HAND, SQRT_3_6 } from './handCase.fixture';
import { runGroupPrompt, runMethod } from './methods';
import { extendSimilarityTensor, similarityTensor } from './similarityTensor';
import { randomMatrix } from './testRandom.fixture';
import type { Aggregate, MethodResult } from './types';

function handAnalysis(scaleImages = 1, scaleText = 1, templates?: number[]) {
  const tensor = similarityTensor({
    imageEmbeddings: HAND.images.map((x) => x * scaleImages),
    n: HAND.n,
    textEmbeddings: HAND.text.map((x) => x * scaleText),
    m: HAND.m,
    c: HAND.c,
    dim: HAND.dim,
  });
  return buildAnalysis(tensor, { templates });
}

function row(result: MethodResult, i: number, c = 2): number[] {
  return Array.from(result.scores.subarray(i * c, (i + 1) * c));
}

function expectClose(actual: number[], expected: number[], digits = 6): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, j) => expect(v).toBeCloseTo(expected[j], digits));
}

describe('methods on the hand case (see handCase.fixture.ts for the arithmetic)', () => {
  const analysis = handAnalysis();

  it('computes per-image separation over the full pool', () => {
    expectClose(Array.from(analysis.separation), [0.2, 0.16, 0.2, 0.4]);
  });

  it('sage K=1 picks the template with the larger separation per image', () => {
    const r = runMethod(analysis, { method: 'sage', k: 1, aggregate: 'embedding' });
    expect(Array.from(r.selected)).toEqual([0, 1]);
    expect(Array.from(r.predicted)).toEqual([0, 1]);
    expectClose(row(r, 0), [0.8, 0.6]);
    expectClose(row(r, 1), [0.6, 1.0]);
  });

  it('sage K=2 ranks best-first and the two aggregates differ as worked out', () => {
    const byEmbedding = runMethod(analysis, { method: 'sage', k: 2, aggregate: 'embedding' });
    expect(Array.from(byEmbedding.selected)).toEqual([0, 1, 1, 0]);
    expect(Array.from(byEmbedding.predicted)).toEqual([1, 1]);
    expectClose(row(byEmbedding, 0), [0.8, (0.48 + 1.08) / SQRT_3_6]);
    expectClose(row(byEmbedding, 1), [0.6, (0.36 + 1.44) / SQRT_3_6]);
    const byScore = runMethod(analysis, { method: 'sage', k: 2, aggregate: 'score' });
    expect(Array.from(byScore.predicted)).toEqual([0, 1]);
    expectClose(row(byScore, 0), [0.8, 0.78]);
    expectClose(row(byScore, 1), [0.6, 0.9]);
  });

  it('zeroshot reads one template column and reports it as selected', () => {
    const r = runMethod(analysis, { method: 'zeroshot', template: 1 });
    expect(Array.from(r.predicted)).toEqual([1, 1]);
    expect(Array.from(r.selected)).toEqual([1, 1]);
    expect(r.kSelected).toBe(1);
    expectClose(row(r, 0), [0.8, 0.96]);
    const t0 = runMethod(analysis, { method: 'zeroshot', template: 0 });
    expect(Array.from(t0.predicted)).toEqual([0, 1]);
  });

  it('ensemble averages all templates, both aggregates', () => {
    const e = runMethod(analysis, { method: 'ensemble', aggregate: 'embedding' });
    expect(Array.from(e.predicted)).toEqual([1, 1]);
    expect(e.kSelected).toBe(0);
    expectClose(row(e, 0), [0.8, (0.48 + 1.08) / SQRT_3_6]);
    const s = runMethod(analysis, { method: 'ensemble', aggregate: 'score' });
    expect(Array.from(s.predicted)).toEqual([0, 1]);
    expectClose(row(s, 0), [0.8, 0.78]);
  });

  it('random K=1 selects a pool template and scores with its column', () => {
    const r = runMethod(analysis, { method: 'random', k: 1, seed: 7, aggregate: 'embedding' });
    for (let i = 0; i < 2; i++) {
      const t = r.selected[i];
      expect([0, 1]).toContain(t);
      expectClose(row(r, i), Array.from(analysis.tensor.values.subarray((i * 2 + t) * 2, (i * 2 + t) * 2 + 2)));
    }
  });

  it('restricting the pool to one template makes SAGE equal zero-shot with it', () => {
    const only1 = handAnalysis(1, 1, [1]);
    const r = runMethod(only1, { method: 'sage', k: 1, aggregate: 'embedding' });
    expect(Array.from(r.selected)).toEqual([1, 1]);
    expect(Array.from(r.predicted)).toEqual([1, 1]);
  });

  it('is invariant to scaling images and text', () => {
    const scaled = handAnalysis(12.5, 0.03);
    for (const aggregate of ['embedding', 'score'] as const) {
      const a = runMethod(analysis, { method: 'sage', k: 2, aggregate });
      const b = runMethod(scaled, { method: 'sage', k: 2, aggregate });
      expect(Array.from(b.predicted)).toEqual(Array.from(a.predicted));
      expectClose(Array.from(b.scores), Array.from(a.scores));
    }
  });

  it('breaks separation ties towards the lower template index', () => {
    // templates 0 and 2 identical, template 1 weaker: both images rank [0, 2, 1]
    const text = Float32Array.from([1, 0, 0, 1, 0.9, 0.1, 0.8, 0.2, 1, 0, 0, 1]);
    const tensor = similarityTensor({ imageEmbeddings: HAND.images, n: 2, textEmbeddings: text, m: 3, c: 2, dim: 2 });
    const r = runMethod(buildAnalysis(tensor), { method: 'sage', k: 3, aggregate: 'score' });
    expect(Array.from(r.selected)).toEqual([0, 2, 1, 0, 2, 1]);
  });

  it('rejects K, template, seed and aggregate out of range, naming the field', () => {
    expect(() => runMethod(analysis, { method: 'sage', k: 0, aggregate: 'embedding' })).toThrow(
      /^k: expected an integer in 1\.\.2/,
    );
    expect(() => runMethod(analysis, { method: 'sage', k: 3, aggregate: 'embedding' })).toThrow(/^k:/);
    expect(() => runMethod(analysis, { method: 'random', k: 1.5, seed: 1, aggregate: 'score' })).toThrow(/^k:/);
    expect(() => runMethod(analysis, { method: 'random', k: 1, seed: 0.5, aggregate: 'score' })).toThrow(/^seed:/);
    expect(() => runMethod(analysis, { method: 'zeroshot', template: 2 })).toThrow(/^template:/);
    expect(() => runMethod(analysis, { method: 'sage', k: 1, aggregate: 'mean' as Aggregate })).toThrow(/^aggregate:/);
    expect(() => runMethod(analysis, { method: 'groupprompt' })).toThrow(/^method: groupprompt needs/);
    expect(() => handAnalysis(1, 1, [0, 0])).toThrow(/^templates\[1\]: template 0 is listed twice/);
    expect(() => handAnalysis(1, 1, [5])).toThrow(/^templates\[0\]:/);
  });
});

describe('groupprompt', () => {
  it('predicts the class of the best prompt, class score = max over its prompts', () => {
    // prompts: c0 → (1,0) and (0.6,0.8); c1 → (0,1). Image A (0.8,0.6): c0 max(0.8, 0.96) = 0.96, c1 0.6 → c0.
    // Image B (0.6,0.8): c0 max(0.6, 1.0) = 1.0, c1 0.8 → c0.  Image C (0,2): c0 max(0, 0.8), c1 1 → c1.
    const images = Float32Array.from([0.8, 0.6, 0.6, 0.8, 0, 2]);
    const prompts = { classIndices: [0, 1, 0], embeddings: Float32Array.from([2, 0, 0, 3, 0.6, 0.8]) };
    const r = runGroupPrompt(images, 3, 2, 2, prompts);
    expect(Array.from(r.predicted)).toEqual([0, 0, 1]);
    expectClose(Array.from(r.scores), [0.96, 0.6, 1.0, 0.8, 0.8, 1.0]);
    expect(r.config).toEqual({ method: 'groupprompt' });
  });

  it('needs a prompt for every class', () => {
    const prompts = { classIndices: [0, 0], embeddings: Float32Array.from([1, 0, 0, 1]) };
    expect(() => runGroupPrompt(HAND.images, 2, 2, 2, prompts)).toThrow(/^groupPrompts: class 1 has no group prompt/);
    const bad = { classIndices: [0, 2], embeddings: Float32Array.from([1, 0, 0, 1]) };
    expect(() => runGroupPrompt(HAND.images, 2, 2, 2, bad)).toThrow(/^groupPrompts\[1\]\.class/);
  });
});

/**
 * Independent reference, written directly from SPEC §2 without the tensor, the Gram matrices or prefix tables:
 * normalise v and every u, sep = range over classes, stable sort by sep desc, w[c] = normalize(mean of selected u),
 * score = v·w[c] ("embedding") or mean of v·u ("score").
 */
function referenceSage(
  images: Float32Array,
  n: number,
  text: Float32Array,
  m: number,
  c: number,
  dim: number,
  k: number,
  aggregate: Aggregate,
): { predicted: number[]; scores: number[]; selected: number[] } {
  const unit = (data: Float32Array, r: number) => {
    const v = Array.from(data.subarray(r * dim, (r + 1) * dim));
    const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    return v.map((x) => x / norm);
  };
  const dot = (a: number[], b: number[]) => a.reduce((s, x, d) => s + x * b[d], 0);
  const u = Array.from({ length: m * c }, (_, r) => unit(text, r));
  const predicted: number[] = [];
  const scores: number[] = [];
  const selected: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = unit(images, i);
    const s = (t: number, cls: number) => dot(v, u[t * c + cls]);
    const sep = Array.from({ length: m }, (_, t) => {
      const row = Array.from({ length: c }, (_, cls) => s(t, cls));
      return Math.max(...row) - Math.min(...row);
    });
    const chosen = Array.from({ length: m }, (_, t) => t)
      .sort((a, b) => sep[b] - sep[a] || a - b)
      .slice(0, k);
    selected.push(...chosen);
    const row = Array.from({ length: c }, (_, cls) => {
      if (aggregate === 'score') return chosen.reduce((acc, t) => acc + s(t, cls), 0) / k;
      const mean = new Array<number>(dim).fill(0);
      for (const t of chosen) u[t * c + cls].forEach((x, d) => (mean[d] += x / k));
      const norm = Math.sqrt(dot(mean, mean));
      return dot(
        v,
        mean.map((x) => x / norm),
      );
    });
    scores.push(...row);
    predicted.push(row.indexOf(Math.max(...row)));
  }
  return { predicted, scores, selected };
}

describe('fast path vs the SPEC §2 reference on random data', () => {
  const n = 60,
    m = 12,
    c = 4,
    dim = 16;
  const images = randomMatrix(n, dim, 11).map((x) => x * 3);
  const text = randomMatrix(m * c, dim, 12);
  const analysis = buildAnalysis(similarityTensor({ imageEmbeddings: images, n, textEmbeddings: text, m, c, dim }));

  for (const aggregate of ['embedding', 'score'] as const) {
    for (const k of [1, 2, 3, 7, 12]) {
      it(`sage K=${k}, aggregate ${aggregate}`, () => {
        const fast = runMethod(analysis, { method: 'sage', k, aggregate });
        const ref = referenceSage(images, n, text, m, c, dim, k, aggregate);
        expect(Array.from(fast.selected)).toEqual(ref.selected);
        expect(Array.from(fast.predicted)).toEqual(ref.predicted);
        Array.from(fast.scores).forEach((v, j) => expect(Math.abs(v - ref.scores[j])).toBeLessThan(1e-5));
      });
    }
  }

  it('SAGE at K = M equals the ensemble (predictions; scores within 1e-5), both aggregates', () => {
    for (const aggregate of ['embedding', 'score'] as const) {
      const sage = runMethod(analysis, { method: 'sage', k: m, aggregate });
      const ensemble = runMethod(analysis, { method: 'ensemble', aggregate });
      expect(Array.from(sage.predicted)).toEqual(Array.from(ensemble.predicted));
      Array.from(sage.scores).forEach((v, j) => expect(Math.abs(v - ensemble.scores[j])).toBeLessThan(1e-5));
    }
  });

  it('the aggregates coincide at K = 1 (and differ somewhere at K = 3)', () => {
    const a = runMethod(analysis, { method: 'sage', k: 1, aggregate: 'embedding' });
    const b = runMethod(analysis, { method: 'sage', k: 1, aggregate: 'score' });
    expect(Array.from(a.predicted)).toEqual(Array.from(b.predicted));
    Array.from(a.scores).forEach((v, j) => expect(Math.abs(v - b.scores[j])).toBeLessThan(1e-6));
    const a3 = runMethod(analysis, { method: 'sage', k: 3, aggregate: 'embedding' });
    const b3 = runMethod(analysis, { method: 'sage', k: 3, aggregate: 'score' });
    expect(Array.from(a3.scores)).not.toEqual(Array.from(b3.scores));
  });

  it('random: per-image permutations, reproducible per seed, K = M equals the ensemble', () => {
    const r1 = runMethod(analysis, { method: 'random', k: 5, seed: 42, aggregate: 'embedding' });
    const again = runMethod(analysis, { method: 'random', k: 5, seed: 42, aggregate: 'embedding' });
    const other = runMethod(analysis, { method: 'random', k: 5, seed: 43, aggregate: 'embedding' });
    expect(Array.from(again.selected)).toEqual(Array.from(r1.selected));
    expect(Array.from(other.selected)).not.toEqual(Array.from(r1.selected));
    for (let i = 0; i < n; i++) {
      const chosen = Array.from(r1.selected.subarray(i * 5, i * 5 + 5));
      expect(new Set(chosen).size).toBe(5);
      // the reference scores for exactly these templates
      const u = (t: number, cls: number) => analysis.tensor.values[(i * m + t) * c + cls];
      for (let cls = 0; cls < c; cls++) {
        let normSq = 0;
        for (const t of chosen) for (const t2 of chosen) normSq += analysis.gram[(t * m + t2) * c + cls];
        const expected = chosen.reduce((acc, t) => acc + u(t, cls), 0) / Math.sqrt(normSq);
        expect(Math.abs(r1.scores[i * c + cls] - expected)).toBeLessThan(1e-5);
      }
    }
    const all = runMethod(analysis, { method: 'random', k: m, seed: 1, aggregate: 'embedding' });
    const ensemble = runMethod(analysis, { method: 'ensemble', aggregate: 'embedding' });
    expect(Array.from(all.predicted)).toEqual(Array.from(ensemble.predicted));
  });

  it('a template subset restricts SAGE to it and K to its size', () => {
    const subset = [1, 4, 5, 9];
    const sub = buildAnalysis(analysis.tensor, { templates: [9, 4, 1, 5] });
    expect(Array.from(sub.pool)).toEqual(subset);
    const r = runMethod(sub, { method: 'sage', k: 2, aggregate: 'score' });
    for (let i = 0; i < n; i++) {
      const sep = subset.map((t) => analysis.separation[i * m + t]);
      const ranked = subset.map((t, j) => ({ t, s: sep[j] })).sort((a, b) => b.s - a.s || a.t - b.t);
      expect(Array.from(r.selected.subarray(i * 2, i * 2 + 2))).toEqual([ranked[0].t, ranked[1].t]);
    }
    expect(() => runMethod(sub, { method: 'sage', k: 5, aggregate: 'score' })).toThrow(
      /^k: expected an integer in 1\.\.4/,
    );
  });
});

describe('top-K is a prefix of one ranking per image (a K change re-selects nothing)', () => {
  // templates 4–7 repeat templates 0–3 exactly, and 8 repeats 2: every image has exact separation ties, which
  // SPEC §2 breaks towards the lower template index
  const n = 40,
    c = 3,
    dim = 10,
    distinct = 4;
  const base = randomMatrix(distinct * c, dim, 31);
  const text = new Float32Array(9 * c * dim);
  const source = [0, 1, 2, 3, 0, 1, 2, 3, 2];
  source.forEach((t, to) => text.set(base.subarray(t * c * dim, (t + 1) * c * dim), to * c * dim));
  const m = source.length;
  const images = randomMatrix(n, dim, 32);
  const analysis = buildAnalysis(similarityTensor({ imageEmbeddings: images, n, textEmbeddings: text, m, c, dim }));

  for (const aggregate of ['embedding', 'score'] as const) {
    it(`equals selecting from scratch at every K, ties to the lower index (aggregate ${aggregate})`, () => {
      let previous: MethodResult | null = null;
      for (let k = 1; k <= m; k++) {
        const fast = runMethod(analysis, { method: 'sage', k, aggregate });
        const ref = referenceSage(images, n, text, m, c, dim, k, aggregate);
        expect(Array.from(fast.selected)).toEqual(ref.selected);
        expect(Array.from(fast.predicted)).toEqual(ref.predicted);
        Array.from(fast.scores).forEach((v, j) => expect(Math.abs(v - ref.scores[j])).toBeLessThan(1e-5));
        for (let i = 0; i < n; i++) {
          const picks = Array.from(fast.selected.subarray(i * k, (i + 1) * k));
          // a duplicate is picked only after the template it repeats
          for (const [copy, original] of source.entries()) {
            if (copy !== original && picks.includes(copy)) expect(picks).toContain(original);
          }
          if (previous)
            expect(picks.slice(0, k - 1)).toEqual(
              Array.from(previous.selected.subarray(i * (k - 1), (i + 1) * (k - 1))),
            );
        }
        previous = fast;
      }
    });
  }
});

describe('extendAnalysis (streaming batches)', () => {
  it('equals a one-shot build: separation, SAGE tables, random tables', () => {
    const n = 23,
      m = 6,
      c = 3,
      dim = 5;
    const images = randomMatrix(n, dim, 21);
    const text = randomMatrix(m * c, dim, 22);
    const whole = buildAnalysis(similarityTensor({ imageEmbeddings: images, n, textEmbeddings: text, m, c, dim }), {
      templates: [0, 2, 3, 5],
    });
    let tensor = extendSimilarityTensor(
      similarityTensor({ imageEmbeddings: new Float32Array(0), n: 0, textEmbeddings: text, m, c, dim }),
      images.subarray(0, 10 * dim),
      10,
    );
    let streamed = buildAnalysis(tensor, { templates: [0, 2, 3, 5] });
    for (const [from, to] of [
      [10, 11],
      [11, 23],
    ]) {
      tensor = extendSimilarityTensor(tensor, images.subarray(from * dim, to * dim), to - from);
      streamed = extendAnalysis(streamed, tensor);
    }
    expect(streamed.n).toBe(n);
    expect(Array.from(streamed.separation)).toEqual(Array.from(whole.separation));
    expect(Array.from(streamed.sage.order)).toEqual(Array.from(whole.sage.order));
    expect(Array.from(streamed.sage.scoreSums)).toEqual(Array.from(whole.sage.scoreSums));
    expect(Array.from(streamed.sage.invNorms)).toEqual(Array.from(whole.sage.invNorms));
    expect(Array.from(streamed.randomTables(5).order)).toEqual(Array.from(whole.randomTables(5).order));
    const other = similarityTensor({ imageEmbeddings: images, n, textEmbeddings: text, m, c, dim });
    expect(() => extendAnalysis(streamed, other)).toThrow(/^tensor: is not an extension/);
  });
});
