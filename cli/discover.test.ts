import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeBundle, bundleVocabulary, discoverOnBundle, parseBundle, serializeBundle } from '../src/core';
import { PLANTED_VOCABULARY, PLANTED_WORD, plantedDiscoveryBundle } from '../src/core/plantedDiscovery.fixture';
import { runCli, writeTempFiles } from './runCli.fixture';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TINY = join(ROOT, 'models/tiny-clip');
const FIXTURES = join(ROOT, 'src/model/fixtures');

interface RowJson {
  word: string;
  b2tScore: number;
  delta: number;
  ci95: [number, number];
  nPresent: number;
  nAbsent: number;
  mi: number;
  examples: string[];
}

interface DiscoverJson {
  method: string;
  topK: number;
  vocabulary: { source: string; words: number; dropped: { word: string; class: string }[] };
  classes: { class: string; skipped: string | null; hurts: RowJson[]; helps: RowJson[]; b2t: { word: string }[] }[];
  selfCheck?: { class: string; attribute: string; word: string | null; hurtsRank: number | null }[];
  caveat: string;
}

const planted = plantedDiscoveryBundle();
const files = writeTempFiles({
  'planted.json': serializeBundle(planted, { vectors: 'base64' }),
  'bare.json': serializeBundle(plantedDiscoveryBundle({ prompts: false }), { vectors: 'base64' }),
  'words.txt': `${PLANTED_VOCABULARY.slice(0, 10).join('\n')}\n\n${PLANTED_VOCABULARY.slice(10).join(', ')}\nWATER\n`,
  'landbird.txt': 'landbird\nwater',
  'partial.txt': `${PLANTED_VOCABULARY.join(',')},ocean`,
});

const runs = new Map<string, DiscoverJson>();

/** discover on the planted bundle with the planted vocabulary (each argument list spawned once: the CLI is slow to start). */
function discoverJson(args: string[]): DiscoverJson {
  const key = args.join(' ');
  const cached = runs.get(key);
  if (cached !== undefined) return cached;
  const run = runCli(['discover', files['planted.json'], '--vocab', files['words.txt'], ...args]);
  expect(run.status, run.stderr).toBe(0);
  const out = JSON.parse(run.stdout) as DiscoverJson;
  runs.set(key, out);
  return out;
}

