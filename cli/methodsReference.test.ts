/**
 * Issue 11 "done when": the SPEC §7 methods (core and `analyze`) equal an independent numpy implementation
 * (scripts/reference/methods_reference.py) on seeded random bundles: same predictions, scores within 1e-4.
 * Needs /usr/bin/python3 with numpy (Debian python3-numpy). Skipped locally without it; in CI it must be there.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type AttributeMethodConfig,
  DEFAULT_GROUP_PROMPT_PATTERN,
  DEFAULT_PHRASINGS,
  type EmbeddingBundle,
  analyzeBundle,
  debiasBundleText,
  isAttributeMethodResult,
  serializeBundle,
} from '../src/core';
import { attributeBundle } from './attributeBundle.fixture';
import { runCli, writeTempFiles } from './runCli.fixture';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PYTHON = '/usr/bin/python3';
const SCRIPT = join(ROOT, 'scripts/reference/methods_reference.py');
const IN_CI = Boolean(process.env.CI);
const NUMPY = spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

interface ReferenceResult {
  predicted: number[];
  scores: number[][];
  parameters: {
    rejectDirections?: number;
    acceptDirections?: number;
    alpha?: (number | null)[];
    pseudoAttribute?: number[];
    basisSize?: number;
    pairs?: number;
    /** orth*: every template × class row through P (the "combine" option) */
    debiasedText?: number[][];
  };
}

function runReference(jobs: { bundle: string; config: AttributeMethodConfig }[]): ReferenceResult[] {
  const run = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify({ jobs }), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) {
    throw new Error(`the numpy reference failed (${PYTHON} ${SCRIPT}, exit ${run.status}): ${run.stderr}`);
  }
  return (JSON.parse(run.stdout) as { results: ReferenceResult[] }).results;
}

const phrasings = [...DEFAULT_PHRASINGS];
const pattern = DEFAULT_GROUP_PROMPT_PATTERN;
const ACCEPT: [string, string][] = [
  ['webbed feet', 'talons'],
  ['a long bill', 'a short bill'],
];
const CONFIGS: AttributeMethodConfig[] = [
  { method: 'roboshot', template: 0, phrasings, accept: [] },
  { method: 'roboshot', template: 1, phrasings, accept: ACCEPT },
  { method: 'tiestar', template: 0, phrasings },
  { method: 'tiestar', template: 2, phrasings: ['{}', 'a photo of {}.'] },
  { method: 'tie', template: 0, phrasings },
  { method: 'orthproj', template: 0, phrasings, groupPromptPattern: pattern },
  { method: 'orthcali', template: 0, phrasings, groupPromptPattern: pattern, lambda: 1000 },
  { method: 'orthcali', template: 1, phrasings: ['a photo of {}.'], groupPromptPattern: pattern, lambda: 10 },
];

/** Seeds × sizes: D = 16..64, C = 2..4, S = 2..4. */
const SHAPES = [
  { seed: 1, dim: 16, classes: 2, attributes: 2 },
  { seed: 2, dim: 24, classes: 3, attributes: 3 },
  { seed: 3, dim: 32, classes: 4, attributes: 4 },
  { seed: 4, dim: 48, classes: 2, attributes: 3 },
  { seed: 5, dim: 64, classes: 3, attributes: 2 },
  { seed: 6, dim: 40, classes: 4, attributes: 2 },
  { seed: 7, dim: 56, classes: 2, attributes: 4 },
  { seed: 8, dim: 20, classes: 3, attributes: 4 },
];

function writeBundles(): { path: string; bundle: EmbeddingBundle }[] {
  const bundles = SHAPES.map((shape) => attributeBundle({ ...shape, acceptPhrases: ACCEPT.flat() }));
  const files = writeTempFiles(
    Object.fromEntries(bundles.map((bundle, i) => [`bundle${i}.json`, serializeBundle(bundle, { vectors: 'base64' })])),
  );
  return bundles.map((bundle, i) => ({ path: files[`bundle${i}.json`], bundle }));
}

