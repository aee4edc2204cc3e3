/**
 * `sage-explorer embed <folder|manifest.csv> --model <hub-id|path>`: embeds images and all template×class
 * prompts (template-major) plus one group prompt per (class, attribute), and writes a sage-embeddings/1
 * bundle. A bad image never aborts the run: it is reported as `skipped <path>: <reason>` on stderr and
 * listed under `skipped`; exit 2 only when no image could be read.
 */
import { readFileSync } from 'node:fs';
import {
  CLIP_TEMPLATES,
  DEFAULT_GROUP_PROMPT_PATTERN,
  buildPrompts,
  DEFAULT_PHRASINGS,
  type Dtype,
  type EmbeddingBundle,
  type ImageRecord,
  validateClasses,
  validateGroupPromptPattern,
  validateTemplates,
} from '../src/core';
import type { ImageSource } from '../src/model/embedder';
import { OUT_HELP, writeBundleOutput } from './bundleFile';
import { MemoryEmbeddingCache, type EmbeddingCache } from '../src/model/embeddingCache';
import { FileEmbeddingCache } from '../src/model/fileEmbeddingCache';
import { ModelLoadError } from '../src/model/clipRuntime';
import { summariseDecodingNotes } from '../src/model/decodingNotes';
import { loadClipNode, modelLocationFromArg, nodeHubSettings } from '../src/model/nodeClip';
import { promptTruncationWarning } from '../src/model/clipTokenizer';
import { choiceFlag, integerFlag, parseFlags, stringFlag } from './args';
import { type Command, CliInputError, EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK } from './command';
import { downloadReporter } from './downloadProgress';
import { bundleModelName, embedBundleTexts } from './bundleTexts';
import { listInputs, readTemplates, type LabelledFile } from './embedInputs';
import { parseShard, selectShard, shardLabel } from './shard';
import { VOCABULARY_FLAGS, embedVocabularyPrompts, readVocabularyFlag } from './discoverVocabulary';
import { errorMessage } from '../src/core/errors';

const USAGE = `usage: sage-explorer embed <folder|manifest.csv> --model <hub-id|path> [options]

Embeds a labelled image set with CLIP (onnxruntime-node) and writes a sage-embeddings/1 bundle: images, every
template × class prompt, one group prompt per (class, attribute), and under "prompts" the attribute phrasings
("${DEFAULT_PHRASINGS.join('", "')}" with each attribute word) that analyze's roboshot/tie/orth* methods need.

  <folder>               class/attribute/image or class/image folders
  <manifest.csv>         rows path,class[,attribute] (header optional; paths relative to the CSV)
  --model M              hub id (e.g. Xenova/clip-vit-base-patch32) or a model folder (transformers.js layout);
                         hub files are downloaded once into $SAGE_MODEL_CACHE (default ~/.cache/sage-explorer/models)
                         from $HF_ENDPOINT (default https://huggingface.co)
  --dtype D              fp32 | fp16 | q8 (default: q8 for hub models; for folders q8 if present, else fp32)
  --classes a,b          classes to keep, in this order (default: all, sorted)
  --templates FILE       template pool: JSON array or one template per line, each with "{}" (default: CLIP's 80)
  --group-pattern P      group prompt pattern with {class} and {attribute} (default: "${DEFAULT_GROUP_PROMPT_PATTERN}")
  --batch N              images per encoder call (default 16)
  --cache FILE           reuse and update an embedding cache file (re-runs embed nothing already seen)
  --shard i/n            embed only shard i of n (1-based: 1/3, 2/3, 3/3): the images sorted by id in path order,
                         cut into n contiguous runs; every shard holds the same text side. Join the shards with
                         \`sage-explorer merge\`; with --dtype fp32 or fp16 the merge equals a single embed
  --vocab FILE|default   also store discover's vocabulary prompts (under "prompts"): a word list file (one per
                         line and/or comma-separated) or "default" for the built-in list
  --vocab-prompts P      single: "a photo of a {word}." (default) | ensemble: every template of the pool
  --out FILE             ${OUT_HELP}
  -h, --help             this text

Progress goes to stderr; unreadable images are reported as "skipped <path>: <reason>" and listed under
"skipped" in the bundle. Exit 2 when no image could be read or the arguments are wrong.`;

