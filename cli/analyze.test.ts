import { describe, expect, it } from 'vitest';
import { accuracyDiscrepancy, analyzeBundle, parseBundle } from '../src/core';
import { runCli, writeTempFiles } from './runCli.fixture';
import { syntheticBundleJson } from './testBundle.fixture';

interface PredictionJson {
  id: string;
  class: string;
  attribute: string;
  predicted: string;
  scores: Record<string, number>;
  templates?: number[];
}

interface AnalyzeJson {
  method: string;
  k: number | null;
  predictions: PredictionJson[];
  metrics: {
    accuracy: number;
    worstGroupAccuracy: number;
    worstGroup: { class: string; attribute: string };
    balancedAccuracy: number;
    adjustedAccuracy?: number;
    gap: number;
    harmonicMean: number;
    groups: {
      class: string;
      attribute: string;
      n: number;
      correct: number;
      accuracy: number;
      ci95: { low: number; high: number };
    }[];
    discrepancy: { class: string; attribute: string; delta: number | null }[];
  };
  templateStats: { selectionFrequency: { overall: number[] } | null; singleTemplate: unknown[] };
}

const bundleText = syntheticBundleJson({ groupPrompts: true });
const files = writeTempFiles({
  'bundle.json': bundleText,
  'float.json': syntheticBundleJson({ groupPrompts: true }, 'float'),
  'broken.json': bundleText.replace('"dim":8', '"dim":7'),
  'v2.json': bundleText.replace('sage-embeddings/1', 'sage-embeddings/3'),
});
const bundle = parseBundle(bundleText);

function analyzeJson(args: string[]): AnalyzeJson {
  const run = runCli(['analyze', files['bundle.json'], ...args]);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as AnalyzeJson;
}

