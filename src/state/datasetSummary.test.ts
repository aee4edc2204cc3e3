import { describe, expect, it } from 'vitest';
import { summariseDataset } from './datasetSummary';

describe('summariseDataset', () => {
  it('builds the class × attribute matrix with empty cells and warnings', () => {
    const items = [
      { id: 'a', classFolder: 'waterbird', attributeFolder: 'water' },
      { id: 'b', classFolder: 'landbird', attributeFolder: 'land' },
      { id: 'c', classFolder: 'landbird', attributeFolder: 'land' },
      { id: 'd', classFolder: '', attributeFolder: '' },
    ];
    for (let i = 0; i < 5; i++) items.push({ id: `w${i}`, classFolder: 'waterbird', attributeFolder: 'land' });
    const s = summariseDataset(items);
    expect(s.classFolders).toEqual(['landbird', 'waterbird']);
    expect(s.attributeFolders).toEqual(['land', 'water']);
    expect(s.cells.map((row) => row.map((c) => c.members.length))).toEqual([
      [2, 0],
      [5, 1],
    ]);
    expect(s.untagged).toEqual([3]);
    expect(s.warnings).toEqual([
      '1 image(s) have no class and will be left out until tagged.',
      'Groups landbird / land (2) and waterbird / water (1) have fewer than 5 images each: their accuracy is very uncertain.',
      'Group landbird / water is empty: worst-group accuracy ignores it.',
    ]);
  });

  it('says each kind of group problem once, however many groups have it (issue 13 §4: 8 warnings after a re-tag)', () => {
    const items = [
      { id: 'a', classFolder: 'landbird', attributeFolder: 'land' },
      { id: 'b', classFolder: 'waterbird', attributeFolder: 'water' },
      { id: 'c', classFolder: 'Landbird', attributeFolder: '' },
    ];
    const s = summariseDataset(items);
    expect(s.warnings).toEqual([
      'Groups Landbird (1), landbird / land (1) and waterbird / water (1) have fewer than 5 images each: their accuracy is very uncertain.',
      'Groups Landbird / land, Landbird / water, landbird, landbird / water, waterbird and waterbird / land are empty: worst-group accuracy ignores them.',
    ]);
  });

  it('explains one class, naming it and its attributes (issue 13 §4)', () => {
    const one = summariseDataset([
      { id: 'a', classFolder: 'landbird', attributeFolder: 'water' },
      { id: 'b', classFolder: 'landbird', attributeFolder: 'land' },
    ]);
    expect(one.singleClass).toBe(
      'This folder holds one class, landbird, with attributes land and water. A bias check needs at least two classes: drop the folder that contains landbird and the other classes.',
    );
    expect(summariseDataset([{ id: 'a', classFolder: 'x', attributeFolder: '' }]).singleClass).toContain(
      'one class, x. A bias check needs at least two classes',
    );
    expect(summariseDataset([{ id: 'a', classFolder: '', attributeFolder: '' }]).warnings[0]).toContain('two classes');
    expect(summariseDataset([]).singleClass).toBeNull();
  });
});
