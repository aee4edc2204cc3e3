/**
 * Pure planning of a Waterbirds-style example set: which cut-out goes on which background, where, how big.
 * Every random choice is drawn here from one seeded PRNG in a fixed order, so rendering is a pure function of the plan.
 */
import type { GroupWeights } from '../../src/core/types';
import { mulberry32, type Prng } from './prng';

export interface ClassSpec {
  /** output folder name and manifest class id */
  folder: string;
  /** class string inserted into prompt templates */
  text: string;
  /** folder of transparent cut-outs, relative to the source root */
  cutoutsDir: string;
  /** the attribute this class co-occurs with most (its majority group) */
  majorityAttribute: string;
}

export interface AttributeSpec {
  folder: string;
  /** attribute phrase for the group-prompt baseline, e.g. "a water background" */
  text: string;
  /** folder of background photographs, relative to the source root */
  backgroundsDir: string;
}

export interface ExampleSpec {
  name: string;
  description: string;
  classes: ClassSpec[];
  attributes: AttributeSpec[];
  /** how often each cut-out is placed on its class's majority attribute, and on each other attribute */
  usesPerCutout: { majority: number; minority: number };
  groupWeights: GroupWeights;
  /** output side length in pixels (square) */
  imageSize: number;
  /**
   * Cut-out size: the geometric mean of its opaque box's sides as a fraction of the image side, [min, max). Sizing by
   * area-like measure rather than by the longer side keeps long-tailed or wide birds (quetzal, peacock) as visible
   * as compact ones.
   */
  cutoutSize: [number, number];
  /** cap on the cut-out's longer side, as a fraction of the image side */
  cutoutMaxLongSide: number;
  /** background crop side as a fraction of the photo's shorter side: [min, max) */
  backgroundCropSide: [number, number];
  /** gap kept between cut-out and image border, as a fraction of the image side */
  margin: number;
  /** licence of each source file: first rule whose `prefix` starts the path relative to the source root */
  licences: { prefix: string; licence: string }[];
}

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface CutoutSource {
  /** path relative to the source root, "/"-separated */
  file: string;
  class: string;
  /** bounding box of the opaque pixels in the source */
  opaqueBox: Box;
}

export interface BackgroundSource {
  file: string;
  attribute: string;
  width: number;
  height: number;
}

export interface SourceInventory {
  cutouts: CutoutSource[];
  backgrounds: BackgroundSource[];
}

export interface ImagePlan {
  /** "<class>/<attribute>/NNNN.jpg", relative to the output folder */
  path: string;
  class: string;
  attribute: string;
  cutout: string;
  /** region of the cut-out source that is pasted (its opaque bounding box) */
  cutoutCrop: Box;
  /** where the pasted cut-out lands in the output image */
  cutoutBox: Box;
  flipped: boolean;
  background: string;
  /** square region of the background photo scaled to the output size */
  backgroundCrop: Box;
}

interface Slot {
  class: string;
  attribute: string;
  cutout: CutoutSource;
  background?: BackgroundSource;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Number of images each (class, attribute) group gets under the spec, keyed `${class}/${attribute}`. */
export function plannedGroupCounts(spec: ExampleSpec, inventory: SourceInventory): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of spec.classes) {
    const cutouts = inventory.cutouts.filter((s) => s.class === c.folder).length;
    for (const a of spec.attributes) {
      const uses = a.folder === c.majorityAttribute ? spec.usesPerCutout.majority : spec.usesPerCutout.minority;
      counts[`${c.folder}/${a.folder}`] = cutouts * uses;
    }
  }
  return counts;
}

export function planExample(spec: ExampleSpec, inventory: SourceInventory, seed: number): ImagePlan[] {
  validateSpec(spec, inventory);
  const rng = mulberry32(seed);
  const slots = buildSlots(spec, inventory);
  assignBackgrounds(spec, inventory, slots, rng);

  const plans: ImagePlan[] = [];
  for (const c of spec.classes) {
    for (const a of spec.attributes) {
      const group = slots.filter((s) => s.class === c.folder && s.attribute === a.folder);
      // Shuffled so file numbers do not follow cut-out order.
      rng.shuffled(group).forEach((slot, i) => {
        plans.push(placeImage(spec, slot, `${c.folder}/${a.folder}/${String(i + 1).padStart(4, '0')}.jpg`, rng));
      });
    }
  }
  return plans;
}

