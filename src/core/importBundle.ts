/**
 * Imported arrays + mapped metadata → a sage-embeddings bundle. The image array's rows follow the metadata
 * rows; the text array holds one row per template and class, template-major (SPEC §1), like a bundle's `text`.
 * Every vector is checked the way a bundle's are (finite, not all zeros) so a bad row is named here, by its id.
 */
import { validateTemplates } from './templates';
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
