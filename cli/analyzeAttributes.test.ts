/** The SPEC §7 methods in the CLI: analyze's JSON and table, missing prompts, --model, embed's prompts, compare. */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ATTRIBUTE_METHOD_IDS,
  DEFAULT_PHRASINGS,
  METHOD_IDS,
  analyzeBundle,
  methodConfig,
  parseBundle,
  serializeBundle,
} from '../src/core';
import { attributeBundle } from './attributeBundle.fixture';
import { ANALYSIS_FLAGS } from './methodOptions';
import { runCli, writeTempFiles } from './runCli.fixture';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TINY = join(ROOT, 'models/tiny-clip');
const FIXTURES = join(ROOT, 'src/model/fixtures');

interface AnalyzeJson {
  method: string;
  k: number | null;
  knowledge: string;
  config: Record<string, unknown>;
  predictions: { id: string; predicted: string; scores: Record<string, number>; pseudoAttribute?: string | null }[];
  parameters: Record<string, unknown>;
  pseudoAttributeAccuracy?: { class: string; attribute: string; n: number; correct: number }[];
  metrics: { accuracy: number; worstGroupAccuracy: number };
}

const bundle = attributeBundle({
  seed: 11,
  dim: 16,
  classes: 2,
  attributes: 2,
  acceptPhrases: ['webbed feet', 'talons'],
});
const files = writeTempFiles({
  'bundle.json': serializeBundle(bundle),
  'bare.json': serializeBundle({ ...bundle, prompts: undefined }),
  'tiny-dim.json': serializeBundle(
    attributeBundle({ seed: 1, dim: 32, classes: 2, attributes: 2, withoutPrompts: true }),
  ),
});

const SETTINGS = { k: 1, template: 0, seed: 0, aggregate: 'embedding' as const, poolSize: 3, templateCount: 3 };

function analyze(args: string[]): AnalyzeJson {
  const run = runCli(['analyze', files['bundle.json'], ...args]);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as AnalyzeJson;
}

