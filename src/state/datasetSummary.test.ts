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
      'Group landbird / land has only 2 image(s): its accuracy is very uncertain.',
      'Group landbird / water is empty: worst-group accuracy ignores it.',
      'Group waterbird / water has only 1 image(s): its accuracy is very uncertain.',
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
