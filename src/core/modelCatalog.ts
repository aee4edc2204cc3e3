/**
 * Which models the app offers and where their files come from: plain data shared by the model loader, the
 * worker protocol and the settings store. Here, not in src/model, so the main thread can read it without
 * pulling transformers.js into its bundle.
 */
import { DEFAULT_MODEL, type Dtype } from './config';

/** Where model files come from (issue 4 §3). */
export type ModelSource =
  | { kind: 'hub'; id: string }
  /** served by the app from models/<name>/ in the transformers.js layout */
  | { kind: 'local'; name: string }
  /** files the user dropped or picked: path inside the model folder → bytes */
  | { kind: 'files'; name: string; files: { path: string; data: ArrayBuffer }[] };

export interface HubModelOption {
  id: string;
  /** what the model chooser shows */
  label: string;
}

/** Offered hub models (issue 4 §3), the default first. All are transformers.js conversions (onnx/ subfolder). */
export const HUB_MODELS: readonly HubModelOption[] = [
  { id: DEFAULT_MODEL, label: 'CLIP ViT-B/32 (OpenAI, ~88 MB quantized)' },
  { id: 'Xenova/clip-vit-base-patch16', label: 'CLIP ViT-B/16 (OpenAI)' },
  { id: 'Xenova/clip-vit-large-patch14', label: 'CLIP ViT-L/14 (OpenAI, ~430 MB quantized)' },
  // The LAION checkpoint's real hub id: the paper's backbone family. No transformers.js (ONNX) conversion of it
  // could be verified (no hub access); if the repo has no onnx/ folder, convert it with Optimum
  // (`optimum-cli export onnx --model laion/CLIP-ViT-B-32-laion2B-s34B-b79K`), split into the
  // text_model/vision_model layout, and load it as a local folder.
  { id: 'laion/CLIP-ViT-B-32-laion2B-s34B-b79K', label: 'OpenCLIP ViT-B/32 (LAION-2B; needs an ONNX conversion)' },
];

/** Which precisions a model folder holds, from its onnx/vision_model*.onnx file names; smallest first. */
export function dtypesInModelFolder(paths: readonly string[]): Dtype[] {
  const names = new Set(paths.map((p) => p.slice(p.lastIndexOf('/') + 1)));
  const found: Dtype[] = [];
  if (names.has('vision_model_quantized.onnx')) found.push('q8');
  if (names.has('vision_model_fp16.onnx')) found.push('fp16');
  if (names.has('vision_model.onnx')) found.push('fp32');
  return found;
}
