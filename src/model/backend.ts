/**
 * Backend and dtype choice. The decision is a pure function over probed capabilities, so it is tested
 * with fakes; probing touches navigator.gpu once.
 */
import type { BackendId, Dtype } from '../core/config';

export type BackendPreference = 'auto' | BackendId;

export interface Capabilities {
  /** a WebGPU adapter was returned */
  webgpu: boolean;
  /** the adapter has 'shader-f16' */
  shaderF16: boolean;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  /** running under Node (onnxruntime-node) */
  node: boolean;
}

export interface BackendChoice {
  backend: BackendId;
  dtype: Dtype;
  threads: number;
  /** why this choice, for RuntimeInfo.notes */
  notes: string[];
}

/** The most WASM threads worth using: ORT's intra-op scaling flattens past 4 for CLIP-sized models. */
export const MAX_WASM_THREADS = 4;

export function wasmThreads(capabilities: Capabilities): number {
  if (!capabilities.crossOriginIsolated) return 1;
  return Math.max(1, Math.min(capabilities.hardwareConcurrency || 1, MAX_WASM_THREADS));
}

/**
 * Picks backend, dtype and threads.
 * - auto: WebGPU when an adapter exists, else WASM (Node: onnxruntime-node).
 * - dtype: the requested one if given; else fp16 on WebGPU with shader-f16, fp32 on WebGPU without it,
 *   and the quantized q8 weights on WASM/Node (the published default for CPU).
 * - An explicit 'webgpu' request without an adapter falls back to WASM with a note.
 */
export function chooseBackend(
  capabilities: Capabilities,
  preference: BackendPreference,
  requestedDtype?: Dtype,
): BackendChoice {
  const notes: string[] = [];
  let backend: BackendId;
  if (capabilities.node) {
    backend = 'node';
    if (preference !== 'auto' && preference !== 'node')
      notes.push(`${preference} is not available in Node; using onnxruntime-node`);
  } else if (preference === 'webgpu' || preference === 'auto') {
    if (capabilities.webgpu) backend = 'webgpu';
    else {
      backend = 'wasm';
      if (preference === 'webgpu') notes.push('WebGPU requested but no adapter is available; using WASM');
    }
  } else {
    backend = 'wasm';
    if (preference === 'node') notes.push('onnxruntime-node is not available in the browser; using WASM');
  }

  let dtype: Dtype;
  if (requestedDtype) {
    dtype = requestedDtype;
    if (backend === 'webgpu' && dtype === 'fp16' && !capabilities.shaderF16) {
      dtype = 'fp32';
      notes.push("fp16 requested but the GPU lacks 'shader-f16'; using fp32");
    }
  } else if (backend === 'webgpu') dtype = capabilities.shaderF16 ? 'fp16' : 'fp32';
  else dtype = 'q8';

  const threads =
    backend === 'wasm'
      ? wasmThreads(capabilities)
      : backend === 'node'
        ? Math.max(1, capabilities.hardwareConcurrency)
        : 1;
  if (backend === 'wasm' && !capabilities.crossOriginIsolated) {
    notes.push('page is not cross-origin isolated: WASM runs single-threaded');
  }
  return { backend, dtype, threads, notes };
}

/** The parts of `navigator` probing reads; tests inject fakes. */
export interface NavigatorLike {
  gpu?: { requestAdapter(): Promise<{ features: { has(feature: string): boolean } } | null> };
  hardwareConcurrency?: number;
}

export async function probeCapabilities(
  navigatorLike: NavigatorLike | undefined,
  isolated: boolean,
): Promise<Capabilities> {
  let webgpu = false;
  let shaderF16 = false;
  if (navigatorLike?.gpu) {
    try {
      const adapter = await navigatorLike.gpu.requestAdapter();
      if (adapter) {
        webgpu = true;
        shaderF16 = adapter.features.has('shader-f16');
      }
    } catch {
      webgpu = false;
    }
  }
  return {
    webgpu,
    shaderF16,
    crossOriginIsolated: isolated,
    hardwareConcurrency: navigatorLike?.hardwareConcurrency ?? 1,
    node: false,
  };
}
