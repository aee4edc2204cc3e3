/**
 * `sage-explorer import --images emb.npy --metadata meta.csv …`: embeddings made elsewhere (the SAGE authors'
 * cached .npy features, clip-retrieval's img_emb/*.npy + metadata/*.parquet, open_clip + a labels CSV) become a
 * bundle. The readers and the column mapping live in core (the app imports dropped files with the same code);
 * this file reads the files, gets the text side (a --text array or --model) and writes the bundle.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { OUT_HELP, writeBundleOutput } from './bundleFile';
import {
  CLIP_TEMPLATES,
  DEFAULT_GROUP_PROMPT_PATTERN,
  type Dtype,
  validateGroupPromptPattern,
  validateTemplates,
} from '../src/core';
import { errorMessage } from '../src/core/errors';
import {
  type ColumnMapping,
  type EmbeddingMatrix,
  type TextSide,
  buildImportedBundle,
  mapRecords,
  parseNameList,
  readEmbeddingMatrix,
  readMetadataTable,
  textSideFromMatrix,
} from '../src/core/importIndex';
import { ModelLoadError } from '../src/model/clipRuntime';
import { loadClipNode, modelLocationFromArg, nodeHubSettings } from '../src/model/nodeClip';
import { choiceFlag, parseFlags, stringFlag } from './args';
import { bundleModelName, embedBundleTexts } from './bundleTexts';
import { type Command, CliInputError, EXIT_FAILURE, EXIT_OK } from './command';
import { downloadReporter } from './downloadProgress';
import { readTemplates } from './embedInputs';

const USAGE = `usage: sage-explorer import --images emb.npy --metadata meta.csv --id-column C --class-column C
                            [--attribute-column C] (--text text.npy [--templates FILE] | --model M) [options]

Turns embeddings computed elsewhere into a sage-embeddings bundle. Row r of the image array is the image
described by data row r of the metadata table (as in WILDS' metadata.csv and clip-retrieval's output).

  --images FILE           image embeddings: .npy (2-D, float32 or float16, C order) or .npz (np.savez);
                          name the array of an .npz holding several: emb.npz:image_features
  --metadata FILE         metadata table: .csv (with a header row) or .parquet, one row per image row
  --id-column C           column holding each image's id (a file name or key; must be unique)
  --class-column C        column holding the class (a name, or an id with --class-names)
  --class-names a,b       class id 0 → a, 1 → b, …, in this order (e.g. WILDS Waterbirds' y: landbird,waterbird);
                          the class names are what the prompts say ("a photo of a landbird.")
  --attribute-column C    column holding the attribute (e.g. WILDS' place); without it the attribute is empty
  --attribute-names a,b   attribute id 0 → a, 1 → b, … (e.g. land,water); without it the values are the words
  --split-column C        keep only the rows whose column C holds --split S (e.g. --split-column split --split 2)
  --split S
  --text FILE             text embeddings (.npy or emb.npz:name): one row per template and class, template-major
                          (row t·C + c = template t with class c, classes in --class-names order)
  --templates FILE        the templates of --text / to embed with --model: JSON array or one per line
                          (default: CLIP's 80)
  --model M               embed the prompts with this CLIP model (hub id or folder) instead of --text: every
                          template × class prompt, the group prompts and the attribute phrasings, as embed does
  --dtype D               fp32 | fp16 | q8: the precision of --model (default as for embed)
  --group-pattern P       group prompt pattern for --model (default: "${DEFAULT_GROUP_PROMPT_PATTERN}")
  --model-name NAME       the model recorded in the bundle (default: --model's name, else "imported")
  --out FILE              ${OUT_HELP}
  -h, --help              this text

Exit 2 with one sentence naming the file, column or row when the inputs do not fit together.`;

const FLAGS = {
  images: { type: 'string' },
  metadata: { type: 'string' },
  'id-column': { type: 'string' },
  'class-column': { type: 'string' },
  'class-names': { type: 'string' },
  'attribute-column': { type: 'string' },
  'attribute-names': { type: 'string' },
  'split-column': { type: 'string' },
  split: { type: 'string' },
  text: { type: 'string' },
  templates: { type: 'string' },
  model: { type: 'string' },
  dtype: { type: 'string' },
  'group-pattern': { type: 'string' },
  'model-name': { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function readBytes(path: string, flag: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : (code ?? 'unreadable');
    throw new CliInputError(`${flag}: cannot read ${path}: ${reason}`);
  }
}

/** "emb.npz:text" → the file and the array's name; a plain path has no name. */
function readMatrixArg(arg: string, flag: string): { matrix: EmbeddingMatrix; name: string } {
  const named = /^(.*\.npz):([^:/\\]+)$/i.exec(arg);
  const path = named ? named[1] : arg;
  const name = basename(path);
  return { matrix: readEmbeddingMatrix(readBytes(path, flag), name, named?.[2]), name };
}

