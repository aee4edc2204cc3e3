/**
 * `sage-explorer merge a.json b.json … --out bundle.json`: joins bundles of disjoint image sets that share one
 * text side — the shards of `embed --shard i/n`, or folders embedded separately with the same model and settings.
 * The model, precision (when recorded), classes, templates and text embeddings must be equal; group prompts and
 * extra prompts present in several bundles must agree; no image id may appear twice. Images are written in path
 * order (the order embed walks a folder in), so all n shards of a folder merge into exactly the single embed.
 */
import { type EmbeddingBundle, type GroupPrompt } from '../src/core';
import { parseFlags, stringFlag } from './args';
import { OUT_HELP, readBundleFile, writeBundleOutput } from './bundleFile';
import { type Command, CliInputError, EXIT_OK } from './command';
import { comparePathOrder } from './shard';

const USAGE = `usage: sage-explorer merge <bundle> <bundle> … --out <bundle.json>

Joins bundles that hold different images of one dataset embedded the same way, e.g. the shards of
\`embed --shard i/n\` run on several machines (GNU parallel, a Kubernetes Job array, Spark):

  sage-explorer merge shard-1.json shard-2.json shard-3.json --out all.json

Checks that the model, precision (meta.dtype, when recorded), classes (in order), templates and text embeddings
are equal, that group prompts and prompts found in several bundles agree, that no image id appears twice, and
that shards (meta.shard "i/n") are all there. Images are written sorted by id in path order, which is the order
embed writes a folder in; skipped entries are kept once each.

  --out FILE    ${OUT_HELP}
  -h, --help    this text`;

