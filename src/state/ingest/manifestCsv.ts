/**
 * CSV manifest `path,class,attribute` (header optional, attribute optional). Pure.
 * RFC 4180 quoting: fields may be quoted, quotes doubled inside.
 */

export interface ManifestRow {
  path: string;
  class: string;
  attribute: string;
  /** 1-based line number in the file, for error messages */
  line: number;
}

export interface ManifestParse {
  rows: ManifestRow[];
  errors: string[];
}

/** Split CSV text into records of fields, honouring quotes (which may contain commas and newlines). */
export function parseCsvRecords(text: string): { fields: string[]; line: number }[] {
  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (inQuotes) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === '') inQuotes = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      fields.push(field);
      records.push({ fields, line: recordLine });
      fields = [];
      field = '';
      line++;
      recordLine = line;
    } else field += ch;
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    records.push({ fields, line: recordLine });
  }
  return records.filter((r) => !(r.fields.length === 1 && r.fields[0].trim() === ''));
}

export function parseManifestCsv(text: string): ManifestParse {
  const records = parseCsvRecords(text);
  const rows: ManifestRow[] = [];
  const errors: string[] = [];
  if (records.length === 0) return { rows, errors: ['manifest is empty'] };
  let start = 0;
  let pathCol = 0;
  let classCol = 1;
  let attributeCol = 2;
  const header = records[0].fields.map((f) => f.trim().toLowerCase());
  if (header.includes('path') && header.includes('class')) {
    pathCol = header.indexOf('path');
    classCol = header.indexOf('class');
    attributeCol = header.indexOf('attribute');
    start = 1;
  }
  for (let r = start; r < records.length; r++) {
    const { fields, line } = records[r];
    const path = (fields[pathCol] ?? '').trim();
    const cls = (fields[classCol] ?? '').trim();
    const attribute = attributeCol >= 0 ? (fields[attributeCol] ?? '').trim() : '';
    if (path === '') {
      errors.push(`line ${line}: path is empty`);
      continue;
    }
    if (cls === '') {
      errors.push(`line ${line}: class is empty for ${path}`);
      continue;
    }
    rows.push({ path, class: cls, attribute, line });
  }
  return { rows, errors };
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
