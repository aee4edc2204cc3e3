import { describe, expect, it } from 'vitest';
import { analyzeBundle, parseBundle } from '../src/core';
import { runCli, writeTempFiles } from './runCli.fixture';
import { syntheticBundleJson } from './testBundle.fixture';

interface CompareJson {
  k: number;
  rows: {
    method: string;
    k: number | null;
    accuracy: number;
    worstGroupAccuracy: number;
    worstGroup: { class: string; attribute: string };
    gap: number;
    harmonicMean: number;
    extraKnowledge: boolean;
    available: boolean;
    knowledge: string;
    reason?: string;
  }[];
  notes: string[];
}

const withPrompts = syntheticBundleJson({ groupPrompts: true });
const files = writeTempFiles({ 'prompts.json': withPrompts, 'plain.json': syntheticBundleJson({ n: 30 }) });

describe('cli compare', () => {
  it('json: one row per method with numbers equal to the core API', () => {
    const run = runCli(['compare', files['prompts.json'], '--k', '3', '--format', 'json']);
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as CompareJson;
    expect(out.rows.map((r) => r.method)).toEqual([
      'zeroshot',
      'ensemble',
      'random',
      'sage',
      'groupprompt',
      'roboshot',
      'tiestar',
      'tie',
      'orthproj',
      'orthcali',
    ]);
    expect(out.rows.slice(0, 5).map((r) => r.k)).toEqual([1, 5, 3, 3, null]);
    expect(out.rows.find((r) => r.method === 'groupprompt')?.extraKnowledge).toBe(true);
    // this bundle has no attribute phrasings: the §7 rows are listed as unavailable, with the reason
    for (const row of out.rows.slice(5)) {
      expect(row.available).toBe(false);
      expect(row.reason).toMatch(/no text embedding for "land"/);
    }
    const bundle = parseBundle(withPrompts);
    const sage = analyzeBundle(bundle, { method: 'sage', k: 3, aggregate: 'embedding' }).metrics;
    const row = out.rows[3];
    expect([row.accuracy, row.worstGroupAccuracy, row.gap, row.harmonicMean]).toEqual([
      sage.accuracy,
      sage.worstGroupAccuracy,
      sage.gap,
      sage.harmonicMean,
    ]);
    expect(row.worstGroup.class).toBe(sage.worstGroup.class);
    const zs = analyzeBundle(bundle, { method: 'zeroshot', template: 0 }).metrics; // "a photo of a {}." is template 0 here
    expect(out.rows[0].accuracy).toBe(zs.accuracy);
  });

  it('table: methods as rows with their knowledge; groupprompt unavailable when the bundle has no group prompts', () => {
    const run = runCli(['compare', files['plain.json']]);
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.find((l) => l.startsWith('method'))).toMatch(
      /method\s+knowledge\s+acc %\s+WGA %\s+worst group\s+gap\s+HM %/,
    );
    for (const label of ['zeroshot', 'ensemble', 'random K=1', 'sage K=1'])
      expect(lines.find((l) => l.startsWith(label))).toMatch(/\snone\s+\d/);
    expect(lines.find((l) => l.startsWith('groupprompt'))).toMatch(/attribute words\s+unavailable/);
    expect(run.stdout).toMatch(/note: groupprompt not run: the bundle has no groupPrompts/);
  });

  it('rejects K out of range and unknown flags with exit 2', () => {
    for (const args of [
      ['--k', '99'],
      ['--method', 'sage'],
    ]) {
      const run = runCli(['compare', files['plain.json'], ...args]);
      expect(run.status).toBe(2);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });
});
