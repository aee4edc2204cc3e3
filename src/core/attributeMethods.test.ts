import { describe, expect, it } from 'vitest';
import {
  type AttributeMethodInput,
  MissingPromptError,
  debiasTextRows,
  imageAttributeIndices,
  promptsNeeded,
  pseudoAttributeAccuracy,
  runAttributeMethod,
  validatePhrasings,
} from './attributeMethods';
import { ConfigError } from './errors';
import { methodConfig } from './methodConfig';
import type { AttributeMethodConfig, ImageRecord } from './types';

const f32 = (...values: number[]) => Float32Array.from(values);

function lookup(entries: Record<string, number[]>) {
  const map = new Map(Object.entries(entries).map(([text, v]) => [text, Float32Array.from(v)]));
  return (text: string) => map.get(text);
}

function input(partial: Partial<AttributeMethodInput> & Pick<AttributeMethodInput, 'dim' | 'n'>): AttributeMethodInput {
  return {
    imageEmbeddings: new Float32Array(partial.n * partial.dim),
    classes: ['c0', 'c1'],
    classWeights: new Float32Array(2 * partial.dim),
    attributes: ['land', 'water'],
    prompts: () => undefined,
    ...partial,
  };
}

const close = (values: ArrayLike<number>, digits = 5) => Array.from(values).map((v) => expect.closeTo(v, digits));

const ROBOSHOT: AttributeMethodConfig = { method: 'roboshot', template: 0, phrasings: ['{}'], accept: [] };
const TIESTAR: AttributeMethodConfig = { method: 'tiestar', template: 0, phrasings: ['{}'] };
const TIE: AttributeMethodConfig = { method: 'tie', template: 0, phrasings: ['{}'] };
const PATTERN = '{class} on {attribute}';
const ORTHPROJ: AttributeMethodConfig = {
  method: 'orthproj',
  template: 0,
  phrasings: ['{}'],
  groupPromptPattern: PATTERN,
};
const ORTHCALI: AttributeMethodConfig = { ...ORTHPROJ, method: 'orthcali', lambda: 1000 };

