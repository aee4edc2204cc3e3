/** Issue 15: a trained adapter travels in the report with its settings and split, and is checked on read. */
import { describe, expect, it } from 'vitest';
import { adapterDataFromBundle, chooseTrainingTemplates, trainAdapter } from '../core/adapter';
import { stratifiedSplit } from '../core/splits';
import { plantedBundle } from '../core/plantedBundle.fixture';
import { buildReport, stringifyReport } from './reportBuild';
import type { ReportTraining } from './reportFormat';
import { parseReport } from './reportRead';
import { RUNTIME, exampleConfig } from './testSupport';

function trainedReport() {
  const bundle = plantedBundle({ seed: 2, dim: 8, perClass: 30 });
  const splits = stratifiedSplit(bundle.images, 4);
  const templates = chooseTrainingTemplates(bundle.templates);
  const adapter = trainAdapter(adapterDataFromBundle(bundle, { splits, templates }), { epochs: 3, seed: 4 });
  const training: ReportTraining = {
    adapter,
    settings: { variant: 'ls', epochs: 3, templateCount: 8, optimizer: 'adam', seed: 4 },
    split: { origin: 'made', seed: 4, fractions: { train: 0.5, val: 0.2, test: 0.3 }, images: splits },
  };
  const attributes = ['land', 'water'];
  const built = buildReport({
    config: exampleConfig({ classes: bundle.classes, attributes, templates: bundle.templates, zeroshotTemplate: 7 }),
    runtime: RUNTIME,
    dataset: { classes: bundle.classes, attributes, images: bundle.images },
    embeddings: { dim: bundle.dim, text: bundle.text, images: bundle.imageEmbeddings, prompts: bundle.prompts },
    results: [],
    training,
  });
  if (!built.ok) throw new Error(built.error);
  return { report: built.report, training };
}

describe('report: trained adapter (issue 15)', () => {
  it('round-trips the adapter, its settings and its split exactly', () => {
    const { report, training } = trainedReport();
    const parsed = parseReport(stringifyReport(report));
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.warnings).toEqual([]);
    const read = parsed.report.training;
    if (!read) throw new Error('no training read back');
    expect(read.settings).toEqual(training.settings);
    expect(read.split).toEqual(training.split);
    expect(Array.from(read.adapter.W_v)).toEqual(Array.from(training.adapter.W_v));
    expect(Array.from(read.adapter.W_t)).toEqual(Array.from(training.adapter.W_t));
    expect(read.adapter.bestEpoch).toBe(training.adapter.bestEpoch);
    expect(read.adapter.seed).toBe(4);
  });

  it('refuses a damaged adapter or split in words', () => {
    const { report } = trainedReport();
    const json = JSON.parse(stringifyReport(report)) as {
      training: { adapter: Record<string, unknown>; split: { images: string[] } };
    };
    const broken = structuredClone(json);
    broken.training.adapter.W_v = 'AAAA';
    const bad = parseReport(JSON.stringify(broken));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toContain('trained adapter');
    if (!bad.ok) expect(bad.error).toContain('image matrix W_v');
    const short = structuredClone(json);
    short.training.split.images.pop();
    const badSplit = parseReport(JSON.stringify(short));
    expect(badSplit.ok).toBe(false);
    if (!badSplit.ok) expect(badSplit.error).toContain(`but the report has ${report.dataset.images.length} images`);
    const unknownSplit = structuredClone(json);
    unknownSplit.training.split.images[0] = 'later';
    expect(parseReport(JSON.stringify(unknownSplit)).ok).toBe(false);
  });
});
