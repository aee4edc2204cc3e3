/**
 * The analysis configuration a user sets up: what a share link carries and every result records.
 * Pure data; the URL/report encoders live in src/share.
 */
import type { Aggregate, MethodId } from './types';

export type Dtype = 'fp32' | 'fp16' | 'q8';
export type BackendId = 'webgpu' | 'wasm' | 'node';

export interface ExplorerConfig {
  /** model id: hub id (e.g. "Xenova/clip-vit-base-patch32"), "local:<name>" or "files:<name>" */
  model: string;
  dtype: Dtype;
  /** class strings as inserted into templates, in class order */
  classes: string[];
  /** folder-name → text mapping for class strings, when the user edited them (folder name = key) */
  attributes: string[];
  /** the exact template pool (each contains "{}") */
  templates: string[];
  /** pattern for groupprompt prompts, with "{class}" and "{attribute}" */
  groupPromptPattern: string;
  method: MethodId;
  k: number;
  aggregate: Aggregate;
  seed: number;
  /** template index for zeroshot (default 39, "a photo of a {}.") */
  zeroshotTemplate: number;
  /**
   * SPEC §7 settings (RoboShot, TIE*, TIE, Orth-Proj, Orth-Cali); absent in links and reports made before them,
   * which then mean the defaults: DEFAULT_PHRASINGS, no accept pairs, DEFAULT_ORTHCALI_LAMBDA.
   */
  phrasings?: string[];
  /** RoboShot accept pairs (p, q) */
  acceptPairs?: [string, string][];
  /** Orth-Cali's λ */
  lambda?: number;
}

export const DEFAULT_MODEL = 'Xenova/clip-vit-base-patch32';
export const DEFAULT_ZEROSHOT_TEMPLATE = 39;
export const DEFAULT_GROUP_PROMPT_PATTERN = 'a photo of a {class} on {attribute}.';

/** What produced a result: recorded in every export (issue 4: backend, dtype, threads). */
export interface RuntimeInfo {
  backend: BackendId;
  dtype: Dtype;
  threads: number;
  modelId: string;
  crossOriginIsolated: boolean;
  /** e.g. "WebGPU lost mid-run; continued on WASM from batch 12" */
  notes: string[];
}
