/** `sage-explorer analyze <bundle.json> --method …`: one method's predictions, metrics and template statistics. */
import {
  type EmbeddingBundle,
  METHOD_IDS,
  type MethodResult,
  type Metrics,
  accuracyDiscrepancy,
  analyzeBundle,
  describeConfig,
  effectiveK,
  meanSeparation,
  methodConfig,
  selectionFrequency,
  singleTemplateStats,
} from '../src/core';
import { choiceFlag, parseFlags } from './args';
import { readBundleFile } from './bundleFile';
import { type Command, CliInputError, EXIT_OK } from './command';
import { percent, renderTable } from './format';
import { ANALYSIS_FLAGS, ANALYSIS_FLAGS_HELP, type AnalysisSettings, readAnalysisSettings } from './methodOptions';

const USAGE = `usage: sage-explorer analyze <bundle.json> [options]

Runs one method on a sage-embeddings/1 bundle and evaluates it per (class, attribute) group.

  --method M            sage (default) | ensemble | zeroshot | random | groupprompt
${ANALYSIS_FLAGS_HELP}
  --format F            json (default: one JSON object on stdout) | table
  -h, --help            this text

JSON output: method, k, config, model, classes, pool (template indices used), predictions
[{id, class, attribute, predicted (class name), scores (object: class name → cosine-like score), templates
(selected template indices best-first; sage/random/zeroshot only)}], metrics {accuracy, accuracyCi95,
worstGroupAccuracy, worstGroup, balancedAccuracy, adjustedAccuracy (with --weights), gap, harmonicMean,
groups [{class, attribute, n, correct, accuracy, ci95}], discrepancy [{class, attribute, delta, nPresent, nAbsent}]
ranked by δ descending}, templateStats {meanSeparation, singleTemplate, selectionFrequency (sage/random)}.
Non-finite numbers (e.g. δ with no "absent" images) are written as null.`;

function predictionsJson(bundle: EmbeddingBundle, result: MethodResult) {
  const c = bundle.classes.length;
  const k = result.kSelected;
  return bundle.images.map((image, i) => {
    const scores: Record<string, number> = {};
    bundle.classes.forEach((cls, j) => (scores[cls] = result.scores[i * c + j]));
    const entry: {
      id: string;
      class: string;
      attribute: string;
      predicted: string;
      scores: Record<string, number>;
      templates?: number[];
    } = {
      id: image.id,
      class: image.class,
      attribute: image.attribute,
      predicted: bundle.classes[result.predicted[i]],
      scores,
    };
    if (k > 0) entry.templates = Array.from(result.selected.subarray(i * k, (i + 1) * k));
    return entry;
  });
}

function summaryLines(metrics: Metrics): string[] {
  const lines = [
    `accuracy ${percent(metrics.accuracy)}% [${percent(metrics.accuracyCi95.low)}, ${percent(metrics.accuracyCi95.high)}] of ${metrics.n}`,
    `worst-group accuracy ${percent(metrics.worstGroupAccuracy)}% (${metrics.worstGroup.class}/${metrics.worstGroup.attribute}, n=${metrics.worstGroup.n})`,
    `balanced accuracy ${percent(metrics.balancedAccuracy)}%`,
  ];
  if (metrics.adjustedAccuracy !== undefined) lines.push(`adjusted accuracy ${percent(metrics.adjustedAccuracy)}%`);
  lines.push(`gap ${percent(metrics.gap)} points · HM ${percent(metrics.harmonicMean)}`);
  return lines;
}

function renderAnalysisTable(
  bundle: EmbeddingBundle,
  label: string,
  metrics: Metrics,
  settings: AnalysisSettings,
): string {
  const groups = renderTable(
    ['class', 'attribute', 'n', 'correct', 'acc %', '95% CI'],
    metrics.groups.map((g) => [
      g.class,
      g.attribute || '(none)',
      String(g.n),
      String(g.correct),
      percent(g.accuracy),
      `${percent(g.ci95.low)}–${percent(g.ci95.high)}`,
    ]),
    2,
  );
  const header = `${label} · ${bundle.images.length} images · ${bundle.classes.length} classes · ${settings.poolSize} templates · model ${bundle.model}`;
  return [header, '', groups, '', ...summaryLines(metrics)].join('\n');
}

async function run(args: string[]): Promise<number> {
  const parsed = parseFlags(args, { ...ANALYSIS_FLAGS, method: { type: 'string' } }, 'analyze');
  if (parsed.values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (parsed.positionals.length !== 1) {
    throw new CliInputError(`analyze: expected one bundle file, got ${parsed.positionals.length} (see analyze --help)`);
  }
  const method = choiceFlag(parsed, 'method', METHOD_IDS, 'sage');
  const format = choiceFlag(parsed, 'format', ['json', 'table'] as const, 'json');
  const bundle = await readBundleFile(parsed.positionals[0]);
  const settings = readAnalysisSettings(parsed, bundle);
  const config = methodConfig(method, settings);
  if (method === 'groupprompt' && (bundle.groupPrompts === undefined || bundle.groupPrompts.length === 0)) {
    throw new CliInputError(
      '--method groupprompt: the bundle has no groupPrompts (one embedded prompt per class/attribute)',
    );
  }
  const { prepared, result, metrics } = analyzeBundle(bundle, config, {
    templates: settings.templates,
    weights: settings.weights,
  });
  const label = describeConfig(config, settings.poolSize);
  if (format === 'table') {
    process.stdout.write(`${renderAnalysisTable(bundle, label, metrics, settings)}\n`);
    return EXIT_OK;
  }
  const { analysis } = prepared;
  const output = {
    method,
    k: effectiveK(config, settings.poolSize),
    config,
    label,
    model: bundle.model,
    classes: bundle.classes,
    pool: Array.from(analysis.pool),
    predictions: predictionsJson(bundle, result),
    metrics: { ...metrics, discrepancy: accuracyDiscrepancy(bundle.images, bundle.classes, result.predicted) },
    templateStats: {
      meanSeparation: meanSeparation(analysis, bundle.images, bundle.classes),
      singleTemplate: singleTemplateStats(analysis, bundle.images, bundle.classes),
      selectionFrequency:
        method === 'sage' || method === 'random'
          ? selectionFrequency(result, bundle.images, bundle.classes, analysis.m)
          : null,
    },
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
  return EXIT_OK;
}

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'run one method on an embedding bundle: predictions, group metrics, template statistics',
  usage: USAGE,
  run,
};
