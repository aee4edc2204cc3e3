/**
 * The example's manifest.json (what the app loads) and ATTRIBUTION.md (what the licences require), both pure
 * functions of the spec, seed and plan so a rebuild reproduces them byte for byte.
 */
import type { GroupWeights } from '../../src/core/types';
import type { Box, ExampleSpec, ImagePlan } from './plan';

export const MANIFEST_FORMAT = 'sage-example/1';

export interface ManifestImage {
  /** relative to the manifest's folder: "<class>/<attribute>/NNNN.jpg" */
  path: string;
  class: string;
  attribute: string;
  /** provenance: which source files, where they were cut and placed (paths relative to the source folder) */
  source: {
    cutout: string;
    cutoutCrop: Box;
    flipped: boolean;
    cutoutBox: Box;
    background: string;
    backgroundCrop: Box;
  };
}

export interface ExampleManifest {
  format: typeof MANIFEST_FORMAT;
  name: string;
  description: string;
  seed: number;
  /** square side in pixels of every image */
  imageSize: number;
  /** class folders and the class strings inserted into templates (users may edit the text) */
  classes: { folder: string; text: string }[];
  /** attribute folders and the phrases used by the group-prompt baseline */
  attributes: { folder: string; text: string }[];
  /** images per group as built, keyed `${class}/${attribute}`, and the rule that produced them */
  split: { majorityUsesPerCutout: number; minorityUsesPerCutout: number; groups: Record<string, number> };
  /** for adjusted accuracy (SPEC §4), keyed `${class}/${attribute}` */
  groupWeights: GroupWeights;
  licence: { file: string; summary: string };
  /** the source folder's name (not its path, which is machine-specific) */
  sourceFolder: string;
  images: ManifestImage[];
}

export const ATTRIBUTION_FILE = 'ATTRIBUTION.md';

export function countGroups(plans: readonly ImagePlan[]): Record<string, number> {
  const groups: Record<string, number> = {};
  for (const plan of plans) {
    const key = `${plan.class}/${plan.attribute}`;
    groups[key] = (groups[key] ?? 0) + 1;
  }
  return groups;
}

export function buildManifest(
  spec: ExampleSpec,
  plans: readonly ImagePlan[],
  seed: number,
  sourceFolder: string,
): ExampleManifest {
  return {
    format: MANIFEST_FORMAT,
    name: spec.name,
    description: spec.description,
    seed,
    imageSize: spec.imageSize,
    classes: spec.classes.map((c) => ({ folder: c.folder, text: c.text })),
    attributes: spec.attributes.map((a) => ({ folder: a.folder, text: a.text })),
    split: {
      majorityUsesPerCutout: spec.usesPerCutout.majority,
      minorityUsesPerCutout: spec.usesPerCutout.minority,
      groups: countGroups(plans),
    },
    groupWeights: { ...spec.groupWeights },
    licence: {
      file: ATTRIBUTION_FILE,
      summary: 'GPL-2 (bird cut-outs, Tux Paint stamps) with GPL-2+ and public-domain backgrounds; see ATTRIBUTION.md',
    },
    sourceFolder,
    images: plans.map((p) => ({
      path: p.path,
      class: p.class,
      attribute: p.attribute,
      source: {
        cutout: p.cutout,
        cutoutCrop: p.cutoutCrop,
        flipped: p.flipped,
        cutoutBox: p.cutoutBox,
        background: p.background,
        backgroundCrop: p.backgroundCrop,
      },
    })),
  };
}

/** 2-space JSON, but one line per image so the 150-image list stays readable and diffs stay small. */
export function serializeManifest(manifest: ExampleManifest): string {
  const { images, ...head } = manifest;
  const headJson = JSON.stringify(head, null, 2);
  const imageLines = images.map((image) => `    ${JSON.stringify(image)}`).join(',\n');
  return `${headJson.slice(0, -2)},\n  "images": [\n${imageLines}\n  ]\n}\n`;
}

export function licenceOf(spec: ExampleSpec, file: string): string {
  const rule = spec.licences.find((r) => file.startsWith(r.prefix));
  if (rule === undefined) throw new Error(`licences: no rule covers source file ${file}`);
  return rule.licence;
}

export function buildAttribution(
  spec: ExampleSpec,
  plans: readonly ImagePlan[],
  seed: number,
  sourceFolder: string,
  sourceLicenceText: string,
): string {
  const uses = new Map<string, number>();
  for (const p of plans) {
    uses.set(p.cutout, (uses.get(p.cutout) ?? 0) + 1);
    uses.set(p.background, (uses.get(p.background) ?? 0) + 1);
  }
  const usedFiles = [...uses.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // The source LICENSE.md, headings pushed one level down so it nests under ours.
  const quotedLicence = sourceLicenceText.trim().replace(/^#/gm, '###');

  return [
    `# ${spec.name}: attribution and licences`,
    '',
    `Every image in this folder is a composite of one bird cut-out and one background photograph from \`${sourceFolder}\`,`,
    `made by \`npm run demo:build\` (scripts/demo-build.ts) with seed ${seed}. The images combine GPL-2 and GPL-2+`,
    'works, so the set is distributed under the GNU General Public License, version 2. Its corresponding source is the',
    'original files listed below (Debian packages `tuxpaint-stamps-default` and `tuxpaint-data`) plus the build',
    'script, which reproduces these files from the seed. `manifest.json` records for each image the exact crop,',
    'scale, position and flip.',
    '',
    `## Source licences (\`${sourceFolder}/LICENSE.md\`, verbatim)`,
    '',
    quotedLicence,
    '',
    '## Source files used',
    '',
    '| source file | licence | images using it |',
    '|---|---|---|',
    ...usedFiles.map((f) => `| ${f} | ${licenceOf(spec, f)} | ${uses.get(f) ?? 0} |`),
    '',
    '## Images',
    '',
    '| image | bird cut-out | background |',
    '|---|---|---|',
    ...plans.map((p) => `| ${p.path} | ${p.cutout}${p.flipped ? ' (mirrored)' : ''} | ${p.background} |`),
    '',
  ].join('\n');
}