describe('roboshot, worked by hand in 3-D', () => {
  // T(land) = e3, T(water) = e2 → one reject direction q = (0, −1, 1)/√2.
  // x = (0.6, 0.8, 0): x·q = −0.8/√2, x − (x·q)q = (0.6, 0.4, 0.4), ‖·‖ = √0.68.
  // w0 = e1, w1 = e2 → scores (0.6, 0.4)/√0.68; zero-shot would say class 1 (0.8 > 0.6).
  const base = input({
    n: 1,
    dim: 3,
    imageEmbeddings: f32(0.6, 0.8, 0),
    classWeights: f32(1, 0, 0, 0, 1, 0),
    prompts: lookup({ land: [0, 0, 1], water: [0, 1, 0], 'webbed feet': [1, 0, 0], talons: [0, 1, 0] }),
  });

  it('rejects the land–water direction', () => {
    const result = runAttributeMethod(base, ROBOSHOT);
    expect(Array.from(result.scores)).toEqual(close([0.6 / Math.sqrt(0.68), 0.4 / Math.sqrt(0.68)]));
    expect(Array.from(result.predicted)).toEqual([0]);
    expect(result.parameters).toMatchObject({ rejectPairs: 1, rejectDirections: 1, acceptDirections: 0 });
    expect(result.kSelected).toBe(0);
  });

  it('then amplifies an accept direction: q_A = (1, −1, 0)/√2 → x″ ∝ (0.6,0.4,0.4) + 0.1·(1,−1,0) = (0.7,0.3,0.4)', () => {
    const result = runAttributeMethod(base, { ...ROBOSHOT, accept: [['webbed feet', 'talons']] });
    expect(Array.from(result.scores)).toEqual(close([0.7 / Math.sqrt(0.74), 0.3 / Math.sqrt(0.74)]));
    expect(result.parameters).toMatchObject({ acceptDirections: 1, accept: ['webbed feet | talons'] });
  });

  it('averages the phrasings of a word: f(a) = n(mean of unit T(F(a)))', () => {
    // f(land) = n(e1 + e2) (the second embedding is not unit: it is normalised first), f(water) = e3
    // v = (1/√2, 1/√2, −1), q = (0.5, 0.5, −1/√2); x = e1 → x − 0.5q = (0.75, −0.25, 0.3536), ‖·‖² = 0.75
    const result = runAttributeMethod(
      {
        ...base,
        imageEmbeddings: f32(1, 0, 0),
        prompts: lookup({
          land: [1, 0, 0],
          'a photo of land.': [0, 2, 0],
          water: [0, 0, 1],
          'a photo of water.': [0, 0, 3],
        }),
      },
      { ...ROBOSHOT, phrasings: ['{}', 'a photo of {}.'] },
    );
    expect(Array.from(result.scores)).toEqual(close([0.75 / Math.sqrt(0.75), -0.25 / Math.sqrt(0.75)]));
  });

  it('with one attribute word there is nothing to reject: scores are the zero-shot cosines', () => {
    const result = runAttributeMethod({ ...base, attributes: ['land'] }, ROBOSHOT);
    expect(result.parameters).toMatchObject({ rejectPairs: 0, rejectDirections: 0 });
    expect(Array.from(result.scores)).toEqual(close([0.6, 0.8]));
    expect(Array.from(result.predicted)).toEqual([1]);
  });

  it('drops the direction of words with identical phrase vectors, and the dependent third difference', () => {
    const same = runAttributeMethod(
      { ...base, attributes: ['land', 'soil'], prompts: lookup({ land: [0, 0, 1], soil: [0, 0, 2] }) },
      ROBOSHOT,
    );
    expect(same.parameters).toMatchObject({ rejectPairs: 1, rejectDirections: 0 });
    expect(Array.from(same.scores)).toEqual(close([0.6, 0.8]));
    const three = runAttributeMethod(
      {
        ...base,
        attributes: ['land', 'water', 'snow'],
        prompts: lookup({ land: [0, 0, 1], water: [0, 1, 0], snow: [1, 1, 1] }),
      },
      ROBOSHOT,
    );
    // f_land − f_water, f_land − f_snow, f_water − f_snow: the third is the difference of the first two
    expect(three.parameters).toMatchObject({ rejectPairs: 3, rejectDirections: 2 });
  });
});

