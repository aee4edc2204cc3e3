/**
 * Derived views of the dataset: class/attribute lists, the group matrix and its warnings. Pure.
 */
import { wordList } from './ingest/layout';

export interface LabelledItem {
  id: string;
  classFolder: string;
  attributeFolder: string;
}

export interface GroupCell {
  classFolder: string;
  attributeFolder: string;
  /** indices into the item list */
  members: number[];
}

export interface DatasetSummary {
  classFolders: string[];
  attributeFolders: string[];
  /** cells[c][a], for every class × attribute (empty cells included) */
  cells: GroupCell[][];
  untagged: number[];
  warnings: string[];
  /** set when the images hold exactly one class: why a run is refused, in words */
  singleClass: string | null;
}

/** groups with fewer images than this get a warning: their accuracy interval is too wide to read */
export const TINY_GROUP = 5;

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function summariseDataset(items: readonly LabelledItem[]): DatasetSummary {
  const classSet = new Set<string>();
  const attributeSet = new Set<string>();
  const untagged: number[] = [];
  items.forEach((item, index) => {
    if (item.classFolder === '') untagged.push(index);
    else {
      classSet.add(item.classFolder);
      attributeSet.add(item.attributeFolder);
    }
  });
  const classFolders = [...classSet].sort(byText);
  const attributeFolders = [...attributeSet].sort(byText);
  const classIndex = new Map(classFolders.map((c, i) => [c, i]));
  const attributeIndex = new Map(attributeFolders.map((a, i) => [a, i]));
  const cells: GroupCell[][] = classFolders.map((classFolder) =>
    attributeFolders.map((attributeFolder) => ({ classFolder, attributeFolder, members: [] })),
  );
  items.forEach((item, index) => {
    if (item.classFolder === '') return;
    cells[classIndex.get(item.classFolder) as number][attributeIndex.get(item.attributeFolder) as number].members.push(
      index,
    );
  });
  const warnings: string[] = [];
  if (items.length > 0 && classFolders.length === 0)
    warnings.push('No image has a class yet: a bias check needs images in at least two classes.');
  if (untagged.length > 0)
    warnings.push(`${untagged.length} image(s) have no class and will be left out until tagged.`);
  // one line per kind of problem, not per group: a re-tag that adds a class or attribute used to add a line per cell
  const empty: string[] = [];
  const tiny: GroupCell[] = [];
  for (const row of cells) {
    for (const cell of row) {
      if (cell.members.length === 0) empty.push(groupName(cell.classFolder, cell.attributeFolder));
      else if (cell.members.length < TINY_GROUP) tiny.push(cell);
    }
  }
  if (tiny.length === 1) {
    const [cell] = tiny;
    warnings.push(
      `Group ${groupName(cell.classFolder, cell.attributeFolder)} has only ${cell.members.length} image(s): its accuracy is very uncertain.`,
    );
  } else if (tiny.length > 1) {
    const named = tiny.map((c) => `${groupName(c.classFolder, c.attributeFolder)} (${c.members.length})`);
    warnings.push(
      `Groups ${wordList(named, 6)} have fewer than ${TINY_GROUP} images each: their accuracy is very uncertain.`,
    );
  }
  if (empty.length === 1) warnings.push(`Group ${empty[0]} is empty: worst-group accuracy ignores it.`);
  else if (empty.length > 1)
    warnings.push(`Groups ${wordList(empty, 6)} are empty: worst-group accuracy ignores them.`);
  const singleClass =
    classFolders.length === 1
      ? singleClassMessage(
          classFolders[0],
          attributeFolders.filter((a) => a !== ''),
        )
      : null;
  return { classFolders, attributeFolders, cells, untagged, warnings, singleClass };
}

/**
 * Why one class cannot be checked for bias, naming the class and its attributes (issue 13 §4: a folder with one
 * class must never pass as two classes made of its attributes).
 */
export function singleClassMessage(classFolder: string, attributes: readonly string[]): string {
  const holds =
    attributes.length === 0
      ? `This folder holds one class, ${classFolder}.`
      : `This folder holds one class, ${classFolder}, with ${attributes.length === 1 ? 'attribute' : 'attributes'} ${wordList(attributes)}.`;
  return `${holds} A bias check needs at least two classes: drop the folder that contains ${classFolder} and the other classes.`;
}

export function groupName(classFolder: string, attributeFolder: string): string {
  return attributeFolder === '' ? classFolder : `${classFolder} / ${attributeFolder}`;
}
