/**
 * "Check this machine" (issue 16 §5): times a few image batches of the chosen model on each backend this browser
 * has (WebGPU when an adapter exists, WASM always) at each precision (full fp32, half fp16, 8-bit q8), checks that
 * each precision's embeddings agree with full precision on the same images, and recommends the fastest that
 * agrees. Each try runs in its own worker with an in-memory embedding cache (so nothing comes from earlier runs)
 * and the worker is closed after it, so the memory it used is given back.
 */
import { create } from 'zustand';
import type { BackendId, Dtype } from '../core/config';
import { errorMessage } from '../core/errors';
import { cosine } from '../core/vectors';
import { probeCapabilities } from '../model/backend';
import { ClipWorkerClient } from '../worker/client';
import { useDataset } from './dataset';
import { comparePaths } from './ingest/layout';
import { modelSourceFor, useSettings } from './settings';

/** Images a check embeds per try: one warm-up batch, then the timed ones. */
export const CHECK_BATCH = 4;
export const CHECK_BATCHES = 3;
/** Cosine to full precision a precision must keep, on every checked image, to be recommended. */
export const MIN_FIDELITY = 0.99;
export const CHECK_DTYPES: readonly Dtype[] = ['fp32', 'fp16', 'q8'];

export interface MachineCheckRow {
  backend: BackendId;
  dtype: Dtype;
  /** images per second over the timed batches (reading, preparing and encoding); null when it did not run */
  imagesPerSecond: number | null;
  /** lowest cosine to full precision (WASM fp32) over the checked images; null when not compared */
  fidelity: number | null;
  /** why it did not run or was not compared, in words */
  problem?: string;
}

export interface MachineCheckResult {
  model: string;
  measuredAt: string;
  images: number;
  batchSize: number;
  rows: MachineCheckRow[];
  recommended: { backend: BackendId; dtype: Dtype } | null;
}

export interface MachineCheckState {
  status: 'idle' | 'running' | 'done' | 'error';
  /** what the check is doing now, in words */
  step: string;
  result: MachineCheckResult | null;
  /** the recommendation was applied to the settings */
  applied: boolean;
  error: string | null;
  run(): Promise<void>;
  apply(): void;
}

/** The fastest row that ran and keeps MIN_FIDELITY; full precision counts as faithful by definition. */
export function recommend(rows: readonly MachineCheckRow[]): { backend: BackendId; dtype: Dtype } | null {
  let best: MachineCheckRow | null = null;
  for (const row of rows) {
    if (row.imagesPerSecond === null || row.fidelity === null || row.fidelity < MIN_FIDELITY) continue;
    if (!best || row.imagesPerSecond > (best.imagesPerSecond ?? 0)) best = row;
  }
  return best ? { backend: best.backend, dtype: best.dtype } : null;
}

const BACKEND_WORDS: Record<BackendId, string> = {
  webgpu: 'WebGPU (graphics card)',
  wasm: 'WASM (processor)',
  node: 'Node',
};
const DTYPE_WORDS: Record<Dtype, string> = {
  fp32: 'full precision (fp32)',
  fp16: 'half precision (fp16)',
  q8: '8-bit (q8)',
};

export function backendWords(backend: BackendId): string {
  return BACKEND_WORDS[backend];
}
export function dtypeWords(dtype: Dtype): string {
  return DTYPE_WORDS[dtype];
}

/** One try: load in a fresh worker, embed the images in batches, time all but the first (warm-up) batch. */
async function timeOne(
  model: string,
  backend: BackendId,
  dtype: Dtype,
  images: { id: string; data: Blob }[],
): Promise<{ imagesPerSecond: number; embeddings: Map<string, Float32Array> }> {
  const source = modelSourceFor(model, useSettings.getState().droppedModel);
  if (!source.ok) throw new Error(source.error);
  const worker = new ClipWorkerClient();
  try {
    const loaded = await worker.load(source.source, backend, dtype, undefined, { text: false, vision: true }, 'memory');
    if (loaded.runtime.backend !== backend) throw new Error(`${backendWords(backend)} is not available here`);
    const embeddings = new Map<string, Float32Array>();
    let batchIndex = 0;
    let timedImages = 0;
    let timedMs = 0;
    let failure: string | null = null;
    await worker.embedImages(images, CHECK_BATCH, (batch) => {
      for (const outcome of batch.outcomes) {
        if (outcome.ok) embeddings.set(outcome.id, outcome.embedding);
        else failure ??= `${outcome.id} could not be read (${outcome.reason})`;
      }
      // the first batch pays for creating the session and warming up; later batches are the steady rate
      if (batchIndex > 0 || images.length <= CHECK_BATCH) {
        timedImages += batch.timings.batchSize;
        timedMs += batch.timings.decode + batch.timings.preprocess + batch.timings.encode;
      }
      batchIndex++;
    });
    if (failure) throw new Error(failure);
    // a graphics card that failed mid-way continued on WASM: those figures are not WebGPU's
    if (worker.runtime?.backend !== backend)
      throw new Error(`${backendWords(backend)} stopped working during the check`);
    if (loaded.runtime.dtype !== dtype) throw new Error(`${dtypeWords(dtype)} is not available here`);
    return { imagesPerSecond: timedMs > 0 ? (timedImages * 1000) / timedMs : 0, embeddings };
  } finally {
    worker.terminate();
  }
}

