import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { type EmbeddingBundle, FieldError, parseBundle, serializeBundle } from '../src/core';
import { npyBytes, npzBytes, roundToHalf } from '../src/core/npyFiles.fixture';
import { CliInputError } from './command';
import { main } from './main';
import { runCli, writeTempFiles } from './runCli.fixture';
import { ATTRIBUTES, CLASSES, exportAsArrays } from './importArrays.fixture';
import { syntheticBundle } from './testBundle.fixture';

const MAPPING = [
  '--id-column',
  'img_filename',
  '--class-column',
  'y',
  '--class-names',
  CLASSES.join(','),
  '--attribute-column',
  'place',
  '--attribute-names',
  ATTRIBUTES.join(','),
  '--split-column',
  'split',
  '--split',
  '2',
  '--model-name',
  'synthetic',
];

function analyze(bundlePath: string, method: string): { predictions: unknown[]; metrics: unknown } {
  const run = runCli(['analyze', bundlePath, '--method', method, '--format', 'json']);
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { predictions: unknown[]; metrics: unknown };
}

/** The import in-process (each spawned CLI costs seconds on a shared machine); `main` throws what exits 2. */
async function importBundle(args: string[]): Promise<void> {
  expect(await main(['import', ...args])).toBe(0);
}

/**
 * The imported bundle holds the reference's data exactly (so every method agrees), and the CLI's analyze
 * output — predictions, metrics, template statistics — is the same for both.
 */
function expectSameAnalysis(imported: string, reference: string) {
  const got = parseBundle(readFileSync(imported, 'utf8'));
  const want = parseBundle(readFileSync(reference, 'utf8'));
  expect(got.images).toEqual(want.images);
  expect(Array.from(got.imageEmbeddings)).toEqual(Array.from(want.imageEmbeddings));
  expect(Array.from(got.text)).toEqual(Array.from(want.text));
  expect({ classes: got.classes, templates: got.templates, model: got.model }).toEqual({
    classes: want.classes,
    templates: want.templates,
    model: want.model,
  });
  const analysis = analyze(imported, 'sage');
  const referenceAnalysis = analyze(reference, 'sage');
  expect(analysis.predictions.length).toBe(want.images.length);
  expect(analysis.predictions).toEqual(referenceAnalysis.predictions);
  expect(analysis.metrics).toEqual(referenceAnalysis.metrics);
  expect(analysis).toEqual(referenceAnalysis);
}

