/** `sage-explorer compare <bundle.json>`: every method side by side, in the paper's layout (rows = methods). */
import {
  type EmbeddingBundle,
  type MethodConfig,
  type MethodId,
  type Metrics,
  analyzeBundle,
  describeConfig,
  effectiveK,
  methodConfig,
  prepareBundle,
} from '../src/core';
import { choiceFlag, parseFlags } from './args';
import { readBundleFile } from './bundleFile';
import { type Command, CliInputError, EXIT_OK } from './command';
import { percent, renderTable } from './format';
import { ANALYSIS_FLAGS, ANALYSIS_FLAGS_HELP, readAnalysisSettings } from './methodOptions';

const USAGE = `usage: sage-explorer compare <bundle.json> [options]

Runs zeroshot, ensemble, random, sage (and groupprompt when the bundle has groupPrompts) on one bundle and
prints accuracy, worst-group accuracy (and which group), gap and harmonic mean per method.

${ANALYSIS_FLAGS_HELP}
  --format F            table (default) | json
  -h, --help            this text`;

const ORDER: readonly MethodId[] = ['zeroshot', 'ensemble', 'random', 'sage', 'groupprompt'];

export interface CompareRow {
  method: MethodId;
  label: string;
  k: number | null;
  config: MethodConfig;
  accuracy: number;
  worstGroupAccuracy: number;
  worstGroup: { class: string; attribute: string; n: number };
  balancedAccuracy: number;
  adjustedAccuracy?: number;
  gap: number;
  harmonicMean: number;
  /** true for methods that use attribute words (groupprompt) */
  extraKnowledge: boolean;
}

function toRow(method: MethodId, config: MethodConfig, poolSize: number, m: Metrics): CompareRow {
  const row: CompareRow = {
    method,
    label: describeConfig(config, poolSize),
    k: effectiveK(config, poolSize),
    config,
    accuracy: m.accuracy,
    worstGroupAccuracy: m.worstGroupAccuracy,
    worstGroup: { class: m.worstGroup.class, attribute: m.worstGroup.attribute, n: m.worstGroup.n },
    balancedAccuracy: m.balancedAccuracy,
    gap: m.gap,
    harmonicMean: m.harmonicMean,
    extraKnowledge: method === 'groupprompt',
  };
  if (m.adjustedAccuracy !== undefined) row.adjustedAccuracy = m.adjustedAccuracy;
  return row;
}

function renderCompareTable(bundle: EmbeddingBundle, rows: CompareRow[], notes: string[]): string {
  const withAdjusted = rows.some((r) => r.adjustedAccuracy !== undefined);
  const header = [
    'method',
    'acc %',
    'WGA %',
    'worst group',
    'gap',
    'HM %',
    'bal %',
    ...(withAdjusted ? ['adj %'] : []),
  ];
  const body = rows.map((r) => [
    r.label,
    percent(r.accuracy),
    percent(r.worstGroupAccuracy),
    `${r.worstGroup.class}/${r.worstGroup.attribute} (n=${r.worstGroup.n})`,
    percent(r.gap),
    percent(r.harmonicMean),
    percent(r.balancedAccuracy),
    ...(withAdjusted ? [percent(r.adjustedAccuracy ?? NaN)] : []),
  ]);
  const title = `${bundle.images.length} images · ${bundle.classes.length} classes · model ${bundle.model}`;
  const table = renderTable(header, body, 1);
  return [title, '', table, ...(notes.length > 0 ? ['', ...notes.map((n) => `note: ${n}`)] : [])].join('\n');
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
  const hasGroupPrompts = bundle.groupPrompts !== undefined && bundle.groupPrompts.length > 0;
  const notes: string[] = [];
  const rows: CompareRow[] = [];
  for (const method of ORDER) {
    if (method === 'groupprompt' && !hasGroupPrompts) {
      notes.push(
        'groupprompt not run: the bundle has no groupPrompts (it needs one embedded prompt per class/attribute)',
      );
      continue;
    }
    const config = methodConfig(method, settings);
    const { metrics } = analyzeBundle(bundle, config, { prepared, weights: settings.weights });
    rows.push(toRow(method, config, settings.poolSize, metrics));
  }
  if (hasGroupPrompts) notes.push('groupprompt uses attribute words (extra knowledge); the other methods use none');
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