describe('SPEC §7 against the independent numpy implementation', () => {
  it('has python3 with numpy when run in CI', () => {
    if (IN_CI) expect(NUMPY, `${PYTHON} cannot import numpy: apt-get install -y python3-numpy`).toBe(true);
  });

  it.skipIf(!NUMPY && !IN_CI)('core: same predictions and scores within 1e-4 on random bundles', () => {
    const bundles = writeBundles();
    const jobs = bundles.flatMap(({ path }) => CONFIGS.map((config) => ({ bundle: path, config })));
    const reference = runReference(jobs);
    let maxDelta = 0;
    let predictions = 0;
    jobs.forEach((job, j) => {
      const { bundle } = bundles[Math.floor(j / CONFIGS.length)];
      const { result } = analyzeBundle(bundle, job.config);
      const expected = reference[j];
      const c = bundle.classes.length;
      const where = `${job.config.method} on ${bundle.dim}-D, ${c} classes, ${bundle.prompts?.length} prompts (job ${j})`;
      expect(Array.from(result.predicted), where).toEqual(expected.predicted);
      predictions += expected.predicted.length;
      expected.scores.forEach((row, i) =>
        row.forEach((score, cls) => {
          maxDelta = Math.max(maxDelta, Math.abs(score - result.scores[i * c + cls]));
        }),
      );
      expect(isAttributeMethodResult(result)).toBe(true);
      if (!isAttributeMethodResult(result)) return;
      const p = result.parameters;
      if (expected.parameters.rejectDirections !== undefined) {
        expect([p.rejectDirections, p.acceptDirections], where).toEqual([
          expected.parameters.rejectDirections,
          expected.parameters.acceptDirections,
        ]);
      }
      if (expected.parameters.basisSize !== undefined) {
        expect([p.basisSize, p.pairs], where).toEqual([expected.parameters.basisSize, expected.parameters.pairs]);
        const { text } = debiasBundleText(bundle, job.config).bundle;
        expected.parameters.debiasedText?.forEach((row, r) =>
          row.forEach((value, d) => {
            maxDelta = Math.max(maxDelta, Math.abs(value - text[r * bundle.dim + d]));
          }),
        );
      }
      if (expected.parameters.alpha !== undefined) {
        expect(Array.from(result.pseudoAttribute ?? []), where).toEqual(expected.parameters.pseudoAttribute);
        (p.alpha as number[]).forEach((alpha, s) => {
          const want = expected.parameters.alpha?.[s];
          if (want === null || want === undefined) expect(alpha).toBeNaN();
          else expect(Math.abs(alpha - want), where).toBeLessThan(1e-9);
        });
      }
    });
    expect(maxDelta).toBeLessThan(1e-4);
    console.info(
      `SPEC §7 vs numpy: ${jobs.length} runs, ${predictions} predictions all equal, max |Δ| of scores and debiased text ${maxDelta.toExponential(2)}`,
    );
  });

  it.skipIf(!NUMPY && !IN_CI)('cli analyze: the JSON predictions and scores equal the reference', () => {
    const shape = SHAPES[2]; // 4 classes, 4 attribute words
    const bundle = attributeBundle({ ...shape, acceptPhrases: ACCEPT.flat() });
    const path = writeTempFiles({ 'bundle.json': serializeBundle(bundle) })['bundle.json'];
    const runs: { args: string[]; config: AttributeMethodConfig }[] = [
      { args: ['--method', 'roboshot', '--accept', 'webbed feet|talons;a long bill|a short bill'], config: CONFIGS[1] },
      { args: ['--method', 'tiestar', '--phrasings', '{}|a photo of {}.'], config: CONFIGS[3] },
      { args: ['--method', 'tie'], config: CONFIGS[4] },
      { args: ['--method', 'orthproj'], config: CONFIGS[5] },
      { args: ['--method', 'orthcali', '--lambda', '10', '--phrasings', 'a photo of {}.'], config: CONFIGS[7] },
    ];
    const reference = runReference(runs.map((run) => ({ bundle: path, config: { ...run.config, template: 0 } })));
    runs.forEach((run, j) => {
      const cli = runCli(['analyze', path, ...run.args]);
      expect(cli.stderr).toBe('');
      expect(cli.status).toBe(0);
      const out = JSON.parse(cli.stdout) as {
        predictions: { predicted: string; scores: Record<string, number> }[];
        metrics: { accuracy: number };
        parameters: Record<string, unknown>;
      };
      expect(out.predictions.map((p) => p.predicted)).toEqual(reference[j].predicted.map((c) => bundle.classes[c]));
      out.predictions.forEach((p, i) =>
        bundle.classes.forEach((cls, c) =>
          expect(Math.abs(p.scores[cls] - reference[j].scores[i][c])).toBeLessThan(1e-4),
        ),
      );
      expect(out.parameters.phrasings).toEqual(run.config.phrasings);
    });
  });
});