const FLAGS = { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

/** The first index where the arrays differ (0 when their lengths do), or -1 when they are equal. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

interface Named {
  name: string;
  bundle: EmbeddingBundle;
}

function listText(values: readonly string[]): string {
  const shown = values.slice(0, 6).map((v) => JSON.stringify(v));
  return values.length > 6 ? `${shown.join(', ')}, … (${values.length})` : shown.join(', ');
}

/** The first way `other` disagrees with `first` on the shared text side, as a sentence, or null. */
function textSideProblem(first: Named, other: Named): string | null {
  const a = first.bundle;
  const b = other.bundle;
  const differ = (what: string, left: string, right: string) =>
    `${other.name} ${what} ${right}, but ${first.name} ${what} ${left}; only bundles embedded the same way can be merged`;
  if (a.model !== b.model) return differ('was made with model', JSON.stringify(a.model), JSON.stringify(b.model));
  const dtypeA = a.meta?.dtype;
  const dtypeB = b.meta?.dtype;
  if (dtypeA !== undefined && dtypeB !== undefined && dtypeA !== dtypeB) {
    return differ('was embedded at precision', String(dtypeA), String(dtypeB));
  }
  if (a.dim !== b.dim) return differ('has embeddings of size', String(a.dim), String(b.dim));
  if (a.classes.join('\n') !== b.classes.join('\n')) {
    return differ('has the classes', listText(a.classes), listText(b.classes));
  }
  if (a.templates.join('\n') !== b.templates.join('\n')) {
    const t = a.templates.findIndex((template, i) => template !== b.templates[i]);
    const at = t < 0 ? a.templates.length : t;
    return `${other.name} has a different template pool from ${first.name} (${b.templates.length} vs ${a.templates.length} templates; first difference at template ${at + 1}: ${JSON.stringify(b.templates[at] ?? '(none)')} vs ${JSON.stringify(a.templates[at] ?? '(none)')}); embed the shards with the same --templates`;
  }
  const at = firstDifference(a.text, b.text);
  if (at >= 0) {
    const row = Math.floor(at / a.dim);
    const cls = a.classes[row % a.classes.length];
    return `${other.name}'s text embedding for template ${Math.floor(row / a.classes.length) + 1} with class ${cls} differs from ${first.name}'s (number ${(at % a.dim) + 1}: ${b.text[at]} vs ${a.text[at]}); the shards were embedded with different model files or precisions`;
  }
  return null;
}

/** Unions texts keyed by their exact string; a text present twice must carry the same embedding. */
function unionByText<T extends { embedding: Float32Array }>(
  sources: readonly Named[],
  pick: (bundle: EmbeddingBundle) => readonly T[] | undefined,
  key: (item: T) => string,
  noun: string,
): T[] {
  const out = new Map<string, { item: T; from: string }>();
  for (const { name, bundle } of sources) {
    for (const item of pick(bundle) ?? []) {
      const earlier = out.get(key(item));
      if (earlier === undefined) out.set(key(item), { item, from: name });
      else if (firstDifference(earlier.item.embedding, item.embedding) >= 0) {
        throw new CliInputError(
          `merge: the ${noun} ${JSON.stringify(key(item))} has different embeddings in ${earlier.from} and ${name}; the bundles were embedded differently`,
        );
      }
    }
  }
  return [...out.values()].map((entry) => entry.item);
}

/** All shards 1/n … n/n present once, when the bundles say they are shards. */
function shardProblem(sources: readonly Named[]): string | null {
  const labels = sources.map((s) => s.bundle.meta?.shard);
  if (labels.every((label) => label === undefined)) return null;
  const parsed = labels.map((label) => (typeof label === 'string' ? /^(\d+)\/(\d+)$/.exec(label) : null));
  const counts = new Set(parsed.map((m) => m?.[2] ?? 'none'));
  if (counts.size !== 1 || counts.has('none')) {
    const described = sources.map(
      (s, i) => `${s.name}: ${labels[i] === undefined ? 'not a shard' : `shard ${String(labels[i])}`}`,
    );
    return `the bundles are not shards of one split (${described.join('; ')})`;
  }
  const count = Number([...counts][0]);
  const seen = new Map<number, string>();
  for (let i = 0; i < sources.length; i++) {
    const index = Number(parsed[i]?.[1]);
    const earlier = seen.get(index);
    if (earlier !== undefined) return `${sources[i].name} and ${earlier} are both shard ${index}/${count}`;
    seen.set(index, sources[i].name);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) {
    return `shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`;
  }
  return null;
}

/** Joins the bundles (pure; throws CliInputError naming the bundle that disagrees). */
export function mergeBundles(sources: readonly Named[]): EmbeddingBundle {
  const [first, ...rest] = sources;
  for (const other of rest) {
    const problem = textSideProblem(first, other);
    if (problem) throw new CliInputError(`merge: ${problem}`);
  }
  const shards = shardProblem(sources);
  if (shards) throw new CliInputError(`merge: ${shards}`);
  const { dim } = first.bundle;
  const owner = new Map<string, string>();
  const rows: { image: EmbeddingBundle['images'][number]; bundle: EmbeddingBundle; index: number }[] = [];
  for (const { name, bundle } of sources) {
    bundle.images.forEach((image, index) => {
      const earlier = owner.get(image.id);
      if (earlier !== undefined) {
        throw new CliInputError(
          `merge: image ${JSON.stringify(image.id)} is in both ${earlier} and ${name}; each image may be in one bundle only`,
        );
      }
      owner.set(image.id, name);
      rows.push({ image, bundle, index });
    });
  }
  rows.sort((x, y) => comparePathOrder(x.image.id, y.image.id));
  const imageEmbeddings = new Float32Array(rows.length * dim);
  rows.forEach((row, i) =>
    imageEmbeddings.set(row.bundle.imageEmbeddings.subarray(row.index * dim, (row.index + 1) * dim), i * dim),
  );
  const groupPrompts = unionByText<GroupPrompt>(
    sources,
    (b) => b.groupPrompts,
    (g) => g.prompt,
    'group prompt',
  );
  const prompts = unionByText(
    sources,
    (b) => b.prompts,
    (p) => p.text,
    'prompt',
  );
  // every shard repeats the listing's own skipped entries (e.g. nested folders): keep each once
  const skippedById = new Map<string, { id: string; reason: string }>();
  for (const entry of sources.flatMap((s) => s.bundle.skipped ?? [])) {
    if (!skippedById.has(entry.id)) skippedById.set(entry.id, entry);
  }
  const skipped = [...skippedById.values()];
  const meta = { ...first.bundle.meta };
  delete meta.shard;
  const merged: EmbeddingBundle = {
    format: 'sage-embeddings/1',
    model: first.bundle.model,
    dim,
    classes: first.bundle.classes,
    templates: first.bundle.templates,
    text: first.bundle.text,
    images: rows.map((row) => row.image),
    imageEmbeddings,
  };
  if (groupPrompts.length > 0) merged.groupPrompts = groupPrompts;
  if (prompts.length > 0) merged.prompts = prompts;
  if (skipped.length > 0) merged.skipped = skipped;
  if (first.bundle.meta !== undefined) merged.meta = { ...meta, mergedFrom: sources.length };
  return merged;
}

async function run(args: string[]): Promise<number> {
  const parsed = parseFlags(args, FLAGS, 'merge');
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (parsed.positionals.length < 2) throw new CliInputError('merge: give at least two bundles (see merge --help)');
  const paths = parsed.positionals;
  const repeated = paths.find((path, i) => paths.indexOf(path) !== i);
  if (repeated !== undefined) throw new CliInputError(`merge: ${repeated} is given twice`);
  const sources: Named[] = [];
  for (const path of paths) sources.push({ name: path, bundle: await readBundleFile(path) });
  const merged = mergeBundles(sources);
  await writeBundleOutput(stringFlag(parsed, 'out', ''), merged);
  process.stderr.write(`merged ${sources.length} bundles: ${merged.images.length} images\n`);
  return EXIT_OK;
}

export const mergeCommand: Command = {
  name: 'merge',
  summary: 'join bundles of disjoint images (embed --shard i/n) into one bundle',
  usage: USAGE,
  run,
};
