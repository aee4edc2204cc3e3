/** `sage-explorer compare <bundle.json>`: every method side by side, in the paper's layout (rows = methods). */
import {
  type EmbeddingBundle,
  type Knowledge,
  METHOD_IDS,
  METHOD_KNOWLEDGE,
  type MethodConfig,
  type MethodId,
  type Metrics,
  type PromptLookup,
  analyzeBundle,
  bundleAttributes,
  describeConfig,
  effectiveK,
  methodConfig,
  missingPrompts,
  prepareBundle,
  quoteTexts,
} from '../src/core';
import { choiceFlag, parseFlags } from './args';
import { readBundleFile } from './bundleFile';
import { type Command, CliInputError, EXIT_FAILURE, EXIT_OK } from './command';
import { percent, renderTable } from './format';
import { ANALYSIS_FLAGS, ANALYSIS_FLAGS_HELP, readAnalysisSettings } from './methodOptions';
import { encodeTexts, missingTexts } from './methodPrompts';

const USAGE = `usage: sage-explorer compare <bundle.json> [options]

Runs every method on one bundle — zeroshot, ensemble, random, sage, groupprompt, roboshot, tiestar, tie, orthproj,
orthcali — and prints accuracy, worst-group accuracy (and which group), gap and harmonic mean per method, with
the extra knowledge each uses: none, attribute words, or attribute labels (tie is scored on the labels it uses).
A method whose texts the bundle lacks (and --model is not given) is listed as unavailable, with the reason.

${ANALYSIS_FLAGS_HELP}
  --format F            table (default) | json
  -h, --help            this text`;

export interface UnavailableRow {
  method: MethodId;
  label: string;
  knowledge: Knowledge;
  available: false;
  reason: string;
}

export interface CompareRow {
  method: MethodId;
  label: string;
  available: true;
  knowledge: Knowledge;
  k: number | null;
  config: MethodConfig;
  accuracy: number;
  worstGroupAccuracy: number;
  worstGroup: { class: string; attribute: string; n: number };
  balancedAccuracy: number;
  adjustedAccuracy?: number;
  gap: number;
  harmonicMean: number;
  /** true for methods that use more than the class names (knowledge ≠ none) */
  extraKnowledge: boolean;
}

function toRow(method: MethodId, config: MethodConfig, poolSize: number, m: Metrics): CompareRow {
  const row: CompareRow = {
    method,
    label: describeConfig(config, poolSize),
    available: true,
    knowledge: METHOD_KNOWLEDGE[method],
    k: effectiveK(config, poolSize),
    config,
    accuracy: m.accuracy,
    worstGroupAccuracy: m.worstGroupAccuracy,
    worstGroup: { class: m.worstGroup.class, attribute: m.worstGroup.attribute, n: m.worstGroup.n },
    balancedAccuracy: m.balancedAccuracy,
    gap: m.gap,
    harmonicMean: m.harmonicMean,
    extraKnowledge: METHOD_KNOWLEDGE[method] !== 'none',
  };
  if (m.adjustedAccuracy !== undefined) row.adjustedAccuracy = m.adjustedAccuracy;
  return row;
}

function renderCompareTable(bundle: EmbeddingBundle, rows: (CompareRow | UnavailableRow)[], notes: string[]): string {
  const withAdjusted = rows.some((r) => r.available && r.adjustedAccuracy !== undefined);
  const header = [
    'method',
    'knowledge',
    'acc %',
    'WGA %',
    'worst group',
    'gap',
    'HM %',
    'bal %',
    ...(withAdjusted ? ['adj %'] : []),
  ];
  const body = rows.map((r) =>
    r.available
      ? availableCells(r, withAdjusted)
      : [r.label, r.knowledge, 'unavailable', '', '', '', '', '', ...(withAdjusted ? [''] : [])],
  );
  const title = `${bundle.images.length} images · ${bundle.classes.length} classes · model ${bundle.model}`;
  const table = renderTable(header, body, 2);
  return [title, '', table, ...(notes.length > 0 ? ['', ...notes.map((n) => `note: ${n}`)] : [])].join('\n');
}

