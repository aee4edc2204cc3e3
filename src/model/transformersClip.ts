/**
 * CLIP encoders on @huggingface/transformers: AutoTokenizer + CLIPTextModelWithProjection +
 * CLIPVisionModelWithProjection. The vision model receives our own pixel tensor (preprocess.ts), never
 * transformers.js' image processor, so browser and Node see identical inputs.
 */
import {
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

type TensorMap = Record<string, Tensor>;

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

/**
 * Loads both towers for `backend` and probes the projection width with one prompt.
 */
export async function loadTransformersEncoders(
  ref: string,
  backend: BackendId,
  dtype: Dtype,
  tokenizer: PreTrainedTokenizer,
  tracker: LoadTracker,
): Promise<ClipEncoders> {
  const options = { device: deviceOf(backend), dtype, progress_callback: trackerCallback(tracker) };
  const [textModel, visionModel] = await Promise.all([
    CLIPTextModelWithProjection.from_pretrained(ref, options),
    CLIPVisionModelWithProjection.from_pretrained(ref, options),
  ]);

  const encodeTexts = async (prompts: readonly string[]): Promise<Float32Array> => {
    // our tokenization, not tokenizer(…, { truncation: true }): that one cuts off the end token (clipTokenizer.ts)
    const { inputIds, attentionMask, rows, length } = tokenizePrompts(tokenizer, prompts);
    const inputs: TensorMap = {
      input_ids: new Tensor('int64', inputIds, [rows, length]),
      attention_mask: new Tensor('int64', attentionMask, [rows, length]),
    };
    const output = (await textModel(inputs)) as TensorMap;
    return embeddingsOf(output, 'text_embeds').data;
  };
  const probe = await encodeTexts(['a photo of a cat']);
  const dim = probe.length;

  return {
    dim,
    backend,
    encodeTexts,
    exceedsContext: (prompt) => promptTokenIds(tokenizer, prompt).truncated,
    async encodeImages(pixels, count, height, width) {
      const pixel_values = new Tensor('float32', pixels, [count, 3, height, width]);
      const output = (await visionModel({ pixel_values })) as TensorMap;
      const { data, dim: imageDim } = embeddingsOf(output, 'image_embeds');
      if (imageDim !== dim) throw new Error(`image embeddings have ${imageDim} dims, text embeddings ${dim}`);
      return data;
    },
    async dispose() {
      await Promise.all([textModel.dispose(), visionModel.dispose()]);
    },
  };
}
