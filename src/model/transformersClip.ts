/**
 * CLIP encoders on @huggingface/transformers: AutoTokenizer + CLIPTextModelWithProjection +
 * CLIPVisionModelWithProjection. The vision model receives our own pixel tensor (preprocess.ts), never
 * transformers.js' image processor, so browser and Node see identical inputs.
 *
 * Memory (issue 16 §4): each tower is created on its first use, so a run whose prompts are all cached never
 * creates the text session and a prompts-only request never creates the vision session; the text tower can be
 * released once the prompts are embedded (it comes back on the next text request); every tensor a call made is
 * disposed before the call returns.
 */
import {
  AutoConfig,
  AutoImageProcessor,
  AutoTokenizer,
  CLIPTextModelWithProjection,
  CLIPVisionModelWithProjection,
  Tensor,
  type PreTrainedTokenizer,
} from '@huggingface/transformers';
import type { BackendId, Dtype } from '../core/config';
import { promptTokenIds, tokenizePrompts } from './clipTokenizer';
import type { ClipEncoders } from './embedder';
import { parsePreprocessorConfig, type ClipPreprocessConfig } from './preprocessConfig';

export interface FileProgress {
  file: string;
  loaded: number;
  total: number;
}

/** transformers.js progress_callback payloads (the subset we read). */
type ProgressInfo =
  | { status: 'initiate' | 'download' | 'done'; name: string; file: string }
  | { status: 'progress'; name: string; file: string; loaded: number; total: number; progress: number }
  | { status: 'progress_total' | 'ready'; [key: string]: unknown };

export interface LoadTracker {
  onFile?: (progress: FileProgress) => void;
  /** files started but not finished: the culprit when a load fails */
  pending: Set<string>;
}

export function trackerCallback(tracker: LoadTracker): (info: ProgressInfo) => void {
  return (info) => {
    if (info.status === 'initiate' || info.status === 'download') tracker.pending.add(info.file);
    else if (info.status === 'done') tracker.pending.delete(info.file);
    else if (info.status === 'progress') tracker.onFile?.({ file: info.file, loaded: info.loaded, total: info.total });
  };
}

type Device = 'webgpu' | 'wasm' | 'cpu';

function deviceOf(backend: BackendId): Device {
  return backend === 'node' ? 'cpu' : backend;
}

export interface LoadedTokenizerAndConfig {
  tokenizer: PreTrainedTokenizer;
  preprocess: ClipPreprocessConfig;
}

export async function loadTokenizerAndPreprocess(ref: string, tracker: LoadTracker): Promise<LoadedTokenizerAndConfig> {
  const progress_callback = trackerCallback(tracker);
  const [tokenizer, imageProcessor] = await Promise.all([
    AutoTokenizer.from_pretrained(ref, { progress_callback }),
    AutoImageProcessor.from_pretrained(ref, { progress_callback }),
  ]);
  return { tokenizer, preprocess: parsePreprocessorConfig((imageProcessor as unknown as { config: unknown }).config) };
}

/** The tokenizer alone (a cached run checks long prompts with it without loading the model). */
export async function loadTokenizer(ref: string): Promise<PreTrainedTokenizer> {
  return AutoTokenizer.from_pretrained(ref);
}

type TensorMap = Record<string, Tensor>;

/** Frees the tensors of one call (outputs and inputs): on WebGPU they hold GPU buffers until disposed. */
function disposeTensors(...maps: TensorMap[]): void {
  for (const map of maps) for (const tensor of Object.values(map)) tensor.dispose();
}

function embeddingsOf(output: TensorMap, name: 'image_embeds' | 'text_embeds'): { data: Float32Array; dim: number } {
  const tensor = output[name];
  if (!tensor) throw new Error(`model output has no ${name} (outputs: ${Object.keys(output).join(', ')})`);
  const data = tensor.data;
  if (!(data instanceof Float32Array)) {
    // fp16 models on WebGPU may return float16 outputs; widen them
    return { data: Float32Array.from(data as ArrayLike<number>), dim: tensor.dims[tensor.dims.length - 1] };
  }
  return { data: data.slice(), dim: tensor.dims[tensor.dims.length - 1] };
}

/** The part of a loaded transformers.js model used here: call it, dispose it. */
interface TowerModel {
  (inputs: TensorMap): Promise<unknown>;
  dispose(): Promise<unknown>;
}

/** Which towers hold an inference session right now (tests and the memory benchmark read it). */
export interface LoadedTowers {
  text: boolean;
  vision: boolean;
}

