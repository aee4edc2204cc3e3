/**
 * Where `finetune` takes its train/val/test split from, in this order: a CSV (`--split-file`, columns `id` and
 * `--split-column`), the bundle's own image `split` fields (when every image has one), else a seeded stratified
 * 50/20/30 split per (class, attribute) group.
 */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import {
  type EmbeddingBundle,
  type Split,
  bundleSplits,
  checkSplits,
  parseSplitName,
  stratifiedSplit,
} from '../src/core';
import { CliInputError } from './command';

export interface ChosenSplits {
  splits: Split[];
  /** how they were made, for people: "the bundle's image splits", "seeded 50/20/30 split per group (seed 3)", … */
  source: string;
  /** the seed of a split made here, else undefined */
  seed?: number;
}

/** A text file for a flag, or a one-line CliInputError naming the flag and why it cannot be read. */
export function readTextFile(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? 'unreadable');
    throw new CliInputError(`${flag}: cannot read ${path}: ${reason}`);
  }
}

function splitsFromCsv(bundle: EmbeddingBundle, path: string, column: string): Split[] {
  const text = readTextFile(path, '--split-file');
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  const fields = parsed.meta.fields ?? [];
  if (!fields.includes('id'))
    throw new CliInputError(`--split-file ${path}: it needs an "id" column (the bundle's image ids)`);
  if (!fields.includes(column)) {
    throw new CliInputError(
      `--split-file ${path}: it has no "${column}" column (columns: ${fields.join(', ')}); name it with --split-column`,
    );
  }
  const byId = new Map<string, Split>();
  parsed.data.forEach((row, r) => {
    const split = parseSplitName(row[column] ?? '');
    if (split === undefined) {
      throw new CliInputError(
        `--split-file ${path}: row ${r + 2} (${row.id}) has split "${row[column]}"; expected train, val or test`,
      );
    }
    byId.set(row.id, split);
  });
  const missing = bundle.images.filter((image) => !byId.has(image.id));
  if (missing.length > 0) {
    throw new CliInputError(
      `--split-file ${path}: ${missing.length} of the bundle's images are not in it, for example "${missing[0].id}"`,
    );
  }
  return bundle.images.map((image) => byId.get(image.id) ?? 'train');
}

export function chooseSplits(
  bundle: EmbeddingBundle,
  options: { file?: string; column: string; seed: number; needsAttributes: boolean },
): ChosenSplits {
  let chosen: ChosenSplits;
  if (options.file !== undefined) {
    chosen = {
      splits: splitsFromCsv(bundle, options.file, options.column),
      source: `column "${options.column}" of ${options.file}`,
    };
  } else {
    const own = bundleSplits(bundle);
    chosen =
      own === undefined
        ? {
            splits: stratifiedSplit(bundle.images, options.seed),
            source: `a seeded 50/20/30 split per class × attribute group (seed ${options.seed})`,
            seed: options.seed,
          }
        : { splits: own, source: "the bundle's image splits" };
  }
  const problems = checkSplits(bundle.images, chosen.splits, bundle.classes, {
    attributeLabelsInTrain: options.needsAttributes,
  });
  if (problems.length > 0)
    throw new CliInputError(`finetune: the split from ${chosen.source} cannot be used: ${problems.join('; ')}`);
  return chosen;
}
