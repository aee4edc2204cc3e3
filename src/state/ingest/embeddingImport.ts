/**
 * Embeddings made elsewhere, dropped in the app (issue 17): an image array (.npy/.npz) + a metadata table
 * (.csv/.parquet), with the text side as a text array + a templates file (one per line or a JSON array; default:
 * CLIP's 80). A small form asks which column is which; the result opens like a dropped bundle. The readers and the
 * mapping are core's, the same code `sage-explorer import` runs, so the app and the CLI build the same bundle.
 */
import { create } from 'zustand';
import { CLIP_TEMPLATES, DEFAULT_GROUP_PROMPT_PATTERN } from '../../core';
import type { RuntimeInfo } from '../../core/config';
import { errorMessage } from '../../core/errors';
import {
  type ColumnMapping,
  type MappingLabels,
  type MetadataTable,
  type TextSide,
  buildImportedBundle,
  bundleTextList,
  mapRecords,
  npzArrayNames,
  parseNameList,
  readEmbeddingMatrix,
  readMetadataTable,
  textSideFromEmbeddings,
  textSideFromMatrix,
} from '../../core/importIndex';
import { ClipWorkerClient } from '../../worker/client';
import { openBundle } from '../results';
import { modelSourceFor, useSettings } from '../settings';
import { extensionOf } from './fileKinds';
import type { DroppedFile } from './ingest';

/** How the form calls its fields, for the core's messages. */
export const FORM_LABELS: MappingLabels = {
  idColumn: 'Id column',
  classColumn: 'Class column',
  attributeColumn: 'Attribute column',
  classNames: 'Class names',
  attributeNames: 'Attribute names',
  splitColumn: 'Split column',
  split: 'Split to keep',
};

/** One array the user can pick: a .npy file, or one member of an .npz ("features.npz: text"). */
export interface ArrayChoice {
  label: string;
  file: DroppedFile;
  key?: string;
}

export interface PendingImport {
  arrays: ArrayChoice[];
  table: MetadataTable;
  templates: { name: string; list: string[] } | null;
  /** label for the results ("emb.npy + metadata.csv") */
  label: string;
}

export interface ImportFormValues {
  imageArray: string;
  /** label of the text array, or "" for none */
  textArray: string;
  idColumn: string;
  classColumn: string;
  /** "" for none */
  attributeColumn: string;
  /** comma-separated, "" for none */
  classNames: string;
  attributeNames: string;
  /** "" for none */
  splitColumn: string;
  split: string;
}

interface EmbeddingImportState {
  pending: PendingImport | null;
  busy: boolean;
  /** what the import is doing now ("Loading the model…"), while busy */
  step: string;
  error: string | null;
  notes: string[];
}

export const useEmbeddingImport = create<EmbeddingImportState>()(() => ({
  pending: null,
  busy: false,
  step: '',
  error: null,
  notes: [],
}));

const ARRAY_EXTENSIONS = new Set(['npy', 'npz']);
const TABLE_EXTENSIONS = new Set(['csv', 'parquet', 'pq']);
const TEMPLATE_EXTENSIONS = new Set(['txt', 'json']);

/** Whether a drop is an embedding import: it holds an .npy or .npz array. */
export function isEmbeddingImport(files: readonly DroppedFile[]): boolean {
  return files.some((file) => ARRAY_EXTENSIONS.has(extensionOf(file.path)));
}

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

async function bytesOf(file: DroppedFile): Promise<Uint8Array> {
  return new Uint8Array(await file.blob.arrayBuffer());
}