/** Creates a tower's session on first use; a failed creation is forgotten, so the next use tries again. */
class LazyTower {
  private model: Promise<TowerModel> | null = null;
  constructor(
    private readonly create: () => Promise<TowerModel>,
    private readonly mapLoadError: (error: unknown) => Error,
  ) {}
  get loaded(): boolean {
    return this.model !== null;
  }
  get(): Promise<TowerModel> {
    this.model ??= this.create().catch((error: unknown) => {
      this.model = null;
      throw this.mapLoadError(error);
    });
    return this.model;
  }
  async release(): Promise<void> {
    const model = this.model;
    this.model = null;
    if (model) await (await model.catch(() => null))?.dispose();
  }
}

/** config.json's projection width, when it names one (CLIP's configs do): the width without running a tower. */
export function projectionWidth(config: unknown): number | null {
  const width = (config as { projection_dim?: unknown } | null)?.projection_dim;
  return typeof width === 'number' && Number.isInteger(width) && width > 0 ? width : null;
}

export interface TransformersEncoders extends ClipEncoders {
  releaseTextTower(): Promise<void>;
  loadedTowers(): LoadedTowers;
}

export interface TowerLoading {
  /**
   * Which towers the load creates now (default both: the CLI, where a missing file must fail the load). The
   * others are created on their first use: the browser worker leaves out the text tower when every prompt is
   * cached, and the vision tower when the text tower is to be released first (memory).
   */
  atLoad?: LoadedTowers;
  /** turns a failed tower download into the caller's error (clipRuntime names the file that failed) */
  mapLoadError?: (error: unknown) => Error;
}

/** The encoders for `backend`; the towers not in `atLoad` load on first use (see the file comment). */
export async function loadTransformersEncoders(
  ref: string,
  backend: BackendId,
  dtype: Dtype,
  tokenizer: PreTrainedTokenizer,
  tracker: LoadTracker,
  loading: TowerLoading = {},
): Promise<TransformersEncoders> {
  const mapLoadError =
    loading.mapLoadError ?? ((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  const progress_callback = trackerCallback(tracker);
  const options = { device: deviceOf(backend), dtype, progress_callback };
  const textTower = new LazyTower(
    async () => (await CLIPTextModelWithProjection.from_pretrained(ref, options)) as unknown as TowerModel,
    mapLoadError,
  );
  const visionTower = new LazyTower(
    async () => (await CLIPVisionModelWithProjection.from_pretrained(ref, options)) as unknown as TowerModel,
    mapLoadError,
  );

  const encodeTexts = async (prompts: readonly string[]): Promise<Float32Array> => {
    const textModel = await textTower.get();
    // our tokenization, not tokenizer(…, { truncation: true }): that one cuts off the end token (clipTokenizer.ts)
    const { inputIds, attentionMask, rows, length } = tokenizePrompts(tokenizer, prompts);
    const inputs: TensorMap = {
      input_ids: new Tensor('int64', inputIds, [rows, length]),
      attention_mask: new Tensor('int64', attentionMask, [rows, length]),
    };
    const output = (await textModel(inputs)) as TensorMap;
    try {
      return embeddingsOf(output, 'text_embeds').data;
    } finally {
      disposeTensors(output, inputs);
    }
  };
  const config = await AutoConfig.from_pretrained(ref, { progress_callback }).catch((error: unknown) => {
    throw mapLoadError(error);
  });
  const atLoad = loading.atLoad ?? { text: true, vision: true };
  await Promise.all([atLoad.text ? textTower.get() : null, atLoad.vision ? visionTower.get() : null]);
  // without a projection width in config.json, one prompt tells it (and loads the text tower now)
  const dim = projectionWidth(config) ?? (await encodeTexts(['a photo of a cat'])).length;

  return {
    dim,
    backend,
    encodeTexts: async (prompts) => {
      const data = await encodeTexts(prompts);
      if (data.length !== prompts.length * dim)
        throw new Error(`text embeddings have ${data.length / prompts.length} dims, expected ${dim}`);
      return data;
    },
    exceedsContext: (prompt) => promptTokenIds(tokenizer, prompt).truncated,
    async encodeImages(pixels, count, height, width) {
      const visionModel = await visionTower.get();
      const inputs: TensorMap = { pixel_values: new Tensor('float32', pixels, [count, 3, height, width]) };
      const output = (await visionModel(inputs)) as TensorMap;
      try {
        const { data, dim: imageDim } = embeddingsOf(output, 'image_embeds');
        if (imageDim !== dim) throw new Error(`image embeddings have ${imageDim} dims, text embeddings ${dim}`);
        return data;
      } finally {
        disposeTensors(output, inputs);
      }
    },
    releaseTextTower: () => textTower.release(),
    loadedTowers: () => ({ text: textTower.loaded, vision: visionTower.loaded }),
    async dispose() {
      await Promise.all([textTower.release(), visionTower.release()]);
    },
  };
}
