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

  it('reads an optional split column (issue 15) and names a bad split in words', () => {
    const r = parseManifestCsv(
      'path,class,attribute,split\na.jpg,cat,x,TRAIN\nb.jpg,dog,y,validation\nc.jpg,dog,y,\nd.jpg,cat,x,later\n',
    );
    expect(r.rows.map((x) => [x.path, x.split])).toEqual([
      ['a.jpg', 'train'],
      ['b.jpg', 'val'],
      ['c.jpg', undefined],
    ]);
    expect(r.errors).toEqual(['line 5: split is “later” for d.jpg; use train, val or test']);
  });

  it('names the line of bad rows', () => {
    const r = parseManifestCsv('path,class,attribute\n,cat,x\nb.jpg,,y\n');
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual(['line 2: path is empty', 'line 3: class is empty for b.jpg']);
  });

  it('counts lines inside quoted newlines and strips a BOM', () => {
    const recs = parseCsvRecords('\ufeffa,"x\ny"\nb,c\n');
    expect(recs.records).toEqual([
      { fields: ['a', 'x\ny'], line: 1 },
      { fields: ['b', 'c'], line: 3 },
    ]);
    expect(recs.malformed).toEqual([]);
  });

  it('reports an unclosed quote on its line and still reads the rows after it', () => {
    const r = parseManifestCsv('path,class\na.jpg,cat\n"b.jpg,dog\nc.jpg,cat\nd.jpg,"dog"\n');
    expect(r.rows.map((row) => [row.path, row.class, row.line])).toEqual([
      ['a.jpg', 'cat', 2],
      ['c.jpg', 'cat', 4],
      ['d.jpg', 'dog', 5],
    ]);
    expect(r.errors).toEqual(['line 3: the quote at column 1 opens a field that is never closed; the row was skipped']);
  });

  it('refuses text after a closing quote ("x"y) instead of silently joining it', () => {
    const r = parseManifestCsv('a.jpg,"water"bird\nb.jpg,dog\n');
    expect(r.rows.map((row) => [row.path, row.class, row.line])).toEqual([['b.jpg', 'dog', 2]]);
    expect(r.errors).toEqual([
      'line 1: text follows the closing quote at column 13 (to put a quote inside a field, quote the whole field and double the quote: "x""y"); the row was skipped',
    ]);
  });

  it('keeps line numbers right across CRLF, lone CR, multi-line fields and several broken rows, in line order', () => {
    const text = 'path,class\r\n"a\r\nb.jpg",cat\rx.jpg,"d"og\r\n,cat\nz.jpg,"cat\n';
    const r = parseManifestCsv(text);
    expect(r.rows).toEqual([{ path: 'a\nb.jpg', class: 'cat', attribute: '', line: 2 }]);
    expect(r.errors).toEqual([
      'line 4: text follows the closing quote at column 9 (to put a quote inside a field, quote the whole field and double the quote: "x""y"); the row was skipped',
      'line 5: path is empty',
      'line 6: the quote at column 7 opens a field that is never closed; the row was skipped',
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