describe('tiestar and tie, worked by hand in 2-D', () => {
  // t_land = e1, t_water = e2, t_snow = (−0.6, −0.8) (nearest to no image). w0 = e1, w1 = e2 (given unscaled).
  const prompts = lookup({ land: [1, 0], water: [0, 1], snow: [-0.6, -0.8] });
  const common = {
    dim: 2,
    classWeights: f32(2, 0, 0, 3),
    attributes: ['land', 'water', 'snow'],
    prompts,
  };

  it('tiestar: ŝ by argmax, α_s over the images with ŝ = s, x′ = n(x − α_ŝ t_ŝ)', () => {
    // A (0.8,0.6) → land 0.8; B (0.6,0.8) → water 0.8; C (2,0) → land 1. α_land = 0.9, α_water = 0.8, α_snow: none.
    // A → n(−0.1, 0.6); B → n(0.6, 0) = e1; C → n(0.1, 0) = e1.
    const result = runAttributeMethod(
      input({ ...common, n: 3, imageEmbeddings: f32(0.8, 0.6, 0.6, 0.8, 2, 0) }),
      TIESTAR,
    );
    expect(Array.from(result.pseudoAttribute ?? [])).toEqual([0, 1, 0]);
    const r = Math.sqrt(0.37);
    expect(Array.from(result.scores)).toEqual(close([-0.1 / r, 0.6 / r, 1, 0, 1, 0]));
    expect(Array.from(result.predicted)).toEqual([1, 0, 0]);
    const alpha = result.parameters.alpha as number[];
    expect(alpha[0]).toBeCloseTo(0.9, 6);
    expect(alpha[1]).toBeCloseTo(0.8, 6);
    expect(alpha[2]).toBeNaN(); // the empty pseudo-attribute class: no α, and no NaN anywhere else
    expect(result.parameters.imagesPerAttribute).toEqual([2, 1, 0]);
    expect(result.scores.every(Number.isFinite)).toBe(true);
  });

  it('tie: the true attribute for α and the translation; an unknown attribute leaves the image as it is', () => {
    // A (0.8,0.6) water, B (0.6,0.8) water, C (0.8,0.6) land, D (0.6,0.8) unknown.
    // α_water = (0.6 + 0.8)/2 = 0.7, α_land = 0.8. A → n(0.8, −0.1); B → n(0.6, 0.1); C → n(0, 0.6) = e2; D unchanged.
    const result = runAttributeMethod(
      input({
        ...common,
        n: 4,
        imageEmbeddings: f32(0.8, 0.6, 0.6, 0.8, 0.8, 0.6, 0.6, 0.8),
        imageAttributes: Int32Array.from([1, 1, 0, -1]),
      }),
      TIE,
    );
    const a = Math.sqrt(0.65);
    const b = Math.sqrt(0.37);
    expect(Array.from(result.scores)).toEqual(close([0.8 / a, -0.1 / a, 0.6 / b, 0.1 / b, 0, 1, 0.6, 0.8]));
    expect(Array.from(result.predicted)).toEqual([0, 0, 1, 1]);
    expect(Array.from(result.pseudoAttribute ?? [])).toEqual([1, 1, 0, -1]);
    expect(result.parameters).toMatchObject({ imagesPerAttribute: [1, 2, 0], unlabelledImages: 1 });
    expect((result.parameters.alpha as number[]).slice(0, 2)).toEqual(close([0.8, 0.7], 6));
  });

  it('tie refuses to run without the labels it needs', () => {
    expect(() => runAttributeMethod(input({ ...common, n: 1, imageEmbeddings: f32(1, 0) }), TIE)).toThrow(
      /attribute label/,
    );
    expect(() =>
      runAttributeMethod(
        input({ ...common, n: 1, imageEmbeddings: f32(1, 0), imageAttributes: Int32Array.from([3]) }),
        TIE,
      ),
    ).toThrow(/image 1 has attribute index 3/);
  });
});

