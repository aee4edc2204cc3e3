/**
 * The trained adapter next to zero-shot, the ensemble and SAGE on one held-out subset (the test split), as rows a
 * table or JSON can show. Shared by `finetune` (after training) and `analyze --adapter`.
 */
import {
  AdapterError,
  CLIP_TEMPLATES,
  DEFAULT_ZEROSHOT_TEMPLATE,
  type EmbeddingBundle,
  type MethodConfig,
  type Metrics,
  type PromptLookup,
  type TrainedAdapter,
  adapterClassText,
  analyzeBundle,
  applyAdapter,
  bundleSplits,
  computeMetrics,
  describeConfig,
  parseAdapter,
  splitIndices,
} from '../src/core';
import { CliInputError } from './command';
import { readTextFile } from './finetuneSplits';
import { percent, renderTable } from './format';

export interface ComparisonRow {
  label: string;
  /** METHODS.md §6 badge */
  knowledge: string;
  trains: boolean;
  metrics: Metrics;
}

/** The bundle restricted to `indices` (image order kept), so the existing analysis code scores only them. */
export function subsetBundle(bundle: EmbeddingBundle, indices: Int32Array): EmbeddingBundle {
  const { dim } = bundle;
  const imageEmbeddings = new Float32Array(indices.length * dim);
  indices.forEach((i, r) => imageEmbeddings.set(bundle.imageEmbeddings.subarray(i * dim, (i + 1) * dim), r * dim));
  return { ...bundle, images: Array.from(indices, (i) => bundle.images[i]), imageEmbeddings };
}

export function adapterLabel(adapter: TrainedAdapter): string {
  const T = adapter.templates.length;
  return `Yang et al. 2023 adapter (${adapter.variant}, ${T} template${T === 1 ? '' : 's'}, seed ${adapter.seed}, epoch ${adapter.bestEpoch} of ${adapter.epochs})`;
}

/** METHODS.md §6: trained; ls uses attribute words (labels only to pick the epoch), vs attribute labels in training. */
export function adapterKnowledge(adapter: TrainedAdapter): string {
  return adapter.variant === 'ls'
    ? 'trained; class labels + attribute words'
    : 'trained; class labels + attribute labels';
}

/** The adapter's metrics on `bundle` (all its images). */
export function adapterRow(bundle: EmbeddingBundle, adapter: TrainedAdapter): ComparisonRow {
  const { predicted } = applyAdapter(
    adapter,
    bundle.imageEmbeddings,
    bundle.images.length,
    adapterClassText(adapter, bundle),
  );
  return {
    label: adapterLabel(adapter),
    knowledge: adapterKnowledge(adapter),
    trains: true,
    metrics: computeMetrics(bundle.images, bundle.classes, predicted),
  };
}

function zeroShotTemplate(bundle: EmbeddingBundle): number {
  const photo = bundle.templates.indexOf(CLIP_TEMPLATES[DEFAULT_ZEROSHOT_TEMPLATE]);
  return photo >= 0 ? photo : 0;
}

/**
 * zero-shot, the full ensemble, the ensemble of the adapter's templates (= the adapter before training), SAGE K=1
 * and the adapter, all on `subset`.
 */
export function comparisonRows(subset: EmbeddingBundle, adapter: TrainedAdapter): ComparisonRow[] {
  const m = subset.templates.length;
  const row = (config: MethodConfig, templates?: number[], label?: string): ComparisonRow => ({
    label: label ?? describeConfig(config, templates?.length ?? m),
    knowledge: 'none',
    trains: false,
    metrics: analyzeBundle(subset, config, { templates }).metrics,
  });
  const own = adapter.templates.map((template) => subset.templates.indexOf(template));
  const rows = [
    row({ method: 'zeroshot', template: zeroShotTemplate(subset) }),
    row({ method: 'ensemble', aggregate: 'embedding' }),
  ];
  if (own.length < m) {
    rows.push(
      row(
        { method: 'ensemble', aggregate: 'embedding' },
        own,
        `ensemble of the adapter's ${own.length} templates (untrained)`,
      ),
    );
  }
  rows.push(row({ method: 'sage', k: 1, aggregate: 'embedding' }), adapterRow(subset, adapter));
  return rows;
}

export function renderComparison(rows: readonly ComparisonRow[]): string {
  return renderTable(
    ['method', 'acc %', 'WGA %', 'worst group', 'gap', 'HM', 'extra knowledge'],
    rows.map(({ label, knowledge, metrics }) => [
      label,
      percent(metrics.accuracy),
      percent(metrics.worstGroupAccuracy),
      `${metrics.worstGroup.class}/${metrics.worstGroup.attribute || '(none)'} (n=${metrics.worstGroup.n})`,
      percent(metrics.gap),
      percent(metrics.harmonicMean),
      knowledge,
    ]),
    1,
  );
}

/** A row as JSON: the headline numbers, the groups, and the badge. */
export function rowJson(row: ComparisonRow) {
  const { metrics } = row;
  return {
    label: row.label,
    knowledge: row.knowledge,
    trains: row.trains,
    n: metrics.n,
    accuracy: metrics.accuracy,
    worstGroupAccuracy: metrics.worstGroupAccuracy,
    worstGroup: { class: metrics.worstGroup.class, attribute: metrics.worstGroup.attribute, n: metrics.worstGroup.n },
    balancedAccuracy: metrics.balancedAccuracy,
    gap: metrics.gap,
    harmonicMean: metrics.harmonicMean,
    groups: metrics.groups,
  };
}

/**
 * `analyze --adapter FILE`: the adapter next to the analysed method, both on the bundle's test split when its
 * images carry splits (else on all images, said in `scoredOn`).
 */
export function adapterComparison(
  bundle: EmbeddingBundle,
  path: string,
  method: { label: string; knowledge: string; config: MethodConfig; templates?: number[]; prompts?: PromptLookup },
): { table: string; json: Record<string, unknown> } {
  const text = readTextFile(path, '--adapter');
  let adapter: TrainedAdapter;
  try {
    adapter = parseAdapter(text);
  } catch (error) {
    if (error instanceof AdapterError) throw new CliInputError(`--adapter ${path}: ${error.message}`);
    throw error;
  }
  const splits = bundleSplits(bundle);
  const subset = splits === undefined ? bundle : subsetBundle(bundle, splitIndices(splits, 'test'));
  const scoredOn =
    splits === undefined
      ? `all ${bundle.images.length} images (the bundle's images carry no split: if the adapter was trained on some of them, these numbers flatter it)`
      : `the test split (${subset.images.length} images)`;
  const methodMetrics = analyzeBundle(subset, method.config, {
    templates: method.templates,
    prompts: method.prompts,
  }).metrics;
  const rows: ComparisonRow[] = [
    { label: method.label, knowledge: method.knowledge, trains: false, metrics: methodMetrics },
    adapterRow(subset, adapter),
  ];
  return {
    table: `Trained adapter ${path}, on ${scoredOn}:\n${renderComparison(rows)}`,
    json: {
      scoredOn: splits === undefined ? 'all images' : 'test split',
      variant: adapter.variant,
      seed: adapter.seed,
      bestEpoch: adapter.bestEpoch,
      epochs: adapter.epochs,
      templates: adapter.templates,
      splitSizes: adapter.splitSizes,
      method: rowJson(rows[0]),
      adapter: rowJson(rows[1]),
    },
  };
}
