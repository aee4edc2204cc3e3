import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VOCABULARY,
  VOCABULARY_TEMPLATE,
  dropClassWords,
  parseVocabulary,
  vocabularyEmbeddings,
  vocabularyPromptTexts,
} from './vocabulary';

describe('DEFAULT_VOCABULARY', () => {
  it('has a few hundred distinct words including the common backgrounds', () => {
    expect(DEFAULT_VOCABULARY.length).toBeGreaterThanOrEqual(300);
    expect(DEFAULT_VOCABULARY.length).toBeLessThanOrEqual(1000);
    const lower = DEFAULT_VOCABULARY.map((w) => w.toLowerCase());
    expect(new Set(lower).size).toBe(lower.length);
    for (const word of DEFAULT_VOCABULARY) expect(word).toMatch(/^[a-z][a-z -]*[a-z]$/);
    for (const word of ['water', 'ocean', 'beach', 'lake', 'forest', 'grass', 'field', 'bamboo', 'desert', 'snow'])
      expect(DEFAULT_VOCABULARY).toContain(word);
    for (const word of ['sky', 'city', 'red', 'striped', 'night', 'person', 'blond hair', 'glasses'])
      expect(DEFAULT_VOCABULARY).toContain(word);
  });
});

describe('parseVocabulary', () => {
  it('reads lines and commas, trims, drops empties and case-insensitive duplicates (first spelling kept)', () => {
    const text = '\uFEFFwater\r\n  Ocean , beach,,\n\nwater\nOCEAN\n  blue   sky \n';
    expect(parseVocabulary(text)).toEqual(['water', 'Ocean', 'beach', 'blue sky']);
    expect(parseVocabulary(' \n , ')).toEqual([]);
  });
});

describe('dropClassWords', () => {
  it('drops words equal to, containing or contained in a class string, by whole words', () => {
    const { kept, dropped } = dropClassWords(
      ['water', 'bird', 'Water Bird', 'a water bird flock', 'land', 'dog', 'hot dog stand', 'forest'],
      ['water bird', 'landbird', 'hot dog'],
    );
    expect(kept).toEqual(['land', 'forest']);
    expect(dropped).toEqual([
      { word: 'water', class: 'water bird' },
      { word: 'bird', class: 'water bird' },
      { word: 'Water Bird', class: 'water bird' },
      { word: 'a water bird flock', class: 'water bird' },
      { word: 'dog', class: 'hot dog' },
      { word: 'hot dog stand', class: 'hot dog' },
    ]);
  });

  it('keeps "water" and "land" for the Waterbirds classes', () => {
    expect(dropClassWords(['water', 'land', 'waterbird'], ['landbird', 'waterbird']).kept).toEqual(['water', 'land']);
  });
});

describe('vocabulary prompts and embeddings', () => {
  it('fills "{}" word-major', () => {
    expect(vocabularyPromptTexts(['water', 'sky'])).toEqual(['a photo of a water.', 'a photo of a sky.']);
    expect(vocabularyPromptTexts(['water'], ['{}', 'art of {}.'])).toEqual(['water', 'art of water.']);
    expect(VOCABULARY_TEMPLATE).toBe('a photo of a {}.');
  });

  it('one template: the unit prompt embedding; several: mean of unit embeddings, renormalised; missing listed', () => {
    const stored = new Map<string, Float32Array>([
      ['a photo of a water.', Float32Array.from([3, 4])],
      ['art of water.', Float32Array.from([0, 2])],
      ['a photo of a sky.', Float32Array.from([0, 1])],
    ]);
    const single = vocabularyEmbeddings(['water', 'sky', 'sand'], 2, (t) => stored.get(t));
    expect(single.words).toEqual(['water', 'sky']);
    expect(Array.from(single.embeddings)).toEqual([Math.fround(0.6), Math.fround(0.8), 0, 1]);
    expect(single.missing).toEqual(['a photo of a sand.']);
    // (0.6, 0.8) + (0, 1) = (0.6, 1.8) → /√3.6
    const ensemble = vocabularyEmbeddings(['water', 'sky'], 2, (t) => stored.get(t), [
      'a photo of a {}.',
      'art of {}.',
    ]);
    expect(ensemble.words).toEqual(['water']);
    expect(ensemble.embeddings[0]).toBeCloseTo(0.6 / Math.sqrt(3.6), 6);
    expect(ensemble.embeddings[1]).toBeCloseTo(1.8 / Math.sqrt(3.6), 6);
    expect(ensemble.missing).toEqual(['art of sky.']);
  });
});
