/**
 * The sharp side of the example build: reading source sizes and alpha boxes, and compositing one planned image.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type JpegOptions } from 'sharp';
import type { BackgroundSource, Box, CutoutSource, ExampleSpec, ImagePlan, SourceInventory } from './plan';

/**
 * Every encoder option pinned, so output bytes do not depend on sharp's defaults changing. Baseline (not progressive),
 * 4:2:0 like most photo JPEGs; sharp writes no EXIF/ICC unless asked (keepMetadata), so nothing time- or host-dependent.
 */
export const JPEG_OPTIONS = {
  quality: 85,
  progressive: false,
  chromaSubsampling: '4:2:0',
  optimiseCoding: true,
  trellisQuantisation: false,
  overshootDeringing: false,
  optimiseScans: false,
  quantisationTable: 0,
  mozjpeg: false,
} as const satisfies JpegOptions;

/** Pixels at or below this alpha are fringe noise, not bird: they do not count towards the bounding box. */
const ALPHA_THRESHOLD = 16;

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Directory entries matching `pattern`, sorted by code unit so order never depends on the filesystem or locale. */
async function listSorted(dir: string, pattern: RegExp): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new Error(`${dir}: cannot list source folder (${(error as Error).message})`);
  }
  return names.filter((n) => pattern.test(n)).sort(byString);
}

export async function opaqueBoundingBox(file: string): Promise<Box> {
  const { data, info } = await sharp(file).ensureAlpha().extractChannel(3).raw().toBuffer({ resolveWithObject: true });
  let left = info.width;
  let top = info.height;
  let right = -1;
  let bottom = -1;
  for (let y = 0; y < info.height; y++) {
    const row = y * info.width;
    for (let x = 0; x < info.width; x++) {
      if (data[row + x] > ALPHA_THRESHOLD) {
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        if (y > bottom) bottom = y;
      }
    }
  }
  if (right < 0) throw new Error(`${file}: cut-out has no opaque pixels (alpha > ${ALPHA_THRESHOLD})`);
  return { left, top, width: right - left + 1, height: bottom - top + 1 };
}

export async function loadInventory(spec: ExampleSpec, sourceRoot: string): Promise<SourceInventory> {
  const cutouts: CutoutSource[] = [];
  for (const c of spec.classes) {
    for (const name of await listSorted(path.join(sourceRoot, c.cutoutsDir), /\.png$/i)) {
      const file = `${c.cutoutsDir}/${name}`;
      cutouts.push({ file, class: c.folder, opaqueBox: await opaqueBoundingBox(path.join(sourceRoot, file)) });
    }
  }
  const backgrounds: BackgroundSource[] = [];
  for (const a of spec.attributes) {
    for (const name of await listSorted(path.join(sourceRoot, a.backgroundsDir), /\.(jpe?g|png)$/i)) {
      const file = `${a.backgroundsDir}/${name}`;
      const { width, height } = await sharp(path.join(sourceRoot, file)).metadata();
      if (width < spec.imageSize || height < spec.imageSize) {
        throw new Error(`${file}: background is ${width}×${height}, smaller than the ${spec.imageSize} px output`);
      }
      backgrounds.push({ file, attribute: a.folder, width, height });
    }
  }
  return { cutouts, backgrounds };
}

export async function renderImage(plan: ImagePlan, sourceRoot: string, imageSize: number): Promise<Buffer> {
  const { cutoutCrop, cutoutBox, backgroundCrop } = plan;
  // sharp premultiplies alpha while resizing, so edges keep their own colour instead of a dark/white halo.
  const cutout = await sharp(path.join(sourceRoot, plan.cutout))
    .ensureAlpha()
    .extract(cutoutCrop)
    .flop(plan.flipped)
    .resize(cutoutBox.width, cutoutBox.height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (cutout.info.channels !== 4)
    throw new Error(`${plan.cutout}: expected RGBA after ensureAlpha, got ${cutout.info.channels} channels`);

  return sharp(path.join(sourceRoot, plan.background))
    .extract(backgroundCrop)
    .resize(imageSize, imageSize, { fit: 'fill', kernel: 'lanczos3' })
    .flatten({ background: '#000000' })
    .toColourspace('srgb')
    .composite([
      {
        input: cutout.data,
        raw: { width: cutout.info.width, height: cutout.info.height, channels: 4 },
        left: cutoutBox.left,
        top: cutoutBox.top,
      },
    ])
    .jpeg(JPEG_OPTIONS)
    .toBuffer();
}