function optional(parsed: ReturnType<typeof parseFlags>, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

function required(parsed: ReturnType<typeof parseFlags>, name: string, what: string): string {
  const value = optional(parsed, name);
  if (value === undefined || value.trim() === '') throw new CliInputError(`import: --${name} is required (${what})`);
  return value;
}

async function run(args: string[]): Promise<number> {
  const parsed = parseFlags(args, FLAGS, 'import');
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (parsed.positionals.length > 0) {
    throw new CliInputError(
      `import: unexpected argument "${parsed.positionals[0]}" (every input is a flag; see import --help)`,
    );
  }
  const imagesArg = required(parsed, 'images', 'the image embeddings, .npy or .npz');
  const metadataPath = required(parsed, 'metadata', 'the metadata table, .csv or .parquet');
  const textArg = optional(parsed, 'text');
  const model = optional(parsed, 'model');
  if (textArg !== undefined && model !== undefined) {
    throw new CliInputError('import: give --text (embeddings of the prompts) or --model (to embed them), not both');
  }
  if (textArg === undefined && model === undefined) {
    throw new CliInputError(
      'import: the text side is missing: give --text text.npy (one row per template and class) or --model M to embed the prompts',
    );
  }
  const dtype =
    parsed.values.dtype === undefined ? undefined : choiceFlag<Dtype>(parsed, 'dtype', ['fp32', 'fp16', 'q8'], 'fp32');
  const templatesPath = optional(parsed, 'templates');
  const templates = templatesPath === undefined ? [...CLIP_TEMPLATES] : readTemplates(templatesPath);
  const templateIssues = validateTemplates(templates);
  if (templateIssues.length > 0) throw new CliInputError(`--templates: ${templateIssues[0].message}`);
  const groupPattern = stringFlag(parsed, 'group-pattern', DEFAULT_GROUP_PROMPT_PATTERN);
  const patternIssues = validateGroupPromptPattern(groupPattern);
  if (patternIssues.length > 0) throw new CliInputError(`--group-pattern: ${patternIssues[0].message}`);

  const classNames = optional(parsed, 'class-names');
  const attributeNames = optional(parsed, 'attribute-names');
  const mapping: ColumnMapping = {
    idColumn: required(parsed, 'id-column', "the metadata column with each image's id"),
    classColumn: required(parsed, 'class-column', "the metadata column with each image's class"),
    attributeColumn: optional(parsed, 'attribute-column'),
    classNames: classNames === undefined ? undefined : parseNameList(classNames, '--class-names'),
    attributeNames: attributeNames === undefined ? undefined : parseNameList(attributeNames, '--attribute-names'),
    splitColumn: optional(parsed, 'split-column'),
    split: optional(parsed, 'split'),
  };
  if (mapping.attributeNames !== undefined && mapping.attributeColumn === undefined) {
    throw new CliInputError('--attribute-names needs --attribute-column: the column whose ids the names stand for');
  }

  const images = readMatrixArg(imagesArg, '--images');
  const table = await readMetadataTable(readBytes(metadataPath, '--metadata'), basename(metadataPath));
  const records = mapRecords(table, mapping);
  for (const note of records.notes) process.stderr.write(`note: ${note}\n`);

  let textSide: TextSide;
  const meta: Record<string, string | number | boolean> = {
    tool: 'sage-explorer import',
    imageDtype: images.matrix.dtype,
  };
  if (textArg !== undefined) {
    const text = readMatrixArg(textArg, '--text');
    textSide = textSideFromMatrix(text.matrix, text.name, templates, records.classes);
  } else {
    const modelArg = model ?? '';
    const isHub = modelLocationFromArg(modelArg).kind === 'hub';
    if (isHub) {
      try {
        nodeHubSettings();
      } catch (error) {
        throw new CliInputError(errorMessage(error));
      }
    }
    const onFile = isHub ? downloadReporter((t) => process.stderr.write(t), process.stderr.isTTY === true) : undefined;
    let loaded: Awaited<ReturnType<typeof loadClipNode>>;
    try {
      loaded = await loadClipNode(modelArg, { dtype, onFile });
    } catch (error) {
      if (!(error instanceof ModelLoadError)) throw error;
      process.stderr.write(`import: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    const { embedder, runtime, dim } = loaded;
    const attributes = [...new Set(records.images.map((image) => image.attribute).filter((a) => a !== ''))].sort();
    const texts = await embedBundleTexts(embedder, dim, templates, records.classes, attributes, groupPattern);
    await embedder.dispose();
    if (texts.truncationWarning) process.stderr.write(`warning: ${texts.truncationWarning}\n`);
    textSide = { templates, text: texts.text, dim, groupPrompts: texts.groupPrompts, prompts: texts.prompts };
    Object.assign(meta, {
      backend: runtime.backend,
      dtype: runtime.dtype,
      threads: runtime.threads,
      modelId: runtime.modelId,
    });
  }
  const bundle = buildImportedBundle({
    model: optional(parsed, 'model-name') ?? (model === undefined ? 'imported' : bundleModelName(model)),
    images: images.matrix,
    imagesName: images.name,
    tableRows: table.rows.length,
    tableName: table.name,
    records,
    textSide,
    meta,
  });
  await writeBundleOutput(optional(parsed, 'out'), bundle);
  const attributeCount = new Set(bundle.images.map((image) => image.attribute)).size;
  process.stderr.write(
    `imported ${bundle.images.length} of ${table.rows.length} rows (${images.matrix.dtype}, dim ${bundle.dim}): ` +
      `${bundle.classes.length} classes, ${attributeCount} attribute value${attributeCount === 1 ? '' : 's'}, ${bundle.templates.length} templates\n`,
  );
  return EXIT_OK;
}

export const importCommand: Command = {
  name: 'import',
  summary: 'turn .npy/.npz embeddings + a CSV/Parquet metadata table into a bundle',
  usage: USAGE,
  run,
};
