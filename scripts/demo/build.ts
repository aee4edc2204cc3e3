/**
 * Builds one example set into a folder: images under <class>/<attribute>/, manifest.json, ATTRIBUTION.md.
 */
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ATTRIBUTION_FILE, buildAttribution, buildManifest, countGroups, serializeManifest } from './manifest';
import { planExample, type ExampleSpec, type ImagePlan } from './plan';
import { loadInventory, renderImage } from './render';

export const MANIFEST_FILE = 'manifest.json';
const RENDER_CONCURRENCY = 4;

export interface BuildOptions {
  seed: number;
  sourceRoot: string;
  outDir: string;
  /** build only the first N images of each group (quick checks); the full plan is drawn regardless */
  limitPerGroup?: number;
}

export interface BuildSummary {
  images: number;
  /** total bytes of the JPEGs written */
  imageBytes: number;
  groups: Record<string, number>;
}

export async function buildExample(spec: ExampleSpec, options: BuildOptions): Promise<BuildSummary> {
  const { seed, sourceRoot, outDir, limitPerGroup } = options;
  const inventory = await loadInventory(spec, sourceRoot);
  const plans = limitGroups(planExample(spec, inventory, seed), limitPerGroup);
  const sourceFolder = path.basename(path.resolve(sourceRoot));
  const licenceText = await readFile(path.join(sourceRoot, 'LICENSE.md'), 'utf8').catch((error: Error) => {
    throw new Error(`${path.join(sourceRoot, 'LICENSE.md')}: the source licence file is required (${error.message})`);
  });

  await removeOldImages(spec, outDir);
  let imageBytes = 0;
  // Images are independent, so a few render at once (sharp runs them on libuv's pool); output does not depend on order.
  let nextIndex = 0;
  const renderNext = async (): Promise<void> => {
    while (nextIndex < plans.length) {
      const plan = plans[nextIndex++];
      const jpeg = await renderImage(plan, sourceRoot, spec.imageSize);
      const file = path.join(outDir, plan.path);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, jpeg);
      imageBytes += jpeg.length;
    }
  };
  await Promise.all(Array.from({ length: Math.min(RENDER_CONCURRENCY, plans.length) }, renderNext));

  const manifest = buildManifest(spec, plans, seed, sourceFolder);
  await writeFile(path.join(outDir, MANIFEST_FILE), serializeManifest(manifest));
  await writeFile(path.join(outDir, ATTRIBUTION_FILE), buildAttribution(spec, plans, seed, sourceFolder, licenceText));
  return { images: plans.length, imageBytes, groups: countGroups(plans) };
}

/** Keeps the first `limit` images of each group, so a limited build is a prefix of the full one. */
function limitGroups(plans: ImagePlan[], limit: number | undefined): ImagePlan[] {
  if (limit === undefined) return plans;
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error(`limitPerGroup: expected a positive integer, got ${limit}`);
  const taken = new Map<string, number>();
  return plans.filter((plan) => {
    const key = `${plan.class}/${plan.attribute}`;
    const count = taken.get(key) ?? 0;
    taken.set(key, count + 1);
    return count < limit;
  });
}

/** Only the build's own JPEGs are removed (a previous build's leftovers would contradict the new manifest). */
async function removeOldImages(spec: ExampleSpec, outDir: string): Promise<void> {
  for (const c of spec.classes) {
    for (const a of spec.attributes) {
      const dir = path.join(outDir, c.folder, a.folder);
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names) {
        if (/^\d{4}\.jpg$/.test(name)) await rm(path.join(dir, name));
      }
    }
  }
}
