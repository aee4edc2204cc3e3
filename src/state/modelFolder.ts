/**
 * A CLIP model folder the user picked or dropped → files at the paths transformers.js expects
 * (`config.json`, `tokenizer.json`, …, `onnx/vision_model*.onnx`), relative to the model's root.
 */
import { dtypesInModelFolder } from '../core/modelCatalog';
import { useSettings } from './settings';

export interface ModelFolderFile {
  /** '/'-separated path as picked or dropped, e.g. `clip-vit-base-patch32/onnx/text_model.onnx` */
  path: string;
  blob: Blob;
}

export interface ArrangedModelFolder {
  name: string;
  files: { path: string; blob: Blob }[];
}

const ONNX_FILE = /^(vision|text)_model(_[a-z0-9]+)?\.onnx(_data)?$/;

/**
 * Strips the folder everything sits in (its name becomes the model's name) and puts loose ONNX files
 * (dropped without their `onnx/` folder) where transformers.js looks for them. Throws a message naming
 * what is missing when the files cannot be a CLIP model folder, so the user learns why before a run.
 */
export function arrangeModelFolder(
  files: readonly ModelFolderFile[],
  fallbackName = 'dropped-model',
): ArrangedModelFolder {
  if (files.length === 0) throw new Error('model folder: no files');
  const split = files.map((f) => f.path.split('/').filter((part) => part.length > 0));
  const first = split[0][0];
  const sharedRoot = split.every((parts) => parts.length > 1 && parts[0] === first);
  // the name becomes part of the model id (files:<name>), which allows only [A-Za-z0-9._-]
  const name = sharedRoot
    ? first
        .replace(/[^\w.-]+/g, '-')
        .replace(/^[.-]+/, '')
        .slice(0, 96) || fallbackName
    : fallbackName;
  const arranged = files.map((f, i) => {
    const parts = sharedRoot ? split[i].slice(1) : split[i];
    const base = parts[parts.length - 1];
    const path = parts.length === 1 && ONNX_FILE.test(base) ? `onnx/${base}` : parts.join('/');
    return { path, blob: f.blob };
  });
  const paths = new Set(arranged.map((f) => f.path));
  const missing = ['config.json', 'tokenizer.json', 'preprocessor_config.json'].filter((p) => !paths.has(p));
  if (missing.length > 0)
    throw new Error(
      `model folder "${name}": missing ${missing.join(', ')} (a model folder holds config.json, the tokenizer files and onnx/; see models/README.md)`,
    );
  if (dtypesInModelFolder([...paths].filter((p) => p.startsWith('onnx/'))).length === 0) {
    throw new Error(
      `model folder "${name}": no onnx/vision_model*.onnx (expected vision_model.onnx, vision_model_fp16.onnx or vision_model_quantized.onnx)`,
    );
  }
  return { name, files: arranged };
}

const TOKENIZER_FILE = /^(tokenizer\.json|tokenizer_config\.json|vocab\.json)$/;

/**
 * Do these dropped files look like a CLIP model folder rather than data: a config.json, tokenizer files and
 * ONNX weights (in onnx/ or loose)? Then the drop zone offers the folder as the model instead of listing its
 * files as "not images".
 */
export function looksLikeModelFolder(paths: readonly string[]): boolean {
  let config = false;
  let tokenizer = false;
  let onnx = false;
  for (const path of paths) {
    const parts = path.split('/').filter((part) => part.length > 0);
    const base = parts[parts.length - 1] ?? '';
    if (base === 'config.json') config = true;
    else if (TOKENIZER_FILE.test(base)) tokenizer = true;
    else if (ONNX_FILE.test(base)) onnx = true;
  }
  return config && tokenizer && onnx;
}

/** The folder's name as the model chooser will show it, before it is read. */
export function modelFolderName(files: readonly ModelFolderFile[]): string {
  try {
    return arrangeModelFolder(files).name;
  } catch {
    return 'dropped-model';
  }
}

/**
 * Makes a picked or dropped model folder the model: its files are read into memory for the worker and the
 * precision switches to one the folder has. Throws (with arrangeModelFolder's message) when it is not a model.
 */
export async function chooseModelFolder(files: readonly ModelFolderFile[]): Promise<string> {
  const arranged = arrangeModelFolder(files);
  const loaded = await Promise.all(
    arranged.files.map(async (f) => ({ path: f.path, data: await f.blob.arrayBuffer() })),
  );
  const settings = useSettings.getState();
  settings.setDroppedModel({ name: arranged.name, files: loaded });
  const available = dtypesInModelFolder(loaded.map((f) => f.path));
  if (available.length > 0 && !available.includes(useSettings.getState().dtype)) settings.setDtype(available[0]);
  return arranged.name;
}
