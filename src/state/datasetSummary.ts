/**
 * Derived views of the dataset: class/attribute lists, the group matrix and its warnings. Pure.
 */

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
  if (items.length > 0 && classFolders.length < 2)
    warnings.push('At least two classes are needed to classify anything.');
  if (untagged.length > 0)
    warnings.push(`${untagged.length} image(s) have no class and will be left out until tagged.`);
  for (const row of cells) {
    for (const cell of row) {
      const name = groupName(cell.classFolder, cell.attributeFolder);
      if (cell.members.length === 0) warnings.push(`Group ${name} is empty: worst-group accuracy ignores it.`);
      else if (cell.members.length < TINY_GROUP) {
        warnings.push(`Group ${name} has only ${cell.members.length} image(s): its accuracy is very uncertain.`);
      }
    }
  }
  return { classFolders, attributeFolders, cells, untagged, warnings };
}

export function groupName(classFolder: string, attributeFolder: string): string {
  return attributeFolder === '' ? classFolder : `${classFolder} / ${attributeFolder}`;
}
