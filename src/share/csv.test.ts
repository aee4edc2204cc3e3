import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MethodConfig, Metrics } from '../core/types';
import { csvNumber, csvText, groupsCsv, imagesCsv, methodColumnId, methodColumnIds } from './csv';
import { makeProvenance, type Provenance } from './provenance';
import { RUNTIME, XSS, runFixture } from './testSupport';

const provenance: Provenance = makeProvenance(
  { model: 'm', dtype: 'fp32' },
  RUNTIME,
  new Date('2026-11-23T14:00:00Z'),
  '0.1.0',
);

/** A strict RFC 4180 reader for the tests: the header must be the first line, every record ends in CRLF. */
function readCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let at = 0;
  while (at < text.length) {
    const ch = text[at];
    if (quoted) {
      if (ch === '"' && text[at + 1] === '"') {
        field += '"';
        at += 2;
      } else {
        if (ch === '"') quoted = false;
        else field += ch;
        at++;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
      at++;
    } else if (ch === ',') {
      record.push(field);
      field = '';
      at++;
    } else if (ch === '\r' && text[at + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      at += 2;
    } else if (ch === '\n' || ch === '\r' || ch === '"') {
      throw new Error(`bare ${JSON.stringify(ch)} at ${at}`);
    } else {
      field += ch;
      at++;
    }
  }
  if (field !== '' || record.length > 0) throw new Error('last record not terminated by CRLF');
  return records;
}

const PROVENANCE_COLUMNS = ['app', 'model', 'dtype', 'backend', 'date'];
const PROVENANCE_CELLS = [
  'SAGE Explorer 0.1.0',
  'Xenova/clip-vit-base-patch32',
  'fp32',
  'wasm (2 threads)',
  '2026-11-23T14:00:00.000Z',
];

describe('csv cells', () => {
  it('quotes what RFC 4180 requires, plus "#" and edge spaces', () => {
    expect(csvText('plain')).toBe('plain');
    expect(csvText('a,b')).toBe('"a,b"');
    expect(csvText('say "hi"')).toBe('"say ""hi"""');
    expect(csvText('two\nlines')).toBe('"two\nlines"');
    expect(csvText('cr\rhere')).toBe('"cr\rhere"');
    expect(csvText('#1 bird')).toBe('"#1 bird"');
    expect(csvText(' padded ')).toBe('" padded "');
    expect(csvText('')).toBe('');
  });

  it('neutralises formula injection in text cells', () => {
    expect(csvText('=1+1')).toBe("'=1+1");
    expect(csvText('+cmd')).toBe("'+cmd");
    expect(csvText('-2')).toBe("'-2");
    expect(csvText('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvText('\tx')).toBe("'\tx");
    expect(csvText('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
    expect(csvText('a=b')).toBe('a=b');
  });

  it('formats numbers (never neutralised), with NaN as empty', () => {
    expect(csvNumber(0.123456789)).toBe('0.123457');
    expect(csvNumber(1)).toBe('1');
    expect(csvNumber(-0.5)).toBe('-0.5');
    expect(csvNumber(NaN)).toBe('');
    expect(csvNumber(null)).toBe('');
  });

  it('names method columns by method and parameters, unique', () => {
    const configs: MethodConfig[] = [
      { method: 'zeroshot', template: 39 },
      { method: 'ensemble', aggregate: 'embedding' },
      { method: 'random', k: 3, seed: 7, aggregate: 'score' },
      { method: 'sage', k: 1, aggregate: 'embedding' },
      { method: 'sage', k: 1, aggregate: 'embedding' },
      { method: 'groupprompt' },
    ];
    expect(methodColumnId(configs[2])).toBe('random_k3_s7_score');
    expect(methodColumnIds(configs)).toEqual([
      'zeroshot_t39',
      'ensemble',
      'random_k3_s7_score',
      'sage_k1',
      'sage_k1_2',
      'groupprompt',
    ]);
  });
});

describe('imagesCsv', () => {
  it('starts with the header, then one row per image with every method and the provenance in the last columns', () => {
    const { input, results } = runFixture();
    const text = imagesCsv({
      provenance,
      classes: input.dataset.classes,
      images: input.dataset.images,
      results,
      templates: input.config.templates,
    });
    const [header, ...rows] = readCsv(text);
    expect(header).toEqual([
      'id',
      'class',
      'attribute',
      'zeroshot_t39_predicted',
      'zeroshot_t39_correct',
      'ensemble_predicted',
      'ensemble_correct',
      'random_k3_s7_predicted',
      'random_k3_s7_correct',
      'random_k3_s7_templates',
      'random_k3_s7_top_template',
      'sage_k1_predicted',
      'sage_k1_correct',
      'sage_k1_templates',
      'sage_k1_top_template',
      'sage_k5_score_predicted',
      'sage_k5_score_correct',
      'sage_k5_score_templates',
      'sage_k5_score_top_template',
      'groupprompt_predicted',
      'groupprompt_correct',
      ...PROVENANCE_COLUMNS,
    ]);
    expect(rows).toHaveLength(input.dataset.images.length);
    const sage = results[4];
    rows.forEach((cells, i) => {
      const image = input.dataset.images[i];
      expect(cells.slice(0, 3)).toEqual([image.id, image.class, image.attribute]);
      const predicted = sage.predicted[i];
      expect(cells[15]).toBe(input.dataset.classes[predicted]);
      expect(cells[16]).toBe(input.dataset.classes[predicted] === image.class ? '1' : '0');
      const picks = Array.from(sage.selected.subarray(i * 5, i * 5 + 5));
      expect(cells[17]).toBe(picks.join(' '));
      expect(cells[18]).toBe(input.config.templates[picks[0]]);
      expect(cells.slice(21)).toEqual(PROVENANCE_CELLS);
    });
    // the 1/0 column sums to the method's correct count
    expect(rows.reduce((sum, cells) => sum + Number(cells[16]), 0)).toBe(sage.metrics.correct);
  });

  it('keeps awkward names intact and neutralises formulas and line breaks in provenance', () => {
    const classes = ['=cmd|" /C calc"!A0', `${XSS}, "quoted"`];
    const { input, results } = runFixture(4, 8, classes);
    const images = input.dataset.images.map((image, i) => ({
      ...image,
      id: i === 0 ? 'line\nbreak, comma #1.jpg' : image.id,
    }));
    const text = imagesCsv({
      provenance: { ...provenance, model: '=evil\r\nid,1' },
      classes,
      images,
      results: results.slice(0, 1),
      templates: input.config.templates,
    });
    const records = readCsv(text);
    const model = records[0].indexOf('model');
    expect(records.slice(1).map((cells) => cells[model])).toEqual(records.slice(1).map(() => "'=evil id,1"));
    expect(records[1][0]).toBe('line\nbreak, comma #1.jpg');
    expect(records[1][1]).toBe(`'${classes[0]}`);
    expect(records[2][1]).toBe(classes[1]);
  });
});

describe('inferred attributes (discovery hand-off)', () => {
  const inferred = makeProvenance(
    { model: 'm', dtype: 'fp32', inferred: { words: ['water'], how: 'tags' } },
    RUNTIME,
    new Date('2026-11-23T14:00:00Z'),
    '0.1.0',
  );
  const NOTE = "inferred from CLIP tags for the word water (not the images' own labels)";

  it('marks every image row with how its attribute was made, right after the attribute', () => {
    const { input, results } = runFixture();
    const text = imagesCsv({
      provenance: inferred,
      classes: input.dataset.classes,
      images: input.dataset.images,
      results: results.slice(0, 1),
      templates: input.config.templates,
    });
    const [header, ...rows] = readCsv(text);
    expect(header.slice(0, 5)).toEqual(['id', 'class', 'attribute', 'attribute_source', 'zeroshot_t39_predicted']);
    expect(header.slice(-PROVENANCE_COLUMNS.length)).toEqual(PROVENANCE_COLUMNS);
    expect(rows.map((cells) => cells[3])).toEqual(rows.map(() => NOTE));
  });

  it('marks every group row too, and neither CSV has the column when the labels are the images’ own', () => {
    const { input, results } = runFixture();
    const [header, ...rows] = readCsv(groupsCsv({ provenance: inferred, results: results.slice(0, 1) }));
    expect(header.slice(0, 4)).toEqual(['class', 'attribute', 'attribute_source', 'n']);
    expect(rows.map((cells) => cells[2])).toEqual(rows.map(() => NOTE));
    expect(readCsv(groupsCsv({ provenance, results: results.slice(0, 1) }))[0]).not.toContain('attribute_source');
    const own = imagesCsv({
      provenance,
      classes: input.dataset.classes,
      images: input.dataset.images,
      results: results.slice(0, 1),
      templates: input.config.templates,
    });
    expect(readCsv(own)[0]).not.toContain('attribute_source');
  });
});

describe('groupsCsv', () => {
  it('has one row per group with each method side by side', () => {
    const { results } = runFixture();
    const [header, ...rows] = readCsv(groupsCsv({ provenance, results: results.slice(0, 2) }));
    expect(header).toEqual([
      'class',
      'attribute',
      'n',
      'zeroshot_t39_correct',
      'zeroshot_t39_accuracy',
      'zeroshot_t39_ci95_low',
      'zeroshot_t39_ci95_high',
      'ensemble_correct',
      'ensemble_accuracy',
      'ensemble_ci95_low',
      'ensemble_ci95_high',
      ...PROVENANCE_COLUMNS,
    ]);
    expect(rows).toHaveLength(results[0].metrics.groups.length);
    results[0].metrics.groups.forEach((group, i) => {
      expect(rows[i].slice(0, 3)).toEqual([group.class, group.attribute, String(group.n)]);
      expect(Number(rows[i][3])).toBe(group.correct);
      expect(Number(rows[i][4])).toBeCloseTo(group.accuracy, 6);
      expect(Number(rows[i][5])).toBeCloseTo(group.ci95.low, 6);
      const other = results[1].metrics.groups[i];
      expect(Number(rows[i][8])).toBeCloseTo(other.accuracy, 6);
      expect(rows[i].slice(11)).toEqual(PROVENANCE_CELLS);
    });
  });

  it('leaves empty cells for a group a method lacks and for an undefined accuracy', () => {
    const metrics = (groups: Metrics['groups']): Metrics => ({
      n: 2,
      correct: 1,
      accuracy: 0.5,
      accuracyCi95: { low: 0, high: 1 },
      worstGroupAccuracy: 0,
      worstGroup: groups[0],
      balancedAccuracy: 0.5,
      gap: 0.5,
      harmonicMean: 0,
      groups,
    });
    const a = { class: 'a/b', attribute: 'x', n: 2, correct: 1, accuracy: 0.5, ci95: { low: 0.1, high: 0.9 } };
    const b = { class: 'a', attribute: 'b/x', n: 0, correct: 0, accuracy: NaN, ci95: { low: 0, high: 1 } };
    const text = groupsCsv({
      provenance,
      results: [
        { config: { method: 'groupprompt' }, metrics: metrics([a, b]) },
        { config: { method: 'sage', k: 1, aggregate: 'embedding' }, metrics: metrics([a]) },
      ],
    });
    const rows = readCsv(text).slice(1);
    expect(rows).toEqual([
      ['a/b', 'x', '2', '1', '0.5', '0.1', '0.9', '1', '0.5', '0.1', '0.9', ...PROVENANCE_CELLS],
      ['a', 'b/x', '0', '0', '', '0', '1', '', '', '', '', ...PROVENANCE_CELLS],
    ]);
  });
});

/**
 * Reads an export the way a Python user does, with no options: `csv.DictReader` (header from the first
 * line) always, and `pandas.read_csv(path)` when pandas is installed (CI installs only what
 * scripts/setup-test.sh installs, so pandas may be missing there: then only the csv module is checked).
 */
const PYTHON = '/usr/bin/python3';
const READ_WITH_PYTHON = `
import csv, json, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    rows = list(csv.DictReader(f))
out = {'columns': list(rows[0].keys()), 'rows': [[r['id'], r['class'], r['model'], r['date']] for r in rows]}
try:
    import pandas as pd
except ImportError:
    pd = None
if pd is not None:
    frame = pd.read_csv(sys.argv[1])
    correct = [c for c in frame.columns if c.endswith('_correct')]
    out['pandas'] = {
        'columns': list(frame.columns),
        'ids': frame['id'].tolist(),
        'classes': frame['class'].tolist(),
        'models': sorted(set(frame['model'])),
        'correct': [int(frame[c].sum()) for c in correct],
    }
print(json.dumps(out))
`;

describe('exports open in Python with no options', () => {
  it.skipIf(!existsSync(PYTHON))(
    'csv.DictReader (and pandas.read_csv when installed) read the header, names and provenance',
    () => {
      const classes = ['land, bird', '#1 "water" bird'];
      const { input, results } = runFixture(5, 12, classes);
      const images = input.dataset.images.map((image, i) => ({
        ...image,
        id: i === 0 ? ' two\nlines, é.jpg' : i === 1 ? '=1+1.jpg' : image.id,
      }));
      const text = imagesCsv({ provenance, classes, images, results, templates: input.config.templates });
      const dir = mkdtempSync(join(tmpdir(), 'sage-csv-'));
      try {
        const file = join(dir, 'per-image.csv');
        writeFileSync(file, text);
        const run = spawnSync(PYTHON, ['-c', READ_WITH_PYTHON, file], { encoding: 'utf8' });
        expect(run.stderr).toBe('');
        const read = JSON.parse(run.stdout) as {
          columns: string[];
          rows: string[][];
          pandas?: { columns: string[]; ids: string[]; classes: string[]; models: string[]; correct: number[] };
        };
        const header = readCsv(text)[0];
        expect(read.columns).toEqual(header);
        const ids = images.map((image) => (image.id.startsWith('=') ? `'${image.id}` : image.id));
        expect(read.rows).toEqual(
          images.map((image, i) => [ids[i], image.class, PROVENANCE_CELLS[1], PROVENANCE_CELLS[4]]),
        );
        if (read.pandas) {
          expect(read.pandas.columns).toEqual(header);
          expect(read.pandas.ids).toEqual(ids);
          expect(read.pandas.classes).toEqual(images.map((image) => image.class));
          expect(read.pandas.models).toEqual([PROVENANCE_CELLS[1]]);
          expect(read.pandas.correct).toEqual(results.map((result) => result.metrics.correct));
        } else {
          console.log('pandas is not installed: checked with the csv module only');
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
