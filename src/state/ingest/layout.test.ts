import { describe, expect, it } from 'vitest';
import { commonFolderPrefix, comparePaths, labelByLayout, splitPath } from './layout';

describe('labelByLayout', () => {
  it('reads class/attribute/image under a picked root folder', () => {
    const r = labelByLayout(['birds/landbird/water/1.jpg', 'birds/waterbird/land/2.jpg', '/birds/landbird/land/3.png']);
    expect(r.strippedPrefix).toEqual(['birds']);
    expect(r.labelled.map((l) => [l.classFolder, l.attributeFolder])).toEqual([
      ['landbird', 'water'],
      ['waterbird', 'land'],
      ['landbird', 'land'],
    ]);
    expect(r.notes).toEqual([]);
  });

  it('class/image sets classes only', () => {
    const r = labelByLayout(['cat/a.jpg', 'dog/b.jpg']);
    expect(r.labelled.map((l) => [l.classFolder, l.attributeFolder])).toEqual([
      ['cat', ''],
      ['dog', ''],
    ]);
  });

  it('uses the first two levels of deeper nesting and says so', () => {
    const r = labelByLayout(['cat/indoor/2020/a.jpg', 'dog/outdoor/b.jpg']);
    expect(r.labelled[0]).toMatchObject({ classFolder: 'cat', attributeFolder: 'indoor' });
    expect(r.notes.join(' ')).toContain('1 image was nested deeper');
  });

  it('leaves loose images untagged and says so', () => {
    const r = labelByLayout(['a.jpg', 'dog/b.jpg']);
    expect(r.labelled[0].classFolder).toBe('');
    expect(r.notes.join(' ')).toContain('no class folder');
  });

  it('warns about a single class', () => {
    const r = labelByLayout(['cat/a.jpg', 'cat/b.jpg']);
    expect(r.labelled.every((l) => l.classFolder === 'cat')).toBe(true);
    expect(r.notes.join(' ')).toContain('Only one class');
  });

  it('normalises backslashes', () => {
    expect(splitPath('\\x\\cat\\a.jpg')).toEqual(['x', 'cat', 'a.jpg']);
  });

  it('keeps at least one folder when stripping the common prefix', () => {
    expect(
      commonFolderPrefix([
        ['root', 'cat', 'a.jpg'],
        ['root', 'cat', 'b.jpg'],
      ]),
    ).toEqual(['root']);
    expect(commonFolderPrefix([['a', 'x.jpg']])).toEqual([]);
  });
});

describe('comparePaths', () => {
  it('orders like a depth-first walk over sorted folder listings', () => {
    const paths = ['a-b/x.jpg', 'a/y.jpg', 'a/b/z.jpg', 'B/q.jpg'];
    expect([...paths].sort(comparePaths)).toEqual(['B/q.jpg', 'a/b/z.jpg', 'a/y.jpg', 'a-b/x.jpg']);
  });
});
