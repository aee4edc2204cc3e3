import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ingestFiles, type DroppedFile } from './ingest';
import { walkEntries, type DirectoryEntryLike, type EntryLike, type FileEntryLike } from './walkEntries';

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const file = (path: string, bytes: Uint8Array | string): DroppedFile => ({
  path,
  blob: new Blob([typeof bytes === 'string' ? bytes : bytes.slice().buffer]),
});

describe('ingestFiles', () => {
  it('labels images by folders and lists every unusable file with a reason', async () => {
    const r = await ingestFiles([
      file('d/landbird/water/1.jpg', JPEG),
      file('d/waterbird/land/2.png', PNG),
      file('d/waterbird/land/notes.txt', 'hello'),
      file('d/waterbird/land/fake.jpg', 'this is text'),
      file('d/waterbird/land/empty.jpg', ''),
      file('d/waterbird/land/pic.heic', JPEG),
    ]);
    expect(r.images.map((i) => [i.id, i.classFolder, i.attributeFolder])).toEqual([
      ['d/landbird/water/1.jpg', 'landbird', 'water'],
      ['d/waterbird/land/2.png', 'waterbird', 'land'],
    ]);
    const reasons = Object.fromEntries(r.skipped.map((s) => [s.path, s.reason]));
    expect(reasons['d/waterbird/land/notes.txt']).toContain('not images');
    expect(reasons['d/waterbird/land/fake.jpg']).toContain('text');
    expect(reasons['d/waterbird/land/empty.jpg']).toContain('0 bytes');
    expect(reasons['d/waterbird/land/pic.heic']).toContain('HEIC');
  });

  it('expands a zip and labels its entries', async () => {
    const zip = zipSync({
      'set/cat/in/a.jpg': JPEG,
      'set/dog/out/b.jpg': JPEG,
      'set/readme.md': new TextEncoder().encode('x'),
    });
    const r = await ingestFiles([file('set.zip', zip)]);
    expect(r.images.map((i) => [i.classFolder, i.attributeFolder])).toEqual([
      ['cat', 'in'],
      ['dog', 'out'],
    ]);
    expect(r.skipped.map((s) => s.path)).toEqual(['set/set/readme.md']);
  });

  it('reports an unreadable zip', async () => {
    const r = await ingestFiles([file('broken.zip', 'not a zip at all')]);
    expect(r.images).toEqual([]);
    expect(r.skipped[0].reason).toContain('unreadable zip');
  });

  it('lets a CSV manifest decide the labels', async () => {
    const r = await ingestFiles([
      file('x/a.jpg', JPEG),
      file('x/b.jpg', JPEG),
      file('x/c.jpg', JPEG),
      file('x/labels.csv', 'path,class,attribute\na.jpg,cat,indoor\nb.jpg,dog,outdoor\nmissing.jpg,dog,outdoor\n'),
    ]);
    expect(r.images.map((i) => [i.id, i.classFolder, i.attributeFolder])).toEqual([
      ['x/a.jpg', 'cat', 'indoor'],
      ['x/b.jpg', 'dog', 'outdoor'],
    ]);
    const reasons = r.skipped.map((s) => `${s.path}: ${s.reason}`);
    expect(reasons.some((s) => s.startsWith('missing.jpg') && s.includes('line 4'))).toBe(true);
    expect(reasons.some((s) => s.startsWith('x/c.jpg') && s.includes('not listed'))).toBe(true);
  });

  it('carries the split of a split folder or a manifest split column to the images (issue 15)', async () => {
    const byFolder = await ingestFiles([file('d/train/cat/in/1.jpg', JPEG), file('d/test/dog/out/2.jpg', JPEG)]);
    expect(byFolder.images.map((i) => [i.classFolder, i.attributeFolder, i.split])).toEqual([
      ['cat', 'in', 'train'],
      ['dog', 'out', 'test'],
    ]);
    const byColumn = await ingestFiles([
      file('x/a.jpg', JPEG),
      file('x/b.jpg', JPEG),
      file('x/labels.csv', 'path,class,split\na.jpg,cat,val\nb.jpg,dog,\n'),
    ]);
    expect(byColumn.images.map((i) => [i.id, i.split])).toEqual([
      ['x/a.jpg', 'val'],
      ['x/b.jpg', undefined],
    ]);
  });

  it('recognises bundles and reports, and explains other JSON', async () => {
    const r = await ingestFiles([
      file('b.json', '{"format":"sage-embeddings/1","dim":2}'),
      file('r.json', '{"format": "sage-report/1"}'),
      file('old.json', '{"format":"sage-embeddings/0"}'),
      file('other.json', '{"a":1}'),
    ]);
    expect(r.specials.map((s) => s.kind)).toEqual(['bundle', 'report']);
    expect(r.skipped.find((s) => s.path === 'old.json')?.reason).toContain(
      'this version of SAGE Explorer reads sage-embeddings/1',
    );
    expect(r.skipped.find((s) => s.path === 'other.json')?.reason).toContain('format');
  });
});

describe('ingestFiles: zipped bundles (sage-embeddings/2)', () => {
  it('keeps a .sage.zip, or a zip whose first entry is bundle.json, whole as a bundle; expands other zips', async () => {
    const bundleZip = zipSync({ 'bundle.json': new TextEncoder().encode('{}'), 'images.npy': JPEG });
    const imagesZip = zipSync({ 'cat/a.jpg': JPEG });
    const r = await ingestFiles([
      file('run.sage.zip', imagesZip),
      file('renamed (1).zip', bundleZip),
      file('set.zip', imagesZip),
    ]);
    expect(r.specials.map((s) => [s.kind, s.name])).toEqual([
      ['bundle', 'run.sage.zip'],
      ['bundle', 'renamed (1).zip'],
    ]);
    expect(r.images.map((i) => i.id)).toEqual(['set/cat/a.jpg']);
  });
});

describe('walkEntries', () => {
  function fileEntry(fullPath: string, bytes: Uint8Array, fail = false): FileEntryLike {
    return {
      isFile: true,
      isDirectory: false,
      name: fullPath.split('/').pop() ?? '',
      fullPath,
      file: (ok, err) => (fail ? err?.(new Error('NotReadableError')) : ok(new Blob([bytes.slice().buffer]))),
    };
  }
  function dirEntry(fullPath: string, children: EntryLike[], pageSize = 100): DirectoryEntryLike {
    return {
      isFile: false,
      isDirectory: true,
      name: fullPath.split('/').pop() ?? '',
      fullPath,
      createReader: () => {
        let offset = 0;
        return {
          readEntries: (ok) => {
            const page = children.slice(offset, offset + pageSize);
            offset += page.length;
            ok(page);
          },
        };
      },
    };
  }

  it('keeps calling readEntries until it returns nothing (Chromium pages at 100)', async () => {
    const children = Array.from({ length: 250 }, (_, i) => fileEntry(`/d/cat/${String(i).padStart(3, '0')}.jpg`, JPEG));
    const root = dirEntry('/d', [dirEntry('/d/cat', children)]);
    const r = await walkEntries([root]);
    expect(r.files.length).toBe(250);
    expect(r.files[0].path).toBe('d/cat/000.jpg');
  });

  it('lists files that fail to read', async () => {
    const r = await walkEntries([fileEntry('/x.jpg', JPEG, true)]);
    expect(r.files).toEqual([]);
    expect(r.skipped).toEqual([{ path: 'x.jpg', reason: 'file could not be read: NotReadableError' }]);
  });
});
