import { describe, expect, it } from 'vitest';
import { analyzeBundle } from './analyzeBundle';
import { attributeWordRanks, b2tScores, discoverAttributes, type DiscoveryInput } from './discovery';
import { bundleLabels, bundleVocabulary, discoverOnBundle } from './discoveryBundle';
import { accuracyDelta, mutualInformation } from './discoveryStats';
import { PLANTED_VOCABULARY, PLANTED_WORD, plantedDiscoveryBundle } from './plantedDiscovery.fixture';
import { presenceTags } from './presenceTags';

describe('b2tScores', () => {
  it('is 100·e_v·(mean of unit wrong − mean of unit right) (hand-worked)', () => {
    // class 0: wrong images (0,2) and (0,1) → unit mean (0,1); right (1,0) and (3,0) → (1,0); diff (−1, 1)
    // class 1: only right images → NaN
    const input: DiscoveryInput = {
      imageEmbeddings: Float32Array.from([0, 2, 0, 1, 1, 0, 3, 0, 5, 5]),
      n: 5,
      dim: 2,
      classes: ['a', 'b'],
      labels: [0, 0, 0, 0, 1],
      predicted: [1, 1, 0, 0, 1],
      words: ['up', 'right', 'diagonal'],
      wordEmbeddings: Float32Array.from([0, 4, 1, 0, 1, 1]),
    };
    const scores = b2tScores(input);
    expect(scores[0]).toBeCloseTo(100, 5);
    expect(scores[1]).toBeCloseTo(-100, 5);
    expect(scores[2]).toBeCloseTo(0, 5);
    expect(scores[3]).toBeNaN();
  });
});

/** 12 images of one class: word 0 ("sea") is the top word of images 0–9 and of none else; predictions given. */
function handCase(predicted: number[]): DiscoveryInput {
  const n = 24;
  const imageEmbeddings = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    imageEmbeddings[i * 2] = i < 10 ? 1 : 0; // sea = (1,0)
    imageEmbeddings[i * 2 + 1] = i < 10 ? 0 : 1; // sky = (0,1)
  }
  return {
    imageEmbeddings,
    n,
    dim: 2,
    classes: ['boat', 'other'],
    labels: Array.from({ length: n }, (_, i) => (i < 24 ? 0 : 1)),
    predicted,
    words: ['sea', 'sky'],
    wordEmbeddings: Float32Array.from([1, 0, 0, 1]),
  };
}

