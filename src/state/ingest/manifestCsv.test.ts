import { describe, expect, it } from 'vitest';
import { buildSuffixIndex, matchManifestPath, parseCsvRecords, parseManifestCsv } from './manifestCsv';

describe('parseManifestCsv', () => {
  it('reads a header in any column order and quoted fields', () => {
    const r = parseManifestCsv(
      'class,path,attribute\r\nlandbird,"imgs/a, b.jpg",water\n"water""bird",imgs/c.jpg,land\n',
    );
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      { path: 'imgs/a, b.jpg', class: 'landbird', attribute: 'water', line: 2 },
      { path: 'imgs/c.jpg', class: 'water"bird', attribute: 'land', line: 3 },
    ]);
  });

  it('works without a header and without an attribute column', () => {
    const r = parseManifestCsv('a.jpg,cat\nb.jpg,dog');
    expect(r.rows.map((x) => [x.path, x.class, x.attribute])).toEqual([
      ['a.jpg', 'cat', ''],
      ['b.jpg', 'dog', ''],
    ]);
  });

  it('names the line of bad rows', () => {
    const r = parseManifestCsv('path,class,attribute\n,cat,x\nb.jpg,,y\n');
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual(['line 2: path is empty', 'line 3: class is empty for b.jpg']);
  });

  it('counts lines inside quoted newlines and strips a BOM', () => {
    const recs = parseCsvRecords('\ufeffa,"x\ny"\nb,c\n');
    expect(recs).toEqual([
      { fields: ['a', 'x\ny'], line: 1 },
      { fields: ['b', 'c'], line: 3 },
    ]);
  });
});

describe('matchManifestPath', () => {
  const index = buildSuffixIndex(['data/cat/a.jpg', 'data/dog/a.jpg', 'data/dog/b.jpg']);
  it('matches exact and suffix paths', () => {
    expect(matchManifestPath('data/cat/a.jpg', index)).toEqual({ ok: true, path: 'data/cat/a.jpg' });
    expect(matchManifestPath('./dog/b.jpg', index)).toEqual({ ok: true, path: 'data/dog/b.jpg' });
  });
  it('refuses ambiguous and missing paths with a reason', () => {
    const ambiguous = matchManifestPath('a.jpg', index);
    expect(ambiguous.ok).toBe(false);
    if (!ambiguous.ok) expect(ambiguous.reason).toContain('more than one');
    const missing = matchManifestPath('zzz.jpg', index);
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.reason).toContain('no such file');
  });
});
