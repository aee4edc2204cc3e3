import { describe, expect, it } from 'vitest';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { ImportError } from './importError';
import { mapRecords, parseNameList } from './importMapping';
import { parseCsvTable, parseParquetTable, readMetadataTable } from './importTable';

/** WILDS Waterbirds' metadata.csv layout: y (0 landbird, 1 waterbird), place (0 land, 1 water), split (0/1/2). */
const WILDS_CSV = [
  'img_id,img_filename,y,split,place,place_filename',
  '1,001.Black_footed_Albatross/a.jpg,1,0,1,/o/ocean/x.jpg',
  '2,001.Black_footed_Albatross/b.jpg,1,2,0,/b/bamboo/y.jpg',
  '3,002.Laysan_Albatross/c.jpg,0,2,0,/f/forest/z.jpg',
  '4,"017.Cardinal/d, e.jpg",0,2,1,/l/lake/w.jpg',
  '',
].join('\n');

const WATERBIRDS = {
  idColumn: 'img_filename',
  classColumn: 'y',
  attributeColumn: 'place',
  classNames: ['landbird', 'waterbird'],
  attributeNames: ['land', 'water'],
};

const failure = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    return (error as Error).message;
  }
  throw new Error('expected an ImportError');
};

describe('metadata tables', () => {
  it('reads a CSV with a header, quoted fields, a BOM and a trailing blank line', () => {
    const table = parseCsvTable(`\uFEFF${WILDS_CSV}`, 'metadata.csv');
    expect(table.columns).toEqual(['img_id', 'img_filename', 'y', 'split', 'place', 'place_filename']);
    expect(table.rows).toHaveLength(4);
    expect(table.rows[3][1]).toBe('017.Cardinal/d, e.jpg');
  });

  it('names a row whose field count does not match the header', () => {
    expect(failure(() => parseCsvTable('id,y\na.jpg,0\nb.jpg\n', 'meta.csv'))).toBe(
      'meta.csv: row 2 (line 3) has 1 field, but the header names 2 columns',
    );
  });

  it('reads Parquet (snappy, int64, strings, nulls) into the same cells a CSV gives', async () => {
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'key', data: ['a.jpg', 'b.jpg', 'c.jpg'], type: 'STRING' },
        { name: 'y', data: [0n, 1n, 1n], type: 'INT64' },
        { name: 'place', data: [1, 0, null], type: 'INT32', nullable: true },
        { name: 'score', data: [0.5, 1, 2.25], type: 'DOUBLE' },
      ],
    });
    const table = await readMetadataTable(new Uint8Array(buffer), 'metadata.parquet');
    expect(table.columns).toEqual(['key', 'y', 'place', 'score']);
    expect(table.rows).toEqual([
      ['a.jpg', '0', '1', '0.5'],
      ['b.jpg', '1', '0', '1'],
      ['c.jpg', '1', '', '2.25'],
    ]);
    await expect(parseParquetTable(new TextEncoder().encode('key,y\n'), 'meta.parquet')).rejects.toThrow(
      /^meta\.parquet: cannot be read as Parquet/,
    );
  });
});

describe('column mapping', () => {
  const table = parseCsvTable(WILDS_CSV, 'metadata.csv');

  it('maps WILDS ids to names (y=0 → the first class name) and keeps table rows for the array', () => {
    const mapped = mapRecords(table, WATERBIRDS);
    expect(mapped.classes).toEqual(['landbird', 'waterbird']);
    expect(mapped.images).toEqual([
      { id: '001.Black_footed_Albatross/a.jpg', class: 'waterbird', attribute: 'water' },
      { id: '001.Black_footed_Albatross/b.jpg', class: 'waterbird', attribute: 'land' },
      { id: '002.Laysan_Albatross/c.jpg', class: 'landbird', attribute: 'land' },
      { id: '017.Cardinal/d, e.jpg', class: 'landbird', attribute: 'water' },
    ]);
    expect(mapped.rows).toEqual([0, 1, 2, 3]);
    expect(mapped.notes).toEqual([]);
  });

  it('keeps one split, remembering which array rows it kept', () => {
    const mapped = mapRecords(table, { ...WATERBIRDS, splitColumn: 'split', split: '2' });
    expect(mapped.rows).toEqual([1, 2, 3]);
    expect(failure(() => mapRecords(table, { ...WATERBIRDS, splitColumn: 'split', split: 'test' }))).toBe(
      '--split: no row of metadata.csv has "test" in column split (values found: "0", "2")',
    );
    expect(failure(() => mapRecords(table, { ...WATERBIRDS, split: '2' }))).toBe(
      '--split needs --split-column too: the split column and the split to keep go together',
    );
  });

  it('without names, the values are the names (sorted as numbers), with a note when they are numbers', () => {
    const mapped = mapRecords(table, { idColumn: 'img_filename', classColumn: 'y', attributeColumn: 'place' });
    expect(mapped.classes).toEqual(['0', '1']);
    expect(mapped.images[0]).toMatchObject({ class: '1', attribute: '1' });
    expect(mapped.notes[0]).toMatch(/^the class column y holds numbers \("0", "1"\); .* --class-names$/);
    expect(mapped.notes[1]).toMatch(/^the attribute column place holds numbers/);
  });

  it('says which row holds an id without a name, in the user’s words', () => {
    expect(failure(() => mapRecords(table, { ...WATERBIRDS, classNames: ['landbird'] }))).toMatch(
      /^--class-names: at least 2 names are needed, 1 given$/,
    );
    const three = parseCsvTable('file,label\na.jpg,0\nb.jpg,1\nc.jpg,3\n', 'meta.csv');
    expect(
      failure(() => mapRecords(three, { idColumn: 'file', classColumn: 'label', classNames: ['cat', 'dog'] })),
    ).toBe('meta.csv row 3 (id "c.jpg"): class id 3 has no name in --class-names (2 names given, for ids 0 … 1)');
    const text = parseCsvTable('file,label\na.jpg,cat\n', 'meta.csv');
    expect(
      failure(() => mapRecords(text, { idColumn: 'file', classColumn: 'label', classNames: ['cat', 'dog'] })),
    ).toBe(
      'meta.csv row 1 (id "a.jpg"): class "cat" in column label is not a number, but --class-names maps ids 0 … 1 to names',
    );
  });

  it('names a missing column with the columns there are, repeated ids, empty ids and classes', () => {
    expect(failure(() => mapRecords(table, { ...WATERBIRDS, classColumn: 'label' }))).toBe(
      '--class-column: metadata.csv has no column "label" (its columns: img_id, img_filename, y, split, place, place_filename)',
    );
    const repeated = parseCsvTable('file,y\na.jpg,0\nb.jpg,1\na.jpg,1\n', 'meta.csv');
    expect(failure(() => mapRecords(repeated, { idColumn: 'file', classColumn: 'y' }))).toBe(
      'meta.csv row 3 (id "a.jpg"): the id repeats meta.csv row 1; ids must be unique',
    );
    const empty = parseCsvTable('file,y\na.jpg,0\n,1\nc.jpg,\n', 'meta.csv');
    expect(failure(() => mapRecords(empty, { idColumn: 'file', classColumn: 'y' }))).toBe(
      'meta.csv row 2: the id column file is empty',
    );
    expect(failure(() => parseNameList('cat,,dog', '--class-names'))).toBe(
      '--class-names: name 2 is empty (names are separated by commas)',
    );
  });
});
