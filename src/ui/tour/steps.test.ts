import { describe, expect, it } from 'vitest';
import type { TourNumbers } from '../../state/derive/tourNumbers';
import { kChoices, TOUR_STEPS } from './steps';

const NUMBERS: TourNumbers = {
  imageCount: 150,
  groups: [
    { class: 'landbird', attribute: 'land', n: 60, accuracy: 0.95 },
    { class: 'waterbird', attribute: 'water', n: 55, accuracy: 0.9 },
    { class: 'landbird', attribute: 'water', n: 23, accuracy: 0.5 },
    { class: 'waterbird', attribute: 'land', n: 12, accuracy: 0.41666 },
  ],
  zeroshot: {
    method: 'zeroshot',
    accuracy: 0.82,
    n: 150,
    worstGroupAccuracy: 0.41666,
    worst: { class: 'waterbird', attribute: 'land', n: 12, accuracy: 0.41666 },
    best: { class: 'landbird', attribute: 'land', n: 60, accuracy: 0.95 },
  },
  sage: {
    method: 'sage',
    k: 3,
    accuracy: 0.86,
    n: 150,
    worstGroupAccuracy: 0.5,
    worst: { class: 'landbird', attribute: 'water', n: 23, accuracy: 0.5 },
    best: { class: 'landbird', attribute: 'land', n: 60, accuracy: 0.97 },
  },
  sageOnZeroshotWorst: { class: 'waterbird', attribute: 'land', n: 12, accuracy: 0.58333 },
  templateCount: 80,
  zeroshotTemplate: { index: 39, text: 'a photo of a {}.' },
  bestSeparating: { index: 7, text: 'a tattoo of the {}.', meanSeparation: 0.03456 },
  topPick: {
    index: 7,
    text: 'a tattoo of the {}.',
    picks: 23,
    pickedForAccuracy: 0.913,
    worstGroupAccuracyAlone: 0.3,
    worstGroupAlone: { class: 'waterbird', attribute: 'land' },
  },
  kSweep: [
    {
      k: 1,
      accuracy: 0.8,
      worstGroupAccuracy: 0.45,
      worst: { class: 'waterbird', attribute: 'land', n: 12, accuracy: 0.45 },
    },
    {
      k: 3,
      accuracy: 0.86,
      worstGroupAccuracy: 0.5,
      worst: { class: 'landbird', attribute: 'water', n: 23, accuracy: 0.5 },
    },
    {
      k: 80,
      accuracy: 0.84,
      worstGroupAccuracy: 0.25,
      worst: { class: 'waterbird', attribute: 'land', n: 12, accuracy: 0.25 },
    },
  ],
  delta: {
    method: 'sage',
    class: 'waterbird',
    attribute: 'water',
    delta: 0.4,
    nPresent: 55,
    nAbsent: 12,
    zeroshotDelta: 0.48334,
  },
  misclassified: {
    id: 'waterbirds-lite/landbird/water/003.jpg',
    class: 'landbird',
    attribute: 'water',
    method: 'sage',
    predicted: 'waterbird',
    wrongInGroup: 11,
    groupN: 23,
    sageCorrect: false,
    zeroshotCorrect: true,
  },
  map: { explained: [0.2345, 0.1201], n: 150 },
};

const text = (id: string, numbers: TourNumbers | null = NUMBERS) => {
  const step = TOUR_STEPS.find((s) => s.id === id);
  if (!step) throw new Error(`no step ${id}`);
  return step.text(numbers);
};

describe('tour step texts', () => {
  it("quote the run's own numbers in the table's formatting", () => {
    expect(text('data')).toContain('landbird / land, has 60 of 150 images and the smallest, waterbird / land, only 12');
    expect(text('groups')).toContain(
      'Zero-shot gets 41.7% on waterbird / land (n = 12) but 95.0% on landbird / land (n = 60); SAGE (K = 3) gets 58.3% on that worst group.',
    );
    expect(text('wga')).toContain(
      'right on 82.0% of all 150 images but on only 41.7% of waterbird / land (n = 12): a gap of 40.3 points',
    );
    expect(text('wga')).toContain('SAGE (K = 3): 86.0% overall, WGA 50.0% on landbird / water (n = 23)');
    expect(text('templates')).toContain('This pool has 80. Zero-shot uses one of them, #39 “a photo of a {}.”');
    expect(text('separation')).toContain('“a tattoo of the {}.” (0.035, as its bar reads)');
    expect(text('picks')).toContain(
      'picked for 23 of 150 images and is right on 91.3% of them; used alone for every image, its worst-group accuracy is 30.0% (waterbird / land)',
    );
    expect(text('k')).toContain(
      'K = 1: 45.0% on waterbird / land; K = 3 (now): 50.0% on landbird / water; K = 80: 25.0% on waterbird / land',
    );
    expect(text('delta')).toContain(
      'waterbird with water, δ = +40.0 pts for SAGE (K = 3) (n = 55 with it, 12 without); zero-shot’s δ there is +48.3 pts',
    );
    expect(text('image')).toContain(
      'one of the 11 images of landbird / water (n = 23), SAGE (K = 3)’s worst group, that SAGE (K = 3) gets wrong: it says waterbird. Zero-shot gets this one right.',
    );
    expect(text('map')).toContain(
      'PC 1 (the horizontal axis) keeps 23% of the variance of the 150 embeddings and PC 2 (the vertical axis) 12%',
    );
  });

  it('say what each view is without numbers (before the results)', () => {
    for (const step of TOUR_STEPS) {
      const words = step.text(null);
      expect(words.length, step.id).toBeGreaterThan(60);
      expect(words, step.id).not.toMatch(/\d+\.\d%|undefined|NaN/);
    }
  });

  it('never name a colour: themes draw the series in different colours', () => {
    for (const step of TOUR_STEPS) {
      for (const words of [step.text(null), step.text(NUMBERS)]) {
        expect(words, step.id).not.toMatch(/\b(orange|cyan|blue|red|green|yellow|purple|pink|grey|gray)\b/i);
      }
    }
  });

  it('a mistake zero-shot makes, when SAGE has none in its worst group, says SAGE gets it right', () => {
    const image = NUMBERS.misclassified;
    if (!image) throw new Error('the fixture has a misclassified image');
    const numbers: TourNumbers = {
      ...NUMBERS,
      misclassified: { ...image, method: 'zeroshot', sageCorrect: true, zeroshotCorrect: false },
    };
    expect(text('image', numbers)).toContain('Zero-shot’s worst group, that Zero-shot gets wrong');
    expect(text('image', numbers)).toContain('SAGE (K = 3) gets it right.');
  });

  it('steps that quote results wait for them, and the lesson covers δ, the picks, one image and the map', () => {
    expect(TOUR_STEPS.filter((s) => !s.needsResults).map((s) => s.id)).toEqual(['data']);
    expect(TOUR_STEPS.map((s) => s.id)).toEqual(
      expect.arrayContaining(['delta', 'picks', 'image', 'map', 'k', 'templates']),
    );
    expect(TOUR_STEPS.find((s) => s.id === 'image')?.open).toBe('image-detail');
    expect(TOUR_STEPS.find((s) => s.id === 'templates')?.open).toBe('template-pool');
  });
});

describe('kChoices', () => {
  it('offers 1, a middle K and all templates', () => {
    expect(kChoices(80)).toEqual([1, 5, 80]);
    expect(kChoices(3)).toEqual([1, 3]);
    expect(kChoices(1)).toEqual([1]);
    expect(kChoices(0)).toEqual([]);
  });
});