function parseTemplates(text: string, name: string): string[] {
  if (!name.toLowerCase().endsWith('.json')) {
    return text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${name} is not valid JSON (${errorMessage(error)}); templates are a JSON list or one per line`);
  }
  if (!Array.isArray(parsed) || !parsed.every((t) => typeof t === 'string')) {
    throw new Error(`${name} should hold a JSON list of templates such as ["a photo of a {}."]`);
  }
  return parsed;
}

/** Reads what was dropped and opens the form (true); false with a sentence in `error` when a file is missing or unreadable. */
export async function prepareEmbeddingImport(files: readonly DroppedFile[]): Promise<boolean> {
  useEmbeddingImport.setState({ busy: true, error: null, notes: [], pending: null });
  try {
    const arrays: ArrayChoice[] = [];
    const tables: DroppedFile[] = [];
    const templateFiles: DroppedFile[] = [];
    const ignored: string[] = [];
    for (const file of files) {
      const ext = extensionOf(file.path);
      const name = baseName(file.path);
      if (ext === 'npy') arrays.push({ label: name, file });
      else if (ext === 'npz') {
        for (const key of npzArrayNames(await bytesOf(file), name))
          arrays.push({ label: `${name}: ${key}`, file, key });
      } else if (TABLE_EXTENSIONS.has(ext)) tables.push(file);
      else if (TEMPLATE_EXTENSIONS.has(ext)) templateFiles.push(file);
      else ignored.push(name);
    }
    if (tables.length !== 1) {
      throw new Error(
        tables.length === 0
          ? 'Drop the metadata table (.csv or .parquet, one row per row of the image array) together with the embeddings.'
          : `Drop one metadata table, not ${tables.length} (${tables.map((t) => baseName(t.path)).join(', ')}).`,
      );
    }
    if (templateFiles.length > 1) {
      throw new Error(`Drop one templates file, not ${templateFiles.length}.`);
    }
    const tableName = baseName(tables[0].path);
    const table = await readMetadataTable(await bytesOf(tables[0]), tableName);
    const templateFile = templateFiles[0];
    const templates = templateFile
      ? { name: baseName(templateFile.path), list: parseTemplates(await templateFile.blob.text(), templateFile.path) }
      : null;
    const notes = ignored.length > 0 ? [`Not used for the import: ${ignored.join(', ')}.`] : [];
    useEmbeddingImport.setState({
      pending: { arrays, table, templates, label: `${arrays[0]?.label ?? 'embeddings'} + ${tableName}` },
      notes,
    });
    return true;
  } catch (error) {
    useEmbeddingImport.setState({ error: errorMessage(error) });
    return false;
  } finally {
    useEmbeddingImport.setState({ busy: false });
  }
}

/** The form's first guess: WILDS/clip-retrieval column names and array names. */
export function guessFormValues(pending: PendingImport): ImportFormValues {
  const find = (...names: string[]) => pending.table.columns.find((c) => names.includes(c.toLowerCase())) ?? '';
  const textArray = pending.arrays.find((a) => /text/i.test(a.label))?.label ?? '';
  const imageArray = pending.arrays.find((a) => a.label !== textArray)?.label ?? pending.arrays[0]?.label ?? '';
  return {
    imageArray,
    textArray,
    idColumn: find('id', 'img_filename', 'filename', 'path', 'key', 'image_id') || pending.table.columns[0] || '',
    classColumn: find('class', 'label', 'y', 'target'),
    attributeColumn: find('attribute', 'place', 'group', 'a'),
    classNames: '',
    attributeNames: '',
    splitColumn: '',
    split: '',
  };
}

let client: ClipWorkerClient | null = null;

/**
 * No text array: the model chosen in the app's settings embeds the texts `sage-explorer import --model` embeds
 * (template × class prompts, group prompts, attribute phrasings). It must be the model that made the image array.
 */
async function embedTextSide(
  templates: string[],
  classes: readonly string[],
  attributes: readonly string[],
): Promise<{ textSide: TextSide; runtime: RuntimeInfo }> {
  const settings = useSettings.getState();
  const source = modelSourceFor(settings.model, settings.droppedModel);
  if (!source.ok) throw new Error(source.error);
  client ??= new ClipWorkerClient();
  useEmbeddingImport.setState({ step: 'Loading the model…' });
  const loaded = await client.load(source.source, settings.backend, settings.dtype);
  const list = bundleTextList(templates, classes, attributes, DEFAULT_GROUP_PROMPT_PATTERN);
  const texts = [...list.prompts, ...list.groupTexts.map((g) => g.prompt), ...list.phraseTexts];
  useEmbeddingImport.setState({ step: `Embedding ${texts.length} prompts…` });
  const embedded = await client.embedText(texts, (p) =>
    useEmbeddingImport.setState({ step: `Embedding the prompts: ${p.done} / ${p.total}` }),
  );
  const dim = embedded.embeddings.length / texts.length;
  return { textSide: textSideFromEmbeddings(list, templates, embedded.embeddings, dim), runtime: loaded.runtime };
}

function choice(pending: PendingImport, label: string, what: string): ArrayChoice {
  const found = pending.arrays.find((a) => a.label === label);
  if (!found) throw new Error(`Choose the ${what}.`);
  return found;
}

/** Builds the bundle from the form's answers and opens it; false (with the reason in `error`) when it cannot. */
export async function submitEmbeddingImport(values: ImportFormValues): Promise<boolean> {
  const { pending } = useEmbeddingImport.getState();
  if (!pending) return false;
  useEmbeddingImport.setState({ busy: true, error: null });
  try {
    const names = (text: string, label: string) => (text.trim() === '' ? undefined : parseNameList(text, label));
    const mapping: ColumnMapping = {
      idColumn: values.idColumn,
      classColumn: values.classColumn,
      attributeColumn: values.attributeColumn || undefined,
      classNames: names(values.classNames, FORM_LABELS.classNames),
      attributeNames: names(values.attributeNames, FORM_LABELS.attributeNames),
      splitColumn: values.splitColumn || undefined,
      split: values.splitColumn ? values.split : undefined,
    };
    if (mapping.classColumn === '') throw new Error('Choose the class column.');
    const records = mapRecords(pending.table, mapping, FORM_LABELS);
    const imageChoice = choice(pending, values.imageArray, 'image embeddings');
    const images = readEmbeddingMatrix(
      await bytesOf(imageChoice.file),
      baseName(imageChoice.file.path),
      imageChoice.key,
    );
    const templates = pending.templates?.list ?? [...CLIP_TEMPLATES];
    let textSide: TextSide;
    let runtime: RuntimeInfo | null = null;
    let model = 'imported';
    if (values.textArray === '') {
      const attributes = [...new Set(records.images.map((i) => i.attribute).filter((a) => a !== ''))].sort();
      ({ textSide, runtime } = await embedTextSide(templates, records.classes, attributes));
      model = runtime.modelId;
    } else {
      if (values.textArray === values.imageArray) {
        throw new Error('The image and text embeddings must be different arrays.');
      }
      const textChoice = choice(pending, values.textArray, 'text embeddings');
      const text = readEmbeddingMatrix(await bytesOf(textChoice.file), baseName(textChoice.file.path), textChoice.key);
      textSide = textSideFromMatrix(text, textChoice.label, templates, records.classes);
    }
    const bundle = buildImportedBundle({
      model,
      images,
      imagesName: imageChoice.label,
      tableRows: pending.table.rows.length,
      tableName: pending.table.name,
      records,
      textSide,
      meta: {
        tool: 'SAGE Explorer import',
        imageDtype: images.dtype,
        ...(runtime ? { dtype: runtime.dtype, backend: runtime.backend } : {}),
      },
    });
    openBundle(bundle, { kind: 'bundle', label: pending.label }, { runtime });
    useEmbeddingImport.setState({ pending: null, notes: records.notes });
    return true;
  } catch (error) {
    useEmbeddingImport.setState({ error: errorMessage(error) });
    return false;
  } finally {
    useEmbeddingImport.setState({ busy: false, step: '' });
  }
}

export function cancelEmbeddingImport(): void {
  useEmbeddingImport.setState({ pending: null, error: null, notes: [] });
}
