/** Issue 15: which split the app uses — the images' own when every image has one, else one made here (seeded). */
import { beforeEach, describe, expect, it } from 'vitest';
import { stratifiedSplit } from '../core/splits';
import type { ImageRecord } from '../core/types';
import { useDataset } from './dataset';
import { currentSplits, givenSplits, recordSplits, useSplits } from './splits';

const records: ImageRecord[] = Array.from({ length: 40 }, (_, i) => ({
  id: `${i % 2 ? 'waterbird' : 'landbird'}/${i % 4 < 2 ? 'land' : 'water'}/${i}.jpg`,
  class: i % 2 ? 'waterbird' : 'landbird',
  attribute: i % 4 < 2 ? 'land' : 'water',
}));

describe('app splits', () => {
  beforeEach(() => {
    useSplits.getState().reset();
    useDataset.getState().clear();
  });

  it('makes core’s seeded stratified split when the images came without one', () => {
    const split = recordSplits(records, givenSplits(records), {
      origin: null,
      seed: 7,
      fractions: { train: 0.5, val: 0.2, test: 0.3 },
    });
    expect(split.origin).toBe('made');
    expect(split.splits).toEqual(stratifiedSplit(records, 7));
    expect(split.counts).toEqual({ train: 20, val: 8, test: 12 });
  });

  it('uses the splits the images came with (a bundle’s, or the dataset’s folders) when every image has one', () => {
    const fromBundle = records.map((r, i) => ({ ...r, split: i < 10 ? ('test' as const) : ('train' as const) }));
    expect(currentSplits(fromBundle).origin).toBe('given');
    expect(currentSplits(fromBundle).counts).toEqual({ train: 30, val: 0, test: 10 });
    // a run's records carry no split: the dataset image with the same id does (a train/val/test folder)
    useDataset.setState({
      images: records.map((r, i) => ({
        id: r.id,
        blob: new Blob([]),
        classFolder: r.class,
        attributeFolder: r.attribute,
        split: i % 5 === 0 ? 'val' : 'train',
      })),
    });
    const fromFolders = currentSplits(records);
    expect(fromFolders.origin).toBe('given');
    expect(fromFolders.counts).toEqual({ train: 32, val: 8, test: 0 });
    // asking for a split made here overrides them
    useSplits.getState().setOrigin('made');
    expect(currentSplits(records).splits).toEqual(stratifiedSplit(records, 0));
  });

  it('falls back to 50/20/30 when the typed fractions cannot split', () => {
    const split = recordSplits(records, givenSplits(records), {
      origin: 'made',
      seed: 1,
      fractions: { train: 0, val: 0, test: 0 },
    });
    expect(split.fractions).toEqual({ train: 0.5, val: 0.2, test: 0.3 });
  });
});
