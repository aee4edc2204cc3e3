/**
 * Metadata tables for the embedding import: CSV (papaparse) and Parquet (hyparquet), both as a header of column
 * names and rows of text cells. Numbers become their shortest text ("1", "0.5"), missing values "". Pure: the
 * bytes are passed in, so the CLI and the app read the same way.
 */
import Papa from 'papaparse';
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { errorMessage } from './errors';
import { ImportError } from './importError';

export interface MetadataTable {
  /** how the file is called in messages ("meta.csv") */
  name: string;
  columns: string[];
  /** one array of cells per data row (header excluded), in file order */
  rows: string[][];
}

/** A cell as text: what a spreadsheet would show. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? String(inner) : inner));
}

/** A CSV with a header row. Blank lines are ignored; a row with a broken quote is an error naming its line. */
export function parseCsvTable(text: string, name: string): MetadataTable {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const parsed = Papa.parse<string[]>(source, { skipEmptyLines: 'greedy' });
  // a delimiter papaparse cannot detect (one column) falls back to ','; only broken quotes are fatal
  const broken = parsed.errors.find((e) => e.type === 'Quotes');
  if (broken) {
    const row = broken.row === undefined ? '' : ` (data row ${broken.row})`;
    throw new ImportError(name, `${name}: cannot be read as CSV${row}: ${broken.message}`);
  }
  const [header, ...rows] = parsed.data;
  if (header === undefined)
    throw new ImportError(name, `${name}: is empty; expected a header row and one row per image`);
  const columns = header.map((c) => c.trim());
  rows.forEach((row, i) => {
    if (row.length !== columns.length) {
      throw new ImportError(
        name,
        `${name}: row ${i + 1} (line ${i + 2}) has ${row.length} field${row.length === 1 ? '' : 's'}, but the header names ${columns.length} columns`,
      );
    }
  });
  return { name, columns, rows };
}

/** A Parquet file (any of the usual compressions: snappy, gzip, zstd, brotli, lz4). */
export async function parseParquetTable(bytes: Uint8Array, name: string): Promise<MetadataTable> {
  const buffer =
    bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
      ? bytes.buffer
      : bytes.slice().buffer;
  let columns: string[];
  let objects: Record<string, unknown>[];
  try {
    const metadata = parquetMetadata(buffer);
    columns = parquetSchema(metadata).children.map((child) => child.element.name);
    objects = await parquetReadObjects({ file: buffer, metadata, compressors });
  } catch (error) {
    throw new ImportError(name, `${name}: cannot be read as Parquet (${errorMessage(error)})`);
  }
  return { name, columns, rows: objects.map((object) => columns.map((column) => cellText(object[column]))) };
}

/** CSV or Parquet, by the file name's extension (".parquet"/".pq" or else CSV). */
export async function readMetadataTable(bytes: Uint8Array, name: string): Promise<MetadataTable> {
  if (/\.(parquet|pq)$/i.test(name)) return parseParquetTable(bytes, name);
  return parseCsvTable(new TextDecoder().decode(bytes), name);
}