describe('orthproj and orthcali, worked by hand in 4-D', () => {
  // f(land) = e4, f(water) = −e4 → U = {e4} (water adds no direction). P0 removes e4.
  // Group prompts differ only along e3 within each class: D = [1.6·e3, 1.6·e3], m = 2, M = 2.56·e3e3ᵀ,
  // so (I + λM)⁻¹ divides the e3 component by 1 + 2.56λ.
  // w0 = (0.48, 0, 0.64, 0.6), w1 = (0, 0.6, 0.8, 0); x = (0.6, 0.48, 0.64, 0).
  const base = input({
    n: 1,
    dim: 4,
    imageEmbeddings: f32(0.6, 0.48, 0.64, 0),
    classWeights: f32(0.48, 0, 0.64, 0.6, 0, 0.6, 0.8, 0),
    prompts: lookup({
      land: [0, 0, 0, 1],
      water: [0, 0, 0, -1],
      'c0 on land': [0.6, 0, 0.8, 0],
      'c0 on water': [0.6, 0, -0.8, 0],
      'c1 on land': [0, 0.6, 0.8, 0],
      'c1 on water': [0, 0.6, -0.8, 0],
    }),
  });

  it('orthproj (λ = 0): w0′ = n(0.48, 0, 0.64, 0) = (0.6, 0, 0.8, 0), w1′ = w1 → 0.872 vs 0.8', () => {
    const result = runAttributeMethod(base, ORTHPROJ);
    expect(Array.from(result.scores)).toEqual(close([0.872, 0.8]));
    expect(Array.from(result.predicted)).toEqual([0]); // zero-shot: 0.6976 vs 0.8 → class 1
    expect(result.parameters).toMatchObject({ basisSize: 1, pairs: 2, lambda: 0 });
  });

  it('orthcali (λ = 1000): the Woodbury solve equals dividing e3 by 1 + 2.56λ', () => {
    const shrink = 1 / (1 + 2.56 * 1000);
    const w0 = [0.48, 0, 0.64 * shrink];
    const w1 = [0, 0.6, 0.8 * shrink];
    const x = [0.6, 0.48, 0.64];
    const cosine = (w: number[]) => (w[0] * x[0] + w[1] * x[1] + w[2] * x[2]) / Math.hypot(...w);
    const result = runAttributeMethod(base, ORTHCALI);
    expect(Array.from(result.scores)).toEqual(close([cosine(w0), cosine(w1)], 6));
    expect(result.parameters).toMatchObject({ basisSize: 1, pairs: 2, lambda: 1000 });
  });

  it('with one attribute word there are no pairs: orthcali equals orthproj', () => {
    const one = { ...base, attributes: ['land'] };
    const cali = runAttributeMethod(one, ORTHCALI);
    expect(cali.parameters).toMatchObject({ pairs: 0 });
    expect(Array.from(cali.scores)).toEqual(Array.from(runAttributeMethod(one, ORTHPROJ).scores));
  });

  it('combine: the same projection on any text rows; on the class weights it gives orthcali’s scores', () => {
    const { text, parameters } = debiasTextRows(base.classWeights, 2, base, ORTHCALI);
    expect(parameters).toMatchObject({ pairs: 2, lambda: 1000 });
    const shrink = 1 / (1 + 2.56 * 1000);
    const w0 = [0.48, 0, 0.64 * shrink, 0];
    expect(Array.from(text.subarray(0, 4))).toEqual(
      close(
        w0.map((v) => v / Math.hypot(...w0)),
        6,
      ),
    );
    const viaRows = runAttributeMethod({ ...base, classWeights: text }, { ...ORTHPROJ, phrasings: ['{}'] });
    // Orth-Proj on the debiased rows (P0 again changes nothing) scores as Orth-Cali on the originals
    expect(Array.from(viaRows.scores)).toEqual(close(Array.from(runAttributeMethod(base, ORTHCALI).scores), 6));
    expect(() => debiasTextRows(base.classWeights, 2, base, TIESTAR)).toThrow(/only orthproj and orthcali/);
  });

  it('rejects a negative or non-finite λ', () => {
    expect(() => runAttributeMethod(base, { ...ORTHCALI, lambda: -1 })).toThrow(/lambda/);
    expect(() => runAttributeMethod(base, { ...ORTHCALI, lambda: NaN })).toThrow(/lambda/);
  });
});

describe('prompts a method needs', () => {
  it('lists the phrasings per word, then accept phrases or group prompts, without repeats', () => {
    const classes = ['landbird', 'waterbird'];
    const words = ['land', 'water'];
    expect(
      promptsNeeded({ method: 'tiestar', template: 0, phrasings: ['{}', 'a photo of {}.'] }, classes, words),
    ).toEqual(['land', 'a photo of land.', 'water', 'a photo of water.']);
    expect(
      promptsNeeded({ ...ROBOSHOT, accept: [['land', 'talons']] }, classes, words), // "land" is listed once
    ).toEqual(['land', 'water', 'talons']);
    expect(promptsNeeded({ ...ORTHPROJ, groupPromptPattern: 'a {class} on {attribute}' }, classes, words)).toEqual([
      'land',
      'water',
      'a landbird on land',
      'a landbird on water',
      'a waterbird on land',
      'a waterbird on water',
    ]);
    expect(promptsNeeded({ method: 'sage', k: 1, aggregate: 'embedding' }, classes, words)).toEqual([]);
  });

  it('a missing prompt stops the method with an error naming every missing text', () => {
    const run = () =>
      runAttributeMethod(input({ n: 1, dim: 2, prompts: lookup({ land: [1, 0] }) }), {
        ...TIESTAR,
        phrasings: ['{}', 'a photo with a {} background.'],
      });
    expect(run).toThrow(MissingPromptError);
    expect(run).toThrow(/"a photo with a land background\."/);
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as MissingPromptError).missing).toEqual([
        'a photo with a land background.',
        'water',
        'a photo with a water background.',
      ]);
    }
  });

  it('a prompt of the wrong length is refused, naming the text', () => {
    expect(() =>
      runAttributeMethod(input({ n: 1, dim: 2, prompts: lookup({ land: [1, 0, 0], water: [0, 1] }) }), TIESTAR),
    ).toThrow(/"land" has 3 numbers, expected 2/);
  });
});

