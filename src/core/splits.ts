/**
 * Train / validation / test splits (issue 15): a seeded split stratified per group (class × attribute), the
 * reading of users' split names, and the check that a split can train and evaluate an adapter, in words.
 */
import { mulberry32 } from './random';
import { SPLITS, type Split } from './types';

export interface SplitFractions {
  train: number;
  val: number;
  test: number;
}

/** 50/20/30 per group (issue 15). */
export const DEFAULT_SPLIT_FRACTIONS: Readonly<SplitFractions> = Object.freeze({ train: 0.5, val: 0.2, test: 0.3 });

const SPLIT_NAMES: Record<string, Split> = {
  train: 'train',
  training: 'train',
  val: 'val',
  valid: 'val',
  validation: 'val',
  dev: 'val',
  test: 'test',
  testing: 'test',
};

/** A split named in a folder level or table column ("Train", "validation", "dev", "test", …); undefined otherwise. */
export function parseSplitName(text: string): Split | undefined {
  return SPLIT_NAMES[text.trim().toLowerCase()];
}

/** The images per split. */
export function countSplits(splits: readonly (Split | undefined)[]): Record<Split, number> {
  const counts: Record<Split, number> = { train: 0, val: 0, test: 0 };
  for (const split of splits) if (split !== undefined) counts[split]++;
  return counts;
}

/** Image indices of one split, in image order. */
export function splitIndices(splits: readonly (Split | undefined)[], split: Split): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < splits.length; i++) if (splits[i] === split) out.push(i);
  return Int32Array.from(out);
}

/**
 * A seeded split stratified per (class, attribute) group: each group's images are shuffled (mulberry32(seed),
 * groups in order of first appearance) and cut at round(n·train) and round(n·(train + val)), so a group of 10 gives
 * 5/2/3. The same images, order and seed give the same split in the CLI and the app.
 */
export function stratifiedSplit(
  images: readonly { class: string; attribute: string }[],
  seed: number,
  fractions: SplitFractions = DEFAULT_SPLIT_FRACTIONS,
): Split[] {
  const total = fractions.train + fractions.val + fractions.test;
  if (!(fractions.train >= 0 && fractions.val >= 0 && fractions.test >= 0 && total > 0)) {
    throw new RangeError('split fractions must be non-negative and not all zero');
  }
  const groups = new Map<string, number[]>();
  images.forEach((image, i) => {
    const key = JSON.stringify([image.class, image.attribute]);
    const members = groups.get(key);
    if (members === undefined) groups.set(key, [i]);
    else members.push(i);
  });
  const next = mulberry32(seed);
  const out = new Array<Split>(images.length);
  for (const members of groups.values()) {
    for (let j = members.length - 1; j > 0; j--) {
      const pick = Math.floor(next() * (j + 1));
      const tmp = members[j];
      members[j] = members[pick];
      members[pick] = tmp;
    }
    const n = members.length;
    const trainEnd = Math.round((n * fractions.train) / total);
    const valEnd = Math.round((n * (fractions.train + fractions.val)) / total);
    members.forEach((image, k) => {
      out[image] = k < trainEnd ? 'train' : k < valEnd ? 'val' : 'test';
    });
  }
  return out;
}

const SPLIT_WORDS: Record<Split, string> = { train: 'training', val: 'validation', test: 'test' };

export interface SplitRequirements {
  /** the `vs` variant: every training image needs an attribute */
  attributeLabelsInTrain?: boolean;
}

/**
 * What keeps these splits from training and evaluating an adapter, as sentences (empty when they can): every image
 * needs a split, and every class needs images in each split; with `attributeLabelsInTrain`, training images need
 * an attribute.
 */
export function checkSplits(
  images: readonly { class: string; attribute: string }[],
  splits: readonly (Split | undefined)[],
  classes: readonly string[],
  requirements: SplitRequirements = {},
): string[] {
  const problems: string[] = [];
  if (splits.length !== images.length) {
    return [`the split list has ${splits.length} entries but there are ${images.length} images`];
  }
  const unassigned = splits.filter((split) => split === undefined).length;
  if (unassigned > 0) {
    const first = splits.findIndex((split) => split === undefined);
    problems.push(
      `${unassigned} image${unassigned === 1 ? ' has' : 's have'} no split (train, val or test), for example image ${first + 1}`,
    );
  }
  const counts = new Map<string, Record<Split, number>>(classes.map((cls) => [cls, { train: 0, val: 0, test: 0 }]));
  images.forEach((image, i) => {
    const split = splits[i];
    const row = counts.get(image.class);
    if (split !== undefined && row !== undefined) row[split]++;
  });
  classes.forEach((cls, c) => {
    const row = counts.get(cls);
    if (row === undefined) return;
    const empty = SPLITS.filter((split) => row[split] === 0).map((split) => SPLIT_WORDS[split]);
    if (empty.length > 0) {
      problems.push(
        `class ${c + 1} (${cls}) has no ${empty.join(' or ')} images: each class needs images in the training, validation and test splits`,
      );
    }
  });
  if (requirements.attributeLabelsInTrain) {
    const missing = images.filter((image, i) => splits[i] === 'train' && image.attribute === '').length;
    if (missing > 0) {
      problems.push(
        `${missing} training image${missing === 1 ? ' has' : 's have'} no attribute: the "vs" variant learns to predict the attribute, so every training image needs one (or use the "ls" variant, which needs only the attribute words)`,
      );
    }
  }
  return problems;
}
