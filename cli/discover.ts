/**
 * `sage-explorer discover <bundle> [--method M] [--vocab FILE] [--top-k 5] [--format json|table]`: attribute
 * discovery without attribute labels (METHODS §5 "B2T-vocab + δ check") for the predictions of one method.
 */
import {
  DEFAULT_PRESENCE_TOP_K,
  type ClassDiscovery,
  type DiscoveryRow,
  type EmbeddingBundle,
  METHOD_IDS,
  METHOD_KNOWLEDGE,
  type MethodId,
  type PromptLookup,
  analyzeBundle,
  attributeWordRanks,
  bundleAttributes,
  bundleLabels,
  bundlePromptLookup,
  bundleVocabulary,
  describeConfig,
  discoverOnBundle,
  dropClassWords,
  methodConfig,
  vocabularyEmbeddings,
} from '../src/core';
import { choiceFlag, integerFlag, parseFlags } from './args';
import { readBundleFile } from './bundleFile';
import { type Command, CliInputError, EXIT_FAILURE, EXIT_OK } from './command';
import {
  VOCABULARY_FLAGS,
  VOCABULARY_FLAGS_HELP,
  type VocabularyChoice,
  readVocabularyFlag,
  vocabularyTemplates,
} from './discoverVocabulary';
import { percent, renderTable } from './format';
import { ANALYSIS_FLAGS, ANALYSIS_FLAGS_HELP, readAnalysisSettings } from './methodOptions';
import { encodeTexts, promptsForMethods } from './methodPrompts';

/** Said with every result: the reader must not take a word for a finding. */
export const DISCOVERY_CAVEAT =
  'CLIP both tags the images and is the model being audited, so the tags are noisy: a discovered word is a ' +
  'hypothesis to test by grouping the images by it, not a finding.';

const TABLE_ROWS = 10;

const USAGE = `usage: sage-explorer discover <bundle> [options]

Finds candidate spurious attributes without attribute labels (METHODS §5 "B2T-vocab + δ check"): for each class,
vocabulary words ranked by how much worse (or better) the method does on the class's images CLIP tags with the
word. CLIP both tags the images and is the model being audited, so the tags are noisy: a discovered word is a
hypothesis to test by grouping the images by it, not a finding.

  --method M            the method whose errors are explained (default zeroshot), as in analyze:
                        ${METHOD_IDS.join(', ')}
${VOCABULARY_FLAGS_HELP}
  --top-k N             a word is "present" in an image when it is among the image's N closest words
                        (default ${DEFAULT_PRESENCE_TOP_K})
${ANALYSIS_FLAGS_HELP.replace('encode texts those methods need that the bundle lacks with this model', 'encode the texts the method or the vocabulary needs but the bundle lacks')}
  --format F            json (default) | table (at most ${TABLE_ROWS} rows per list)
  -h, --help            this text

The vocabulary's text embeddings come from the bundle's "prompts": store them with
\`sage-explorer embed … --vocab FILE\` (or \`--vocab default\`), or pass --model to encode them now.

Per class: B2T score = 100 · e_v·(mean of the wrong images − mean of the right ones), unit vectors; a class
with fewer than 5 wrong or 5 right images is skipped with the reason. For each word with at least 10 images
present and 10 absent and mutual information of (presence, error) > 0: δ = acc(present) − acc(absent) with a
95% interval (Newcombe's hybrid score interval from the two Wilson intervals).

JSON output: method, label, model, topK, vocabulary {source, prompts, words, dropped [{word, class}]},
classes [{class, n, nWrong, nRight, skipped (a sentence or null), hurts (δ < 0, most harmful first), helps (δ > 0,
most helpful first): [{word, b2tScore, delta, ci95 [lo, hi], nPresent, nAbsent, mi (nats), accPresent, accAbsent,
examples (image ids with the word present, wrong first)}], b2t [{word, score, tag (S: positive for this class only,
M: also for another)}] (score > 0, top 20)}], selfCheck (bundles with attributes: where each true attribute word
ranks, 1-based, null = not listed) [{class, attribute, word, hurtsRank, helpsRank, b2tRank}], caveat.`;

