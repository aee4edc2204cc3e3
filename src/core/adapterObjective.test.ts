import { describe, expect, it } from 'vitest';
import { AdapterObjective, type AdapterParameters, zeroParameters } from './adapterObjective';
import type { AdapterTrainingData, AdapterVariant, LossWeights } from './adapterTypes';
import { mulberry32 } from './random';

const D = 5;
const T = 3;
const CLASSES = ['landbird', 'waterbird', 'seabird'];
const ATTRIBUTES = ['land', 'water'];
const N = 11;

function data(seed: number): AdapterTrainingData {
  const next = mulberry32(seed);
  const random = (length: number) => Float32Array.from({ length }, () => next() * 2 - 1);
  return {
    dim: D,
    classes: CLASSES,
    attributes: ATTRIBUTES,
    templates: ['a {}', 'b {}', 'c {}'],
    imageEmbeddings: random(N * D),
    imageClasses: Int32Array.from({ length: N }, (_, i) => i % CLASSES.length),
    // one image without an attribute: L_vs leaves it out
    imageAttributes: Int32Array.from({ length: N }, (_, i) => (i === 4 ? -1 : (i >> 1) % ATTRIBUTES.length)),
    splits: Array.from({ length: N }, () => 'train' as const),
    classText: random(T * CLASSES.length * D),
    attributeText: random(T * ATTRIBUTES.length * D),
  };
}

/** Identity plus seeded noise, in float64: a generic point where every term has a gradient. */
function parameters(seed: number): AdapterParameters {
  const next = mulberry32(seed);
  const params = zeroParameters(D, 'float64');
  for (let k = 0; k < D * D; k++) {
    params.W_v[k] = (k % (D + 1) === 0 ? 1 : 0) + 0.3 * (next() - 0.5);
    params.W_t[k] = (k % (D + 1) === 0 ? 1 : 0) + 0.3 * (next() - 0.5);
  }
  params.logScale = Math.log(1 / 0.07) - 0.8;
  return params;
}

const ONLY: Record<string, LossWeights> = {
  clip: { clip: 1, image: 0, language: 0, spurious: 0 },
  image: { clip: 0, image: 1, language: 0, spurious: 0 },
  language: { clip: 0, image: 0, language: 1, spurious: 0 },
  spurious: { clip: 0, image: 0, language: 0, spurious: 1 },
  total: { clip: 1, image: 0.7, language: 1.3, spurious: 0.9 },
};

/** Central differences in float64 against the hand-written gradient, for every entry of W_v, W_t and ℓ. */
function maxGradientError(variant: AdapterVariant, weights: LossWeights, batch: Int32Array): number {
  const objective = new AdapterObjective(data(7), variant, weights, N, 'float64');
  const params = parameters(11);
  const gradient = zeroParameters(D, 'float64');
  objective.evaluate(params, batch, gradient);
  const h = 1e-6;
  let worst = 0;
  let largest = 0;
  const compare = (analytic: number, bump: (delta: number) => void) => {
    bump(h);
    const plus = objective.evaluate(params, batch, null).total;
    bump(-2 * h);
    const minus = objective.evaluate(params, batch, null).total;
    bump(h);
    const numeric = (plus - minus) / (2 * h);
    worst = Math.max(worst, Math.abs(numeric - analytic));
    largest = Math.max(largest, Math.abs(numeric));
  };
  for (const key of ['W_v', 'W_t'] as const) {
    for (let k = 0; k < D * D; k++) {
      compare(gradient[key][k], (delta) => (params[key][k] += delta));
    }
  }
  compare(gradient.logScale, (delta) => (params.logScale += delta));
  // the check would pass vacuously on a zero gradient
  expect(largest).toBeGreaterThan(1e-3);
  return worst;
}

const ALL = Int32Array.from({ length: N }, (_, i) => i);
// a mini-batch without seabirds: the classes absent from the batch drop out of L_clip's columns
const PARTIAL = Int32Array.from([0, 1, 3, 4, 6, 7, 10]);

describe('AdapterObjective gradient (finite differences, float64)', () => {
  for (const variant of ['ls', 'vs'] as const) {
    for (const [term, weights] of Object.entries(ONLY)) {
      if (variant === 'vs' && term !== 'spurious' && term !== 'total') continue;
      it(`${variant}: ${term}`, () => {
        expect(maxGradientError(variant, weights, ALL)).toBeLessThan(1e-7);
        expect(maxGradientError(variant, weights, PARTIAL)).toBeLessThan(1e-7);
      });
    }
  }
});

// ---- the loss values against METHODS.md §4b written out literally (double loops, no closed forms)