describe('cli analyze with the SPEC §7 methods', () => {
  it.each(ATTRIBUTE_METHOD_IDS)('%s: predictions, metrics and parameters as the core computes them', (method) => {
    const out = analyze(['--method', method]);
    const core = analyzeBundle(bundle, methodConfig(method, SETTINGS));
    expect(out.method).toBe(method);
    expect(out.knowledge).toBe(method === 'tie' ? 'attribute labels' : 'attribute words');
    expect(out.config).toMatchObject({ method, template: 0, phrasings: [...DEFAULT_PHRASINGS] });
    expect(out.predictions.map((p) => p.predicted)).toEqual(
      Array.from(core.result.predicted, (c) => bundle.classes[c]),
    );
    expect(out.predictions[0].scores).toEqual({ landbird: core.result.scores[0], waterbird: core.result.scores[1] });
    expect(out.metrics.accuracy).toBe(core.metrics.accuracy);
    expect(out.parameters).toMatchObject({ attributes: ['land', 'water'], phrasings: [...DEFAULT_PHRASINGS] });
  });

  it('records each method’s own settings and findings', () => {
    const robo = analyze(['--method', 'roboshot', '--accept', 'webbed feet|talons']);
    expect(robo.config).toMatchObject({ accept: [['webbed feet', 'talons']] });
    expect(robo.parameters).toMatchObject({
      rejectDirections: 1,
      acceptDirections: 1,
      accept: ['webbed feet | talons'],
    });
    const cali = analyze(['--method', 'orthcali', '--lambda', '25', '--phrasings', 'a photo of {}.|{}']);
    expect(cali.config).toMatchObject({ lambda: 25, phrasings: ['a photo of {}.', '{}'] });
    expect(cali.parameters).toMatchObject({ lambda: 25, pairs: 2, basisSize: 2 });
    expect(analyze(['--method', 'orthproj']).parameters).toMatchObject({ lambda: 0 });
  });

  it('tiestar: the guessed attribute per image and its accuracy per group; tie: the true one', () => {
    const out = analyze(['--method', 'tiestar']);
    expect(out.predictions.every((p) => p.pseudoAttribute === 'land' || p.pseudoAttribute === 'water')).toBe(true);
    const groups = out.pseudoAttributeAccuracy ?? [];
    expect(groups.reduce((sum, g) => sum + g.n, 0)).toBe(bundle.images.length);
    const correct = out.predictions.filter((p, i) => p.pseudoAttribute === bundle.images[i].attribute).length;
    expect(groups.reduce((sum, g) => sum + g.correct, 0)).toBe(correct);
    const tie = analyze(['--method', 'tie']);
    expect(tie.predictions.map((p) => p.pseudoAttribute)).toEqual(bundle.images.map((image) => image.attribute));
    expect(tie.pseudoAttributeAccuracy).toBeUndefined();
  });

  it('prints the parameters under the group table with --format table', () => {
    const run = runCli(['analyze', files['bundle.json'], '--method', 'tiestar', '--format', 'table']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^tiestar \(template 0\) · 60 images/);
    expect(run.stdout).toMatch(/\nalpha: [\d.]+, [\d.]+\n/);
  });

  it('a text missing from the bundle: exit 2, naming it and saying how to get it', () => {
    const run = runCli(['analyze', files['bare.json'], '--method', 'tiestar']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/tiestar needs the text embedding of "land", "a photo of land\."/);
    expect(run.stderr).toMatch(/re-run `sage-explorer embed`.*--model/);
    // the group prompts of another pattern are missing too, and named
    const orth = runCli([
      'analyze',
      files['bundle.json'],
      '--method',
      'orthproj',
      '--group-pattern',
      '{class} by {attribute}',
    ]);
    expect(orth.status).toBe(2);
    expect(orth.stderr).toMatch(/"landbird by land"/);
  });

  it.each([
    [
      ['--method', 'tiestar', '--phrasings', 'a photo of land'],
      /--phrasings: phrasing 1: "a photo of land" has no "\{\}"/,
    ],
    [['--method', 'tiestar', '--phrasings', '{}|{}'], /--phrasings: phrasing 2: "\{\}" is listed twice/],
    [['--method', 'roboshot', '--accept', 'webbed feet'], /--accept: expected pairs "p\|q" separated by ";"/],
    [['--method', 'orthcali', '--lambda=-1'], /--lambda: expected a number ≥ 0, got "-1"/],
    [['--method', 'orthcali', '--group-pattern', '{class}'], /--group-pattern: pattern has no "\{attribute\}"/],
    [['--method', 'tiestar', '--model', TINY], /--model .* gives 32-number embeddings but the bundle's have 16/],
  ])('bad input %j → exit 2, one line', (args, message) => {
    const run = runCli(['analyze', files['bare.json'], ...args]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('--debias-text runs a template method on projected text, labelled and recorded', () => {
    // zero-shot on Orth-Cali-debiased template text is Orth-Cali itself (same P, images unchanged)
    const combined = analyze(['--method', 'zeroshot', '--debias-text', 'orthcali']);
    const cali = analyze(['--method', 'orthcali']);
    expect(combined.predictions.map((p) => p.predicted)).toEqual(cali.predictions.map((p) => p.predicted));
    expect(combined.predictions[0].scores.landbird).toBeCloseTo(cali.predictions[0].scores.landbird, 6);
    expect(combined.knowledge).toBe('attribute words');
    expect(combined).toMatchObject({
      label: 'zeroshot (template 0) on text debiased by Orth-Cali λ=1000 (uses attribute words)',
      debiasText: { config: { method: 'orthcali', lambda: 1000 }, parameters: { pairs: 2 } },
    });
    expect(analyze(['--method', 'sage', '--k', '2', '--debias-text', 'orthproj']).k).toBe(2);
    const refused = runCli(['analyze', files['bundle.json'], '--method', 'tiestar', '--debias-text', 'orthcali']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--debias-text: applies to the template methods/);
  });

  it('--help lists every option', () => {
    for (const command of ['analyze', 'compare']) {
      const help = runCli([command, '--help']).stdout;
      for (const flag of Object.keys(ANALYSIS_FLAGS)) expect(help, `${command} --${flag}`).toContain(`--${flag}`);
    }
    const help = runCli(['analyze', '--help']).stdout;
    for (const method of METHOD_IDS) expect(help).toContain(method);
    expect(help).toContain('--debias-text');
  });
});

describe('cli compare with the SPEC §7 methods', () => {
  it('shows every method with the knowledge it uses', () => {
    const run = runCli(['compare', files['bundle.json'], '--format', 'json']);
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as {
      rows: { method: string; knowledge: string; available: boolean; accuracy: number }[];
    };
    expect(out.rows.map((r) => [r.method, r.knowledge, r.available])).toEqual([
      ['zeroshot', 'none', true],
      ['ensemble', 'none', true],
      ['random', 'none', true],
      ['sage', 'none', true],
      ['groupprompt', 'attribute words', true],
      ['roboshot', 'attribute words', true],
      ['tiestar', 'attribute words', true],
      ['tie', 'attribute labels', true],
      ['orthproj', 'attribute words', true],
      ['orthcali', 'attribute words', true],
    ]);
    const tiestar = analyzeBundle(bundle, methodConfig('tiestar', SETTINGS)).metrics;
    expect(out.rows[6].accuracy).toBe(tiestar.accuracy);
    const table = runCli(['compare', files['bundle.json']]).stdout;
    expect(table).toMatch(/\ntie \(template 0[^\n]*attribute labels\s+\d/);
    expect(table).toMatch(/\northcali \(template 0, λ=1000\)\s+attribute words\s+\d/);
  });

  it('lists methods whose texts are missing as unavailable and still runs the rest', () => {
    const run = runCli(['compare', files['bare.json']]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/\nroboshot [^\n]*attribute words\s+unavailable/);
    expect(run.stdout).toMatch(/\nsage K=1 \(embedding\)\s+none\s+\d/);
    expect(run.stdout).toMatch(
      /note: roboshot, tiestar, tie, orthproj, orthcali not run: no text embedding for "land"/,
    );
  });
});

describe('embed writes the prompts; --model encodes them when a bundle lacks them', () => {
  beforeAll(() => {
    if (!existsSync(join(TINY, 'onnx/vision_model.onnx'))) {
      execFileSync('npm', ['run', 'models:synth', '--', '--size', 'tiny'], { cwd: ROOT, stdio: 'inherit' });
    }
  });

  it('embed stores the default phrasings of every attribute word once; analyze --model gives the same result', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sage-attr-'));
    const put = (path: string, from: string) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      copyFileSync(join(FIXTURES, from), join(dir, path));
    };
    put('waterbird/water/a.jpg', 'landscape.jpg');
    put('waterbird/land/b.png', 'alpha.png');
    put('landbird/land/c.png', 'gray.png');
    put('landbird/water/d.jpg', 'landscape.jpg');
    const out = join(dir, 'bundle.json');
    // fp32: q8's dynamic quantization makes a text's embedding depend on the batch it is encoded in
    const embed = runCli(['embed', dir, '--model', TINY, '--dtype', 'fp32', '--out', out]);
    expect(embed.status, embed.stderr).toBe(0);
    expect(embed.stderr).toMatch(/\+ 6 attribute phrasings/);
    const embedded = parseBundle(readFileSync(out, 'utf8'));
    expect(embedded.prompts?.map((p) => p.text)).toEqual([
      'land',
      'a photo of land.',
      'a photo with a land background.',
      'water',
      'a photo of water.',
      'a photo with a water background.',
    ]);
    const withPrompts = runCli(['analyze', out, '--method', 'orthcali']);
    expect(withPrompts.status, withPrompts.stderr).toBe(0);
    const bare = writeTempFiles({ 'bare.json': serializeBundle({ ...embedded, prompts: undefined }) })['bare.json'];
    const encoded = runCli(['analyze', bare, '--method', 'orthcali', '--model', TINY]);
    expect(encoded.status, encoded.stderr).toBe(0);
    expect(encoded.stderr).toMatch(/encoded 6 missing prompts with .* \(fp32\)/);
    const a = JSON.parse(withPrompts.stdout) as AnalyzeJson;
    const b = JSON.parse(encoded.stdout) as AnalyzeJson;
    expect(b.predictions).toEqual(a.predictions);
  });

  it('compare --model encodes what the bundle lacks and runs every method', () => {
    const run = runCli(['compare', files['tiny-dim.json'], '--model', TINY, '--format', 'json']);
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { rows: { method: string; available: boolean }[] };
    expect(out.rows.every((r) => r.available)).toBe(true);
  });
});
