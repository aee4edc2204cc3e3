import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  adapterDataFromBundle,
  chooseTrainingTemplates,
  countSplits,
  parseAdapter,
  serializeAdapter,
  serializeBundle,
  stratifiedSplit,
  trainAdapter,
} from '../src/core';
import { plantedBundle } from '../src/core/plantedBundle.fixture';
import { runCli, writeTempFiles } from './runCli.fixture';

interface RowJson {
  label: string;
  knowledge: string;
  n: number;
  accuracy: number;
  worstGroupAccuracy: number;
}

const bundle = plantedBundle({ seed: 2, dim: 32, perClass: 120 });
const withSplits = plantedBundle({ seed: 2, dim: 32, perClass: 120, splits: stratifiedSplit(bundle.images, 77) });
const files = writeTempFiles({
  'bundle.json': serializeBundle(bundle),
  'split-bundle.json': serializeBundle(withSplits),
  'splits.csv': `id,fold\n${withSplits.images.map((image) => `${image.id},${image.split === 'val' ? 'Validation' : image.split}`).join('\n')}\n`,
  'no-prompts.json': serializeBundle({ ...bundle, prompts: undefined }),
  'unlabelled.json': serializeBundle({
    ...bundle,
    images: bundle.images.map((image, i) => (i % 7 === 0 ? { ...image, attribute: '' } : image)),
  }),
  'broken-adapter.json': '{"format":"sage-adapter/1","dim":4}',
});
const adapterPath = files['bundle.json'].replace('bundle.json', 'adapter.json');

describe('sage-explorer finetune', () => {
  it('trains with a seeded split, prints per-epoch lines and the test comparison, and writes the adapter', () => {
    const run = runCli(['finetune', files['bundle.json'], '--epochs', '8', '--seed', '3', '--out', adapterPath]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      'train 120, val 48, test 72; a seeded 50/20/30 split per class × attribute group (seed 3)',
    );
    expect(run.stdout).toMatch(
      /^epoch 1\/8 {2}loss \d+\.\d{4} {2}train [\d.]+\/[\d.]+ {2}val [\d.]+\/[\d.]+ {2}test /m,
    );
    expect(run.stdout).toContain('On the test split (72 images;');
    expect(run.stdout).toMatch(/Yang et al\. 2023 adapter \(ls, 8 templates, seed 3, epoch \d of 8\)/);
    // the app trains through the same core calls: the CLI's adapter is exactly theirs
    const splits = stratifiedSplit(bundle.images, 3);
    const data = adapterDataFromBundle(bundle, { splits, templates: chooseTrainingTemplates(bundle.templates) });
    const expected = trainAdapter(data, { variant: 'ls', epochs: 8, seed: 3 });
    expect(serializeAdapter(parseAdapter(readFileSync(adapterPath, 'utf8')))).toBe(serializeAdapter(expected));
  });

  it("uses the bundle images' own splits, and reports (json) the adapter above zero-shot on the test split", () => {
    const run = runCli([
      'finetune',
      files['split-bundle.json'],
      '--variant',
      'vs',
      '--epochs',
      '20',
      '--format',
      'json',
    ]);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('epoch 20/20');
    const output = JSON.parse(run.stdout) as { splitSource: string; splitSizes: unknown; test: RowJson[] };
    expect(output.splitSource).toBe("the bundle's image splits");
    expect(output.splitSizes).toEqual(countSplits(withSplits.images.map((image) => image.split)));
    const zeroShot = output.test[0];
    const trained = output.test[output.test.length - 1];
    expect(zeroShot.label).toBe('zeroshot (template 7)');
    expect(trained.knowledge).toBe('trained; class labels + attribute labels');
    expect(trained.n).toBe(72);
    // measured: zero-shot 0.000, trained 0.667 (the smallest test group has 6 images)
    expect(trained.worstGroupAccuracy).toBeGreaterThan(zeroShot.worstGroupAccuracy + 0.3);
  });

  it('reads splits from a CSV column, with the usual names', () => {
    const run = runCli([
      'finetune',
      files['bundle.json'],
      '--epochs',
      '1',
      '--split-file',
      files['splits.csv'],
      '--split-column',
      'fold',
    ]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`column "fold" of ${files['splits.csv']}`);
    const missing = runCli(['finetune', files['bundle.json'], '--split-file', files['splits.csv']]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('it has no "split" column (columns: id, fold); name it with --split-column');
  });

  it('explains what is missing: attribute prompts, attributes for vs', () => {
    const noPrompts = runCli(['finetune', files['no-prompts.json']]);
    expect(noPrompts.status).toBe(2);
    expect(noPrompts.stderr).toContain(
      'training needs the text embedding of 16 attribute prompts (e.g. "itap of a land.") that the bundle does not have: pass --model',
    );
    const unlabelled = runCli(['finetune', files['unlabelled.json'], '--variant', 'vs']);
    expect(unlabelled.status).toBe(2);
    expect(unlabelled.stderr).toMatch(
      /training images? (has|have) no attribute: the "vs" variant learns to predict the attribute/,
    );
  });
});

describe('sage-explorer analyze --adapter', () => {
  it('shows the adapter next to the method on the test split of a bundle whose images carry splits', () => {
    const run = runCli(['analyze', files['split-bundle.json'], '--method', 'sage', '--adapter', adapterPath]);
    expect(run.status).toBe(0);
    const output = JSON.parse(run.stdout) as {
      adapter: { scoredOn: string; method: RowJson; adapter: RowJson; seed: number };
    };
    expect(output.adapter.scoredOn).toBe('test split');
    expect(output.adapter.seed).toBe(3);
    expect(output.adapter.method.n).toBe(72);
    expect(output.adapter.adapter.n).toBe(72);
    const table = runCli(['analyze', files['bundle.json'], '--adapter', adapterPath, '--format', 'table']);
    expect(table.stdout).toContain(
      `Trained adapter ${adapterPath}, on all 240 images (the bundle's images carry no split`,
    );
  });

  it('explains a broken adapter file', () => {
    const run = runCli(['analyze', files['bundle.json'], '--adapter', files['broken-adapter.json']]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      `--adapter ${files['broken-adapter.json']}: this file is not a SAGE adapter: it has no variant`,
    );
  });
});
