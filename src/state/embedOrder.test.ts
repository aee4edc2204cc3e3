import { describe, expect, it } from 'vitest';
import { canonicalOrder, groupsWithoutResults, interleaveByGroup } from './embedOrder';

const item = (id: string) => {
  const [classFolder, attributeFolder] = id.split('/');
  return { id, classFolder, attributeFolder };
};

describe('interleaveByGroup', () => {
  it('takes one image of each group in turn, groups in order of appearance, stable within a group', () => {
    const items = ['a/x/1', 'a/x/2', 'a/x/3', 'a/y/1', 'b/x/1', 'b/x/2', 'b/y/1', 'b/y/2', 'b/y/3', 'b/y/4'].map(item);
    expect(interleaveByGroup(items).map((i) => i.id)).toEqual([
      'a/x/1',
      'a/y/1',
      'b/x/1',
      'b/y/1',
      'a/x/2',
      'b/x/2',
      'b/y/2',
      'a/x/3',
      'b/y/3',
      'b/y/4',
    ]);
  });

  it('keeps every image once, and a single group in its order', () => {
    const one = ['c/1', 'c/2', 'c/3'].map((id) => ({ id, classFolder: 'c', attributeFolder: '' }));
    expect(interleaveByGroup(one)).toEqual(one);
    expect(interleaveByGroup([])).toEqual([]);
  });

  it('the first batch of as many images as there are groups holds one image of each group', () => {
    const items = [...Array(9).keys()]
      .map((i) => item(`land/land/${i}`))
      .concat([0, 1, 2].map((i) => item(`land/water/${i}`)))
      .concat([...Array(8).keys()].map((i) => item(`water/water/${i}`)));
    const first = interleaveByGroup(items).slice(0, 3);
    expect(new Set(first.map((i) => `${i.classFolder}/${i.attributeFolder}`)).size).toBe(3);
  });
});

describe('groupsWithoutResults', () => {
  const groups = [
    { class: 'landbird', attribute: 'land' },
    { class: 'landbird', attribute: 'water' },
    { class: 'waterbird', attribute: 'land' },
    { class: 'waterbird', attribute: 'water' },
  ];
  it('names the groups none of the analysed records belong to', () => {
    const records = [groups[0], groups[2], groups[1]];
    expect(groupsWithoutResults(groups, records, 2)).toEqual([groups[1], groups[3]]);
    expect(groupsWithoutResults(groups, records, 3)).toEqual([groups[3]]);
    expect(groupsWithoutResults(groups, [...records, groups[3]], 4)).toEqual([]);
  });
  it('no records: every group; no groups known: none', () => {
    expect(groupsWithoutResults(groups, [], 0)).toEqual(groups);
    expect(groupsWithoutResults([], [groups[0]], 1)).toEqual([]);
  });
});

describe('canonicalOrder', () => {
  it('gives the positions that sort the ids by rank; null when already in order', () => {
    const rank = new Map([
      ['a', 0],
      ['b', 1],
      ['c', 2],
      ['d', 3],
    ]);
    expect(Array.from(canonicalOrder(['c', 'a', 'd', 'b'], rank) ?? [])).toEqual([1, 3, 0, 2]);
    expect(canonicalOrder(['a', 'c', 'd'], rank)).toBeNull();
  });
  it('unranked ids go last, keeping their order', () => {
    const rank = new Map([['a', 0]]);
    expect(Array.from(canonicalOrder(['y', 'a', 'x'], rank) ?? [])).toEqual([1, 0, 2]);
  });
});
