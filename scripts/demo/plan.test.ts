import { describe, expect, it } from 'vitest';
import { planExample, plannedGroupCounts, type ImagePlan, type SourceInventory } from './plan';
import { WATERBIRDS_LITE } from './waterbirds-lite';

/** Same shape as the real source folder (18 + 12 cut-outs, 9 + 4 photos) with made-up sizes, in shuffled order. */
function syntheticInventory(): SourceInventory {
  const cutouts = [
    ...Array.from({ length: 18 }, (_, i) => ({
      file: `birds/landbird/l${String(17 - i).padStart(2, '0')}.png`,
      class: 'landbird',
      opaqueBox: { left: i, top: 2, width: 60 + 20 * i, height: 300 - 12 * i },
    })),
    ...Array.from({ length: 12 }, (_, i) => ({
      file: `birds/waterbird/w${String(11 - i).padStart(2, '0')}.png`,
      class: 'waterbird',
      opaqueBox: { left: 0, top: i, width: 400 - 25 * i, height: 90 + 15 * i },
    })),
  ];
  const backgrounds = [
    ...Array.from({ length: 9 }, (_, i) => ({
      file: `backgrounds/land/b${8 - i}.jpg`,
      attribute: 'land',
      width: 600 + 80 * i,
      height: 450 + 30 * i,
    })),
    ...Array.from({ length: 4 }, (_, i) => ({
      file: `backgrounds/water/b${3 - i}.jpg`,
      attribute: 'water',
      width: 448 + 300 * i,
      height: 376 + 100 * i,
    })),
  ];
  return { cutouts, backgrounds };
}

const groupOf = (p: ImagePlan): string => `${p.class}/${p.attribute}`;

describe('planExample (Waterbirds-lite spec)', () => {
  const inventory = syntheticInventory();
  const plans = planExample(WATERBIRDS_LITE, inventory, 13005);

  it('gives the documented 72/18/12/48 split', () => {
    const counts: Record<string, number> = {};
    for (const p of plans) counts[groupOf(p)] = (counts[groupOf(p)] ?? 0) + 1;
    const expected = { 'landbird/land': 72, 'landbird/water': 18, 'waterbird/land': 12, 'waterbird/water': 48 };
    expect(counts).toEqual(expected);
    expect(plannedGroupCounts(WATERBIRDS_LITE, inventory)).toEqual(expected);
  });

  it('puts every cut-out 4 times on its majority background and once on the other', () => {
    for (const cutout of inventory.cutouts) {
      const majority = cutout.class === 'landbird' ? 'land' : 'water';
      const uses = plans.filter((p) => p.cutout === cutout.file);
      expect(uses.filter((p) => p.attribute === majority)).toHaveLength(4);
      expect(uses.filter((p) => p.attribute !== majority)).toHaveLength(1);
    }
  });

  it('numbers files 0001..n inside <class>/<attribute>/', () => {
    for (const group of ['landbird/land', 'landbird/water', 'waterbird/land', 'waterbird/water']) {
      const paths = plans.filter((p) => groupOf(p) === group).map((p) => p.path);
      expect(paths).toEqual(paths.map((_, i) => `${group}/${String(i + 1).padStart(4, '0')}.jpg`));
    }
  });

  it('uses each background photo about equally often, and only for its own attribute', () => {
    for (const attribute of ['land', 'water']) {
      const counts = new Map<string, number>();
      for (const p of plans.filter((q) => q.attribute === attribute)) {
        expect(p.background.startsWith(`backgrounds/${attribute}/`)).toBe(true);
        counts.set(p.background, (counts.get(p.background) ?? 0) + 1);
      }
      const values = [...counts.values()];
      expect(counts.size).toBe(inventory.backgrounds.filter((b) => b.attribute === attribute).length);
      expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
    }
  });

  it('crops square background windows inside the photo, never smaller than the output', () => {
    for (const p of plans) {
      const photo = inventory.backgrounds.find((b) => b.file === p.background);
      if (photo === undefined) throw new Error(`unknown background ${p.background}`);
      const c = p.backgroundCrop;
      expect(c.width).toBe(c.height);
      expect(c.width).toBeGreaterThanOrEqual(WATERBIRDS_LITE.imageSize);
      expect(c.left >= 0 && c.top >= 0 && c.left + c.width <= photo.width && c.top + c.height <= photo.height).toBe(
        true,
      );
    }
  });

  it('keeps the bird whole, inside the margin, sized within the spec, aspect ratio kept', () => {
    const size = WATERBIRDS_LITE.imageSize;
    const margin = Math.round(size * WATERBIRDS_LITE.margin);
    const [low, high] = WATERBIRDS_LITE.cutoutSize;
    for (const p of plans) {
      const b = p.cutoutBox;
      expect(b.left).toBeGreaterThanOrEqual(margin);
      expect(b.top).toBeGreaterThanOrEqual(margin);
      expect(b.left + b.width).toBeLessThanOrEqual(size - margin);
      expect(b.top + b.height).toBeLessThanOrEqual(size - margin);
      const longSide = Math.max(b.width, b.height);
      expect(longSide).toBeLessThanOrEqual(Math.round(size * WATERBIRDS_LITE.cutoutMaxLongSide) + 1);
      const meanSide = Math.sqrt(b.width * b.height) / size;
      const capped = longSide >= size * WATERBIRDS_LITE.cutoutMaxLongSide - 1;
      expect(meanSide).toBeLessThanOrEqual(high + 0.01);
      if (!capped) expect(meanSide).toBeGreaterThanOrEqual(low - 0.01);
      const sourceAspect = p.cutoutCrop.width / p.cutoutCrop.height;
      expect(Math.abs(b.width / b.height - sourceAspect) / sourceAspect).toBeLessThan(0.03);
    }
  });

  it('flips about half of the images', () => {
    const flipped = plans.filter((p) => p.flipped).length;
    expect(flipped).toBeGreaterThan(50);
    expect(flipped).toBeLessThan(100);
  });

  it('is a function of the seed and of the inventory content, not its order', () => {
    const reordered: SourceInventory = {
      cutouts: [...inventory.cutouts].reverse(),
      backgrounds: [...inventory.backgrounds].reverse(),
    };
    expect(planExample(WATERBIRDS_LITE, reordered, 13005)).toEqual(plans);
    expect(planExample(WATERBIRDS_LITE, inventory, 13006)).not.toEqual(plans);
  });

  it('names the offending field when the spec and sources disagree', () => {
    const badSpec = {
      ...WATERBIRDS_LITE,
      classes: [{ ...WATERBIRDS_LITE.classes[0], majorityAttribute: 'sky' }, WATERBIRDS_LITE.classes[1]],
    };
    expect(() => planExample(badSpec, inventory, 1)).toThrow('classes[landbird].majorityAttribute');
    const noWater: SourceInventory = {
      ...inventory,
      backgrounds: inventory.backgrounds.filter((b) => b.attribute === 'land'),
    };
    expect(() => planExample(WATERBIRDS_LITE, noWater, 1)).toThrow('attributes[water]: no backgrounds');
  });
});
