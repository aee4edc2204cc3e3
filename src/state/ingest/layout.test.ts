import { describe, expect, it } from 'vitest';
import { commonFolderPrefix, comparePaths, labelByLayout, splitPath, wordList } from './layout';

describe('labelByLayout: split folders (issue 15)', () => {
  it('a train/val/test level at the top sets the split and is left out of class/attribute', () => {
    const r = labelByLayout([
      'wb/train/landbird/water/1.jpg',
      'wb/Val/waterbird/land/2.jpg',
      'wb/test/landbird/land/3.jpg',
      'wb/validation/landbird/land/4.jpg',
    ]);
    expect(r.labelled.map((l) => [l.classFolder, l.attributeFolder, l.split])).toEqual([
      ['landbird', 'water', 'train'],
      ['waterbird', 'land', 'val'],
      ['landbird', 'land', 'test'],
      ['landbird', 'land', 'val'],
    ]);
    expect(r.labelled[0].path).toBe('wb/train/landbird/water/1.jpg');
    expect(r.notes.join(' ')).toContain('1 train, 2 validation, 1 test');
  });

  it('a split level below the class and attribute works too, even when every image shares it', () => {
    const r = labelByLayout(['landbird/water/test/1.jpg', 'waterbird/land/test/2.jpg']);
    expect(r.labelled.map((l) => [l.classFolder, l.attributeFolder, l.split])).toEqual([
      ['landbird', 'water', 'test'],
      ['waterbird', 'land', 'test'],
    ]);
    expect(r.notes.join(' ')).not.toContain('nested deeper');
  });

  it('split-like names on only some images stay class/attribute folders, with a note', () => {
    const r = labelByLayout(['test/water/1.jpg', 'landbird/water/2.jpg']);
    expect(r.labelled.map((l) => [l.classFolder, l.split])).toEqual([
      ['test', undefined],
      ['landbird', undefined],
    ]);
    expect(r.notes.join(' ')).toContain('named like a split');
  });

  it('two split folders in one path are not a split', () => {
    const r = labelByLayout(['train/test/a/1.jpg', 'train/b/2.jpg']);
    expect(r.labelled.every((l) => l.split === undefined)).toBe(true);
  });
});

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

  it('a single class folder (class/image) stays one class', () => {
    const r = labelByLayout(['cat/a.jpg', 'cat/b.jpg']);
    expect(r.labelled.every((l) => l.classFolder === 'cat')).toBe(true);
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

describe('labelByLayout never re-roots silently (issue 13 §4)', () => {
  it('a dropped class folder with attribute subfolders is one class with attributes, not two classes', () => {
    const r = labelByLayout(['landbird/land/1.jpg', 'landbird/land/2.jpg', 'landbird/water/3.jpg']);
    expect(r.labelled.map((l) => [l.classFolder, l.attributeFolder])).toEqual([
      ['landbird', 'land'],
      ['landbird', 'land'],
      ['landbird', 'water'],
    ]);
    expect(r.strippedPrefix).toEqual([]);
    expect(r.notes.join(' ')).toContain(
      'Every image is in a folder inside landbird (e.g. landbird/land/1.jpg and landbird/water/3.jpg), so landbird was read as one class with the attributes land and water.',
    );
  });

  it('the same under a picked root folder and with a split level', () => {
    const r = labelByLayout(['wb/train/landbird/land/1.jpg', 'wb/test/landbird/water/2.jpg']);
    expect(r.labelled.map((l) => [l.classFolder, l.attributeFolder, l.split])).toEqual([
      ['landbird', 'land', 'train'],
      ['landbird', 'water', 'test'],
    ]);
    expect(r.strippedPrefix).toEqual(['wb']);
  });

  it('class folders under a root with attribute folders are read as before, with no extra note', () => {
    const r = labelByLayout(['wb/landbird/land/1.jpg', 'wb/waterbird/water/2.jpg']);
    expect(r.labelled.map((l) => [l.classFolder, l.attributeFolder])).toEqual([
      ['landbird', 'land'],
      ['waterbird', 'water'],
    ]);
    expect(r.notes).toEqual([]);
  });

  it('images directly in top folders (attribute-only or class-only) are explained with example paths', () => {
    const r = labelByLayout(['land/1.jpg', 'land/2.jpg', 'water/3.jpg']);
    expect(r.labelled.map((l) => [l.classFolder, l.attributeFolder])).toEqual([
      ['land', ''],
      ['land', ''],
      ['water', ''],
    ]);
    expect(r.notes.join(' ')).toContain(
      'Every image sits directly in a top folder (e.g. land/1.jpg and water/3.jpg), so land and water were read as classes with no attributes',
    );
  });

  it('mixed depths are explained with example paths', () => {
    const r = labelByLayout(['d/landbird/1.jpg', 'd/landbird/water/2.jpg', 'd/waterbird/land/3.jpg']);
    expect(r.labelled.map((l) => [l.classFolder, l.attributeFolder])).toEqual([
      ['landbird', ''],
      ['landbird', 'water'],
      ['waterbird', 'land'],
    ]);
    expect(r.notes.join(' ')).toContain(
      'Images sit at different depths: 1 is directly in a class folder (e.g. d/landbird/1.jpg) while others are in an attribute folder inside it (e.g. d/landbird/water/2.jpg).',
    );
  });

  it('lists many folders briefly', () => {
    expect(wordList(['a', 'b'])).toBe('a and b');
    expect(wordList(['a', 'b', 'c'])).toBe('a, b and c');
    expect(wordList(['a', 'b', 'c', 'd', 'e', 'f'])).toBe('a, b, c and 3 more');
  });
});