/** One sentence: the vocabulary is not in the bundle, and the two ways to get it there. */
export function missingVocabularyMessage(choice: VocabularyChoice, missing: readonly string[], total: number): string {
  const vocabArg = choice.source === 'default' ? 'default' : choice.source;
  const promptsArg = choice.mode === 'ensemble' ? ' --vocab-prompts ensemble' : '';
  const which = missing.length === total ? `any of the ${total}` : `${missing.length} of the ${total}`;
  return (
    `the bundle has no text embedding for ${which} vocabulary prompts (e.g. ` +
    `"${missing[0]}"): run \`sage-explorer embed <images> --model <model> --vocab ${vocabArg}${promptsArg}\` ` +
    'to store them in the bundle, or pass --model <the model that made the bundle> to encode them now'
  );
}

/** e_v for the chosen words: from the bundle, or the missing ones encoded with --model. Null: model failed. */
async function vocabularyVectors(
  bundle: EmbeddingBundle,
  choice: VocabularyChoice,
  model: string | undefined,
): Promise<ReturnType<typeof bundleVocabulary> | null> {
  const templates = vocabularyTemplates(choice, bundle.templates);
  const stored = bundleVocabulary(bundle, choice.words, templates);
  if (stored.missing.length === 0) return stored;
  const kept = dropClassWords(choice.words, bundle.classes).kept;
  if (model === undefined) {
    throw new CliInputError(missingVocabularyMessage(choice, stored.missing, kept.length * templates.length));
  }
  const encoded = await encodeTexts(bundle, stored.missing, model, 'discover');
  if (encoded === null) return null;
  const lookup = bundlePromptLookup(bundle);
  const both: PromptLookup = (text) => lookup(text) ?? encoded(text);
  return { ...vocabularyEmbeddings(kept, bundle.dim, both, templates), dropped: stored.dropped };
}

function rowJson(row: DiscoveryRow, bundle: EmbeddingBundle) {
  return {
    word: row.word,
    b2tScore: row.b2tScore,
    delta: row.delta,
    ci95: row.ci95,
    nPresent: row.nPresent,
    nAbsent: row.nAbsent,
    mi: row.mi,
    accPresent: row.accPresent,
    accAbsent: row.accAbsent,
    examples: row.examples.map((i) => bundle.images[i].id),
  };
}

function classJson(cls: ClassDiscovery, bundle: EmbeddingBundle) {
  return {
    class: cls.class,
    n: cls.n,
    nWrong: cls.nWrong,
    nRight: cls.nRight,
    skipped: cls.skipped,
    hurts: cls.hurts.map((row) => rowJson(row, bundle)),
    helps: cls.helps.map((row) => rowJson(row, bundle)),
    b2t: cls.b2t.map(({ word, score, tag }) => ({ word, score, tag })),
  };
}

const signed = (x: number, digits: number) => `${x > 0 ? '+' : ''}${x.toFixed(digits)}`;

function rowsTable(rows: readonly DiscoveryRow[]): string {
  return renderTable(
    ['word', 'δ (points)', '95% CI', 'acc present %', 'acc absent %', 'present', 'absent', 'MI', 'B2T'],
    rows
      .slice(0, TABLE_ROWS)
      .map((r) => [
        r.word,
        signed(r.delta * 100, 1),
        `${signed(r.ci95[0] * 100, 1)} to ${signed(r.ci95[1] * 100, 1)}`,
        percent(r.accPresent),
        percent(r.accAbsent),
        String(r.nPresent),
        String(r.nAbsent),
        r.mi.toFixed(4),
        r.b2tScore.toFixed(1),
      ]),
    1,
  );
}

function listLines(title: string, rows: readonly DiscoveryRow[]): string[] {
  if (rows.length === 0) return [`${title}: no word passed the checks`];
  const more = rows.length > TABLE_ROWS ? ` (first ${TABLE_ROWS} of ${rows.length}; --format json lists all)` : '';
  return [`${title}${more}:`, rowsTable(rows)];
}

function classLines(cls: ClassDiscovery): string[] {
  const head = `== ${cls.class}: ${cls.n} images, ${cls.nWrong} wrong, ${cls.nRight} right`;
  if (cls.skipped !== null) return [head, `skipped: ${cls.skipped}`];
  const b2t =
    cls.b2t.length === 0 ? '(none positive)' : cls.b2t.map((w) => `${w.word} ${w.score.toFixed(1)}`).join(', ');
  return [
    head,
    ...listLines('hurts when present', cls.hurts),
    '',
    ...listLines('helps when present', cls.helps),
    '',
    `B2T (closer to the wrong images): ${b2t}`,
  ];
}

