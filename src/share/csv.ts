/**
 * CSV exports: one row per image, or one row per (class, attribute) group, methods side by side.
 *
 * Format decisions:
 * - RFC 4180: the header is the first line, comma-separated, CRLF line ends, no BOM; a field is quoted
 *   when it holds a comma, quote, CR or LF (quotes doubled), or a "#" or leading/trailing space (so readers
 *   told to skip "#" comments, and readers that trim, still keep the value). `pd.read_csv(path)`, R's
 *   `read.csv(path)`, Python's `csv.DictReader` and spreadsheets read it with no options.
 * - Provenance is in the last columns, the same value on every row: app, model, dtype, backend, date
 *   (the words of provenanceEntries). Chosen over comment lines (which break `pd.read_csv` and Excel's
 *   header row) and over a sidecar file (a second download that gets separated from the data); and
 *   exports of several runs can be concatenated and still be told apart.
 * - CSV formula injection: a text cell starting with =, +, -, @, tab or CR is prefixed with an apostrophe
 *   (OWASP's advice) so a spreadsheet shows it as text instead of evaluating it. This alters such names
 *   in the CSV only; the JSON report keeps every string exactly. Numbers we format ourselves are never
 *   altered.
 * - Booleans are 1/0 (sums in a spreadsheet give counts); an undefined rate (empty group) is an empty cell.
 * - When the attribute column holds labels CLIP inferred (issue 14's discovery hand-off, provenance.attributes),
 *   an `attribute_source` column right after it says how, on every row: the figures are per inferred group.
 */
import type { ImageRecord, MethodConfig, MethodResult, Metrics } from '../core/types';
import { provenanceEntries, singleLine, type Provenance } from './provenance';

const CRLF = '\r\n';

export type CsvValue = string | number | null;

