/** Test-only: a report with a trained adapter (issue 15) on core's planted-spurious bundle. */
import { adapterDataFromBundle, chooseTrainingTemplates, trainAdapter } from '../core/adapter';
import { plantedBundle } from '../core/plantedBundle.fixture';
import { stratifiedSplit } from '../core/splits';
import { buildReport } from './reportBuild';
import type { ReportTraining, SageReport } from './reportFormat';
import { RUNTIME, exampleConfig } from './testSupport';

export function trainedReport(epochs = 3): { report: SageReport; training: ReportTraining } {
  const bundle = plantedBundle({ seed: 2, dim: 8, perClass: 30 });
  const splits = stratifiedSplit(bundle.images, 4);
  const templates = chooseTrainingTemplates(bundle.templates);
  const adapter = trainAdapter(adapterDataFromBundle(bundle, { splits, templates }), { epochs, seed: 4 });
  const training: ReportTraining = {
    adapter,
    settings: { variant: 'ls', epochs, templateCount: 8, optimizer: 'adam', seed: 4 },
    split: { origin: 'made', seed: 4, fractions: { train: 0.5, val: 0.2, test: 0.3 }, images: splits },
  };
  const attributes = ['land', 'water'];
  const built = buildReport({
    // the bundle has 8 templates: "a photo of a {}." is the last
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