describe('cli analyze', () => {
  it('sage --format json: shape and numbers equal to the core API', () => {
    const out = analyzeJson(['--method', 'sage', '--k', '2', '--aggregate', 'score', '--format', 'json']);
    const core = analyzeBundle(bundle, { method: 'sage', k: 2, aggregate: 'score' });
    expect(out.method).toBe('sage');
    expect(out.k).toBe(2);
    expect(out.predictions).toHaveLength(bundle.images.length);
    out.predictions.forEach((p, i) => {
      expect(p.id).toBe(bundle.images[i].id);
      expect(p.class).toBe(bundle.images[i].class);
      expect(p.attribute).toBe(bundle.images[i].attribute);
      expect(p.predicted).toBe(bundle.classes[core.result.predicted[i]]);
      expect(p.scores).toEqual({ landbird: core.result.scores[i * 2], waterbird: core.result.scores[i * 2 + 1] });
      expect(p.templates).toEqual(Array.from(core.result.selected.subarray(i * 2, i * 2 + 2)));
    });
    const m = core.metrics;
    expect(out.metrics.accuracy).toBe(m.accuracy);
    expect(out.metrics.worstGroupAccuracy).toBe(m.worstGroupAccuracy);
    expect(out.metrics.worstGroup.class).toBe(m.worstGroup.class);
    expect(out.metrics.worstGroup.attribute).toBe(m.worstGroup.attribute);
    expect(out.metrics.balancedAccuracy).toBe(m.balancedAccuracy);
    expect(out.metrics.gap).toBe(m.gap);
    expect(out.metrics.harmonicMean).toBe(m.harmonicMean);
    expect(out.metrics.groups).toEqual(m.groups);
    const delta = accuracyDiscrepancy(bundle.images, bundle.classes, core.result.predicted);
    expect(out.metrics.discrepancy.map((d) => d.delta)).toEqual(
      delta.map((d) => (Number.isNaN(d.delta) ? null : d.delta)),
    );
    expect(out.templateStats.selectionFrequency?.overall.reduce((a, b) => a + b, 0)).toBeCloseTo(2, 9);
    expect(out.templateStats.singleTemplate).toHaveLength(bundle.templates.length);
  });

  it('defaults to json and sage K=1; float and base64 bundles give identical results', () => {
    const out = analyzeJson([]);
    expect(out.method).toBe('sage');
    expect(out.k).toBe(1);
    const float = JSON.parse(runCli(['analyze', files['float.json']]).stdout) as AnalyzeJson;
    expect(float.predictions).toEqual(out.predictions);
  });

  it.each([
    [['--method', 'zeroshot', '--template', '3'], 'zeroshot', 1, true],
    [['--method', 'ensemble'], 'ensemble', 5, false],
    [['--method', 'random', '--k', '3', '--seed', '9'], 'random', 3, true],
    [['--method', 'groupprompt'], 'groupprompt', null, false],
  ] as const)('%j → method %s, k %s', (args, method, k, hasTemplates) => {
    const out = analyzeJson([...args]);
    expect(out.method).toBe(method);
    expect(out.k).toBe(k);
    expect(out.predictions[0].templates !== undefined).toBe(hasTemplates);
    if (method === 'zeroshot') expect(out.predictions.every((p) => p.templates?.[0] === 3)).toBe(true);
    const config =
      method === 'zeroshot'
        ? { method, template: 3 }
        : method === 'ensemble'
          ? { method, aggregate: 'embedding' as const }
          : method === 'random'
            ? { method, k: 3, seed: 9, aggregate: 'embedding' as const }
            : { method };
    const core = analyzeBundle(bundle, config);
    expect(out.predictions.map((p) => p.predicted)).toEqual(
      Array.from(core.result.predicted, (c) => bundle.classes[c]),
    );
    expect(out.metrics.accuracy).toBe(core.metrics.accuracy);
  });

  it('applies group weights and a template subset', () => {
    const out = analyzeJson([
      '--weights',
      'landbird/land=3498,landbird/water=184,waterbird/land=56,waterbird/water=1057',
      '--templates',
      '1,3',
      '--k',
      '2',
    ]);
    const core = analyzeBundle(
      bundle,
      { method: 'sage', k: 2, aggregate: 'embedding' },
      {
        templates: [1, 3],
        weights: { 'landbird/land': 3498, 'landbird/water': 184, 'waterbird/land': 56, 'waterbird/water': 1057 },
      },
    );
    expect(out.metrics.adjustedAccuracy).toBe(core.metrics.adjustedAccuracy);
    expect(new Set(out.predictions.flatMap((p) => p.templates ?? []))).toEqual(new Set([1, 3]));
  });

  it('prints a readable group table with --format table', () => {
    const run = runCli(['analyze', files['bundle.json'], '--format', 'table', '--k', '2']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^sage K=2 \(embedding\) · 40 images/);
    expect(run.stdout).toMatch(/class\s+attribute\s+n\s+correct\s+acc %\s+95% CI/);
    expect(run.stdout).toMatch(/waterbird\s+water\s+16\s+\d+/);
    expect(run.stdout).toMatch(/worst-group accuracy [\d.]+% \((landbird|waterbird)\/(land|water), n=\d+\)/);
  });

  it.each([
    [['analyze'], /expected one bundle file, got 0/],
    [['analyze', '/definitely/missing.json'], /cannot read bundle \/definitely\/missing\.json: no such file/],
    [
      ['analyze', 'BROKEN'],
      /invalid bundle .*broken\.json: text embedding 1 \(template 1 with class \S+\) holds 8 float32 values \(base64\), expected 7/,
    ],
    [
      ['analyze', 'V2'],
      /this bundle is sage-embeddings\/3, a newer version than this app reads \(sage-embeddings\/1 and sage-embeddings\/2\): update the app/,
    ],
    [
      ['analyze', 'BUNDLE', '--method', 'magic'],
      /--method: expected one of zeroshot, ensemble, random, sage, groupprompt, roboshot, tiestar, tie, orthproj, orthcali, got "magic"/,
    ],
    [['analyze', 'BUNDLE', '--k', '0'], /--k: expected an integer in 1\.\.5, got "0"/],
    [['analyze', 'BUNDLE', '--k', '6'], /--k: expected an integer in 1\.\.5, got "6"/],
    [['analyze', 'BUNDLE', '--templates', '0,1', '--k', '3'], /--k: expected an integer in 1\.\.2/],
    [['analyze', 'BUNDLE', '--template', '5', '--method', 'zeroshot'], /--template: expected an integer in 0\.\.4/],
    [['analyze', 'BUNDLE', '--frobnicate'], /analyze: unknown option --frobnicate/],
    [['analyze', 'BUNDLE', '--weights', 'landbird/sky=1'], /weights\.landbird\/sky: no such group/],
    [['analyze', 'BUNDLE', '--weights', 'oops'], /--weights: expected class\/attribute=weight/],
    [['analyze', 'BUNDLE', '--format', 'xml'], /--format: expected one of json, table/],
  ])('bad input %j → exit 2, one line on stderr', (args, message) => {
    const resolved = args.map((a) =>
      a === 'BUNDLE' ? files['bundle.json'] : a === 'BROKEN' ? files['broken.json'] : a === 'V2' ? files['v2.json'] : a,
    );
    const run = runCli(resolved);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('prints help', () => {
    const run = runCli(['analyze', '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('--method M');
  });
});
