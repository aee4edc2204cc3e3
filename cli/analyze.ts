/** `sage-explorer analyze <bundle.json> --method …`: one method's predictions, metrics and template statistics. */
import {
  type AttributeMethodResult,
  type EmbeddingBundle,
  METHOD_IDS,
  METHOD_KNOWLEDGE,
  METHOD_NAMES,
  type MethodConfig,
  type MethodId,
  type MethodResult,
  type Metrics,
  type PromptLookup,
  accuracyDiscrepancy,
  analyzeBundle,
  bundleAttributes,
  debiasBundleText,
  describeConfig,
  effectiveK,
  imageAttributeIndices,
  isAttributeMethodResult,
  meanSeparation,
  methodConfig,
  pseudoAttributeAccuracy,
  selectionFrequency,
  singleTemplateStats,
} from '../src/core';
import { type ParsedArgs, choiceFlag, parseFlags } from './args';
import { readBundleFile } from './bundleFile';
import { type Command, CliInputError, EXIT_FAILURE, EXIT_OK } from './command';
import { percent, renderTable } from './format';
import { ANALYSIS_FLAGS, ANALYSIS_FLAGS_HELP, type AnalysisSettings, readAnalysisSettings } from './methodOptions';
import { adapterComparison } from './finetuneReport';
import { encodeTexts, missingPromptsMessage, missingTexts } from './methodPrompts';

const USAGE = `usage: sage-explorer analyze <bundle.json> [options]

Runs one method on a sage-embeddings/1 bundle and evaluates it per (class, attribute) group.

  --method M            sage (default) | ensemble | zeroshot | random | groupprompt | roboshot | tiestar | tie |
                        orthproj | orthcali (the last five: SPEC §7; they classify with the --template class
                        weights and the bundle's attribute words; tie uses the images' attribute labels)
${ANALYSIS_FLAGS_HELP}
  --debias-text P       orthproj | orthcali: "combine" — run a template method (zeroshot, ensemble, random,
                        sage) on template text that went through Orth-Proj/Orth-Cali's projection first (in no
                        paper; it uses the attribute words). Recorded as debiasText in the JSON
  --adapter FILE        also apply a trained adapter (sage-adapter/1, from \`finetune --out\`) and show it next to the
                        method, both on the bundle's test split when its images carry splits (JSON: "adapter")
  --format F            json (default: one JSON object on stdout) | table
  -h, --help            this text

JSON output: method, k, config, knowledge (none | attribute words | attribute labels), model, classes, pool
(template indices used), predictions [{id, class, attribute, predicted (class name), scores (object: class name →
cosine-like score), templates (selected template indices best-first; sage/random/zeroshot only), pseudoAttribute
(tiestar: the guessed attribute word; tie: the true one)}], parameters (§7 methods: attributes, phrasings, alpha,
directions, pairs, λ, …), pseudoAttributeAccuracy (tiestar, per group), metrics {accuracy, accuracyCi95,
worstGroupAccuracy, worstGroup, balancedAccuracy, adjustedAccuracy (with --weights), gap, harmonicMean,
groups [{class, attribute, n, correct, accuracy, ci95}], discrepancy [{class, attribute, delta, nPresent, nAbsent}]
ranked by δ descending}, templateStats {meanSeparation, singleTemplate, selectionFrequency (sage/random)}.
Non-finite numbers (e.g. δ with no "absent" images) are written as null.`;

function predictionsJson(bundle: EmbeddingBundle, result: MethodResult, attributes: readonly string[]) {
  const pseudo = isAttributeMethodResult(result) ? result.pseudoAttribute : undefined;
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
      pseudoAttribute?: string | null;
    } = {
      id: image.id,
      class: image.class,
      attribute: image.attribute,
      predicted: bundle.classes[result.predicted[i]],
      scores,
    };
    if (k > 0) entry.templates = Array.from(result.selected.subarray(i * k, (i + 1) * k));
    if (pseudo !== undefined) entry.pseudoAttribute = pseudo[i] >= 0 ? attributes[pseudo[i]] : null;
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

/** "alpha 0.164, 0.187" style lines for a §7 method's recorded parameters. */
function parameterLines(result: AttributeMethodResult): string[] {
  return Object.entries(result.parameters).map(([name, value]) => {
    const text = Array.isArray(value)
      ? value.map((v) => (typeof v === 'number' ? (Number.isNaN(v) ? '–' : String(+v.toFixed(4))) : v)).join(', ')
      : String(value);
    return `${name}: ${text === '' ? '(none)' : text}`;
  });
}

