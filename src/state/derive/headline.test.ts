import { describe, expect, it } from 'vitest';
import { computeMetrics, type ImageRecord, type MethodId, type Metrics } from '../../core';
import { comparedMethod, headline, missingGroups, sentenceText, type HeadlineInput } from './headline';

/** The table's formatter (src/ui/format.ts pct; state may not import ui). */
const pct = (value: number): string => (Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : '–');
const CLASSES = ['landbird', 'waterbird'];

/** Group spec: "class/attribute" → [n, correct]. Builds records and predictions with exactly those counts. */
function metrics(groups: Record<string, [number, number]>, classes = CLASSES): Metrics {
  const records: ImageRecord[] = [];
  const predicted: number[] = [];
  for (const [key, [n, correct]] of Object.entries(groups)) {
    const [cls, attribute = ''] = key.split('/');
    const truth = classes.indexOf(cls);
    for (let i = 0; i < n; i++) {
      records.push({ id: `${key}/${i}`, class: cls, attribute });
      predicted.push(i < correct ? truth : (truth + 1) % classes.length);
    }
  }
  return computeMetrics(records, classes, predicted);
}

function input(
  zs: Record<string, [number, number]>,
  other: Record<string, [number, number]>,
  options: Partial<HeadlineInput> & { method?: MethodId } = {},
): HeadlineInput {
  return {
    zeroshot: { method: 'zeroshot', metrics: metrics(zs) },
    compared: { method: options.method ?? 'sage', metrics: metrics(other) },
    k: 1,
    classes: CLASSES,
    attributeKeys: ['land', 'water'],
    complete: true,
    ...options,
  };
}

const texts = (h: ReturnType<typeof headline>): string[] => h.sentences.map(sentenceText);

const STORY_ZS: Record<string, [number, number]> = {
  'landbird/land': [30, 29],
  'landbird/water': [12, 0],
  'waterbird/land': [12, 12],
  'waterbird/water': [30, 30],
};
const ALL_RIGHT: Record<string, [number, number]> = {
  'landbird/land': [30, 30],
  'landbird/water': [12, 12],
  'waterbird/land': [12, 12],
  'waterbird/water': [30, 30],
};

