import { describe, expect, it } from 'vitest';
import { describeReattach, matchReattached } from './reattach';
import type { ImageReference } from './sessionRecord';

const hash = (c: string) => c.repeat(64);

const references: ImageReference[] = [
  { id: 'birds/landbird/land/000.jpg', sha256: hash('a'), size: 10, classFolder: 'landbird', attributeFolder: 'land' },
  {
    id: 'birds/landbird/water/000.jpg',
    sha256: hash('b'),
    size: 10,
    classFolder: 'landbird',
    attributeFolder: 'water',
  },
  {
    id: 'birds/waterbird/water/000.jpg',
    sha256: hash('c'),
    size: 10,
    classFolder: 'waterbird',
    attributeFolder: 'water',
    split: 'test',
  },
];

describe('matchReattached', () => {
  it('matches by content: a renamed file finds its saved image, a same-named file with other content does not', () => {
    const match = matchReattached(references, [
      { path: 'renamed/photo-17.jpg', sha256: hash('a') },
      { path: 'birds/landbird/water/000.jpg', sha256: hash('f') },
      { path: 'birds/waterbird/water/000.jpg', sha256: hash('c') },
    ]);
    expect(match.matched.map((m) => [m.reference.id, m.file.path])).toEqual([
      ['birds/waterbird/water/000.jpg', 'birds/waterbird/water/000.jpg'],
      ['birds/landbird/land/000.jpg', 'renamed/photo-17.jpg'],
    ]);
    expect(match.notInSession.map((f) => f.path)).toEqual(['birds/landbird/water/000.jpg']);
    expect(match.missing.map((r) => r.id)).toEqual(['birds/landbird/water/000.jpg']);
  });

  it('gives copies of one file to references of that content, same path first, each file once', () => {
    const copies: ImageReference[] = [
      { ...references[0], id: 'x/a.jpg' },
      { ...references[0], id: 'x/b.jpg' },
    ];
    const match = matchReattached(copies, [
      { path: 'x/b.jpg', sha256: hash('a') },
      { path: 'x/c.jpg', sha256: hash('a') },
    ]);
    expect(match.matched.map((m) => [m.reference.id, m.file.path])).toEqual([
      ['x/b.jpg', 'x/b.jpg'],
      ['x/a.jpg', 'x/c.jpg'],
    ]);
    expect(matchReattached(copies, [{ path: 'x/c.jpg', sha256: hash('a') }]).missing.map((r) => r.id)).toEqual([
      'x/b.jpg',
    ]);
  });
});

describe('describeReattach', () => {
  it('says what came back, what was left out and what is missing', () => {
    expect(describeReattach({ matched: 24, notInSession: ['extra.jpg'], missing: ['a.jpg', 'b.jpg'] })).toBe(
      'Re-attached 24 images with their labels. 1 dropped file is not part of the saved session and was left out (add it afterwards with “Add a folder”). 2 saved images were not among the dropped files: drop them too, or forget them.',
    );
  });
});
