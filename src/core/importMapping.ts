/**
 * Metadata rows → image records: which column is the id, the class and the attribute; class and attribute ids
 * mapped to names (WILDS' metadata.csv: y = 0 → the first class name); an optional split filter. Row r of the
 * table describes row r of the image array, as in WILDS and clip-retrieval, so the split filter keeps the
 * array rows it keeps. Errors name the row and the column in the user's words.
 */
import type { ImageRecord } from './types';
import { ImportError } from './importError';
import type { MetadataTable } from './importTable';

export interface ColumnMapping {
  idColumn: string;
  classColumn: string;
  /** no attribute column: every image's attribute is "" */
  attributeColumn?: string;
  /** class id i → classNames[i]; without it the column's values are the class names */
  classNames?: string[];
  /** attribute id i → attributeNames[i]; without it the column's values are the attribute words */
  attributeNames?: string[];
  splitColumn?: string;
  /** keep the rows whose split column holds this value */
  split?: string;
}

/** How the caller calls each setting: flags on the command line, field labels in the app. */
export interface MappingLabels {
  idColumn: string;
  classColumn: string;
  attributeColumn: string;
  classNames: string;
  attributeNames: string;
  splitColumn: string;
  split: string;
}

export const CLI_LABELS: MappingLabels = {
  idColumn: '--id-column',
  classColumn: '--class-column',
  attributeColumn: '--attribute-column',
  classNames: '--class-names',
  attributeNames: '--attribute-names',
  splitColumn: '--split-column',
  split: '--split',
};

export interface MappedRecords {
  images: ImageRecord[];
  /** for each image, its row in the table (0-based) = its row in the image array */
  rows: number[];
  /** class names in bundle order: --class-names as given, else the values found (numbers by value, then text) */
  classes: string[];
  notes: string[];
}

const INTEGER = /^\s*-?\d+(\.0*)?\s*$/;