/** A text cell: neutralised against formula injection, then quoted as needed. */
export function csvText(value: string): string {
  return quote(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
}

/** A numeric cell; NaN and null are empty. `digits` limits decimals (trailing zeros dropped). */
export function csvNumber(value: number | null, digits = 6): string {
  if (value === null || !Number.isFinite(value)) return '';
  return String(Number(value.toFixed(digits)));
}

function quote(value: string): string {
  return /[",\r\n#]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function row(cells: readonly string[]): string {
  return cells.join(',') + CRLF;
}

/** The provenance columns' names and their cells (identical on every row of one export). */
function provenanceColumns(provenance: Provenance): { names: string[]; cells: string[] } {
  const entries = provenanceEntries(provenance);
  return {
    names: entries.map(([key]) => key),
    cells: entries.map(([, value]) => csvText(singleLine(value))),
  };
}

/** The `attribute_source` column after `attribute`: present only when the attributes were inferred. */
function attributeSourceColumn(provenance: Provenance): { names: string[]; cells: string[] } {
  return provenance.attributes
    ? { names: ['attribute_source'], cells: [csvText(singleLine(provenance.attributes))] }
    : { names: [], cells: [] };
}

/**
 * A short, column-safe id for a method and its parameters, e.g. `zeroshot_t39`, `sage_k5_score`,
 * `random_k3_s7`; the default aggregate (embedding) is left out.
 */
export function methodColumnId(config: MethodConfig): string {
  const aggregate = 'aggregate' in config && config.aggregate === 'score' ? '_score' : '';
  switch (config.method) {
    case 'zeroshot':
      return `zeroshot_t${config.template}`;
    case 'ensemble':
      return `ensemble${aggregate}`;
    case 'random':
      return `random_k${config.k}_s${config.seed}${aggregate}`;
    case 'sage':
      return `sage_k${config.k}${aggregate}`;
    case 'groupprompt':
      return 'groupprompt';
    case 'roboshot':
    case 'tiestar':
    case 'tie':
    case 'orthproj':
      return `${config.method}_t${config.template}`;
    case 'orthcali':
      return `orthcali_t${config.template}_l${config.lambda}`;
    case 'adapter':
      return `adapter_${config.variant}_s${config.seed}`;
  }
}

/** Column ids for a list of methods, made unique (`_2`, `_3`) if a method appears twice. */
export function methodColumnIds(configs: readonly MethodConfig[]): string[] {
  const seen = new Map<string, number>();
  return configs.map((config) => {
    const id = methodColumnId(config);
    const count = (seen.get(id) ?? 0) + 1;
    seen.set(id, count);
    return count === 1 ? id : `${id}_${count}`;
  });
}

export interface ImagesCsvInput {
  provenance: Provenance;
  /** class labels as images carry them, index = predicted class index */
  classes: readonly string[];
  images: readonly ImageRecord[];
  results: readonly MethodResult[];
  /** the template pool, to name each SAGE/random pick */
  templates: readonly string[];
}

/**
 * One row per image: id, class, attribute (and attribute_source when inferred); per method `<m>_predicted` (class label) and `<m>_correct`
 * (1/0); for SAGE and random also `<m>_templates` (selected template indices, best first, space
 * separated) and `<m>_top_template` (the first pick's text).
 */
export function imagesCsv(input: ImagesCsvInput): string {
  const { classes, images, results, templates } = input;
  const ids = methodColumnIds(results.map((r) => r.config));
  const picks = results.map((r) => (r.config.method === 'sage' || r.config.method === 'random') && r.kSelected > 0);
  const source = attributeSourceColumn(input.provenance);
  const header = ['id', 'class', 'attribute', ...source.names];
  results.forEach((_, m) => {
    header.push(`${ids[m]}_predicted`, `${ids[m]}_correct`);
    if (picks[m]) header.push(`${ids[m]}_templates`, `${ids[m]}_top_template`);
  });
  const provenance = provenanceColumns(input.provenance);
  header.push(...provenance.names);
  const classIndex = new Map(classes.map((label, i) => [label, i]));
  let out = row(header.map(csvText));
  images.forEach((image, i) => {
    const truth = classIndex.get(image.class);
    const cells = [csvText(image.id), csvText(image.class), csvText(image.attribute), ...source.cells];
    results.forEach((result, m) => {
      const predicted = result.predicted[i];
      cells.push(csvText(classes[predicted] ?? String(predicted)), predicted === truth ? '1' : '0');
      if (picks[m]) {
        const chosen = result.selected.subarray(i * result.kSelected, (i + 1) * result.kSelected);
        cells.push(csvText(Array.from(chosen).join(' ')), csvText(templates[chosen[0]] ?? ''));
      }
    });
    cells.push(...provenance.cells);
    out += row(cells);
  });
  return out;
}

export interface GroupsCsvInput {
  provenance: Provenance;
  results: readonly { config: MethodConfig; metrics: Metrics }[];
}

/**
 * One row per (class, attribute) group: class, attribute (and attribute_source when inferred), n; per method `<m>_correct`, `<m>_accuracy`,
 * `<m>_ci95_low`, `<m>_ci95_high` (Wilson 95%). Groups appear in the first method's order; a group a
 * method lacks has empty cells.
 */
export function groupsCsv(input: GroupsCsvInput): string {
  const ids = methodColumnIds(input.results.map((r) => r.config));
  const source = attributeSourceColumn(input.provenance);
  const header = ['class', 'attribute', ...source.names, 'n'];
  for (const id of ids) header.push(`${id}_correct`, `${id}_accuracy`, `${id}_ci95_low`, `${id}_ci95_high`);
  const provenance = provenanceColumns(input.provenance);
  header.push(...provenance.names);
  const keys: { class: string; attribute: string; n: number }[] = [];
  const seen = new Set<string>();
  // JSON of the pair, not "class/attribute": names may contain "/".
  const keyOf = (g: { class: string; attribute: string }): string => JSON.stringify([g.class, g.attribute]);
  const byMethod = input.results.map((r) => new Map(r.metrics.groups.map((g) => [keyOf(g), g])));
  for (const result of input.results) {
    for (const group of result.metrics.groups) {
      const key = keyOf(group);
      if (!seen.has(key)) {
        seen.add(key);
        keys.push({ class: group.class, attribute: group.attribute, n: group.n });
      }
    }
  }
  let out = row(header.map(csvText));
  for (const key of keys) {
    const cells = [csvText(key.class), csvText(key.attribute), ...source.cells, csvNumber(key.n)];
    for (const groups of byMethod) {
      const group = groups.get(keyOf(key));
      if (!group) cells.push('', '', '', '');
      else
        cells.push(
          csvNumber(group.correct),
          csvNumber(group.accuracy),
          csvNumber(group.ci95.low),
          csvNumber(group.ci95.high),
        );
    }
    cells.push(...provenance.cells);
    out += row(cells);
  }
  return out;
}
