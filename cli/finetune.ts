/**
 * `sage-explorer finetune <bundle>`: trains Yang et al. 2023's adapter (METHODS.md §4b) on the bundle's train split,
 * prints train/val/test accuracy and worst-group accuracy per epoch, then compares it with zero-shot, the ensemble
 * and SAGE on the test split only. `--out` writes the adapter (sage-adapter/1) for `analyze --adapter` or the app.
 */
import { writeFile } from 'node:fs/promises';
import {
  type AdapterOptions,
  type EpochReport,
  type PromptLookup,
  TRAINING_TEMPLATES,
  adapterDataFromBundle,
  adapterPromptsMissing,
  chooseTrainingTemplates,
  countSplits,
  serializeAdapter,
  splitIndices,
  trainAdapter,
  validateTemplates,
} from '../src/core';
import { choiceFlag, integerFlag, parseFlags, stringFlag } from './args';
import { readBundleFile } from './bundleFile';
import { type Command, CliInputError, EXIT_FAILURE, EXIT_OK } from './command';
import { percent } from './format';
import { encodeTexts } from './methodPrompts';
import { comparisonRows, renderComparison, rowJson, subsetBundle } from './finetuneReport';
import { chooseSplits } from './finetuneSplits';

const USAGE = `usage: sage-explorer finetune <bundle> [options]

Trains a Yang et al. (ICML 2023) adapter on frozen embeddings: f = n(W_v x), t = n(W_t u), W_v = W_t = I at the
start, with the CLIP loss, image and language in-modal losses and a spurious term, on the train split; keeps the
epoch with the best validation worst-group accuracy; reports every method on the test split only.

  --variant V           ls (default): push class prompts away from attribute-word prompts (needs attribute
                        words) | vs: learn to tell the attribute apart (needs attributes on training images)
  --epochs N            passes over the train split (default 50)
  --seed S              seeds the mini-batch order and, when the split is made here, the split (default 0)
  --split-file F        a CSV with columns id and --split-column giving each image train, val or test
  --split-column NAME   the split column of --split-file (default split)
                        Without --split-file: the bundle's image "split" fields when every image has one, else a
                        seeded 50/20/30 split per class × attribute group
  --templates N         8 (default: ${TRAINING_TEMPLATES.length} CLIP templates, see README) | 80 (every template in the
                        bundle, as in the paper) | any count up to the bundle's
  --optimizer O         adam (default, lr 1e-3) | sgd (momentum 0.9, lr 1e-4, weight decay 1e-5, as in the paper)
  --attribute-phrase P  fills each attribute word before it goes into a template (default "{}"; "bird on {}" gives
                        the paper's generic-spurious prompts)
  --model M             encode attribute prompts the bundle lacks with this model (the one that made the bundle)
  --out FILE            write the trained adapter here (sage-adapter/1 JSON)
  --format F            table (default: a line per epoch, then the comparison) | json (one object on stdout,
                        epoch lines on stderr)
  -h, --help            this text`;

