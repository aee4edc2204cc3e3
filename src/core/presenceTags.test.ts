import { describe, expect, it } from 'vitest';
import {
  inferredAttributeByArgmax,
  inferredAttributeFromTags,
  inferredAttributeNames,
  presenceTags,
  wordPresence,
} from './presenceTags';
import { randomMatrix } from './testRandom.fixture';

describe('presenceTags', () => {
  it('keeps each image’s top-k words by x·e_v with e_v made unit (hand-worked)', () => {
    // words: e0 = (1,0), e1 = (0,1), e2 = (2,2) → unit (1,1)/√2, e3 = (−1,0), e4 = (0,−3)
    const words = Float32Array.from([1, 0, 0, 1, 2, 2, -1, 0, 0, -3]);
    // x = (1, 0.1): scores 1, 0.1, 0.778, −1, −0.1 → top 2 = e0, e2
    // x = (0, 5):   scores 0, 5, 3.54, 0, −5     → top 2 = e1, e2
    // x = (1, 1):   scores 1, 1, 1.41, −1, −1    → top 2 = e2, then e0 (tie with e1: lower index first)
    const images = Float32Array.from([1, 0.1, 0, 5, 1, 1]);
    const tags = presenceTags(images, 3, 2, words, 5, 2);
    expect(tags.topK).toBe(2);
    expect(Array.from(tags.topWords)).toEqual([0, 2, 1, 2, 2, 0]);
    expect(tags.topScores[0]).toBeCloseTo(1, 6);
    expect(tags.topScores[1]).toBeCloseTo(1.1 / Math.SQRT2, 6);
    expect(Array.from(wordPresence(tags, [0]))).toEqual([1, 0, 1]);
    expect(Array.from(wordPresence(tags, [1, 3]))).toEqual([0, 1, 0]);
  });

  it('equals sorting every word’s score, for V not a multiple of 4 and k larger than V', () => {
    const n = 30;
    const dim = 7;
    const v = 37;
    const images = randomMatrix(n, dim, 1);
    const words = randomMatrix(v, dim, 2);
    const tags = presenceTags(images, n, dim, words, v, 5);
    for (let i = 0; i < n; i++) {
      const scores = Array.from({ length: v }, (_, w) => {
        let norm = 0;
        let dot = 0;
        for (let d = 0; d < dim; d++) {
          norm += words[w * dim + d] ** 2;
          dot += images[i * dim + d] * words[w * dim + d];
        }
        return { w, s: dot / Math.sqrt(norm) };
      });
      scores.sort((a, b) => b.s - a.s || a.w - b.w);
      expect(Array.from(tags.topWords.subarray(i * 5, i * 5 + 5))).toEqual(scores.slice(0, 5).map((x) => x.w));
    }
    expect(presenceTags(images, n, dim, words.subarray(0, 3 * dim), 3, 5).topK).toBe(3);
  });

  it('refuses k < 1 and too few numbers', () => {
    expect(() => presenceTags(new Float32Array(4), 2, 2, new Float32Array(4), 2, 0)).toThrow(/topK/);
    expect(() => presenceTags(new Float32Array(3), 2, 2, new Float32Array(4), 2, 1)).toThrow(/imageEmbeddings/);
  });
});

describe('inferred attributes (hand-off)', () => {
  const words = Float32Array.from([1, 0, 0, 1, 2, 2, -1, 0, 0, -3]);
  const vocabulary = ['water', 'forest', 'ocean', 'desert', 'snow'];
  const images = Float32Array.from([1, 0.1, 0, 5, 1, 1, -1, -1]);
  const tags = presenceTags(images, 4, 2, words, 5, 2);

  it('labels one word as "word" / "not word" and a set as "a/b" / "other"', () => {
    expect(inferredAttributeNames(['water'])).toEqual({ present: 'water', absent: 'not water' });
    expect(inferredAttributeFromTags(tags, vocabulary, [0])).toEqual({
      labels: ['water', 'not water', 'water', 'not water'],
      values: ['water', 'not water'],
    });
    // image 4 (−1,−1): top 2 = desert (1), snow (1 tie → lower index first: desert, snow)
    expect(inferredAttributeFromTags(tags, vocabulary, [0, 3]).labels).toEqual([
      'water/desert',
      'other',
      'water/desert',
      'water/desert',
    ]);
    expect(() => inferredAttributeNames([])).toThrow(/at least one word/);
  });

  it('argmax over a contrast set picks the closest word per image', () => {
    const contrast = Float32Array.from([1, 0, 0, 2]);
    const result = inferredAttributeByArgmax(images, 4, 2, contrast, ['land', 'water']);
    expect(result.labels).toEqual(['land', 'water', 'land', 'land']);
    expect(Array.from(result.choice)).toEqual([0, 1, 0, 0]);
    expect(result.values).toEqual(['land', 'water']);
    expect(() => inferredAttributeByArgmax(images, 4, 2, contrast, ['land'])).toThrow(/two words/);
  });
});
