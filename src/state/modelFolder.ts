/**
 * A CLIP model folder the user picked or dropped → files at the paths transformers.js expects
 * (`config.json`, `tokenizer.json`, …, `onnx/vision_model*.onnx`), relative to the model's root.
 */
import { dtypesInModelFolder } from '../core/modelCatalog';

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
      `model folder "${name}": missing ${missing.join(', ')} (expected the transformers.js layout, see models/README.md)`,
    );
  if (dtypesInModelFolder([...paths].filter((p) => p.startsWith('onnx/'))).length === 0) {
    throw new Error(
      `model folder "${name}": no onnx/vision_model*.onnx (expected vision_model.onnx, vision_model_fp16.onnx or vision_model_quantized.onnx)`,
    );
  }
  return { name, files: arranged };
}
