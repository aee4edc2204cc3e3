import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, openBundle, useResults, type InferredAbout } from './results';
import { compareAll, groupComparison } from './derive/views';
import { inputFromResults, plantedBundle } from './discovery.fixture';
import { handOff, inferredGroupPromptTexts, restoreRealAttributes } from './discoveryHandoff';
import { discoveryVocabulary, groupAgreement, runDiscovery, selfCheck } from './discoveryView';

function input() {
  const value = inputFromResults(useResults.getState());
  if (!value) throw new Error('no analysis');
  return value;
}

function zeroshotGroups() {
  const rows = compareAll(input(), DEFAULT_VIEW).rows;
  const zeroshot = rows.find((r) => r.method === 'zeroshot');
  if (!zeroshot) throw new Error('no zero-shot row');
  return groupComparison(zeroshot, zeroshot).map((g) => `${g.group}: ${g.selected.correct}/${g.n}`);
}

function discover() {
  const current = input();
  const vocabulary = discoveryVocabulary(current, 'water\nland\nsky\nLandbird', false);
  const row = compareAll(current, DEFAULT_VIEW).rows.find((r) => r.method === 'zeroshot');
  if (!row) throw new Error('no zero-shot row');
  const result = runDiscovery(current, row, vocabulary, 1);
  if (!result) throw new Error('no discovery');
  return {
    vocabulary,
    result,
    source: { words: vocabulary.words, embeddings: vocabulary.embeddings, tags: result.tags },
  };
}

describe('discovery in the app', () => {
  beforeEach(() => {
    openBundle(plantedBundle(), { kind: 'bundle', label: 'planted' });
  });

  it('reads the vocabulary from the bundle prompts, drops class words, and ranks the planted word first', () => {
    const { vocabulary, result } = discover();
    expect(vocabulary.words).toEqual(['water', 'land', 'sky']);
    expect(vocabulary.dropped).toEqual([{ word: 'Landbird', class: 'landbird' }]);
    expect(vocabulary.missing).toEqual([]);
    const landbird = result.classes[0];
    expect(landbird.skipped).toBeNull();
    expect(landbird.hurts[0]?.word).toBe('water');
    expect(landbird.hurts[0]?.nPresent).toBe(10);
    const ranks = selfCheck(result, input(), input().records, {});
    expect(ranks?.find((r) => r.class === 'landbird' && r.attribute === 'water')?.hurtsRank).toBe(1);
    // a run's folder name stands for a phrase ("a water background"); the vocabulary word is the folder name
    const phrased = selfCheck(result, input(), input().records, {
      water: 'a water background',
      land: 'a land background',
    });
    expect(phrased?.find((r) => r.class === 'landbird' && r.attribute === 'water')).toMatchObject({
      word: 'water',
      hurtsRank: 1,
    });
  });

  it('says which vocabulary prompts are missing instead of using words without vectors', () => {
    const vocabulary = discoveryVocabulary(input(), 'water\nforest', false);
    expect(vocabulary.words).toEqual(['water']);
    expect(vocabulary.missing).toEqual(['a photo of a forest.']);
  });

  it('hands a word off as the attribute every view groups by, and goes back to the real labels', async () => {
    const before = zeroshotGroups();
    expect(before.map((g) => g.split(':')[0])).toEqual([
      'landbird / land',
      'landbird / water',
      'waterbird / land',
      'waterbird / water',
    ]);
    const { source } = discover();
    expect(await handOff(input(), source, ['water'], 'tags')).toBeNull();

    const state = useResults.getState();
    expect(state.inferred?.words).toEqual(['water']);
    expect(state.inferred?.values).toEqual(['water', 'not water']);
    // recomputed from the stored embeddings: the same images, the same predictions, new groups
    expect(state.records.length).toBe(60);
    expect(zeroshotGroups().map((g) => g.split(':')[0])).toEqual([
      'landbird / not water',
      'landbird / water',
      'waterbird / not water',
      'waterbird / water',
    ]);
    // the planted background is what CLIP tags, so the inferred groups equal the real ones here
    expect(zeroshotGroups().map((g) => g.split(': ')[1])).toEqual(before.map((g) => g.split(': ')[1]));
    // group prompts for the inferred values came from the bundle's prompts; the absent side reads as absence
    expect(state.groupPrompts.map((g) => [g.class, g.attribute, g.prompt])).toEqual([
      ['landbird', 'water', 'a photo of a landbird on water.'],
      ['landbird', 'not water', 'a photo of a landbird without water.'],
      ['waterbird', 'water', 'a photo of a waterbird on water.'],
      ['waterbird', 'not water', 'a photo of a waterbird without water.'],
    ]);
    expect(compareAll(input(), DEFAULT_VIEW).rows.map((r) => r.method)).toContain('groupprompt');
    expect(state.expectedGroups.map((g) => g.attribute).sort()).toEqual(['not water', 'not water', 'water', 'water']);

    const agreement = groupAgreement(state.inferred?.real.records ?? [], state.records, state.classes);
    expect(agreement[0]).toMatchObject({
      class: 'landbird',
      real: ['land', 'water'],
      inferred: ['not water', 'water'],
      counts: [
        [20, 0],
        [0, 10],
      ],
      bestMatch: 1,
    });

    restoreRealAttributes();
    expect(useResults.getState().inferred).toBeNull();
    expect(zeroshotGroups()).toEqual(before);
  });

  it('a set of words groups present-vs-other; a contrast groups by the closest word', async () => {
    const { source } = discover();
    await handOff(input(), source, ['water', 'sky'], 'tags');
    expect(useResults.getState().inferred?.values).toEqual(['water/sky', 'other']);
    // a second hand-off keeps the real labels to go back to
    await handOff(input(), source, ['land', 'water'], 'argmax');
    const state = useResults.getState();
    expect(state.inferred?.how).toBe('argmax');
    expect(new Set(state.records.map((r) => r.attribute))).toEqual(new Set(['land', 'water']));
    expect(state.inferred?.real.records.map((r) => r.attribute)).toEqual(
      plantedBundle().images.map((r) => r.attribute),
    );
    expect(await handOff(input(), source, ['water'], 'argmax')).toMatch(/at least two words/);
    expect(await handOff(input(), source, ['forest'], 'tags')).toMatch(/Pick a word/);
  });

  it('a new bundle drops the inferred attribute', async () => {
    const { source } = discover();
    await handOff(input(), source, ['water'], 'tags');
    openBundle(plantedBundle(4), { kind: 'bundle', label: 'again' });
    expect(useResults.getState().inferred).toBeNull();
    expect(useResults.getState().records[0].attribute).toBe('land');
  });
});