const FLAGS = {
  model: { type: 'string' },
  dtype: { type: 'string' },
  classes: { type: 'string' },
  templates: { type: 'string' },
  'group-pattern': { type: 'string' },
  batch: { type: 'string' },
  cache: { type: 'string' },
  shard: { type: 'string' },
  ...VOCABULARY_FLAGS,
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function fieldIssues(issues: { field: string; message: string }[], flag: string): void {
  if (issues.length > 0)
    throw new CliInputError(`${flag}: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
}

/** Progress on stderr: a redrawn bar on a terminal, a line per ~10% otherwise. */
function progressReporter(total: number): (done: number) => void {
  const tty = process.stderr.isTTY === true;
  const start = Date.now();
  let lastDecile = -1;
  return (done) => {
    const rate = done / Math.max((Date.now() - start) / 1000, 1e-3);
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} images  ${rate.toFixed(1)} img/s`;
    if (tty) process.stderr.write(`\r${line}${done === total ? '\n' : ''}`);
    else {
      const decile = total === 0 ? 10 : Math.floor((done / total) * 10);
      if (decile !== lastDecile) process.stderr.write(`${line}\n`);
      lastDecile = decile;
    }
  };
}

async function run(args: string[]): Promise<number> {
  const parsed = parseFlags(args, FLAGS, 'embed');
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (parsed.positionals.length !== 1)
    throw new CliInputError('embed: expected exactly one <folder|manifest.csv> (see embed --help)');
  const model = stringFlag(parsed, 'model', '');
  if (model === '') throw new CliInputError('embed: --model is required (a hub id or a model folder)');
  const dtypeFlag =
    parsed.values.dtype === undefined ? undefined : choiceFlag<Dtype>(parsed, 'dtype', ['fp32', 'fp16', 'q8'], 'fp32');
  const batchSize = integerFlag(parsed, 'batch', 1, 1024) ?? 16;
  const templates =
    typeof parsed.values.templates === 'string' ? readTemplates(parsed.values.templates) : [...CLIP_TEMPLATES];
  fieldIssues(validateTemplates(templates), '--templates');
  const groupPattern = stringFlag(parsed, 'group-pattern', DEFAULT_GROUP_PROMPT_PATTERN);
  const shard = typeof parsed.values.shard === 'string' ? parseShard(parsed.values.shard) : undefined;
  const vocabulary = parsed.values.vocab === undefined ? undefined : readVocabularyFlag(parsed);
  fieldIssues(validateGroupPromptPattern(groupPattern), '--group-pattern');

  // inputs and classes
  const listing = listInputs(parsed.positionals[0]);
  const foundClasses = [...new Set(listing.files.map((f) => f.class))].sort();
  let classes = foundClasses;
  if (typeof parsed.values.classes === 'string') {
    classes = parsed.values.classes.split(',').map((c) => c.trim());
    fieldIssues(validateClasses(classes), '--classes');
    const unknown = classes.filter((c) => !foundClasses.includes(c));
    if (unknown.length > 0)
      throw new CliInputError(
        `--classes: no images for ${unknown.map((c) => `"${c}"`).join(', ')} (found: ${foundClasses.join(', ')})`,
      );
  }
  const allFiles: LabelledFile[] = listing.files.filter((f) => classes.includes(f.class));
  const files = shard === undefined ? allFiles : selectShard(allFiles, shard);
  if (shard !== undefined) {
    process.stderr.write(`shard ${shardLabel(shard)}: ${files.length} of ${allFiles.length} images\n`);
    if (files.length === 0 && allFiles.length > 0) {
      process.stderr.write(
        `embed: shard ${shardLabel(shard)} holds no images (${allFiles.length} in all); use at most ${allFiles.length} shards\n`,
      );
      return EXIT_BAD_INPUT;
    }
  }
  const skipped = [...listing.skipped];
  for (const entry of listing.skipped) process.stderr.write(`skipped ${entry.id}: ${entry.reason}\n`);
  if (files.length === 0) {
    process.stderr.write('embed: no images found\n');
    return EXIT_BAD_INPUT;
  }

  // model
  const cache: EmbeddingCache =
    typeof parsed.values.cache === 'string' ? new FileEmbeddingCache(parsed.values.cache) : new MemoryEmbeddingCache();
  const loadStart = Date.now();
  const isHub = modelLocationFromArg(model).kind === 'hub';
  if (isHub) {
    try {
      nodeHubSettings();
    } catch (error) {
      throw new CliInputError(errorMessage(error));
    }
  }
  // hub models: download progress in MB (folders load from disk; nothing worth reporting)
  const onFile = isHub
    ? downloadReporter((text) => process.stderr.write(text), process.stderr.isTTY === true)
    : undefined;
  let loaded: Awaited<ReturnType<typeof loadClipNode>>;
  try {
    loaded = await loadClipNode(model, { dtype: dtypeFlag, cache, onFile });
  } catch (error) {
    // an unreachable or incomplete model is the user's situation, not a bug: say what happened and what to do
    if (!(error instanceof ModelLoadError)) throw error;
    process.stderr.write(`embed: ${error.message}\n`);
    return EXIT_FAILURE;
  }
  const { embedder, runtime, dim } = loaded;
  process.stderr.write(
    `model ${runtime.modelId} (${runtime.backend}, ${runtime.dtype}, dim ${dim}) loaded in ${((Date.now() - loadStart) / 1000).toFixed(1)} s\n`,
  );

  // images
  const sources: ImageSource[] = files.map((file) => ({
    id: file.id,
    read: async () => new Uint8Array(readFileSync(file.path)),
  }));
  const byId = new Map(files.map((file) => [file.id, file]));
  const images: ImageRecord[] = [];
  const vectors: Float32Array[] = [];
  let fromCache = 0;
  const decodingNotes: { id: string; note: string }[] = [];
  const report = progressReporter(files.length);
  const imageStart = Date.now();
  let done = 0;
  for await (const batch of embedder.embedImages(sources, batchSize)) {
    for (const outcome of batch.outcomes) {
      const file = byId.get(outcome.id);
      if (!file) continue;
      if (outcome.ok) {
        images.push({ id: file.id, class: file.class, attribute: file.attribute });
        vectors.push(outcome.embedding);
        if (outcome.fromCache) fromCache++;
        if (outcome.note) decodingNotes.push({ id: file.path, note: outcome.note });
      } else {
        skipped.push({ id: file.id, reason: outcome.reason });
        process.stderr.write(`${process.stderr.isTTY ? '\n' : ''}skipped ${file.path}: ${outcome.reason}\n`);
      }
    }
    done += batch.outcomes.length;
    report(done);
  }
  const imageSeconds = (Date.now() - imageStart) / 1000;
  for (const sentence of summariseDecodingNotes(decodingNotes)) process.stderr.write(`note: ${sentence}\n`);
  if (images.length === 0) {
    process.stderr.write('embed: no image could be read\n');
    await embedder.dispose();
    return EXIT_BAD_INPUT;
  }

  // prompts: template-major, then one group prompt per (class, attribute), then the attribute phrasings the
  // SPEC §7 methods need. A shard takes its attributes from the whole listing, so every shard holds the same texts.
  const attributeSource = shard === undefined ? images : allFiles;
  const attributes = [...new Set(attributeSource.map((image) => image.attribute).filter((a) => a !== ''))].sort();
  const texts = await embedBundleTexts(embedder, dim, templates, classes, attributes, groupPattern);
  if (texts.truncationWarning) process.stderr.write(`warning: ${texts.truncationWarning}\n`);
  const stored = new Set([...buildPrompts(templates, classes), ...texts.groupPrompts.map((g) => g.prompt)]);
  for (const prompt of texts.prompts) stored.add(prompt.text);
  const vocabularyPrompts =
    vocabulary === undefined
      ? { prompts: [], truncated: [] }
      : await embedVocabularyPrompts(embedder, dim, vocabulary, classes, templates, stored);
  const vocabularyWarning = promptTruncationWarning(vocabularyPrompts.truncated);
  if (vocabularyWarning) process.stderr.write(`warning: ${vocabularyWarning}\n`);
  await embedder.dispose();
  if (cache instanceof FileEmbeddingCache) cache.flush();

  const imageEmbeddings = new Float32Array(images.length * dim);
  vectors.forEach((vector, i) => imageEmbeddings.set(vector, i * dim));
  const { groupPrompts } = texts;
  const extraPrompts = [...texts.prompts, ...vocabularyPrompts.prompts];
  const promptCount = templates.length * classes.length;
  const bundle: EmbeddingBundle = {
    format: 'sage-embeddings/1',
    model: bundleModelName(model),
    dim,
    classes,
    templates,
    text: texts.text,
    images,
    imageEmbeddings,
    ...(groupPrompts.length > 0 ? { groupPrompts } : {}),
    ...(extraPrompts.length > 0 ? { prompts: extraPrompts } : {}),
    ...(skipped.length > 0 ? { skipped } : {}),
    meta: {
      backend: runtime.backend,
      dtype: runtime.dtype,
      threads: runtime.threads,
      modelId: runtime.modelId,
      tool: 'sage-explorer embed',
      ...(shard === undefined ? {} : { shard: shardLabel(shard) }),
    },
  };
  await writeBundleOutput(typeof parsed.values.out === 'string' ? parsed.values.out : undefined, bundle);
  const fresh = images.length - fromCache;
  process.stderr.write(
    `embedded ${images.length} images (${fromCache} from cache, ${skipped.length} skipped) in ${imageSeconds.toFixed(1)} s` +
      (fresh > 0 ? `, ${(fresh / imageSeconds).toFixed(1)} img/s` : '') +
      `; ${promptCount} prompts + ${groupPrompts.length} group prompts + ${texts.prompts.length} attribute phrasings` +
      (vocabulary === undefined ? '' : ` + ${vocabularyPrompts.prompts.length} vocabulary prompts`) +
      '\n',
  );
  return EXIT_OK;
}

export const embedCommand: Command = {
  name: 'embed',
  summary: 'embed a labelled image folder or CSV manifest with CLIP into a sage-embeddings/1 bundle',
  usage: USAGE,
  run,
};