async function run(args: string[]): Promise<number> {
  const parsed = parseFlags(
    args,
    { ...ANALYSIS_FLAGS, ...VOCABULARY_FLAGS, method: { type: 'string' }, 'top-k': { type: 'string' } },
    'discover',
  );
  if (parsed.values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (parsed.positionals.length !== 1) {
    throw new CliInputError(
      `discover: expected one bundle file, got ${parsed.positionals.length} (see discover --help)`,
    );
  }
  const method: MethodId = choiceFlag(parsed, 'method', METHOD_IDS, 'zeroshot');
  const format = choiceFlag(parsed, 'format', ['json', 'table'] as const, 'json');
  const choice = readVocabularyFlag(parsed);
  const topK = integerFlag(parsed, 'top-k', 1) ?? DEFAULT_PRESENCE_TOP_K;
  const bundle = await readBundleFile(parsed.positionals[0]);
  const settings = readAnalysisSettings(parsed, bundle);
  const config = methodConfig(method, settings);
  const attributes = bundleAttributes(bundle);
  if (METHOD_KNOWLEDGE[method] !== 'none' && attributes.length === 0) {
    throw new CliInputError(`--method ${method}: the bundle's images have no attributes, and it needs them`);
  }
  if (method === 'groupprompt' && (bundle.groupPrompts === undefined || bundle.groupPrompts.length === 0)) {
    throw new CliInputError(
      '--method groupprompt: the bundle has no groupPrompts (one embedded prompt per class/attribute)',
    );
  }
  const vocabulary = await vocabularyVectors(bundle, choice, settings.model);
  if (vocabulary === null) return EXIT_FAILURE;
  if (vocabulary.words.length === 0) {
    throw new CliInputError('--vocab: every word names a class, so no word is left to test');
  }
  const prompts = await promptsForMethods(bundle, [config], method, settings.model, 'discover');
  if (prompts === null) return EXIT_FAILURE;
  const { result } = analyzeBundle(bundle, config, { templates: settings.templates, prompts });
  const discovery = discoverOnBundle(bundle, result.predicted, vocabulary, { topK });
  const label = describeConfig(config, settings.poolSize);
  const labels = bundleLabels(bundle);
  const selfCheck =
    attributes.length === 0
      ? undefined
      : attributeWordRanks(
          discovery,
          bundle.images.map((image) => image.attribute),
          labels,
        );
  if (format === 'table') {
    const header =
      `${label} · ${bundle.images.length} images · ${vocabulary.words.length} words · a word is present in an ` +
      `image when among its ${discovery.topK} closest · model ${bundle.model}`;
    const checks =
      selfCheck === undefined
        ? []
        : [
            '',
            'self-check (the true attributes of the images):',
            ...selfCheck.map(
              (r) =>
                `  ${r.class} / ${r.attribute}: ` +
                (r.word === null
                  ? 'not in the vocabulary'
                  : `hurts #${r.hurtsRank ?? '–'}, helps #${r.helpsRank ?? '–'}, B2T #${r.b2tRank ?? '–'}`),
            ),
          ];
    const blocks = discovery.classes.flatMap((cls) => ['', ...classLines(cls)]);
    const dropped =
      vocabulary.dropped.length === 0
        ? []
        : [`left out because they name a class: ${vocabulary.dropped.map((d) => `${d.word} (${d.class})`).join(', ')}`];
    const lines = [header, ...dropped, ...blocks, ...checks, '', `note: ${DISCOVERY_CAVEAT}`];
    process.stdout.write(`${lines.join('\n')}\n`);
    return EXIT_OK;
  }
  const output = {
    method,
    label,
    model: bundle.model,
    topK: discovery.topK,
    vocabulary: {
      source: choice.source,
      prompts: choice.mode,
      words: vocabulary.words.length,
      dropped: vocabulary.dropped,
    },
    classes: discovery.classes.map((cls) => classJson(cls, bundle)),
    ...(selfCheck === undefined ? {} : { selfCheck }),
    caveat: DISCOVERY_CAVEAT,
  };
  process.stdout.write(
    `${JSON.stringify(output, (_, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value))}\n`,
  );
  return EXIT_OK;
}

export const discoverCommand: Command = {
  name: 'discover',
  summary: 'find candidate spurious attributes from a word list (B2T score, δ and MI on CLIP tags) per class',
  usage: USAGE,
  run,
};
