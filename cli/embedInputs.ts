/**
 * What `embed` reads: a labelled folder (class/attribute/image or class/image) or a CSV manifest
 * (path,class,attribute), and the template pool (JSON array or one template per line).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CliInputError } from './command';
import { errorMessage } from '../src/core/errors';

export interface LabelledFile {
  /** id in the bundle: path relative to the folder (posix separators) or as written in the manifest */
  id: string;
  path: string;
  class: string;
  attribute: string;
}

export interface InputListing {
  files: LabelledFile[];
  /** files that cannot be placed (too deeply nested, …), reported like unreadable images */
  skipped: { id: string; reason: string }[];
}

const posix = (path: string) => path.split(sep).join('/');

/** Walks root/class[/attribute]/image. Hidden files (".DS_Store") are ignored; deeper files are skipped with a reason. */
export function walkLabelledFolder(root: string): InputListing {
  const files: LabelledFile[] = [];
  const skipped: InputListing['skipped'] = [];
  const visit = (dir: string, parts: string[]) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      const id = posix(relative(root, path));
      if (entry.isDirectory()) {
        if (parts.length >= 2)
          skipped.push({
            id: `${id}/`,
            reason: 'folder nested deeper than class/attribute/image; its files were not read',
          });
        else visit(path, [...parts, entry.name]);
      } else if (entry.isFile()) {
        if (parts.length === 0) skipped.push({ id, reason: 'file at the top level has no class folder' });
        else files.push({ id, path, class: parts[0], attribute: parts[1] ?? '' });
      }
    }
  };
  visit(root, []);
  return { files, skipped };
}

/** Splits one CSV line (RFC 4180 quotes, "" as an escaped quote). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/**
 * Reads path,class,attribute rows (header optional; paths relative to the CSV's folder). A malformed or
 * repeated row never aborts the run: it is skipped with its line number and reason, like an unreadable image.
 */
export function readManifest(csvPath: string): InputListing {
  const base = dirname(csvPath);
  const name = basename(csvPath);
  const lines = readFileSync(csvPath, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/);
  const files: LabelledFile[] = [];
  const skipped: InputListing['skipped'] = [];
  const firstLineOf = new Map<string, number>();
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const fields = splitCsvLine(line).map((field) => field.trim());
    if (index === 0 && fields[0]?.toLowerCase() === 'path') return;
    const skip = (reason: string) => skipped.push({ id: `${name} line ${index + 1}`, reason });
    if (fields.length < 2 || fields.length > 3)
      return skip(`expected path,class[,attribute], got ${fields.length} field(s)`);
    const [file, cls, attribute = ''] = fields;
    if (file === '') return skip('path is empty');
    if (cls === '') return skip(`class is empty for ${file}`);
    const earlier = firstLineOf.get(file);
    if (earlier !== undefined) return skip(`${file} is already listed on line ${earlier}`);
    firstLineOf.set(file, index + 1);
    files.push({ id: file, path: isAbsolute(file) ? file : resolve(base, file), class: cls, attribute });
  });
  return { files, skipped };
}

export function listInputs(input: string): InputListing {
  let stats;
  try {
    stats = statSync(input);
  } catch {
    throw new CliInputError(`embed: ${input} does not exist`);
  }
  if (stats.isDirectory()) return walkLabelledFolder(resolve(input));
  if (input.toLowerCase().endsWith('.csv')) return readManifest(resolve(input));
  throw new CliInputError(`embed: ${input} is neither a folder nor a .csv manifest`);
}

/** Templates from a JSON array of strings or a text file with one template per line. */
export function readTemplates(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new CliInputError(`--templates: cannot read ${path}`);
  }
  if (path.toLowerCase().endsWith('.json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new CliInputError(`--templates: ${path} is not valid JSON (${errorMessage(error)})`);
    }
    if (!Array.isArray(parsed)) throw new CliInputError(`--templates: ${path} must hold a JSON array of strings`);
    return parsed.map((value, i) => {
      if (typeof value !== 'string') throw new CliInputError(`--templates: ${path}[${i}] is not a string`);
      return value;
    });
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