/** "1" < "2" < "10" for numbers, then text in code-unit order: the order a person expects for label values. */
export function compareLabelValues(a: string, b: string): number {
  const aNumber = INTEGER.test(a);
  const bNumber = INTEGER.test(b);
  if (aNumber && bNumber) return Number(a) - Number(b);
  if (aNumber !== bNumber) return aNumber ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Splits "a, b ,c" into names; empty names are refused. */
export function parseNameList(text: string, label: string): string[] {
  const names = text.split(',').map((name) => name.trim());
  const empty = names.findIndex((name) => name === '');
  if (empty >= 0) throw new ImportError(label, `${label}: name ${empty + 1} is empty (names are separated by commas)`);
  return names;
}

/** At least `min` names, none empty, none repeated. */
function checkNames(names: readonly string[], label: string, min: number): void {
  if (names.length < min) {
    throw new ImportError(label, `${label}: at least ${min} names are needed, ${names.length} given`);
  }
  const first = new Map<string, number>();
  names.forEach((name, i) => {
    if (name.trim() === '') throw new ImportError(label, `${label}: name ${i + 1} is empty`);
    const earlier = first.get(name);
    if (earlier !== undefined) {
      throw new ImportError(label, `${label}: name ${i + 1} (${JSON.stringify(name)}) repeats name ${earlier + 1}`);
    }
    first.set(name, i);
  });
}

function columnIndex(table: MetadataTable, column: string, label: string): number {
  const index = table.columns.indexOf(column);
  if (index >= 0) return index;
  const list = table.columns.length <= 12 ? table.columns.join(', ') : `${table.columns.slice(0, 12).join(', ')}, …`;
  throw new ImportError(label, `${label}: ${table.name} has no column "${column}" (its columns: ${list})`);
}

function distinctValues(values: readonly string[], limit = 8): string {
  const distinct = [...new Set(values)].sort(compareLabelValues);
  const shown = distinct.slice(0, limit).map((v) => JSON.stringify(v));
  return distinct.length > limit ? `${shown.join(', ')}, … (${distinct.length} in all)` : shown.join(', ');
}

export function mapRecords(
  table: MetadataTable,
  mapping: ColumnMapping,
  labels: MappingLabels = CLI_LABELS,
): MappedRecords {
  const idAt = columnIndex(table, mapping.idColumn, labels.idColumn);
  const classAt = columnIndex(table, mapping.classColumn, labels.classColumn);
  const attributeAt =
    mapping.attributeColumn === undefined ? -1 : columnIndex(table, mapping.attributeColumn, labels.attributeColumn);
  if ((mapping.splitColumn === undefined) !== (mapping.split === undefined)) {
    const missing = mapping.split === undefined ? labels.split : labels.splitColumn;
    const given = mapping.split === undefined ? labels.splitColumn : labels.split;
    throw new ImportError(missing, `${given} needs ${missing} too: the split column and the split to keep go together`);
  }
  const splitAt = mapping.splitColumn === undefined ? -1 : columnIndex(table, mapping.splitColumn, labels.splitColumn);
  if (mapping.classNames) checkNames(mapping.classNames, labels.classNames, 2);
  if (mapping.attributeNames) checkNames(mapping.attributeNames, labels.attributeNames, 1);
  const notes: string[] = [];
  const where = (row: number, id?: string) =>
    `${table.name} row ${row + 1}${id !== undefined && id !== '' ? ` (id ${JSON.stringify(id)})` : ''}`;

  /** a label cell → its name: the n-th given name for id n, or the cell itself */
  const nameOf = (
    cell: string,
    row: number,
    id: string,
    names: readonly string[] | undefined,
    what: 'class' | 'attribute',
    column: string,
    namesLabel: string,
  ): string => {
    const value = cell.trim();
    if (value === '') {
      if (what === 'attribute') return '';
      throw new ImportError(where(row, id), `${where(row, id)}: the class column ${column} is empty`);
    }
    if (names === undefined) return value;
    if (!INTEGER.test(value)) {
      throw new ImportError(
        where(row, id),
        `${where(row, id)}: ${what} ${JSON.stringify(value)} in column ${column} is not a number, but ${namesLabel} maps ids 0 … ${names.length - 1} to names`,
      );
    }
    const index = Number(value);
    const name = names[index];
    if (name === undefined) {
      throw new ImportError(
        where(row, id),
        `${where(row, id)}: ${what} id ${index} has no name in ${namesLabel} (${names.length} name${names.length === 1 ? '' : 's'} given, for ids 0 … ${names.length - 1})`,
      );
    }
    return name;
  };

  const images: ImageRecord[] = [];
  const rows: number[] = [];
  const firstRow = new Map<string, number>();
  const splitValues: string[] = [];
  for (let r = 0; r < table.rows.length; r++) {
    const cells = table.rows[r];
    if (splitAt >= 0) {
      const value = cells[splitAt].trim();
      splitValues.push(value);
      if (value !== mapping.split?.trim()) continue;
    }
    const id = cells[idAt].trim();
    if (id === '') throw new ImportError(where(r), `${where(r)}: the id column ${mapping.idColumn} is empty`);
    const earlier = firstRow.get(id);
    if (earlier !== undefined) {
      throw new ImportError(
        where(r, id),
        `${where(r, id)}: the id repeats ${table.name} row ${earlier + 1}; ids must be unique`,
      );
    }
    firstRow.set(id, r);
    const cls = nameOf(cells[classAt], r, id, mapping.classNames, 'class', mapping.classColumn, labels.classNames);
    const attribute =
      attributeAt < 0
        ? ''
        : nameOf(
            cells[attributeAt],
            r,
            id,
            mapping.attributeNames,
            'attribute',
            mapping.attributeColumn ?? '',
            labels.attributeNames,
          );
    images.push({ id, class: cls, attribute });
    rows.push(r);
  }
  if (images.length === 0) {
    throw new ImportError(
      labels.split,
      table.rows.length === 0
        ? `${table.name} has no data rows`
        : `${labels.split}: no row of ${table.name} has ${JSON.stringify(mapping.split)} in column ${mapping.splitColumn} (values found: ${distinctValues(splitValues)})`,
    );
  }
  let classes: string[];
  if (mapping.classNames) classes = [...mapping.classNames];
  else {
    classes = [...new Set(images.map((image) => image.class))].sort(compareLabelValues);
    if (classes.every((c) => INTEGER.test(c))) {
      notes.push(
        `the class column ${mapping.classColumn} holds numbers (${distinctValues(classes)}); they become the class names inserted into the prompts ("a photo of a ${classes[0]}."): give the names with ${labels.classNames}`,
      );
    }
    if (classes.length < 2) {
      throw new ImportError(
        labels.classColumn,
        `${labels.classColumn}: column ${mapping.classColumn} holds one class (${JSON.stringify(classes[0])}); at least 2 are needed to classify`,
      );
    }
  }
  if (mapping.attributeNames === undefined && attributeAt >= 0) {
    const attributes = [...new Set(images.map((image) => image.attribute).filter((a) => a !== ''))];
    if (attributes.length > 0 && attributes.every((a) => INTEGER.test(a))) {
      notes.push(
        `the attribute column ${mapping.attributeColumn} holds numbers (${distinctValues(attributes)}); they are kept as the attribute words: give words with ${labels.attributeNames} for the methods that use them`,
      );
    }
  }
  return { images, rows, classes, notes };
}