function unit(v: number[]): number[] {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}
function times(W: ArrayLike<number>, x: ArrayLike<number>, offset: number): number[] {
  return Array.from({ length: D }, (_, i) => {
    let s = 0;
    for (let k = 0; k < D; k++) s += W[i * D + k] * x[offset + k];
    return s;
  });
}
const dot = (a: number[], b: number[]) => a.reduce((s, x, k) => s + x * b[k], 0);
const logSumExp = (xs: number[]) => {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
};

function literalLosses(variant: AdapterVariant, batch: Int32Array) {
  const input = data(7);
  const params = parameters(11);
  const C = CLASSES.length;
  const S = ATTRIBUTES.length;
  const tau = Math.exp(params.logScale);
  const f = Array.from(batch, (i) => unit(times(params.W_v, input.imageEmbeddings, i * D)));
  const y = Array.from(batch, (i) => input.imageClasses[i]);
  const t = Array.from({ length: T * C }, (_, r) => unit(times(params.W_t, input.classText, r * D)));
  const a = Array.from({ length: T * S }, (_, r) => unit(times(params.W_t, input.attributeText, r * D)));
  const tMean = Array.from({ length: C }, (_, c) =>
    Array.from({ length: D }, (_, k) => t.filter((_, r) => r % C === c).reduce((s, v) => s + v[k], 0) / T),
  );
  const B = f.length;
  const logits = f.map((fi) => y.map((yj) => tau * dot(fi, tMean[yj])));
  let rows = 0;
  let columns = 0;
  for (let i = 0; i < B; i++) {
    rows += logSumExp(logits[i]) - logits[i][i];
    columns += logSumExp(logits.map((row) => row[i])) - logits[i][i];
  }
  const clip = (0.5 * (rows + columns)) / B;
  let image = 0;
  for (let i = 0; i < B; i++) {
    for (let j = 0; j < B; j++) image += ((y[i] === y[j] ? -1 : 1) * dot(f[i], f[j])) / B;
  }
  image /= B;
  const promptLoss = (p: number) => {
    let s = 0;
    for (let q = 0; q < T * C; q++) s += ((q % C === p % C ? -1 : 1) * dot(t[p], t[q])) / (T * C);
    return s;
  };
  const classMean = (loss: (p: number) => number, c: number) =>
    Array.from({ length: T }, (_, m) => loss(m * C + c)).reduce((s, x) => s + x, 0) / T;
  const language = y.reduce((s, c) => s + classMean(promptLoss, c), 0) / B;
  let spurious: number;
  if (variant === 'ls') {
    const spuriousLoss = (p: number) => a.reduce((s, aq) => s + Math.abs(dot(t[p], aq)), 0) / (T * S);
    spurious = y.reduce((s, c) => s + classMean(spuriousLoss, c), 0) / B;
  } else {
    const means = Array.from({ length: S }, (_, s) =>
      Array.from({ length: D }, (_, k) => a.filter((_, r) => r % S === s).reduce((sum, v) => sum + v[k], 0) / T),
    );
    const frobenius = Math.sqrt(means.flat().reduce((s, x) => s + x * x, 0));
    let sum = 0;
    let labelled = 0;
    batch.forEach((i, b) => {
      const label = input.imageAttributes[i];
      if (label < 0) return;
      const z = means.map((row) => (tau * dot(f[b], row)) / frobenius);
      sum += logSumExp(z) - z[label];
      labelled++;
    });
    spurious = sum / labelled;
  }
  return { clip, image, language, spurious };
}

describe('AdapterObjective loss values', () => {
  for (const variant of ['ls', 'vs'] as const) {
    for (const [name, batch] of [
      ['full batch', ALL],
      ['a batch missing a class', PARTIAL],
    ] as const) {
      it(`${variant}, ${name}: each term equals METHODS §4b's formula evaluated literally`, () => {
        const objective = new AdapterObjective(data(7), variant, ONLY.total, N, 'float64');
        const terms = objective.evaluate(parameters(11), batch, null);
        const literal = literalLosses(variant, batch);
        expect(terms.clip).toBeCloseTo(literal.clip, 10);
        expect(terms.image).toBeCloseTo(literal.image, 10);
        expect(terms.language).toBeCloseTo(literal.language, 10);
        expect(terms.spurious).toBeCloseTo(literal.spurious, 10);
        const w = ONLY.total;
        expect(terms.total).toBeCloseTo(
          w.clip * literal.clip +
            w.image * literal.image +
            w.language * literal.language +
            w.spurious * literal.spurious,
          10,
        );
      });
    }
  }
});
