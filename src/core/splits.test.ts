import { describe, expect, it } from 'vitest';
import { BundleError, parseBundle, serializeBundle } from './bundle';
import { bytesSource, readBinaryBundle, serializeBinaryBundle } from './bundleBinary';
import { makeBundle } from './bundle.fixture';
import { checkSplits, countSplits, parseSplitName, splitIndices, stratifiedSplit } from './splits';
import type { Split } from './types';

function groupImages(sizes: Record<string, number>) {
  return Object.entries(sizes).flatMap(([group, n]) => {
    const [cls, attribute] = group.split('/');
    return Array.from({ length: n }, () => ({ class: cls, attribute }));
  });
}

describe('stratifiedSplit', () => {
  const images = groupImages({ 'landbird/land': 10, 'landbird/water': 3, 'waterbird/water': 20, 'waterbird/land': 1 });

  it('cuts every group 50/20/30 (rounded): 10 → 5/2/3, 3 → 2/0/1, 20 → 10/4/6, 1 → 1/0/0', () => {
    const splits = stratifiedSplit(images, 7);
    const perGroup = (from: number, to: number) => countSplits(splits.slice(from, to));
    expect(perGroup(0, 10)).toEqual({ train: 5, val: 2, test: 3 });
    expect(perGroup(10, 13)).toEqual({ train: 2, val: 0, test: 1 });
    expect(perGroup(13, 33)).toEqual({ train: 10, val: 4, test: 6 });
    expect(perGroup(33, 34)).toEqual({ train: 1, val: 0, test: 0 });
  });

  it('is the same for the same seed and shuffles differently for another', () => {
    expect(stratifiedSplit(images, 7)).toEqual(stratifiedSplit(images, 7));
    expect(stratifiedSplit(images, 8)).not.toEqual(stratifiedSplit(images, 7));
  });

  it('takes other fractions, and interleaved groups keep their own cuts', () => {
    const mixed = groupImages({ 'a/x': 4, 'b/x': 4 });
    const interleaved = [0, 4, 1, 5, 2, 6, 3, 7].map((i) => mixed[i]);
    const splits = stratifiedSplit(interleaved, 1, { train: 1, val: 1, test: 2 });
    expect(countSplits(splits.filter((_, i) => i % 2 === 0))).toEqual({ train: 1, val: 1, test: 2 });
    expect(countSplits(splits.filter((_, i) => i % 2 === 1))).toEqual({ train: 1, val: 1, test: 2 });
    expect(Array.from(splitIndices(splits, 'train'))).toHaveLength(2);
  });
});

describe('checkSplits explains what is missing', () => {
  const images = groupImages({ 'landbird/land': 3, 'waterbird/water': 3 });
  const classes = ['landbird', 'waterbird'];
  const complete: Split[] = ['train', 'val', 'test', 'train', 'val', 'test'];

  it('accepts a split with every class in every split', () => {
    expect(checkSplits(images, complete, classes)).toEqual([]);
  });

  it('names the class and the empty splits, and counts images without a split', () => {
    const problems = checkSplits(images, ['train', 'train', undefined, 'train', 'val', 'test'], classes);
    expect(problems).toEqual([
      '1 image has no split (train, val or test), for example image 3',
      'class 1 (landbird) has no validation or test images: each class needs images in the training, validation and test splits',
    ]);
  });

  it('for "vs", asks for attributes on the training images', () => {
    const unlabelled = images.map((image, i) => (i < 2 ? { ...image, attribute: '' } : image));
    expect(checkSplits(unlabelled, complete, classes, { attributeLabelsInTrain: true })).toEqual([
      '1 training image has no attribute: the "vs" variant learns to predict the attribute, so every training image needs one (or use the "ls" variant, which needs only the attribute words)',
    ]);
  });
});

describe('parseSplitName', () => {
  it('reads the usual folder and column names', () => {
    expect(['Train', 'training', 'val', 'Validation', 'valid', 'dev', 'TEST', ' testing '].map(parseSplitName)).toEqual(
      ['train', 'train', 'val', 'val', 'val', 'val', 'test', 'test'],
    );
    expect(parseSplitName('holdout')).toBeUndefined();
  });
});

describe('bundle images may carry a split', () => {
  const withSplits = () => {
    const bundle = makeBundle();
    bundle.images[0].split = 'train';
    bundle.images[2].split = 'test';
    return bundle;
  };

  it('round-trips through the JSON bundle; images without one stay without', () => {
    const parsed = parseBundle(serializeBundle(withSplits()));
    expect(parsed.images.map((image) => image.split)).toEqual(['train', undefined, 'test']);
    expect(Object.hasOwn(parsed.images[1], 'split')).toBe(false);
  });

  it('round-trips through the sage-embeddings/2 zip', async () => {
    const parsed = await readBinaryBundle(bytesSource(serializeBinaryBundle(withSplits())));
    expect(parsed.images.map((image) => image.split)).toEqual(['train', undefined, 'test']);
  });

  it('refuses an unknown split name, naming the image', () => {
    const json = JSON.parse(serializeBundle(withSplits())) as { images: { split?: string }[] };
    json.images[1].split = 'validation';
    expect(() => parseBundle(json)).toThrow(BundleError);
    expect(() => parseBundle(json)).toThrow(
      'image 2 (waterbird/land/2.jpg): split should be one of "train", "val", "test", but is "validation"',
    );
  });
});