function validateSpec(spec: ExampleSpec, inventory: SourceInventory): void {
  const attributes = new Set(spec.attributes.map((a) => a.folder));
  for (const c of spec.classes) {
    if (!attributes.has(c.majorityAttribute)) {
      throw new Error(`classes[${c.folder}].majorityAttribute: "${c.majorityAttribute}" is not one of the attributes`);
    }
    if (!inventory.cutouts.some((s) => s.class === c.folder)) {
      throw new Error(`classes[${c.folder}]: no cut-outs found in ${c.cutoutsDir}`);
    }
  }
  for (const a of spec.attributes) {
    if (!inventory.backgrounds.some((b) => b.attribute === a.folder)) {
      throw new Error(`attributes[${a.folder}]: no backgrounds found in ${a.backgroundsDir}`);
    }
  }
  const [low, high] = spec.cutoutSize;
  if (!(low > 0 && low <= high)) throw new Error(`cutoutSize: expected 0 < min <= max, got [${low}, ${high}]`);
  if (!(spec.cutoutMaxLongSide > 0 && spec.cutoutMaxLongSide + 2 * spec.margin <= 1)) {
    throw new Error(
      `cutoutMaxLongSide: ${spec.cutoutMaxLongSide} with margin ${spec.margin} does not fit inside the image`,
    );
  }
}

/** Every cut-out appears on every attribute, so no cut-out's identity gives away its background. */
function buildSlots(spec: ExampleSpec, inventory: SourceInventory): Slot[] {
  const slots: Slot[] = [];
  for (const c of spec.classes) {
    const cutouts = inventory.cutouts.filter((s) => s.class === c.folder).sort((x, y) => byString(x.file, y.file));
    for (const cutout of cutouts) {
      for (const a of spec.attributes) {
        const uses = a.folder === c.majorityAttribute ? spec.usesPerCutout.majority : spec.usesPerCutout.minority;
        for (let u = 0; u < uses; u++) slots.push({ class: c.folder, attribute: a.folder, cutout });
      }
    }
  }
  return slots;
}

/**
 * Backgrounds are dealt per attribute like cards: every photo once per round, rounds shuffled, slots shuffled across
 * classes, so each photo is used about equally often and equally by both classes (no class ↔ photo shortcut).
 */
function assignBackgrounds(spec: ExampleSpec, inventory: SourceInventory, slots: Slot[], rng: Prng): void {
  for (const a of spec.attributes) {
    const photos = inventory.backgrounds
      .filter((b) => b.attribute === a.folder)
      .sort((x, y) => byString(x.file, y.file));
    const targets = rng.shuffled(slots.filter((s) => s.attribute === a.folder));
    let deck: BackgroundSource[] = [];
    for (const slot of targets) {
      if (deck.length === 0) deck = rng.shuffled(photos);
      slot.background = deck.pop();
    }
  }
}

function placeImage(spec: ExampleSpec, slot: Slot, path: string, rng: Prng): ImagePlan {
  const background = slot.background;
  if (background === undefined) throw new Error(`${path}: no background assigned`);
  const size = spec.imageSize;

  // Background: a random square window, never smaller than the output so it is never upscaled.
  const shorter = Math.min(background.width, background.height);
  const [cropLow, cropHigh] = spec.backgroundCropSide;
  const cropSide = Math.min(shorter, Math.max(size, Math.round(shorter * rng.uniform(cropLow, cropHigh))));
  const backgroundCrop: Box = {
    left: rng.int(0, background.width - cropSide),
    top: rng.int(0, background.height - cropSide),
    width: cropSide,
    height: cropSide,
  };

  // Cut-out: aspect kept, scaled to a drawn size, longer side capped so it always fits.
  const crop = slot.cutout.opaqueBox;
  const drawnScale = (size * rng.uniform(spec.cutoutSize[0], spec.cutoutSize[1])) / Math.sqrt(crop.width * crop.height);
  const scale = Math.min(drawnScale, (size * spec.cutoutMaxLongSide) / Math.max(crop.width, crop.height));
  const width = Math.max(1, Math.round(crop.width * scale));
  const height = Math.max(1, Math.round(crop.height * scale));

  // Position: centred plus jitter over the middle 80% of the free room, always fully inside with a margin.
  const margin = Math.round(size * spec.margin);
  const left = margin + Math.round((size - width - 2 * margin) * rng.uniform(0.1, 0.9));
  const top = margin + Math.round((size - height - 2 * margin) * rng.uniform(0.1, 0.9));
  const flipped = rng.chance(0.5);

  return {
    path,
    class: slot.class,
    attribute: slot.attribute,
    cutout: slot.cutout.file,
    cutoutCrop: { ...crop },
    cutoutBox: { left, top, width, height },
    flipped,
    background: background.file,
    backgroundCrop,
  };
}