describe('settings checks', () => {
  const base = input({ n: 1, dim: 2, prompts: lookup({ land: [1, 0], water: [0, 1] }) });

  it('phrasings need "{}" and no repeats; attribute words must be present and distinct', () => {
    expect(validatePhrasings(['a photo of {}.', 'land', 'a photo of {}.']).map((i) => i.field)).toEqual([
      'phrasing 2',
      'phrasing 3',
    ]);
    expect(() => runAttributeMethod(base, { ...TIESTAR, phrasings: [] })).toThrow(/at least one phrasing/);
    expect(() => runAttributeMethod({ ...base, attributes: [] }, TIESTAR)).toThrow(/at least one attribute word/);
    expect(() => runAttributeMethod({ ...base, attributes: ['land', 'land'] }, TIESTAR)).toThrow(/listed twice/);
    expect(() => runAttributeMethod(base, { ...ROBOSHOT, accept: [['webbed', ' ']] })).toThrow(/accept pair 1/);
    expect(() => runAttributeMethod(base, { method: 'sage', k: 1, aggregate: 'embedding' })).toThrow(
      /not an attribute method/,
    );
  });

  it('methodConfig fills the §7 settings from defaults or the user', () => {
    const settings = { k: 1, template: 39, seed: 0, aggregate: 'embedding' as const, poolSize: 80, templateCount: 80 };
    expect(methodConfig('tiestar', settings)).toEqual({
      method: 'tiestar',
      template: 39,
      phrasings: ['{}', 'a photo of {}.', 'a photo with a {} background.'],
    });
    expect(methodConfig('orthcali', { ...settings, lambda: 5, phrasings: ['{}'] })).toEqual({
      method: 'orthcali',
      template: 39,
      phrasings: ['{}'],
      groupPromptPattern: 'a photo of a {class} on {attribute}.',
      lambda: 5,
    });
    expect(methodConfig('roboshot', { ...settings, acceptPairs: [['p', 'q']] })).toMatchObject({
      accept: [['p', 'q']],
    });
  });
});

describe('pseudo-attribute accuracy', () => {
  it('counts per (class, attribute) group how often the guess is the true attribute', () => {
    const images: ImageRecord[] = [
      { id: '1', class: 'c1', attribute: 'water' },
      { id: '2', class: 'c0', attribute: 'land' },
      { id: '3', class: 'c0', attribute: 'land' },
      { id: '4', class: 'c0', attribute: '' },
    ];
    const truth = imageAttributeIndices(images, ['land', 'water']);
    expect(Array.from(truth)).toEqual([1, 0, 0, -1]);
    const groups = pseudoAttributeAccuracy(images, ['c0', 'c1'], truth, Int32Array.from([1, 0, 1, 0]));
    expect(groups.map((g) => [g.class, g.attribute, g.n, g.correct])).toEqual([
      ['c0', 'land', 2, 1],
      ['c1', 'water', 1, 1],
    ]);
    expect(groups[0].accuracy).toBe(0.5);
  });
});
