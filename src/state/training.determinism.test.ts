/**
 * Issue 15 §5: the app and the CLI give the same numbers for the same bundle, split and seed. The app's path is
 * run for real (results store → split made here → training store → worker protocol → the worker's own code,
 * with messages structured-cloned as a Worker would) and compared with `sage-explorer finetune` on the same file.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAdapter } from '../core/adapter';
import { serializeBundle } from '../core/bundle';
import { plantedBundle } from '../core/plantedBundle.fixture';
import { runCli } from '../../cli/runCli.fixture';
import type { TrainRequest, TrainResponse } from '../worker/trainProtocol';
import type { TrainWorkerLike } from '../worker/trainClient';
import { trainRequestHandler } from '../worker/trainRun';
import { testSplitInput, trainedRow } from './derive/trainedRow';
import { compareAll, type ResultsInput } from './derive/views';
import { DEFAULT_VIEW, openBundle, useResults } from './results';
import { currentSplits, useSplits } from './splits';
import { setTrainWorkerFactory, startTraining, useTraining } from './training';

/** A Worker stand-in running the training worker's code in this process; messages are cloned both ways. */
function inProcessTrainWorker(): TrainWorkerLike {
  const target = new EventTarget();
  const handle = trainRequestHandler((message) => {
    target.dispatchEvent(new MessageEvent<TrainResponse>('message', { data: structuredClone(message) }));
  });
  return {
    postMessage: (message: TrainRequest) => void handle(structuredClone(message)),
    terminate: () => undefined,
    addEventListener: (type: string, listener: EventListener) => target.addEventListener(type, listener),
  };
}

function resultsInput(): ResultsInput {
  const state = useResults.getState();
  const analysis = state.analysis;
  if (!analysis) throw new Error('no analysis');
  const attributeKeys = [...new Set(state.records.map((r) => r.attribute))].filter((a) => a !== '').sort();
  return {
    analysis,
    records: state.records,
    classes: state.classes,
    templates: state.templates,
    embeddings: state.embeddings,
    dim: state.dim,
    groupPrompts: state.groupPrompts,
    prompts: state.prompts,
    attributeKeys,
    attributeWords: attributeKeys,
    methodSettings: {
      phrasings: ['{}'],
      acceptPairs: [],
      lambda: 1000,
      groupPromptPattern: 'a photo of a {class} on {attribute}.',
    },
  };
}

describe('app training = CLI finetune (same bundle, split and seed)', () => {
  it('gives the same adapter, history and test-split numbers', { timeout: 120_000 }, async () => {
    const bundle = plantedBundle({ seed: 5, dim: 16, perClass: 60 });
    const dir = mkdtempSync(join(tmpdir(), 'sage-train-'));
    const bundlePath = join(dir, 'planted.json');
    const adapterPath = join(dir, 'adapter.json');
    writeFileSync(bundlePath, serializeBundle(bundle));
    const seed = 3;
    const epochs = 6;
    const cli = runCli([
      'finetune',
      bundlePath,
      '--epochs',
      String(epochs),
      '--seed',
      String(seed),
      '--format',
      'json',
      '--out',
      adapterPath,
    ]);
    expect(cli.stderr).not.toContain('Error');
    expect(cli.status).toBe(0);
    const printed = JSON.parse(cli.stdout) as {
      splitSizes: Record<string, number>;
      bestEpoch: number;
      test: { label: string; n: number; accuracy: number; worstGroupAccuracy: number }[];
    };
    const cliAdapter = parseAdapter(readFileSync(adapterPath, 'utf8'));

    // the app: the bundle opened, a split made here with the CLI's seed, the same training seed
    openBundle(bundle, { kind: 'bundle', label: 'planted.json' });
    useSplits.setState({ origin: 'made', seed });
    useTraining.getState().setSettings({ epochs, seed, variant: 'ls', optimizer: 'adam', templateCount: 8 });
    setTrainWorkerFactory(inProcessTrainWorker);
    await startTraining();
    const state = useTraining.getState();
    expect(state.error).toBeNull();
    expect(state.phase).toBe('done');
    expect(state.epochs).toHaveLength(epochs);
    const app = state.trained?.adapter;
    if (!app) throw new Error('no adapter');

    expect(app.splitSizes).toEqual(printed.splitSizes);
    expect(app.bestEpoch).toBe(cliAdapter.bestEpoch);
    expect(app.history).toEqual(cliAdapter.history);
    expect(Array.from(app.W_v)).toEqual(Array.from(cliAdapter.W_v));
    expect(Array.from(app.W_t)).toEqual(Array.from(cliAdapter.W_t));
    expect(app.logScale).toBe(cliAdapter.logScale);

    // the rows the app shows on the test split equal the CLI's comparison
    const input = resultsInput();
    const split = currentSplits(input.records);
    const test = testSplitInput(input, useResults.getState().text, split.splits);
    const row = trainedRow(test, app, useResults.getState());
    if (!('metrics' in row)) throw new Error(row.reason);
    const cliRow = (prefix: string) => {
      const found = printed.test.find((r) => r.label.startsWith(prefix));
      if (!found) throw new Error(`no CLI row ${prefix}`);
      return found;
    };
    const adapterRow = cliRow('Yang et al. 2023 adapter');
    expect(row.metrics.n).toBe(adapterRow.n);
    expect(row.metrics.accuracy).toBe(adapterRow.accuracy);
    expect(row.metrics.worstGroupAccuracy).toBe(adapterRow.worstGroupAccuracy);
    const sage = compareAll(test, { ...DEFAULT_VIEW, k: 1 }).rows.find((r) => r.method === 'sage');
    const cliSage = cliRow('sage K=1');
    expect(sage?.metrics.accuracy).toBe(cliSage.accuracy);
    expect(sage?.metrics.worstGroupAccuracy).toBe(cliSage.worstGroupAccuracy);
    // the planted spurious direction: training lifts the test split's worst group above zero-shot's
    const zeroshot = cliRow('zeroshot');
    expect(row.metrics.worstGroupAccuracy).toBeGreaterThan(zeroshot.worstGroupAccuracy);
  });
});
