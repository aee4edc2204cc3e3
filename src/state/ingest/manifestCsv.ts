/**
 * CSV manifest `path,class,attribute` (header optional, attribute optional), and with a header an optional
 * `split` column (train, val/valid/validation or test, any case; empty = no split) for trained methods. Pure.
 * Parsed with papaparse (RFC 4180: fields may be quoted, quotes doubled inside, newlines inside quotes).
 * A row with broken quoting is reported with its line number and skipped; parsing resumes on the next
 * line, so one stray quote cannot swallow the rest of the file.
 */
import Papa from 'papaparse';
import { splitOfFolder, type ImageSplit } from './layout';

export interface ManifestRow {
  path: string;
  class: string;
  attribute: string;
  /** from the `split` column, when the header has one and the cell is not empty */
  split?: ImageSplit;
  /** 1-based line number in the file, for error messages */
  line: number;
}

export interface ManifestParse {
  rows: ManifestRow[];
  errors: string[];
}

export interface CsvRecord {
  fields: string[];
  /** 1-based line the record starts on */
  line: number;
}

export interface CsvRecords {
  records: CsvRecord[];
  /** rows skipped because their quoting is broken; `message` is a "line N: …" sentence */
  malformed: { line: number; message: string }[];
}

/** Offsets at which each line starts (index 0 = line 1). Line breaks are already "\n" only. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line holding character `offset`. */
function lineOf(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}

/**
 * What is wrong with the quoted field that opens at `open` (0-based) in `lineText`: text after its closing
 * quote on the same line, or no closing quote before the line ends.
 */
function quoteProblem(lineText: string, open: number): string {
  for (let i = open + 1; i < lineText.length; i++) {
    if (lineText[i] !== '"') continue;
    if (lineText[i + 1] === '"') {
      i++;
      continue;
    }
    if (i + 1 < lineText.length && lineText[i + 1] !== ',') {
      return `text follows the closing quote at column ${i + 1} (to put a quote inside a field, quote the whole field and double the quote: "x""y")`;
    }
    break;
  }
  return `the quote at column ${open + 1} opens a field that is never closed`;
}

/** Split CSV text into records of fields. Rows with broken quotes are reported in `malformed`, not guessed at. */
export function parseCsvRecords(text: string): CsvRecords {
  // One kind of line break (a line count is the same either way), so papaparse cannot guess the wrong one
  // for a file that mixes them.
  const source = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
  const starts = lineStarts(source);
  const records: CsvRecord[] = [];
  const malformed: CsvRecords['malformed'] = [];
  let from = 0;
  while (from < source.length) {
    const chunkStart = from;
    let rowStart = from;
    from = source.length;
    Papa.parse<string[]>(source.slice(chunkStart), {
      delimiter: ',',
      newline: '\n',
      step: (result, parser) => {
        const start = rowStart;
        rowStart = chunkStart + result.meta.cursor;
        const quoteError = result.errors.find((e) => e.type === 'Quotes');
        if (quoteError) {
          // papaparse's index is just past the opening quote of the broken field
          const quoteAt = Math.max(start, chunkStart + (quoteError.index ?? 0) - 1);
          const line = lineOf(starts, quoteAt);
          const lineEnd = line < starts.length ? starts[line] : source.length;
          const lineText = source.slice(starts[line - 1], lineEnd).replace(/\n$/, '');
          const problem = quoteProblem(lineText, quoteAt - starts[line - 1]);
          malformed.push({ line, message: `line ${line}: ${problem}; the row was skipped` });
          from = lineEnd;
          parser.abort();
          return;
        }
        const fields = result.data;
        if (!(fields.length === 1 && fields[0].trim() === '')) records.push({ fields, line: lineOf(starts, start) });
      },
    });
  }
  return { records, malformed };
}

export function parseManifestCsv(text: string): ManifestParse {
  const { records, malformed } = parseCsvRecords(text);
  const rows: ManifestRow[] = [];
  const problems = [...malformed];
  const result = (): ManifestParse => ({
    rows,
    errors: problems.sort((a, b) => a.line - b.line).map((problem) => problem.message),
  });
  if (records.length === 0) {
    if (problems.length === 0) problems.push({ line: 0, message: 'manifest is empty' });
    return result();
  }
  let start = 0;
  let pathCol = 0;
  let classCol = 1;
  let attributeCol = 2;
  let splitCol = -1;
  const header = records[0].fields.map((f) => f.trim().toLowerCase());
  if (header.includes('path') && header.includes('class')) {
    pathCol = header.indexOf('path');
    classCol = header.indexOf('class');
    attributeCol = header.indexOf('attribute');
    splitCol = header.indexOf('split');
    start = 1;
  }
  for (let r = start; r < records.length; r++) {
    const { fields, line } = records[r];
    const path = (fields[pathCol] ?? '').trim();
    const cls = (fields[classCol] ?? '').trim();
    const attribute = attributeCol >= 0 ? (fields[attributeCol] ?? '').trim() : '';
    const splitCell = splitCol >= 0 ? (fields[splitCol] ?? '').trim() : '';
    const split = splitCell === '' ? null : splitOfFolder(splitCell);
    if (path === '') problems.push({ line, message: `line ${line}: path is empty` });
    else if (cls === '') problems.push({ line, message: `line ${line}: class is empty for ${path}` });
    else if (splitCell !== '' && split === null)
      problems.push({ line, message: `line ${line}: split is “${splitCell}” for ${path}; use train, val or test` });
    else rows.push(split ? { path, class: cls, attribute, split, line } : { path, class: cls, attribute, line });
  }
  return result();
}

/**
 * Index every path by each of its '/'-suffixes, so a manifest path relative to any folder level
 * finds its file in O(depth). Suffixes shared by two files map to null (ambiguous).
 */
export function buildSuffixIndex(paths: readonly string[]): Map<string, string | null> {
  const index = new Map<string, string | null>();
  for (const path of paths) {
    const segments = path.split('/');
    for (let s = 0; s < segments.length; s++) {
      const suffix = segments.slice(s).join('/');
      const existing = index.get(suffix);
      if (existing === undefined) index.set(suffix, path);
      else if (existing !== path) index.set(suffix, s === 0 ? path : null);
    }
  }
  return index;
}

export type ManifestMatch = { ok: true; path: string } | { ok: false; reason: string };

export function matchManifestPath(manifestPath: string, index: ReadonlyMap<string, string | null>): ManifestMatch {
  const wanted = manifestPath.replace(/\\/g, '/').replace(/^\.?\/+/, '');
  const hit = index.get(wanted);
  if (hit === undefined) return { ok: false, reason: 'listed in the manifest but no such file was dropped' };
  if (hit === null) return { ok: false, reason: 'listed in the manifest but matches more than one dropped file' };
  return { ok: true, path: hit };
}