function renderAnalysisTable(
  bundle: EmbeddingBundle,
  label: string,
  metrics: Metrics,
  settings: AnalysisSettings,
  result: MethodResult,
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
  const parameters = isAttributeMethodResult(result) ? ['', ...parameterLines(result)] : [];
  return [header, '', groups, '', ...summaryLines(metrics), ...parameters].join('\n');
}

/** --debias-text orthproj|orthcali: the "combine" option, for the template methods only. */
function readDebias(parsed: ParsedArgs, method: MethodId, settings: AnalysisSettings): MethodConfig | undefined {
  if (parsed.values['debias-text'] === undefined) return undefined;
  const debias = choiceFlag(parsed, 'debias-text', ['orthproj', 'orthcali'] as const, 'orthcali');
  if (METHOD_KNOWLEDGE[method] !== 'none') {
    throw new CliInputError(
      `--debias-text: applies to the template methods (zeroshot, ensemble, random, sage), not ${method}`,
    );
  }
  return methodConfig(debias, settings);
}

function debiasLabel(config: MethodConfig): string {
  const lambda = config.method === 'orthcali' ? ` λ=${config.lambda}` : '';
  return `on text debiased by ${METHOD_NAMES[config.method]}${lambda} (uses attribute words)`;
}

async function run(args: string[]): Promise<number> {
  const parsed = parseFlags(
    args,
    { ...ANALYSIS_FLAGS, method: { type: 'string' }, 'debias-text': { type: 'string' }, adapter: { type: 'string' } },
    'analyze',
  );
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
  const debiasConfig = readDebias(parsed, method, settings);
  if (method === 'groupprompt' && (bundle.groupPrompts === undefined || bundle.groupPrompts.length === 0)) {
    throw new CliInputError(
      '--method groupprompt: the bundle has no groupPrompts (one embedded prompt per class/attribute)',
    );
  }
  const attributes = bundleAttributes(bundle);
  const knowledge = debiasConfig === undefined ? METHOD_KNOWLEDGE[method] : METHOD_KNOWLEDGE[debiasConfig.method];
  const who = debiasConfig === undefined ? method : `${method} --debias-text ${debiasConfig.method}`;
  if (knowledge !== 'none' && attributes.length === 0) {
    throw new CliInputError(`--method ${who}: the bundle's images have no attributes, and it needs them`);
  }
  const missing = missingTexts(bundle, debiasConfig === undefined ? [config] : [config, debiasConfig]);
  let extraPrompts: PromptLookup | undefined;
  if (missing.length > 0) {
    if (settings.model === undefined) throw new CliInputError(`--method ${missingPromptsMessage(who, missing)}`);
    const encoded = await encodeTexts(bundle, missing, settings.model, 'analyze');
    if (encoded === null) return EXIT_FAILURE;
    extraPrompts = encoded;
  }
  const debiased = debiasConfig === undefined ? undefined : debiasBundleText(bundle, debiasConfig, extraPrompts);
  const { prepared, result, metrics } = analyzeBundle(debiased?.bundle ?? bundle, config, {
    templates: settings.templates,
    weights: settings.weights,
    prompts: extraPrompts,
  });
  const label =
    describeConfig(config, settings.poolSize) + (debiasConfig === undefined ? '' : ` ${debiasLabel(debiasConfig)}`);
  const adapterFile = parsed.values.adapter;
  const adapter =
    typeof adapterFile === 'string'
      ? adapterComparison(debiased?.bundle ?? bundle, adapterFile, {
          label,
          knowledge,
          config,
          templates: settings.templates,
          prompts: extraPrompts,
        })
      : undefined;
  if (format === 'table') {
    const adapterTable = adapter === undefined ? '' : `\n\n${adapter.table}`;
    process.stdout.write(`${renderAnalysisTable(bundle, label, metrics, settings, result)}${adapterTable}\n`);
    return EXIT_OK;
  }
  const { analysis } = prepared;
  const attributeResult = isAttributeMethodResult(result) ? result : undefined;
  const output = {
    method,
    k: effectiveK(config, settings.poolSize),
    config,
    label,
    knowledge,
    model: bundle.model,
    classes: bundle.classes,
    pool: Array.from(analysis.pool),
    predictions: predictionsJson(bundle, result, attributes),
    ...(attributeResult === undefined ? {} : { parameters: attributeResult.parameters }),
    ...(debiased === undefined ? {} : { debiasText: { config: debiasConfig, parameters: debiased.parameters } }),
    ...(method === 'tiestar' && attributeResult?.pseudoAttribute !== undefined
      ? {
          pseudoAttributeAccuracy: pseudoAttributeAccuracy(
            bundle.images,
            bundle.classes,
            imageAttributeIndices(bundle.images, attributes),
            attributeResult.pseudoAttribute,
          ),
        }
      : {}),
    ...(adapter === undefined ? {} : { adapter: adapter.json }),
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