describe('sage-explorer discover', () => {
  it('ranks the planted word first for the class whose zero-shot errors it drives (json)', () => {
    const out = discoverJson([]);
    expect(out.method).toBe('zeroshot');
    expect(out.topK).toBe(5);
    expect(out.vocabulary.words).toBe(20);
    const landbird = out.classes[0];
    expect(landbird.class).toBe('landbird');
    expect(landbird.hurts[0].word).toBe(PLANTED_WORD);
    expect(landbird.b2t[0].word).toBe(PLANTED_WORD);
    expect(Object.keys(landbird.hurts[0])).toEqual(
      expect.arrayContaining(['word', 'b2tScore', 'delta', 'ci95', 'nPresent', 'nAbsent', 'mi']),
    );
    expect(landbird.hurts[0].examples[0]).toMatch(/^landbird\/water\//);
    expect(out.classes[1].skipped).toMatch(/class 2 \(waterbird\) has 0 wrong predictions/);
    expect(out.selfCheck).toContainEqual(
      expect.objectContaining({ class: 'landbird', attribute: 'water', word: 'water', hurtsRank: 1 }),
    );
    expect(out.caveat).toMatch(/CLIP both tags the images and is the model being audited/);
  });

  it('prints the same rows as the core on the zero-shot predictions, and --top-k changes the tags', () => {
    const { result } = analyzeBundle(planted, { method: 'zeroshot', template: 0 });
    for (const topK of [5, 3]) {
      const args = topK === 5 ? [] : ['--top-k', String(topK)];
      const core = discoverOnBundle(planted, result.predicted, bundleVocabulary(planted, PLANTED_VOCABULARY), {
        topK,
      });
      const out = discoverJson(args);
      expect(out.topK).toBe(topK);
      const rows = (list: { word: string; delta: number; nPresent: number }[]) =>
        list.map((r) => [r.word, r.delta, r.nPresent]);
      expect(rows(out.classes[0].hurts)).toEqual(rows(core.classes[0].hurts));
      expect(rows(out.classes[0].helps)).toEqual(rows(core.classes[0].helps));
    }
    expect(discoverJson(['--top-k', '3']).classes[0].hurts[0].nPresent).not.toBe(
      discoverJson([]).classes[0].hurts[0].nPresent,
    );
  });

  it('prints a table per class with the caveat', () => {
    const run = runCli(['discover', files['planted.json'], '--vocab', files['words.txt'], '--format', 'table']);
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    const hurts = lines.findIndex((line) => line.startsWith('hurts when present'));
    expect(lines[hurts + 1]).toMatch(/^word +δ \(points\) +95% CI/);
    expect(lines[hurts + 3]).toMatch(/^water +-\d+\.\d/);
    expect(run.stdout).toMatch(/== waterbird: 120 images, 0 wrong, 120 right\nskipped: class 2 \(waterbird\)/);
    expect(run.stdout).toMatch(/landbird \/ water: hurts #1, helps #–, B2T #1/);
    expect(run.stdout).toMatch(/note: CLIP both tags the images and is the model being audited/);
  });

  it('says how to get the vocabulary prompts when the bundle lacks them', () => {
    const bare = runCli(['discover', files['bare.json']]);
    expect(bare.status).toBe(2);
    expect(bare.stdout).toBe('');
    expect(bare.stderr.trim()).toMatch(
      /^sage-explorer: the bundle has no text embedding for any of the \d+ vocabulary prompts \(e\.g\. "a photo of a water\."\): run `sage-explorer embed <images> --model <model> --vocab default` to store them in the bundle, or pass --model/,
    );
    const partial = runCli(['discover', files['planted.json'], '--vocab', files['partial.txt']]);
    expect(partial.status).toBe(2);
    expect(partial.stderr).toMatch(
      /no text embedding for 1 of the 21 vocabulary prompts \(e\.g\. "a photo of a ocean\."\)/,
    );
    expect(partial.stderr).toContain(`--vocab ${files['partial.txt']}`);
  });

  it('refuses a word list of class words only and an empty list', () => {
    const only = writeTempFiles({ 'classes.txt': 'landbird\nwaterbird', 'empty.txt': ' \n,\n' });
    expect(runCli(['discover', files['planted.json'], '--vocab', only['classes.txt']]).stderr).toMatch(
      /every word names a class/,
    );
    expect(runCli(['discover', files['planted.json'], '--vocab', only['empty.txt']]).stderr).toMatch(/holds no words/);
  });

  it('refuses a bad --top-k and an unknown method', () => {
    expect(runCli(['discover', files['planted.json'], '--top-k', '0']).stderr).toMatch(
      /--top-k: expected an integer ≥ 1/,
    );
    const method = runCli(['discover', files['planted.json'], '--method', 'magic']);
    expect(method.status).toBe(2);
    expect(method.stderr).toMatch(/--method: expected one of zeroshot, ensemble/);
  });

  it('drops class words from the list and says so in the JSON', () => {
    const run = runCli(['discover', files['planted.json'], '--vocab', files['landbird.txt']]);
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as DiscoverJson;
    expect(out.vocabulary.dropped).toEqual([{ word: 'landbird', class: 'landbird' }]);
    expect(out.vocabulary.words).toBe(1);
    const table = runCli(['discover', files['planted.json'], '--vocab', files['landbird.txt'], '--format', 'table']);
    expect(table.stdout.split('\n')[1]).toBe('left out because they name a class: landbird (landbird)');
  });

  it('explains the errors of another method (--method sage)', () => {
    const out = discoverJson(['--method', 'sage']);
    expect(out.method).toBe('sage');
    expect(out.classes).toHaveLength(2);
  });
});

describe('embed --vocab and discover --model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sage-vocab-'));
  const withVocab = join(dir, 'with.json');
  const without = join(dir, 'without.json');
  const words = writeTempFiles({ 'words.txt': 'water, forest\nwaterbird\nsky' });
  let embedStderr = '';

  beforeAll(() => {
    if (!existsSync(join(TINY, 'onnx/vision_model.onnx'))) {
      execFileSync('npm', ['run', 'models:synth', '--', '--size', 'tiny'], { cwd: ROOT, stdio: 'inherit' });
    }
    const put = (path: string, from: string) => {
      mkdirSync(dirname(join(dir, 'images', path)), { recursive: true });
      copyFileSync(from, join(dir, 'images', path));
    };
    put('waterbird/water/a.jpg', join(FIXTURES, 'landscape.jpg'));
    put('landbird/land/c.png', join(FIXTURES, 'gray.png'));
    const base = ['embed', join(dir, 'images'), '--model', TINY, '--dtype', 'fp32'];
    const embedded = runCli([...base, '--vocab', words['words.txt'], '--out', withVocab]);
    expect(embedded.status, embedded.stderr).toBe(0);
    embedStderr = embedded.stderr;
    expect(runCli([...base, '--out', without]).status).toBe(0);
  });

  it('embed stores the vocabulary prompts, class words dropped; discover finds them', () => {
    expect(embedStderr).toMatch(/\+ 3 vocabulary prompts/);
    const bundle = parseBundle(readFileSync(withVocab, 'utf8'));
    const texts = (bundle.prompts ?? []).map((p) => p.text);
    expect(texts).toEqual(expect.arrayContaining(['a photo of a water.', 'a photo of a forest.', 'a photo of a sky.']));
    expect(texts).not.toContain('a photo of a waterbird.');
    // too few images for any class, but the vocabulary is found: each class is skipped with its reason
    const found = runCli(['discover', withVocab, '--vocab', words['words.txt']]);
    expect(found.status, found.stderr).toBe(0);
    const out = JSON.parse(found.stdout) as DiscoverJson;
    expect(out.classes.map((c) => c.skipped)).toEqual([
      'class 1 (landbird) has 0 wrong predictions and 1 right one; discovery needs at least 5 of each',
      expect.stringMatching(/^class 2 \(waterbird\) has/),
    ]);
  });

  it('discover --model encodes the missing vocabulary exactly as embed --vocab stored it', () => {
    const stored = parseBundle(readFileSync(withVocab, 'utf8'));
    const bare = parseBundle(readFileSync(without, 'utf8'));
    const withWords = bundleVocabulary(stored, ['water', 'forest', 'sky']);
    expect(bundleVocabulary(bare, ['water', 'forest', 'sky']).missing).toHaveLength(3);
    const encoded = runCli(['discover', without, '--vocab', words['words.txt'], '--model', TINY]);
    expect(encoded.status, encoded.stderr).toBe(0);
    expect(encoded.stderr).toMatch(/encoded 3 missing prompts/);
    const found = runCli(['discover', withVocab, '--vocab', words['words.txt']]);
    expect(encoded.stdout).toBe(found.stdout);
    expect(withWords.words).toEqual(['water', 'forest', 'sky']);
  });

  it('--vocab-prompts ensemble embeds each word in every template of the pool', () => {
    const bare = parseBundle(readFileSync(without, 'utf8'));
    const run = runCli(['discover', without, '--vocab', words['words.txt'], '--vocab-prompts', 'ensemble']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`any of the ${3 * bare.templates.length} vocabulary prompts`);
    expect(run.stderr).toContain('--vocab-prompts ensemble');
    const encoded = runCli([
      ...['discover', without, '--vocab', words['words.txt']],
      '--vocab-prompts',
      'ensemble',
      '--model',
      TINY,
    ]);
    expect(encoded.status, encoded.stderr).toBe(0);
    expect(encoded.stderr).toContain(`encoded ${3 * bare.templates.length} missing prompts`);
    expect((JSON.parse(encoded.stdout) as DiscoverJson).vocabulary.words).toBe(3);
  });
});
