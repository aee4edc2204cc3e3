/**
 * Imported arrays + mapped metadata → a sage-embeddings bundle. The image array's rows follow the metadata
 * rows; the text array holds one row per template and class, template-major (SPEC §1), like a bundle's `text`.
 * Every vector is checked the way a bundle's are (finite, not all zeros) so a bad row is named here, by its id.
 */
import { attributePhrases } from './attributeMethods';
import { DEFAULT_PHRASINGS } from './methodKnowledge';
import { type GroupPromptText, buildGroupPrompts, buildPrompts, validateTemplates } from './templates';
import type { EmbeddingBundle, GroupPrompt } from './types';
import { ImportError } from './importError';
import type { MappedRecords } from './importMapping';
import type { EmbeddingMatrix } from './importNpy';

export interface TextSide {
  templates: string[];
  /** templates.length × classes.length rows, template-major */
  text: Float32Array;
  dim: number;
  groupPrompts?: GroupPrompt[];
  prompts?: { text: string; embedding: Float32Array }[];
}

export interface ImportParts {
  model: string;
  images: EmbeddingMatrix;
  /** how the image array is called in messages ("emb.npy") */
  imagesName: string;
  /** rows in the metadata table (before any split filter) */
  tableRows: number;
  tableName: string;
  records: MappedRecords;
  textSide: TextSide;
  meta?: Record<string, string | number | boolean>;
}

/**
 * Every text a bundle's text side holds, in the order `embed` encodes them: the template × class prompts
 * (template-major), one group prompt per (class, attribute), then the attribute phrasings the SPEC §7 methods need
 * with their default settings (a text already in the first two lists is not repeated).
 */
export function bundleTextList(
  templates: readonly string[],
  classes: readonly string[],
  attributes: readonly string[],
  groupPattern: string,
): { prompts: string[]; groupTexts: GroupPromptText[]; phraseTexts: string[] } {
  const prompts = buildPrompts(templates, classes);
  const groupTexts = attributes.length > 0 ? buildGroupPrompts(groupPattern, classes, attributes) : [];
  const stored = new Set([...prompts, ...groupTexts.map((g) => g.prompt)]);
  const phraseTexts = [...new Set(attributes.flatMap((a) => attributePhrases(DEFAULT_PHRASINGS, a)))].filter(
    (phrase) => !stored.has(phrase),
  );
  return { prompts, groupTexts, phraseTexts };
}

/** The text side from the embeddings of bundleTextList's texts, in its order (rows of `dim`). */
export function textSideFromEmbeddings(
  list: ReturnType<typeof bundleTextList>,
  templates: string[],
  embeddings: Float32Array,
  dim: number,
): TextSide {
  const { prompts, groupTexts, phraseTexts } = list;
  const row = (r: number) => embeddings.slice(r * dim, (r + 1) * dim);
  const phraseStart = prompts.length + groupTexts.length;
  return {
    templates,
    dim,
    text: embeddings.slice(0, prompts.length * dim),
    groupPrompts: groupTexts.map((g, i) => ({ ...g, embedding: row(prompts.length + i) })),
    prompts: phraseTexts.map((phrase, i) => ({ text: phrase, embedding: row(phraseStart + i) })),
  };
}

/** Where a row is not a usable direction: "" when fine. Hot path over the whole array. */
function rowProblem(data: Float32Array, row: number, dim: number): string {
  let sumSq = 0;
  const start = row * dim;
  for (let d = 0; d < dim; d++) {
    const x = data[start + d];
    if (!Number.isFinite(x)) return `value ${d + 1} is ${x}, expected a finite number`;
    sumSq += x * x;
  }
  return sumSq === 0 ? 'is all zeros; it has no direction to compare' : '';
}

/** The text array a --text file gave: checked against the templates and classes it must cover. */
export function textSideFromMatrix(
  matrix: EmbeddingMatrix,
  name: string,
  templates: string[],
  classes: readonly string[],
): TextSide {
  const issues = validateTemplates(templates);
  if (issues.length > 0) throw new ImportError('templates', `templates: ${issues[0].message}`);
  const expected = templates.length * classes.length;
  if (matrix.rows !== expected) {
    throw new ImportError(
      name,
      `${name}: has ${matrix.rows} rows, expected one per template and class: ${templates.length} templates × ${classes.length} classes = ${expected}, template-major (row t·${classes.length} + c is template t with class c)`,
    );
  }
  for (let r = 0; r < matrix.rows; r++) {
    const problem = rowProblem(matrix.data, r, matrix.dim);
    if (problem !== '') {
      const t = Math.floor(r / classes.length);
      throw new ImportError(
        name,
        `${name}: row ${r + 1} (template ${t + 1} with class ${classes[r % classes.length]}) ${problem}`,
      );
    }
  }
  return { templates, text: matrix.data, dim: matrix.dim };
}

export function buildImportedBundle(parts: ImportParts): EmbeddingBundle {
  const { images, imagesName, records, textSide } = parts;
  if (images.rows !== parts.tableRows) {
    throw new ImportError(
      imagesName,
      `${imagesName} has ${images.rows} rows but ${parts.tableName} has ${parts.tableRows} data rows; row r of the array must be the image of row r of the table`,
    );
  }
  if (textSide.dim !== images.dim) {
    throw new ImportError(
      imagesName,
      `${imagesName} holds ${images.dim}-dimensional embeddings but the text embeddings have ${textSide.dim} dimensions; both must come from the same CLIP model`,
    );
  }
  const { dim } = images;
  const imageEmbeddings = new Float32Array(records.rows.length * dim);
  for (let i = 0; i < records.rows.length; i++) {
    const row = records.rows[i];
    const problem = rowProblem(images.data, row, dim);
    if (problem !== '') {
      throw new ImportError(
        imagesName,
        `${imagesName}: row ${row + 1} (id ${JSON.stringify(records.images[i].id)}) ${problem}`,
      );
    }
    imageEmbeddings.set(images.data.subarray(row * dim, (row + 1) * dim), i * dim);
  }
  const bundle: EmbeddingBundle = {
    format: 'sage-embeddings/1',
    model: parts.model,
    dim,
    classes: records.classes,
    templates: textSide.templates,
    text: textSide.text,
    images: records.images,
    imageEmbeddings,
  };
  if (textSide.groupPrompts && textSide.groupPrompts.length > 0) bundle.groupPrompts = textSide.groupPrompts;
  if (textSide.prompts && textSide.prompts.length > 0) bundle.prompts = textSide.prompts;
  if (parts.meta) bundle.meta = parts.meta;
  return bundle;
}
