/**
 * Folder layout → labels. Pure: works on path strings only.
 *
 * Rules (decided here, shown to the user as notes):
 * - Leading folders shared by every image (the folder the user picked or dropped) are stripped,
 *   as long as each image keeps at least one folder: `data/landbird/water/1.jpg` → `landbird/water/1.jpg`.
 * - `class/attribute/image` sets class and attribute; `class/image` sets the class only (attribute '').
 * - Deeper nesting uses the first two folder levels as class and attribute and says how many images that affected.
 * - An image with no folder at all is untagged (class ''), kept, and must be tagged before a run.
 * - Never re-root silently (issue 13 §4): when every image sits one folder below a shared folder
 *   (`landbird/land/1.jpg`, `landbird/water/2.jpg`), the shared folder may be the class (with attribute
 *   subfolders) or only the container of class folders. It is read as the class, which a run refuses (one class),
 *   and the notes say so; the user can re-read the subfolders as classes in the dataset view.
 * - Mixed depths (images directly in a class folder beside attribute subfolders) and images one folder deep
 *   with no shared folder (could be classes or attributes) are read literally and explained with example paths.
 * - Split folders (issue 15): when EVERY image has exactly one folder named like a split (core parseSplitName:
 *   train, val, validation, dev, test, … any case, at any level, e.g. `train/landbird/water/1.jpg`), that folder sets
 *   the image's split and is left out before the rules above, so class/attribute detection is unchanged. If only
 *   some images have one, such folders are ordinary class/attribute folders and a note says so.
 */
import { parseSplitName } from '../../core/splits';
import type { Split } from '../../core/types';

/** Where an image belongs for training (issue 15); absent = no split given. */
export type ImageSplit = Split;

/** The split a folder name stands for (core's reading: train/training, val/valid/validation/dev, test/testing), or null. */
export function splitOfFolder(name: string): ImageSplit | null {
  return parseSplitName(name) ?? null;
}

export interface LabelledPath {
  /** path as given, normalised to '/' separators without a leading slash */
  path: string;
  /** class folder name, '' when untagged */
  classFolder: string;
  /** attribute folder name, '' when the layout had none */
  attributeFolder: string;
  /** from a train/val/test folder, when every image has one */
  split?: ImageSplit;
}

export interface LayoutResult {
  labelled: LabelledPath[];
  /** the prefix folders that were stripped, e.g. ['waterbirds'] */
  strippedPrefix: string[];
  /** user-facing notes about decisions made */
  notes: string[];
}

export function normalisePath(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^\/+/, '')
    .replace(/\/{2,}/g, '/');
}

export function splitPath(path: string): string[] {
  return normalisePath(path)
    .split('/')
    .filter((s) => s.length > 0);
}

/** Leading folders shared by all paths, stopping while every path still has a folder left. */
export function commonFolderPrefix(paths: readonly string[][]): string[] {
  if (paths.length === 0) return [];
  const prefix: string[] = [];
  for (let level = 0; ; level++) {
    const first = paths[0][level];
    if (first === undefined) return prefix;
    for (const segments of paths) {
      // keep at least one folder + the file name after stripping this level
      if (segments.length - (level + 1) < 2 || segments[level] !== first) return prefix;
    }
    prefix.push(first);
  }
}

/**
 * Each image's one split folder (its position among the path's folders), or null for all when any image has
 * none or more than one.
 */
function splitFolders(paths: readonly string[][]): { level: number; split: ImageSplit }[] | null {
  const found: { level: number; split: ImageSplit }[] = [];
  for (const segments of paths) {
    let hit: { level: number; split: ImageSplit } | null = null;
    for (let level = 0; level < segments.length - 1; level++) {
      const split = splitOfFolder(segments[level]);
      if (split === null) continue;
      if (hit) return null;
      hit = { level, split };
    }
    if (!hit) return null;
    found.push(hit);
  }
  return found.length > 0 ? found : null;
}

