/**
 * Ingest robustness (issue 7): what happens to bad and awkward drops before any decoding. The ingest reads
 * only a file's name and first bytes; files whose problem is deeper (truncated, bad CRC, 400 MP) pass here
 * and are skipped by the decoder with its reason (src/model/decodeNode.robustness.test.ts, e2e/robustness.spec.ts).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LONG_NAME, UNICODE_NAME, writeRobustnessFixtures } from '../../../scripts/robustness-fixtures';
import { runInputProblems } from '../datasetChecks';
import { summariseDataset } from '../datasetSummary';
import { describeNoImages, ingestFiles, type DroppedFile } from './ingest';

let dir = '';
let dropped: DroppedFile[] = [];

function walk(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sage-ingest-'));
  await writeRobustnessFixtures(join(dir, 'drop/cls'));
  // a folder picker gives paths relative to the picked folder: drop/cls/{bad,odd}/file
  dropped = walk(join(dir, 'drop')).map((file) => ({
    path: relative(dir, file),
    blob: new Blob([readFileSync(file)]),
  }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const blob = (text = '\xff\xd8\xff fake jpeg head') => new Blob([Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff)]);

describe('ingest of the bad-file fixtures: nothing is dropped silently', () => {
  it('files decidable from name and first bytes are skipped with a reason; the rest reach the dataset', async () => {
    const result = await ingestFiles(dropped);
    const reasonOf = (name: string) => result.skipped.find((s) => s.path.endsWith(name))?.reason;
    expect(reasonOf('zero-byte.jpg')).toBe('empty file (0 bytes)');
    expect(reasonOf('text-named.jpg')).toBe('not an image: the file contains text');
    expect(reasonOf('vector.svg')).toMatch(/SVG is a vector format/);
    expect(reasonOf('iphone.heic')).toMatch(/HEIC images are not supported/);
    expect(reasonOf('scan.tiff')).toMatch(/TIFF images are not supported/);
    // deeper problems pass the ingest and are refused by the decoder, which adds them to the skipped list
    const imageIds = result.images.map((i) => i.id);
    for (const name of ['truncated.jpg', 'bad-crc.png', 'bomb-20000.png'])
      expect(
        imageIds.some((id) => id.endsWith(name)),
        name,
      ).toBe(true);
    // accounting: every dropped file is either an image or skipped
    expect(result.images.length + result.skipped.length).toBe(dropped.length);
  });

  it('unicode and 200-byte names keep their exact path as id', async () => {
    const result = await ingestFiles(dropped);
    const ids = result.images.map((i) => i.id);
    expect(ids).toContain(`drop/cls/odd/${UNICODE_NAME}`);
    expect(ids).toContain(`drop/cls/odd/${LONG_NAME}`);
  });

  it('duplicate content under two names is kept twice (two images); the same path twice is skipped once, with why', async () => {
    const result = await ingestFiles([...dropped, { path: 'drop/cls/odd/duplicate-a.jpg', blob: blob() }]);
    expect(result.images.filter((i) => /duplicate-[ab]\.jpg$/.test(i.id))).toHaveLength(2);
    expect(result.skipped).toContainEqual({
      path: 'drop/cls/odd/duplicate-a.jpg',
      reason: 'duplicate path; the first copy was kept',
    });
  });
});

describe('ingest layout edge cases', () => {
  it('5,000 files in one drop are grouped (class/attribute) without loss', async () => {
    const files: DroppedFile[] = [];
    for (let i = 0; i < 5000; i++) {
      files.push({
        path: `birds/${i % 2 ? 'waterbird' : 'landbird'}/${i % 3 ? 'land' : 'water'}/img-${i}.jpg`,
        blob: blob(),
      });
    }
    const result = await ingestFiles(files);
    expect(result.images).toHaveLength(5000);
    expect(result.skipped).toHaveLength(0);
    const summary = summariseDataset(result.images);
    expect(summary.classFolders).toEqual(['landbird', 'waterbird']);
    expect(summary.attributeFolders).toEqual(['land', 'water']);
    const counts = summary.cells.flat().map((cell) => cell.members.length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(5000);
    expect(Math.min(...counts)).toBeGreaterThan(800);
  });

  it('a folder nested deeper than class/attribute/image uses the first two levels and says so', async () => {
    const result = await ingestFiles([
      { path: 'd/landbird/land/2024/trip/a.jpg', blob: blob() },
      { path: 'd/waterbird/water/b.jpg', blob: blob() },
    ]);
    expect(result.images.map((i) => [i.classFolder, i.attributeFolder])).toEqual([
      ['landbird', 'land'],
      ['waterbird', 'water'],
    ]);
    expect(result.notes.join(' ')).toMatch(/1 image was nested deeper than class\/attribute\/image/);
  });

  it('a group with one image is kept and warned about', async () => {
    const files: DroppedFile[] = [{ path: 'd/landbird/water/only.jpg', blob: blob() }];
    for (let i = 0; i < 6; i++)
      files.push(
        { path: `d/landbird/land/${i}.jpg`, blob: blob() },
        { path: `d/waterbird/water/${i}.jpg`, blob: blob() },
        { path: `d/waterbird/land/${i}.jpg`, blob: blob() },
      );
    const result = await ingestFiles(files);
    expect(result.images).toHaveLength(19);
    expect(summariseDataset(result.images).warnings).toContain(
      'Group landbird / water has only 1 image(s): its accuracy is very uncertain.',
    );
  });

  it('a single class (class/image) is kept, and the dataset check says a run needs two classes', async () => {
    const result = await ingestFiles([
      { path: 'd/landbird/a.jpg', blob: blob() },
      { path: 'd/landbird/b.jpg', blob: blob() },
    ]);
    expect(result.images).toHaveLength(2);
    expect(summariseDataset(result.images).singleClass).toBe(
      'This folder holds one class, landbird. A bias check needs at least two classes: drop the folder that contains landbird and the other classes.',
    );
  });

  // issue 13 §4: d/landbird/{land,water}/… used to be read as two classes "land" and "water"
  it('a single class with attribute folders is one class with attributes, refused with its reason', async () => {
    const result = await ingestFiles([
      { path: 'd/landbird/land/a.jpg', blob: blob() },
      { path: 'd/landbird/water/b.jpg', blob: blob() },
    ]);
    expect(result.images.map((i) => [i.classFolder, i.attributeFolder])).toEqual([
      ['landbird', 'land'],
      ['landbird', 'water'],
    ]);
    const summary = summariseDataset(result.images);
    expect(summary.classFolders).toEqual(['landbird']);
    // Run stays disabled with the reason beside it
    expect(
      runInputProblems({
        classFolders: summary.classFolders,
        classes: summary.classFolders,
        templates: ['a photo of a {}.'],
        groupPromptPattern: 'a photo of a {class} on {attribute}.',
        hasAttributes: true,
      }),
    ).toEqual(['Only one class (landbird): add images of at least one more class to compare.']);
    expect(summary.singleClass).toBe(
      'This folder holds one class, landbird, with attributes land and water. A bias check needs at least two classes: drop the folder that contains landbird and the other classes.',
    );
  });

  it('no images at all is said in words', async () => {
    const none = await ingestFiles([]);
    expect(none.images).toHaveLength(0);
    expect(describeNoImages(none)).toBe('The folder is empty: there are no images in it.');
    const text = await ingestFiles([{ path: 'd/readme.txt', blob: new Blob(['hi']) }]);
    expect(describeNoImages(text)).toBe(
      'No images here: 1 file was found, and it is not an image (see the list below).',
    );
  });
});
