import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { cycleImages, manifestImagePaths, withUniqueComment } from './images';

const examples = join(import.meta.dirname, '..', 'public', 'examples', 'waterbirds-lite');
const manifest: unknown = JSON.parse(readFileSync(join(examples, 'manifest.json'), 'utf8'));

describe('withUniqueComment', () => {
  const jpeg = new Uint8Array(readFileSync(join(examples, manifestImagePaths(manifest)[0])));

  it('inserts a COM segment right after SOI and keeps the rest byte for byte', () => {
    const tagged = withUniqueComment(jpeg, 'run-1/0');
    const tag = new TextEncoder().encode('run-1/0');
    expect(Array.from(tagged.subarray(0, 6))).toEqual([0xff, 0xd8, 0xff, 0xfe, 0, tag.length + 2]);
    expect(new TextDecoder().decode(tagged.subarray(6, 6 + tag.length))).toBe('run-1/0');
    expect(Buffer.from(tagged.subarray(6 + tag.length)).equals(Buffer.from(jpeg.subarray(2)))).toBe(true);
  });

  it('leaves the decoded pixels unchanged', async () => {
    const original = await sharp(jpeg).raw().toBuffer();
    const tagged = await sharp(withUniqueComment(jpeg, 'x'.repeat(300)))
      .raw()
      .toBuffer();
    expect(tagged.equals(original)).toBe(true);
  });

  it('refuses bytes that are not a JPEG', () => {
    expect(() => withUniqueComment(new Uint8Array([0x89, 0x50, 0x4e, 0x47]), 't')).toThrow(
      /expected JPEG bytes starting with FF D8, got 89 50/,
    );
  });
});

describe('cycleImages', () => {
  it('cycles the sources, with ids and bytes unique per run tag', () => {
    const a = new Uint8Array([0xff, 0xd8, 1, 2]);
    const b = new Uint8Array([0xff, 0xd8, 3, 4]);
    const images = cycleImages([a, b], 5, 'r1');
    expect(images.map((image) => image.id)).toEqual(['r1/0', 'r1/1', 'r1/2', 'r1/3', 'r1/4']);
    expect(images[2].bytes.subarray(-2)).toEqual(a.subarray(2));
    expect(images[3].bytes.subarray(-2)).toEqual(b.subarray(2));
    const other = cycleImages([a, b], 1, 'r2');
    expect(Buffer.from(other[0].bytes).equals(Buffer.from(images[0].bytes))).toBe(false);
  });
  it('names bad arguments', () => {
    expect(() => cycleImages([], 1, 'r')).toThrow(/no source images/);
    expect(() => cycleImages([new Uint8Array([0xff, 0xd8, 0, 0])], 1.5, 'r')).toThrow(
      /count must be a non-negative integer, got 1.5/,
    );
  });
});

describe('manifestImagePaths', () => {
  it('reads the committed example manifest in order', () => {
    const paths = manifestImagePaths(manifest);
    expect(paths.length).toBe(150);
    expect(paths[0]).toBe('landbird/land/0001.jpg');
  });
  it('names the offending entry', () => {
    expect(() => manifestImagePaths({ images: [{ path: 'a.jpg' }, { path: 3 }] })).toThrow(
      'manifest.images[1].path: expected a string',
    );
    expect(() => manifestImagePaths({})).toThrow('manifest.images: expected an array');
  });
});