export function labelByLayout(imagePaths: readonly string[]): LayoutResult {
  const full = imagePaths.map(splitPath);
  const splits = splitFolders(full);
  const split = splits ? full.map((segments, i) => segments.filter((_, level) => level !== splits[i].level)) : full;
  const prefix = commonFolderPrefix(split);
  const notes: string[] = [];
  if (splits) {
    const counts = { train: 0, val: 0, test: 0 };
    for (const s of splits) counts[s.split]++;
    notes.push(
      `Splits come from the train/val/test folders: ${counts.train} train, ${counts.val} validation, ${counts.test} test images.`,
    );
  } else if (full.some((segments) => segments.slice(0, -1).some((folder) => splitOfFolder(folder) !== null))) {
    notes.push(
      'Some folders are named like a split (train, val or test) but not every image is in exactly one such folder, so they were read as class or attribute folders.',
    );
  }
  const rests = split.map((segments) => segments.slice(prefix.length));
  const oneDeep = rests.length > 0 && rests.every((rest) => rest.length === 2);
  const subfolders = oneDeep ? distinct(rests.map((rest) => rest[0])) : [];
  // `landbird/{land,water}/…`: keep the shared folder as the class rather than guess it is only a container
  const keptClass = prefix.length > 0 && subfolders.length >= 2 ? prefix[prefix.length - 1] : null;
  if (keptClass !== null) {
    const example = examples(imagePaths, rests);
    prefix.pop();
    for (let i = 0; i < rests.length; i++) rests[i] = [keptClass, ...rests[i]];
    notes.push(
      `Every image is in a folder inside ${keptClass} (e.g. ${example}), so ${keptClass} was read as one class with the attributes ${wordList(subfolders)}. If ${keptClass} only holds the class folders ${wordList(subfolders)}, use “Read ${wordList(subfolders)} as classes” below.`,
    );
  } else if (oneDeep && subfolders.length >= 2) {
    notes.push(
      `Every image sits directly in a top folder (e.g. ${examples(imagePaths, rests)}), so ${wordList(subfolders)} were read as classes with no attributes: each class is one group. If they are attributes, put them inside their class folders (landbird/land/1.jpg) and drop the folder that holds the class folders.`,
    );
  }
  let deeper = 0;
  let untagged = 0;
  const labelled: LabelledPath[] = imagePaths.map((original, i) => {
    const folders = rests[i].slice(0, -1);
    if (folders.length === 0) untagged++;
    if (folders.length > 2) deeper++;
    const labelledPath: LabelledPath = {
      path: normalisePath(original),
      classFolder: folders[0] ?? '',
      attributeFolder: folders[1] ?? '',
    };
    if (splits) labelledPath.split = splits[i].split;
    return labelledPath;
  });
  const mixed = mixedDepths(rests, imagePaths);
  if (mixed) notes.push(mixed);
  if (deeper > 0) {
    notes.push(
      `${deeper} image${deeper === 1 ? ' was' : 's were'} nested deeper than class/attribute/image; the first two folder levels were used as class and attribute.`,
    );
  }
  if (untagged > 0) {
    notes.push(
      `${untagged} image${untagged === 1 ? ' has' : 's have'} no class folder; tag ${untagged === 1 ? 'it' : 'them'} below before running.`,
    );
  }
  // one class is explained (and refused) by the dataset view's check, which also covers later drops and re-tags
  return { labelled, strippedPrefix: prefix, notes };
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** "land and water", "a, b and c", "a, b, c and 2 more" */
export function wordList(words: readonly string[], most = 4): string {
  if (words.length <= 1) return words.join('');
  if (words.length > most) return `${words.slice(0, most - 1).join(', ')} and ${words.length - most + 1} more`;
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** One example path from each of the first two top folders, for sentences that explain a reading. */
function examples(paths: readonly string[], rests: readonly string[][]): string {
  const first = rests.findIndex((rest) => rest[0] === rests[0][0]);
  const second = rests.findIndex((rest) => rest[0] !== rests[0][0]);
  const firstPath = normalisePath(paths[first] ?? '');
  return second < 0 ? firstPath : `${firstPath} and ${normalisePath(paths[second])}`;
}

/**
 * Images directly in a class folder beside others in its subfolders (`landbird/1.jpg`, `landbird/water/2.jpg`):
 * the first have no attribute and form a group of their own. Untagged images (no folder) have their own note.
 */
function mixedDepths(rests: readonly string[][], paths: readonly string[]): string | null {
  let shallowIndex = -1;
  let deepIndex = -1;
  let shallow = 0;
  for (let i = 0; i < rests.length; i++) {
    const depth = rests[i].length - 1;
    if (depth === 1) {
      shallow++;
      if (shallowIndex < 0) shallowIndex = i;
    } else if (depth >= 2 && deepIndex < 0) deepIndex = i;
  }
  if (shallowIndex < 0 || deepIndex < 0) return null;
  const shallowPath = normalisePath(paths[shallowIndex]);
  const deepPath = normalisePath(paths[deepIndex]);
  return `Images sit at different depths: ${shallow} ${shallow === 1 ? 'is' : 'are'} directly in a class folder (e.g. ${shallowPath}) while others are in an attribute folder inside it (e.g. ${deepPath}). Those directly in a class folder have no attribute and form a group of their own: move them into an attribute folder, or re-tag them below.`;
}

/**
 * Folder-walk order: compare path segments one by one (code units), the order a depth-first walk with
 * sorted directory listings produces (the CLI's `embed`). Image order matters: the random baseline's
 * per-image seed is the image's index.
 */
export function comparePaths(a: string, b: string): number {
  const sa = a.split('/');
  const sb = b.split('/');
  const n = Math.min(sa.length, sb.length);
  for (let i = 0; i < n; i++) {
    if (sa[i] !== sb[i]) {
      // a folder sorts among files by its own name, as readdir does
      return sa[i] < sb[i] ? -1 : 1;
    }
  }
  return sa.length - sb.length;
}