async function availableBackends(): Promise<BackendId[]> {
  const capabilities = await probeCapabilities(
    navigator as unknown as Parameters<typeof probeCapabilities>[0],
    globalThis.crossOriginIsolated === true,
  );
  return capabilities.webgpu ? ['webgpu', 'wasm'] : ['wasm'];
}

export const useMachineCheck = create<MachineCheckState>()((set, get) => ({
  status: 'idle',
  step: '',
  result: null,
  applied: false,
  error: null,
  async run() {
    if (get().status === 'running') return;
    const model = useSettings.getState().model;
    const images = useDataset
      .getState()
      .images.filter((image) => image.classFolder !== '')
      .sort((a, b) => comparePaths(a.id, b.id))
      .slice(0, CHECK_BATCH * CHECK_BATCHES)
      .map((image) => ({ id: image.id, data: image.blob }));
    if (images.length === 0) {
      set({ status: 'error', error: 'Add some images first: the check times the model on a few of your images.' });
      return;
    }
    set({ status: 'running', step: 'Looking for a graphics card…', result: null, applied: false, error: null });
    try {
      const backends = await availableBackends();
      const rows: MachineCheckRow[] = [];
      let reference: Map<string, Float32Array> | null = null;
      // WASM fp32 first: every other try is compared with it
      const tries = [
        ...CHECK_DTYPES.map((dtype) => ({ backend: 'wasm' as BackendId, dtype })),
        ...backends.filter((b) => b !== 'wasm').flatMap((backend) => CHECK_DTYPES.map((dtype) => ({ backend, dtype }))),
      ];
      for (const [i, { backend, dtype }] of tries.entries()) {
        set({
          step: `Try ${i + 1} of ${tries.length}: ${backendWords(backend)}, ${dtypeWords(dtype)}, on ${images.length} of your images…`,
        });
        try {
          const timed = await timeOne(model, backend, dtype, images);
          if (backend === 'wasm' && dtype === 'fp32') reference = timed.embeddings;
          let fidelity: number | null = null;
          if (reference) {
            fidelity = 1;
            for (const [id, embedding] of timed.embeddings) {
              const ref = reference.get(id);
              if (ref) fidelity = Math.min(fidelity, cosine(embedding, ref));
            }
          }
          rows.push({
            backend,
            dtype,
            imagesPerSecond: timed.imagesPerSecond,
            fidelity,
            ...(fidelity === null ? { problem: 'not compared: full precision did not run on WASM' } : {}),
          });
        } catch (error) {
          rows.push({
            backend,
            dtype,
            imagesPerSecond: null,
            fidelity: null,
            problem: `did not run: ${errorMessage(error)}`,
          });
        }
      }
      set({
        status: 'done',
        step: '',
        result: {
          model,
          measuredAt: new Date().toISOString(),
          images: images.length,
          batchSize: CHECK_BATCH,
          rows,
          recommended: recommend(rows),
        },
      });
    } catch (error) {
      set({ status: 'error', step: '', error: `The check stopped: ${errorMessage(error)}` });
    }
  },
  apply() {
    const recommended = get().result?.recommended;
    if (!recommended) return;
    const settings = useSettings.getState();
    settings.setBackend(recommended.backend);
    settings.setDtype(recommended.dtype);
    set({ applied: true });
  },
}));

/** The check that belongs with the current model, for reports: its figures, and whether its choice is in use. */
export function machineCheckForReport(): (MachineCheckResult & { applied: boolean }) | null {
  const { result, applied } = useMachineCheck.getState();
  const settings = useSettings.getState();
  if (!result || result.model !== settings.model) return null;
  const inUse =
    applied &&
    result.recommended !== null &&
    result.recommended.backend === settings.backend &&
    result.recommended.dtype === settings.dtype;
  return { ...result, applied: inUse };
}