describe('sage-explorer import', () => {
  const bundle = syntheticBundle({ n: 24, dim: 8, seed: 5 });
  const templatesJson = JSON.stringify(bundle.templates);

  it('npy + csv → import → analyze equals the same data given as a JSON bundle', () => {
    const arrays = exportAsArrays(bundle);
    const dim = bundle.dim;
    const files = writeTempFiles({
      'metadata.csv': arrays.csv,
      'templates.json': templatesJson,
      'ref.json': serializeBundle(bundle),
    });
    const dir = join(files['metadata.csv'], '..');
    writeFileSync(join(dir, 'emb.npy'), npyBytes(arrays.images, arrays.rows.length, dim));
    writeFileSync(join(dir, 'text.npy'), npyBytes(arrays.text, arrays.text.length / dim, dim));
    const out = join(dir, 'imported.json');
    const run = runCli([
      'import',
      '--images',
      join(dir, 'emb.npy'),
      '--metadata',
      files['metadata.csv'],
      ...MAPPING,
      '--text',
      join(dir, 'text.npy'),
      '--templates',
      files['templates.json'],
      '--out',
      out,
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      `imported 24 of ${arrays.rows.length} rows (float32, dim 8): 2 classes, 2 attribute values, 5 templates`,
    );
    expectSameAnalysis(out, files['ref.json']);
  });

  it('Parquet metadata with a float16 array: equals the JSON bundle of the float16 values', async () => {
    const arrays = exportAsArrays(bundle);
    const dim = bundle.dim;
    // what the importer must see: the float16 values, not the float32 ones they were rounded from
    const halfBundle: EmbeddingBundle = { ...bundle, imageEmbeddings: roundToHalf(bundle.imageEmbeddings) };
    const files = writeTempFiles({
      'templates.txt': `${bundle.templates.join('\n')}\n`,
      'ref.json': serializeBundle(halfBundle),
    });
    const dir = join(files['ref.json'], '..');
    const parquet = parquetWriteBuffer({
      columnData: [
        { name: 'img_filename', data: arrays.rows.map((r) => r.file), type: 'STRING' },
        { name: 'y', data: arrays.rows.map((r) => BigInt(r.y)), type: 'INT64' },
        { name: 'place', data: arrays.rows.map((r) => r.place), type: 'INT32' },
        { name: 'split', data: arrays.rows.map((r) => r.split), type: 'INT32' },
      ],
    });
    writeFileSync(join(dir, 'metadata.parquet'), new Uint8Array(parquet));
    writeFileSync(join(dir, 'emb.npy'), npyBytes(arrays.images, arrays.rows.length, dim, { dtype: 'float16' }));
    writeFileSync(join(dir, 'text.npy'), npyBytes(arrays.text, arrays.text.length / dim, dim));
    const out = join(dir, 'imported.json');
    await importBundle([
      '--images',
      join(dir, 'emb.npy'),
      '--metadata',
      join(dir, 'metadata.parquet'),
      ...MAPPING,
      '--text',
      join(dir, 'text.npy'),
      '--templates',
      files['templates.txt'],
      '--out',
      out,
    ]);
    expect(parseBundle(readFileSync(out, 'utf8')).meta).toMatchObject({ imageDtype: 'float16' });
    expectSameAnalysis(out, files['ref.json']);
  });

  it('.npz holding both arrays (np.savez_compressed), named with file.npz:array', async () => {
    const arrays = exportAsArrays(bundle);
    const dim = bundle.dim;
    const files = writeTempFiles({
      'metadata.csv': arrays.csv,
      'templates.json': templatesJson,
      'ref.json': serializeBundle(bundle),
    });
    const dir = join(files['ref.json'], '..');
    const npz = npzBytes(
      {
        image_features: npyBytes(arrays.images, arrays.rows.length, dim),
        text_features: npyBytes(arrays.text, arrays.text.length / dim, dim),
      },
      true,
    );
    writeFileSync(join(dir, 'features.npz'), npz);
    const out = join(dir, 'imported.json');
    const npzPath = join(dir, 'features.npz');
    const base = ['import', '--metadata', files['metadata.csv'], ...MAPPING, '--templates', files['templates.json']];
    await importBundle([
      ...base.slice(1),
      '--images',
      `${npzPath}:image_features`,
      '--text',
      `${npzPath}:text_features`,
      '--out',
      out,
    ]);
    expectSameAnalysis(out, files['ref.json']);
    const ambiguous = runCli([...base, '--images', npzPath, '--text', `${npzPath}:text_features`]);
    expect(ambiguous.status).toBe(2);
    expect(ambiguous.stderr).toBe(
      'sage-explorer: features.npz: holds 2 arrays (image_features, text_features); say which one, e.g. features.npz:image_features\n',
    );
  });

  it('refuses inputs that do not fit together with one sentence naming the file, column or row', async () => {
    const arrays = exportAsArrays(bundle);
    const dim = bundle.dim;
    const files = writeTempFiles({ 'metadata.csv': arrays.csv, 'templates.json': templatesJson });
    const dir = join(files['metadata.csv'], '..');
    writeFileSync(join(dir, 'emb.npy'), npyBytes(arrays.images, arrays.rows.length, dim));
    writeFileSync(join(dir, 'short.npy'), npyBytes(arrays.images, arrays.rows.length - 1, dim));
    writeFileSync(join(dir, 'fortran.npy'), npyBytes(arrays.images, arrays.rows.length, dim, { fortran: true }));
    writeFileSync(join(dir, 'text.npy'), npyBytes(arrays.text, arrays.text.length / dim, dim));
    const base = [
      'import',
      '--metadata',
      files['metadata.csv'],
      '--templates',
      files['templates.json'],
      '--text',
      join(dir, 'text.npy'),
    ];
    // in-process: what main throws is the line the CLI prints after "sage-explorer: " with exit 2
    const fails = async (args: string[]): Promise<string> => {
      try {
        await main([...base, ...args]);
      } catch (error) {
        expect(error instanceof CliInputError || error instanceof FieldError).toBe(true);
        return `sage-explorer: ${(error as Error).message}`;
      }
      throw new Error(`import succeeded: ${args.join(' ')}`);
    };
    expect(await fails(['--images', join(dir, 'emb.npy'), ...MAPPING.slice(0, 4), '--class-names', 'landbird'])).toBe(
      'sage-explorer: --class-names: at least 2 names are needed, 1 given',
    );
    expect(await fails(['--images', join(dir, 'short.npy'), ...MAPPING])).toBe(
      `sage-explorer: short.npy has ${arrays.rows.length - 1} rows but metadata.csv has ${arrays.rows.length} data rows; row r of the array must be the image of row r of the table`,
    );
    expect(await fails(['--images', join(dir, 'fortran.npy'), ...MAPPING])).toMatch(
      /fortran\.npy: is stored in Fortran/,
    );
    expect(await fails(['--images', join(dir, 'emb.npy'), ...MAPPING, '--class-column', 'label'])).toMatch(
      /^sage-explorer: --class-column: metadata\.csv has no column "label" \(its columns: img_id, img_filename, y, split, place\)$/,
    );
    await expect(
      main(['import', '--images', join(dir, 'emb.npy'), '--metadata', files['metadata.csv'], ...MAPPING]),
    ).rejects.toThrow(/the text side is missing: give --text text\.npy .* or --model M/);
    const oneClassName = ['--class-names', 'landbird,waterbird,heron'];
    const wrongRows = await fails(['--images', join(dir, 'emb.npy'), ...MAPPING, ...oneClassName]);
    expect(wrongRows).toBe(
      'sage-explorer: text.npy: has 10 rows, expected one per template and class: 5 templates × 3 classes = 15, template-major (row t·3 + c is template t with class c)',
    );
  });
});