describe('headline', () => {
  it("tells the bias story: zero-shot's worst group against its best, and what SAGE does to that group", () => {
    const h = headline(input(STORY_ZS, ALL_RIGHT), pct);
    expect(texts(h)).toEqual([
      'Zero-shot gets 0.0% on landbird / water (n = 12) while 100.0% on waterbird / land (n = 12).',
      'SAGE (K = 1) raises that group to 100.0%. It gets 100.0% on every group.',
    ]);
    expect(h.baseline.worst.map((g) => g.label)).toEqual(['landbird / water']);
    expect(h.compared.changes[0].change).toBe('raises');
    // numbers and groups are marked for the UI
    expect(h.sentences[0].pieces.filter((p) => p.kind === 'number').map((p) => p.text)).toEqual(['0.0%', '100.0%']);
    expect(h.sentences[0].pieces.filter((p) => p.kind === 'group').map((p) => p.text)).toEqual([
      'landbird / water',
      'waterbird / land',
    ]);
  });

  it('names K for SAGE and random only, and follows the selected method', () => {
    expect(headline(input(STORY_ZS, ALL_RIGHT, { k: 3 }), pct).compared.name).toBe('SAGE (K = 3)');
    expect(headline(input(STORY_ZS, ALL_RIGHT, { k: 3, method: 'random' }), pct).compared.name).toBe('Random (K = 3)');
    const ensemble = headline(input(STORY_ZS, STORY_ZS, { method: 'ensemble' }), pct);
    expect(texts(ensemble)[1]).toBe('Ensemble keeps that group at 0.0%.');
  });

  it("names the method's own worst group when it lies elsewhere (as its table row does)", () => {
    const sage = { ...ALL_RIGHT, 'waterbird/land': [12, 9] as [number, number] };
    const h = headline(input(STORY_ZS, sage), pct);
    expect(texts(h)[1]).toBe(
      'SAGE (K = 1) raises that group to 100.0%. Its worst group is now waterbird / land at 75.0% (n = 12).',
    );
    const lower = headline(input(ALL_RIGHT_BUT_ONE, { ...ALL_RIGHT, 'landbird/water': [12, 3] }), pct);
    expect(texts(lower)[1]).toBe('SAGE (K = 1) lowers that group to 25.0%.');
  });

  it('says tie when groups tie for worst, listing the table’s worst group first', () => {
    const zs = { ...STORY_ZS, 'waterbird/land': [12, 0] as [number, number] };
    const sage = { ...ALL_RIGHT, 'waterbird/land': [12, 0] as [number, number] };
    const h = headline(input(zs, sage), pct);
    expect(texts(h)).toEqual([
      'Zero-shot gets 0.0% on landbird / water (n = 12) and waterbird / land (n = 12), a tie for its worst group, while 100.0% on waterbird / water (n = 30).',
      'SAGE (K = 1) raises landbird / water to 100.0% and keeps waterbird / land at 0.0%.',
    ]);
    // the method's own tie
    const tie = headline(
      input(STORY_ZS, { ...ALL_RIGHT, 'landbird/land': [30, 15], 'waterbird/water': [30, 15] }),
      pct,
    );
    expect(texts(tie)[1]).toBe(
      'SAGE (K = 1) raises that group to 100.0%. Its worst groups now tie at 50.0%: landbird / land (n = 30) and waterbird / water (n = 30).',
    );
  });

  it('decides ties on the figures as shown: 1/3 and 333/1000 both read 33.3%', () => {
    const h = headline(
      input(
        {
          'landbird/land': [1000, 333],
          'landbird/water': [30, 10],
          'waterbird/land': [30, 30],
          'waterbird/water': [30, 30],
        },
        ALL_RIGHT,
      ),
      pct,
    );
    expect(h.baseline.worst.map((g) => g.label)).toEqual(['landbird / land', 'landbird / water']);
    expect(h.baseline.worst[0].shown).toBe('33.3%');
    // the first is the metrics' own worst group (333/1000 < 1/3), as the table names it
    expect(h.baseline.worst[0].n).toBe(1000);
  });

  it('says which groups are too small to judge (n < 10) and shows their n', () => {
    const zs = {
      ...STORY_ZS,
      'landbird/water': [4, 0] as [number, number],
      'waterbird/land': [9, 9] as [number, number],
    };
    const h = headline(input(zs, ALL_RIGHT), pct);
    expect(h.tooFew.map((g) => [g.label, g.n])).toEqual([
      ['landbird / water', 4],
      ['waterbird / land', 9],
    ]);
    expect(texts(h)[2]).toBe(
      'Too few images to judge: landbird / water (n = 4) and waterbird / land (n = 9) have fewer than 10 images each, so one image moves their accuracy by 11 points or more; read the comparison above with its 95% intervals.',
    );
    const one = headline(input({ ...STORY_ZS, 'waterbird/land': [4, 4] }, ALL_RIGHT), pct);
    expect(texts(one)[2]).toBe(
      'Too few images to judge: waterbird / land (n = 4) has fewer than 10 images, so one image moves its accuracy by 25 points.',
    );
    // n = 10 is enough
    expect(headline(input({ ...STORY_ZS, 'waterbird/land': [10, 10] }, ALL_RIGHT), pct).tooFew).toEqual([]);
  });

  it('says which class × attribute combinations have no images (and "yet" while images arrive)', () => {
    const zs = { 'landbird/land': [30, 29], 'landbird/water': [12, 0], 'waterbird/water': [30, 30] } as Record<
      string,
      [number, number]
    >;
    const h = headline(input(zs, zs), pct);
    expect(h.missing.map((g) => g.label)).toEqual(['waterbird / land']);
    expect(texts(h).at(-1)).toBe(
      'No images of waterbird / land: that group cannot be judged, and worst-group accuracy covers only the groups that have images.',
    );
    expect(texts(headline(input(zs, zs, { complete: false }), pct)).at(-1)).toMatch(
      /^No images of waterbird \/ land yet:/,
    );
    expect(texts(headline(input(STORY_ZS, ALL_RIGHT), pct))).toHaveLength(2);
  });

  it('handles one group and groups that are all alike', () => {
    const one = headline(
      input(
        { 'landbird/land': [20, 16] },
        { 'landbird/land': [20, 18] },
        { attributeKeys: ['land'], classes: ['landbird'] },
      ),
      pct,
    );
    expect(texts(one)).toEqual([
      'Zero-shot gets 80.0% on landbird / land (n = 20), the only group with images, so there is no other group to compare it with.',
      'SAGE (K = 1) raises that group to 90.0%.',
    ]);
    const alike = headline(input(ALL_RIGHT, { ...ALL_RIGHT, 'waterbird/water': [30, 27] }), pct);
    expect(texts(alike)).toEqual([
      'Zero-shot gets 100.0% on every group (4 groups): no group is worse off.',
      'SAGE (K = 1) gets 90.0% on its worst group, waterbird / water (n = 30).',
    ]);
    expect(texts(headline(input(ALL_RIGHT, ALL_RIGHT), pct))[1]).toBe('SAGE (K = 1) gets 100.0% on every group.');
  });

  it('lists at most four groups, then counts the rest', () => {
    const classes = ['a', 'b', 'c', 'd', 'e', 'f'];
    const zs = Object.fromEntries(classes.map((c, i) => [c, [20, i === 5 ? 20 : 0]])) as Record<
      string,
      [number, number]
    >;
    const h = headline(
      {
        zeroshot: { method: 'zeroshot', metrics: metrics(zs, classes) },
        compared: { method: 'sage', metrics: metrics(zs, classes) },
        k: 2,
        classes,
        attributeKeys: [],
        complete: true,
      },
      pct,
    );
    expect(texts(h)[0]).toBe(
      'Zero-shot gets 0.0% on a (n = 20), b (n = 20), c (n = 20) and 2 more groups, a tie for its worst group, while 100.0% on f (n = 20).',
    );
  });

  it('has no change sentence when the compared method is zero-shot itself', () => {
    const h = headline(
      { ...input(STORY_ZS, STORY_ZS), compared: { method: 'zeroshot', metrics: metrics(STORY_ZS) } },
      pct,
    );
    expect(h.sentences.map((s) => s.part)).toEqual(['baseline']);
  });
});

const ALL_RIGHT_BUT_ONE: Record<string, [number, number]> = {
  ...ALL_RIGHT,
  'landbird/water': [12, 6],
};

describe('comparedMethod', () => {
  const rows = (['zeroshot', 'ensemble', 'sage'] as const).map((method) => ({ method }));
  it('compares the selected method with zero-shot, and SAGE when zero-shot is selected', () => {
    expect(comparedMethod(rows, rows[1]).method).toBe('ensemble');
    expect(comparedMethod(rows, rows[0]).method).toBe('sage');
  });
});

describe('missingGroups', () => {
  it('crosses classes with attributes; without attributes, a class with no image is missing', () => {
    const present = [
      { class: 'landbird', attribute: 'land' },
      { class: 'waterbird', attribute: 'water' },
    ];
    expect(missingGroups(CLASSES, ['land', 'water'], present).map((g) => g.label)).toEqual([
      'landbird / water',
      'waterbird / land',
    ]);
    expect(missingGroups(['cat', 'dog'], [], [{ class: 'cat', attribute: '' }]).map((g) => g.label)).toEqual(['dog']);
  });
});