const FLAGS = {
  variant: { type: 'string' },
  epochs: { type: 'string' },
  seed: { type: 'string' },
  'split-file': { type: 'string' },
  'split-column': { type: 'string' },
  templates: { type: 'string' },
  optimizer: { type: 'string' },
  'attribute-phrase': { type: 'string' },
  model: { type: 'string' },
  out: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function score(label: string, split: { accuracy: number; worstGroupAccuracy: number }): string {
  return `${label} ${percent(split.accuracy)}/${percent(split.worstGroupAccuracy)}`;
}

function epochLine(report: EpochReport): string {
  const width = String(report.epochs).length;
  const { train, val, test } = report.splits;
  return [
    `epoch ${String(report.epoch).padStart(width)}/${report.epochs}`,
    `loss ${report.trainLoss.toFixed(4)}`,
    score('train', train),
    score('val', val),
    score('test', test),
    `best ${report.bestEpoch}`,
    `${Math.round(report.ms)} ms`,
  ].join('  ');
}

async function run(args: string[]): Promise<number> {
  const parsed = parseFlags(args, FLAGS, 'finetune');
  if (parsed.values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (parsed.positionals.length !== 1) {
    throw new CliInputError(
      `finetune: expected one bundle file, got ${parsed.positionals.length} (see finetune --help)`,
    );
  }
  const variant = choiceFlag(parsed, 'variant', ['ls', 'vs'] as const, 'ls');
  const optimizer = choiceFlag(parsed, 'optimizer', ['adam', 'sgd'] as const, 'adam');
  const format = choiceFlag(parsed, 'format', ['table', 'json'] as const, 'table');
  const epochs = integerFlag(parsed, 'epochs', 1, 100000) ?? 50;
  const seed = integerFlag(parsed, 'seed', 0, 0xffffffff) ?? 0;
  const phrase = stringFlag(parsed, 'attribute-phrase', '{}');
  const phraseIssues = validateTemplates([phrase]);
  if (phraseIssues.length > 0) {
    throw new CliInputError(`--attribute-phrase: ${phraseIssues.map((issue) => issue.message).join('; ')}`);
  }
  const bundle = await readBundleFile(parsed.positionals[0]);
  const templateCount = integerFlag(parsed, 'templates', 1) ?? TRAINING_TEMPLATES.length;
  const templates = chooseTrainingTemplates(bundle.templates, templateCount);
  const splitFile = parsed.values['split-file'];
  const chosen = chooseSplits(bundle, {
    file: typeof splitFile === 'string' ? splitFile : undefined,
    column: stringFlag(parsed, 'split-column', 'split'),
    seed,
    needsAttributes: variant === 'vs',
  });
  let prompts: PromptLookup | undefined;
  const missing = adapterPromptsMissing(bundle, templates, phrase);
  const model = parsed.values.model;
  if (missing.length > 0) {
    if (typeof model !== 'string' || model === '') {
      throw new CliInputError(
        `finetune: training needs the text embedding of ${missing.length} attribute prompt${missing.length === 1 ? '' : 's'} (e.g. "${missing[0]}") that the bundle does not have: pass --model <the model that made the bundle> to encode them now`,
      );
    }
    const encoded = await encodeTexts(bundle, missing, model, 'finetune');
    if (encoded === null) return EXIT_FAILURE;
    prompts = encoded;
  }
  const data = adapterDataFromBundle(bundle, { splits: chosen.splits, templates, attributePhrase: phrase, prompts });
  const sizes = countSplits(chosen.splits);
  const log = (line: string) => (format === 'table' ? process.stdout : process.stderr).write(`${line}\n`);
  log(
    `finetune ${variant} · ${bundle.images.length} images (train ${sizes.train}, val ${sizes.val}, test ${sizes.test}; ${chosen.source}) · ${templates.length} templates · ${optimizer} · seed ${seed}`,
  );
  log('per epoch: accuracy/worst-group accuracy %');
  const options: Partial<AdapterOptions> = { variant, epochs, seed, optimizer };
  const adapter = trainAdapter(data, options, { onEpoch: (report) => void log(epochLine(report)) });
  const out = parsed.values.out;
  if (typeof out === 'string' && out !== '') {
    await writeFile(out, serializeAdapter(adapter));
    log(`wrote ${out}`);
  }
  const test = subsetBundle(bundle, splitIndices(chosen.splits, 'test'));
  const rows = comparisonRows(test, adapter);
  if (format === 'table') {
    process.stdout.write(
      `\nOn the test split (${test.images.length} images; epoch ${adapter.bestEpoch} chosen by validation WGA):\n${renderComparison(rows)}\n`,
    );
    return EXIT_OK;
  }
  const output = {
    variant,
    seed,
    splitSource: chosen.source,
    splitSizes: sizes,
    templates: adapter.templates,
    bestEpoch: adapter.bestEpoch,
    history: adapter.history,
    test: rows.map(rowJson),
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
  return EXIT_OK;
}

export const finetuneCommand: Command = {
  name: 'finetune',
  summary: 'train a Yang et al. 2023 adapter on the embeddings and compare it with SAGE on the test split',
  usage: USAGE,
  run,
};