function availableCells(r: CompareRow, withAdjusted: boolean): string[] {
  return [
    r.label,
    r.knowledge,
    percent(r.accuracy),
    percent(r.worstGroupAccuracy),
    `${r.worstGroup.class}/${r.worstGroup.attribute} (n=${r.worstGroup.n})`,
    percent(r.gap),
    percent(r.harmonicMean),
    percent(r.balancedAccuracy),
    ...(withAdjusted ? [percent(r.adjustedAccuracy ?? NaN)] : []),
  ];
}

/** Why `method` cannot run on this bundle (with the prompts at hand), or undefined when it can. */
function unavailableReason(
  bundle: EmbeddingBundle,
  method: MethodId,
  config: MethodConfig,
  extra: PromptLookup | undefined,
): string | undefined {
  if (method === 'groupprompt' && (bundle.groupPrompts === undefined || bundle.groupPrompts.length === 0)) {
    return 'the bundle has no groupPrompts (it needs one embedded prompt per class/attribute)';
  }
  if (METHOD_KNOWLEDGE[method] !== 'none' && bundleAttributes(bundle).length === 0) {
    return "the bundle's images have no attributes";
  }
  const missing = missingPrompts(bundle, config).filter((text) => extra?.(text) === undefined);
  if (missing.length === 0) return undefined;
  return `no text embedding for ${quoteTexts(missing, 2)} (re-run embed, or pass --model)`;
}

async function run(args: string[]): Promise<number> {
  const parsed = parseFlags(args, ANALYSIS_FLAGS, 'compare');
  if (parsed.values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (parsed.positionals.length !== 1) {
    throw new CliInputError(`compare: expected one bundle file, got ${parsed.positionals.length} (see compare --help)`);
  }
  const format = choiceFlag(parsed, 'format', ['table', 'json'] as const, 'table');
  const bundle = await readBundleFile(parsed.positionals[0]);
  const settings = readAnalysisSettings(parsed, bundle);
  const prepared = prepareBundle(bundle, settings.templates);
  const configs = METHOD_IDS.map((method) => methodConfig(method, settings));
  let extra: PromptLookup | undefined;
  const missing = bundleAttributes(bundle).length > 0 ? missingTexts(bundle, configs) : [];
  if (missing.length > 0 && settings.model !== undefined) {
    const encoded = await encodeTexts(bundle, missing, settings.model, 'compare');
    if (encoded === null) return EXIT_FAILURE;
    extra = encoded;
  }
  const notes: string[] = [];
  const rows: (CompareRow | UnavailableRow)[] = [];
  METHOD_IDS.forEach((method, index) => {
    const config = configs[index];
    const reason = unavailableReason(bundle, method, config, extra);
    if (reason !== undefined) {
      const label = describeConfig(config, settings.poolSize);
      rows.push({ method, label, knowledge: METHOD_KNOWLEDGE[method], available: false, reason });
      return;
    }
    const { metrics } = analyzeBundle(bundle, config, { prepared, weights: settings.weights, prompts: extra });
    rows.push(toRow(method, config, settings.poolSize, metrics));
  });
  // one note per reason, naming every method it stopped (the §7 methods usually share one)
  const byReason = new Map<string, MethodId[]>();
  for (const row of rows)
    if (!row.available) byReason.set(row.reason, [...(byReason.get(row.reason) ?? []), row.method]);
  for (const [reason, methods] of byReason) notes.push(`${methods.join(', ')} not run: ${reason}`);
  notes.push(
    'knowledge: what a method uses beyond the class names; tie uses the attribute labels of the images it is scored on',
  );
  if (format === 'json') {
    process.stdout.write(
      `${JSON.stringify({ model: bundle.model, n: bundle.images.length, k: settings.k, rows, notes })}\n`,
    );
  } else {
    process.stdout.write(`${renderCompareTable(bundle, rows, notes)}\n`);
  }
  return EXIT_OK;
}

export const compareCommand: Command = {
  name: 'compare',
  summary: 'all methods side by side: accuracy, worst-group accuracy, gap, harmonic mean',
  usage: USAGE,
  run,
};