describe('discoverAttributes', () => {
  it('computes δ, its interval, MI and n present/absent for each word (hand-worked, k = 1)', () => {
    // sea present in images 0–9: 3 right; absent in 10–23 (14 images): 12 right
    const predicted = Array.from({ length: 24 }, (_, i) => ((i < 10 ? i < 3 : i < 22) ? 0 : 1));
    const result = discoverAttributes(handCase(predicted), { topK: 1 });
    const boat = result.classes[0];
    expect(boat.skipped).toBeNull();
    expect(boat.nWrong).toBe(9);
    expect(boat.nRight).toBe(15);
    expect(boat.hurts.map((r) => r.word)).toEqual(['sea']);
    expect(boat.helps.map((r) => r.word)).toEqual(['sky']);
    const sea = boat.hurts[0];
    expect(sea.nPresent).toBe(10);
    expect(sea.nAbsent).toBe(14);
    expect(sea.delta).toBeCloseTo(3 / 10 - 12 / 14, 12);
    expect(sea.ci95).toEqual(accuracyDelta(3, 10, 12, 14).ci95);
    expect(sea.mi).toBeCloseTo(mutualInformation(7, 3, 2, 12), 12);
    // B2T: wrong mean = (7·(1,0) + 2·(0,1))/9, right mean = (3·(1,0) + 12·(0,1))/15
    expect(sea.b2tScore).toBeCloseTo(100 * (7 / 9 - 3 / 15), 4);
    expect(boat.b2t.map((w) => w.word)).toEqual(['sea']);
    // examples: the class's images with sea present, wrong first
    expect(sea.examples).toEqual([3, 4, 5, 6, 7, 8, 9, 0]);
    // the other class has no images
    expect(result.classes[1].skipped).toBe(
      'class 2 (other) has 0 wrong predictions and 0 right ones; discovery needs at least 5 of each',
    );
  });

  it('drops words with fewer than 10 present or absent, and MI = 0', () => {
    // sea in 10 images, 5 right → acc 0.5; absent 14 images, 7 right → 0.5: independent, MI = 0
    const predicted = Array.from({ length: 24 }, (_, i) => ((i < 10 ? i < 5 : i < 17) ? 0 : 1));
    const boat = discoverAttributes(handCase(predicted), { topK: 1 }).classes[0];
    expect(boat.hurts).toEqual([]);
    expect(boat.helps).toEqual([]);
    const fewer = discoverAttributes(handCase(predicted.map((p, i) => (i < 3 ? 1 - p : p))), {
      topK: 1,
      minPresent: 11,
    });
    expect(fewer.classes[0].hurts.concat(fewer.classes[0].helps).map((r) => r.word)).toEqual(['sky']);
  });

  it('skips a class with fewer than 5 wrong images and says why', () => {
    const predicted = Array.from({ length: 24 }, (_, i) => (i < 4 ? 1 : 0));
    const boat = discoverAttributes(handCase(predicted), { topK: 1 }).classes[0];
    expect(boat.skipped).toBe(
      'class 1 (boat) has 4 wrong predictions and 20 right ones; discovery needs at least 5 of each',
    );
    expect(boat.hurts).toEqual([]);
  });

  it('reuses given presence tags and refuses tags of another vocabulary', () => {
    const predicted = Array.from({ length: 24 }, (_, i) => ((i < 10 ? i < 3 : i < 22) ? 0 : 1));
    const input = handCase(predicted);
    const tags = presenceTags(input.imageEmbeddings, 24, 2, input.wordEmbeddings, 2, 1);
    expect(discoverAttributes(input, { tags }).classes[0].hurts[0].word).toBe('sea');
    const other = presenceTags(input.imageEmbeddings, 24, 2, Float32Array.from([1, 0]), 1, 1);
    expect(() => discoverAttributes(input, { tags: other })).toThrow(/other images or another vocabulary/);
  });
});

describe('discovery on a bundle with a planted word', () => {
  const bundle = plantedDiscoveryBundle();
  const vocabulary = bundleVocabulary(bundle, PLANTED_VOCABULARY);
  const { result } = analyzeBundle(bundle, { method: 'zeroshot', template: 0 });

  it('finds every vocabulary prompt in the bundle', () => {
    expect(vocabulary.words).toEqual(PLANTED_VOCABULARY);
    expect(vocabulary.missing).toEqual([]);
  });

  it('ranks the planted word first in hurts and by B2T for the class whose errors it drives', () => {
    const labels = bundleLabels(bundle);
    const wrongPlanted = bundle.images.filter((im, i) => im.attribute === 'water' && result.predicted[i] !== labels[i]);
    expect(wrongPlanted.length).toBeGreaterThanOrEqual(36); // zero-shot misses (nearly) every planted image (of 40)
    const discovery = discoverOnBundle(bundle, result.predicted, vocabulary);
    const landbird = discovery.classes[0];
    expect(landbird.hurts[0].word).toBe(PLANTED_WORD);
    expect(landbird.hurts[0].delta).toBeLessThan(-0.5);
    expect(landbird.hurts[1].delta).toBeGreaterThan(-0.3);
    expect(landbird.b2t[0].word).toBe(PLANTED_WORD);
    expect(landbird.hurts[0].examples.every((i) => result.predicted[i] !== labels[i])).toBe(true);
    const ranks = attributeWordRanks(
      discovery,
      bundle.images.map((im) => im.attribute),
      labels,
    );
    expect(ranks).toContainEqual({
      class: 'landbird',
      attribute: 'water',
      word: 'water',
      hurtsRank: 1,
      helpsRank: null,
      b2tRank: 1,
    });
    expect(ranks).toContainEqual({
      class: 'landbird',
      attribute: 'land',
      word: null,
      hurtsRank: null,
      helpsRank: null,
      b2tRank: null,
    });
  });
});
