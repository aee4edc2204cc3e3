/**
 * The Waterbirds-lite example: Tux Paint bird cut-outs on land/water photographs, skewed like Waterbirds' training set.
 *
 * Split: every cut-out is pasted 4 times on its class's usual background and once on the other one, i.e. 80% majority /
 * 20% minority per class. With 18 landbird and 12 waterbird cut-outs that gives
 * landbird/land 72, landbird/water 18, waterbird/land 12, waterbird/water 48 (150 images) — the same size order as
 * Waterbirds' training groups (3498 > 1057 > 184 > 56). Why this split:
 * - "once on the other background" is the smallest split in which every cut-out appears in both a majority and a
 *   minority group, so a classifier cannot tell the group from which bird it is;
 * - the minority groups (12 and 18 images) are small, like real minority groups, but not so small that worst-group
 *   accuracy is a coin flip (a Wilson 95% interval at n = 12 is still about ±25 points);
 * - 150 images of 224 px embed in well under a minute with CLIP ViT-B/32 in the browser.
 * Zero-shot CLIP is not trained on this set, so the skew matters only for how overall accuracy hides the worst group;
 * adjusted accuracy re-weights groups by Waterbirds' training sizes (groupWeights).
 */
import type { ExampleSpec } from './plan';

export const WATERBIRDS_LITE: ExampleSpec = {
  name: 'Waterbirds-lite',
  description:
    'Photographed birds pasted onto land or water photographs, the way Waterbirds was built. Most landbirds stand on ' +
    'land and most waterbirds on water; the rare pairings (landbird on water, waterbird on land) are the minority ' +
    'groups where a model that relies on the background fails.',
  classes: [
    { folder: 'landbird', text: 'landbird', cutoutsDir: 'birds/landbird', majorityAttribute: 'land' },
    { folder: 'waterbird', text: 'waterbird', cutoutsDir: 'birds/waterbird', majorityAttribute: 'water' },
  ],
  attributes: [
    { folder: 'land', text: 'a land background', backgroundsDir: 'backgrounds/land' },
    { folder: 'water', text: 'a water background', backgroundsDir: 'backgrounds/water' },
  ],
  usesPerCutout: { majority: 4, minority: 1 },
  // SPEC §4: Waterbirds training-set group sizes.
  groupWeights: {
    'landbird/land': 3498,
    'landbird/water': 184,
    'waterbird/land': 56,
    'waterbird/water': 1057,
  },
  // CLIP ViT-B/32's input size: nothing is lost or invented by the model's own resize.
  imageSize: 224,
  // Bird clearly visible, background still most of the picture. Measured on the committed set: the bird's box spans
  // 30–80% of the image width (median 48%) and its opaque pixels cover 3.5–17.5% of the image (median 8.5%).
  cutoutSize: [0.42, 0.56],
  cutoutMaxLongSide: 0.8,
  backgroundCropSide: [0.6, 1],
  margin: 0.03,
  // From the source folder's LICENSE.md; the reef photograph is the one public-domain file.
  licences: [
    { prefix: 'backgrounds/water/reef-back.png', licence: 'public domain (NOAA photo library), via tuxpaint-data' },
    { prefix: 'birds/', licence: 'GPL-2, Tux Paint stamps (tuxpaint-stamps-default)' },
    { prefix: 'backgrounds/', licence: 'GPL-2+, Tux Paint templates (tuxpaint-data)' },
  ],
};
