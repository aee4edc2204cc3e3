/** Node wiring for the CLI and tests: onnxruntime-node, sharp decoding, dtype picked from the files present. */
import { existsSync } from 'node:fs';
import { cpus, homedir } from 'node:os';
import { env } from '@huggingface/transformers';
import { isAbsolute, join, resolve } from 'node:path';
import type { Dtype } from '../core/config';
import type { Capabilities } from './backend';
import { loadClip, type LoadedClip } from './clipRuntime';
import { decodeImageNode } from './decodeNode';
import { MemoryEmbeddingCache, type EmbeddingCache } from './embeddingCache';
import type { ModelLocation } from './modelSource';
import type { FileProgress, LoadedTowers } from './transformersClip';

export function nodeCapabilities(): Capabilities {
  return {
    webgpu: false,
    shaderF16: false,
    crossOriginIsolated: false,
    hardwareConcurrency: cpus().length,
    node: true,
  };
}

/** A folder on disk if `model` looks like a path (or names an existing folder), else a hub id. */
export function modelLocationFromArg(model: string): ModelLocation {
  const path = resolve(model);
  const looksLikePath = isAbsolute(model) || model.startsWith('.') || existsSync(path);
  if (!looksLikePath) return { kind: 'hub', id: model };
  if (!existsSync(join(path, 'config.json'))) {
    throw new Error(
      `--model ${model}: no config.json in ${path} (expected a model folder in the transformers.js layout)`,
    );
  }
  return { kind: 'path', path };
}

/** For folders: q8 when the quantized weights exist, else fp32 (the synthetic models ship fp32 only). */
export function defaultDtypeFor(location: ModelLocation): Dtype | undefined {
  if (location.kind !== 'path') return undefined;
  return existsSync(join(location.path, 'onnx', 'vision_model_quantized.onnx')) ? 'q8' : 'fp32';
}

/**
 * Hub settings for Node, from the environment:
 * - HF_ENDPOINT: the hub or a mirror (as huggingface_hub reads it), default https://huggingface.co/;
 * - SAGE_MODEL_CACHE: where downloaded files are kept, default ~/.cache/sage-explorer/models (transformers.js'
 *   own default sits inside node_modules, which `npm ci` wipes).
 */
export function nodeHubSettings(environment: NodeJS.ProcessEnv = process.env): {
  remoteHost: string;
  cacheDir: string;
} {
  const endpoint = environment.HF_ENDPOINT?.trim() || 'https://huggingface.co/';
  let remoteHost: string;
  try {
    remoteHost = new URL(endpoint.endsWith('/') ? endpoint : `${endpoint}/`).href;
  } catch {
    throw new Error(`HF_ENDPOINT: expected a URL, got ${JSON.stringify(endpoint)}`);
  }
  const cacheDir = environment.SAGE_MODEL_CACHE?.trim() || join(homedir(), '.cache', 'sage-explorer', 'models');
  return { remoteHost, cacheDir };
}

export async function loadClipNode(
  model: string,
  options: {
    dtype?: Dtype;
    cache?: EmbeddingCache;
    onFile?: (progress: FileProgress) => void;
    /** which towers the load creates (default both; see LoadClipOptions.towersAtLoad) */
    towersAtLoad?: LoadedTowers;
  } = {},
): Promise<LoadedClip> {
  const location = modelLocationFromArg(model);
  if (location.kind === 'hub') {
    const hub = nodeHubSettings();
    env.remoteHost = hub.remoteHost;
    env.cacheDir = hub.cacheDir;
  }
  return loadClip({
    location,
    preference: 'node',
    dtype: options.dtype ?? defaultDtypeFor(location),
    capabilities: nodeCapabilities(),
    decode: decodeImageNode,
    cache: options.cache ?? new MemoryEmbeddingCache(),
    onFile: options.onFile,
    towersAtLoad: options.towersAtLoad,
  });
}
export type { LoadedClip } from './clipRuntime';
