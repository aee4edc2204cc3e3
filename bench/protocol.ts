/**
 * Types shared by the benchmark driver (bench/run.ts), the benchmark page (bench/page/main.ts) and the
 * Node child (bench/nodeBench.ts). Types only.
 */
import type { Dtype, RuntimeInfo } from '../src/core/config';
import type { BatchTimings } from '../src/worker/protocol';

export type BenchDevice = 'wasm' | 'webgpu';

export interface ImageRun {
  images: number;
  /** wall time of the whole request, first byte posted → last result received */
  wallMs: number;
  /** per batch: arrival time since the request started, and the worker's (or embedder's) own timings */
  batches: { arrivalMs: number; timings: BatchTimings }[];
  failed: string[];
  /** Node only: CPU time of the process during the run */
  cpuMs?: number;
}

export interface TextRun {
  prompts: number;
  wallMs: number;
  cpuMs?: number;
}

export interface PageEnvironment {
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  sharedArrayBuffer: boolean;
  /** WebAssembly.validate on a module using a v128 instruction */
  wasmSimd: boolean;
  userAgent: string;
  webgpu: { available: boolean; detail: string };
}

export interface LoadInfo {
  runtime: RuntimeInfo;
  dim: number;
  loadMs: number;
}

export interface MemoryRunProgress {
  batchesDone: number;
  imagesDone: number;
  finished: boolean;
  error: string | null;
  wallMs: number;
}

/** window.__sageBench on the benchmark page. */
export interface BenchPageApi {
  environment(): Promise<PageEnvironment>;
  /** `towers`: which sessions the load creates (default both); the others on first use */
  load(
    model: string,
    device: BenchDevice,
    dtype: Dtype,
    towers?: { text: boolean; vision: boolean },
  ): Promise<LoadInfo>;
  /** frees the text tower's session (memory steps) */
  releaseTextTower(): Promise<void>;
  /** embeds images and keeps nothing; `releaseTextTower` as the app's run does on a low-memory device */
  embedImagesDropping(count: number, batchSize: number, runTag: string): Promise<{ wallMs: number; failed: number }>;
  embedImages(count: number, batchSize: number, runTag: string): Promise<ImageRun>;
  embedTexts(prompts: string[]): Promise<TextRun>;
  /** starts a long run without awaiting it; poll memoryRunProgress() */
  startMemoryRun(count: number, batchSize: number, runTag: string): void;
  memoryRunProgress(): MemoryRunProgress;
}

/** Messages to the Node child. */
export type NodeBenchRequest =
  | { type: 'load'; modelDir: string; dtype: Dtype }
  | { type: 'images'; count: number; batchSize: number; runTag: string }
  | { type: 'texts'; prompts: string[] }
  | { type: 'memory' };

export type NodeBenchResponse =
  | { type: 'loaded'; info: LoadInfo }
  | { type: 'images'; run: ImageRun }
  | { type: 'texts'; run: TextRun }
  | { type: 'memory'; rssBytes: number; peakRssBytes: number; heapUsedBytes: number }
  | { type: 'error'; message: string };