describe('group prompts for an inferred attribute', () => {
  const prompts = (pattern: string, about: InferredAbout) =>
    inferredGroupPromptTexts(pattern, ['landbird'], about).map((t) => `${t.attribute}: ${t.prompt}`);

  it('word the absent side of tags as absence, in the pattern’s own sentence', () => {
    const water: InferredAbout = { words: ['water'], how: 'tags', values: ['water', 'not water'] };
    expect(prompts('a photo of a {class} on {attribute}.', water)).toEqual([
      'water: a photo of a landbird on water.',
      'not water: a photo of a landbird without water.',
    ]);
    expect(prompts('A {class} with {attribute} behind it', water)).toEqual([
      'water: A landbird with water behind it',
      'not water: A landbird without water behind it',
    ]);
    // no place word before the slot: it reads "no water"
    expect(prompts('a {class} and {attribute}', water)).toEqual([
      'water: a landbird and water',
      'not water: a landbird and no water',
    ]);
    const set: InferredAbout = { words: ['water', 'sky', 'grass'], how: 'tags', values: ['water/sky/grass', 'other'] };
    expect(prompts('a photo of a {class} in {attribute}.', set)).toEqual([
      'water/sky/grass: a photo of a landbird in water/sky/grass.',
      'other: a photo of a landbird without water, sky or grass.',
    ]);
  });

  it('fill every value in as is for a contrast (each value is a word)', () => {
    const contrast: InferredAbout = { words: ['land', 'water'], how: 'argmax', values: ['land', 'water'] };
    expect(prompts('a photo of a {class} on {attribute}.', contrast)).toEqual([
      'land: a photo of a landbird on land.',
      'water: a photo of a landbird on water.',
    ]);
  });
});
