/**
 * Per-precision figures: image throughput of the app's WASM path and onnxruntime-node at fp32, q8 and fp16
 * on the same synthetic weights, the default-path ratio (WASM q8, what users of the hub model get, against
 * native fp32), renderer peak RSS against the model files' size, and the cached re-run. Pure functions.
 */
import type { Dtype } from '../src/core/config';
import type { ProfiledConfig, WasmBuildOpcodes } from './opProfile';
import { fmt, type Throughput } from './report';

export const DEFAULT_PATH_TARGET = 0.7;
export const MEMORY_RATIO_TARGET = 2.5;
export const CACHED_RERUN_TARGET_S = 1;

export interface DtypeImageRow {
  batchSize: number;
  runs: number;
  imagesPerRun: number;
  /** the app's worker on WASM at this dtype */
  browser: Throughput;
  /** onnxruntime-node at this dtype */
  node: Throughput;
  /** onnxruntime-node at fp32, timed alternately with the two above (the default path's reference) */
  nodeFp32: Throughput;
  /** browser / node at the same dtype */
  ratio: number;
  /** browser at this dtype / node at fp32 */
  ratioToNativeFp32: number;
}

export interface DtypeMemory {
  /** /proc VmHWM of a renderer that loaded only this dtype (a fresh browser per dtype) */
  rendererPeakRssBytes: number | null;
  /** maxRSS of a Node process that loaded only this dtype */
  nodePeakRssBytes: number | null;
  /** vision + text .onnx files of this dtype */
  modelFileBytes: number;
  /** rendererPeakRssBytes / modelFileBytes */
  rendererToFiles: number | null;
  /** VmRSS of the same renderer with the page open, before the model loaded (what the target cannot remove) */
  rendererBeforeLoadBytes?: number | null;
}

export interface DtypeResult {
  dtype: Dtype;
  /** 'failed': the browser could not load or run it (reason in `note`) */
  status: 'measured' | 'failed';
  note: string | null;
  browserLoadMs: number | null;
  nodeLoadMs: number | null;
  images: DtypeImageRow[];
  memory: DtypeMemory;
}

export interface DefaultPath {
  batchSize: number;
  browserQ8: number;
  nativeFp32: number;
  ratio: number;
  target: number;
  met: boolean;
}

export interface CachedRerun {
  status: 'measured' | 'failed';
  /** model and dtype the run used */
  model: string;
  images: number;
  /** click on "Try the example" in a fresh page (model not loaded, everything cached) → results shown */
  totalSeconds: number | null;
  /** the run's first status line (after the example's files are fetched) → results shown: the target's figure */
  runSeconds: number | null;
  /** then "Run again" on that page → results shown */
  runAgainSeconds?: number | null;
  statusText: string | null;
  /** did the worker load the model during the re-run (a model-loading status or progress was seen)? */
  modelLoaded: boolean | null;
  /** fresh-page re-runs measured (the seconds above are their medians) */
  repeats?: number;
  /** the load average when each repeat ran */
  loadAverages?: number[];
  /** where the fresh page's run went: each step's median ms from the run's start (performance marks, page and worker) */
  breakdown?: RunStep[];
  /** the same for "Run again" on that page */
  runAgainBreakdown?: RunStep[];
  note: string | null;
  target: number;
}

/** One step of a run: its median time from the run's start (the "run started" mark), in ms. */
export interface RunStep {
  step: string;
  ms: number;
}

/**
 * Median time of each step across repeats, in the order of the first repeat; steps are times from the
 * "run started" mark (the first paint of the results is measured by the page as "results on screen").
 */
export function medianSteps(repeats: readonly RunStep[][]): RunStep[] {
  const names = repeats[0]?.map((entry) => entry.step) ?? [];
  return names.map((step) => {
    const values = repeats
      .map((steps) => steps.find((entry) => entry.step === step)?.ms)
      .filter((ms): ms is number => typeof ms === 'number')
      .sort((a, b) => a - b);
    const mid = Math.floor(values.length / 2);
    const ms = values.length % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    return { step, ms };
  });
}

/** "step 12 ms → step 40 ms …": each step with the time it took since the previous one (+Δ) and since the start. */
export function breakdownText(steps: readonly RunStep[]): string {
  let previous = 0;
  return steps
    .map((entry) => {
      const text = `${entry.step} ${entry.ms.toFixed(0)} ms (+${(entry.ms - previous).toFixed(0)})`;
      previous = entry.ms;
      return text;
    })
    .join(' → ');
}

export interface OperatorProfiles {
  batchSize: number;
  threads: number;
  note: string;
  configs: ProfiledConfig[];
  /** the SIMD instructions the app's ORT .wasm contains */
  wasmBuild?: WasmBuildOpcodes | null;
}

/** Throughput of a (browser, node, node fp32) triple of alternating runs, with both ratios. */
export function dtypeRow(
  step: { batchSize: number; runs: number; imagesPerRun: number },
  browser: Throughput,
  node: Throughput,
  nodeFp32: Throughput,
): DtypeImageRow {
  return {
    ...step,
    browser,
    node,
    nodeFp32,
    ratio: browser.median / node.median,
    ratioToNativeFp32: browser.median / nodeFp32.median,
  };
}

export function dtypeMemory(
  rendererPeakRssBytes: number | null,
  nodePeakRssBytes: number | null,
  modelFileBytes: number,
  rendererBeforeLoadBytes: number | null = null,
): DtypeMemory {
  return {
    rendererBeforeLoadBytes,
    rendererPeakRssBytes,
    nodePeakRssBytes,
    modelFileBytes,
    rendererToFiles:
      rendererPeakRssBytes === null || modelFileBytes <= 0 ? null : rendererPeakRssBytes / modelFileBytes,
  };
}

/**
 * Peak RSS / model files, or null when it cannot be trusted: a peak below the same renderer's RSS before the load
 * means another renderer was read (older bench files picked the renderer before the model loaded).
 */
export function memoryRatio(memory: DtypeMemory): number | null {
  const before = memory.rendererBeforeLoadBytes ?? null;
  const peak = memory.rendererPeakRssBytes;
  if (peak !== null && before !== null && peak < before) return null;
  return memory.rendererToFiles;
}

/** WASM q8 / native fp32 at `batchSize`, both from the q8 phase's alternating runs; null when q8 did not run. */
export function defaultPath(dtypes: readonly DtypeResult[], batchSize = 8): DefaultPath | null {
  const q8 = dtypes.find((entry) => entry.dtype === 'q8' && entry.status === 'measured');
  const row = q8?.images.find((entry) => entry.batchSize === batchSize);
  if (!row) return null;
  return {
    batchSize,
    browserQ8: row.browser.median,
    nativeFp32: row.nodeFp32.median,
    ratio: row.ratioToNativeFp32,
    target: DEFAULT_PATH_TARGET,
    met: row.ratioToNativeFp32 >= DEFAULT_PATH_TARGET,
  };
}

/** The summary's last line: exactly `default path: wasm q8 / native fp32 images/s ratio: <y>`. */
export function defaultPathLine(path: DefaultPath | null): string {
  return `default path: wasm q8 / native fp32 images/s ratio: ${path === null ? 'n/a' : fmt(path.ratio)}`;
}

function mib(bytes: number | null): string {
  return bytes === null ? 'n/a' : `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

/** "met" or "missed by …" for a target where lower is better (`limit`) or higher is better. */
export function verdict(measured: number, target: number, higherIsBetter: boolean, unit = ''): string {
  const met = higherIsBetter ? measured >= target : measured <= target;
  if (met) return 'met';
  return `missed by ${fmt(Math.abs(measured - target))}${unit}`;
}

/** Printed lines for the per-dtype part of the summary (before the two ratio lines). */
export function dtypeSummaryLines(
  dtypes: readonly DtypeResult[],
  rerun: CachedRerun | null,
  profiles: OperatorProfiles | null,
): string[] {
  const out: string[] = [];
  if (dtypes.length > 0) {
    out.push('per precision (batch 8, same weights; native fp32 timed alternately in each phase):');
    for (const entry of dtypes) {
      const row = entry.images.find((item) => item.batchSize === 8) ?? entry.images[0];
      const memory = entry.memory;
      const ratio = memoryRatio(memory);
      const ratioText =
        ratio === null
          ? 'n/a (renderer not identified)'
          : `${fmt(ratio)}× (≤ ${MEMORY_RATIO_TARGET}×: ${verdict(ratio, MEMORY_RATIO_TARGET, false, '×')})`;
      if (entry.status !== 'measured' || !row) {
        out.push(`  ${entry.dtype}: not measured — ${entry.note ?? 'no figures'}`);
        continue;
      }
      out.push(
        `  ${entry.dtype}: wasm ${fmt(row.browser.median)} img/s, native ${fmt(row.node.median)} img/s (ratio ${fmt(row.ratio)}), native fp32 ${fmt(row.nodeFp32.median)}; ` +
          `renderer peak RSS ${mib(memory.rendererPeakRssBytes)} (${mib(memory.rendererBeforeLoadBytes ?? null)} before loading) vs model files ${mib(memory.modelFileBytes)} → ${ratioText}${entry.note ? `; ${entry.note}` : ''}`,
      );
    }
  }
  if (profiles) {
    const top = (config: ProfiledConfig) => {
      const first = config.profile.rows[0];
      return first ? `${first.op} ${fmt(100 * first.share, 0)}%` : 'n/a';
    };
    out.push(
      `per-operator profile (vision, batch ${profiles.batchSize}, ${profiles.threads} threads, kernel ms per run): ` +
        profiles.configs.map((c) => `${c.runtime} ${c.dtype} ${fmt(c.profile.kernelMs, 0)} (top ${top(c)})`).join('; '),
    );
  }
  if (rerun) {
    out.push(
      rerun.status === 'measured' && rerun.totalSeconds !== null
        ? `cached re-run of the ${rerun.images}-image example (production build, ${rerun.model}, fresh page): results ${rerun.runSeconds === null ? 'n/a' : `${fmt(rerun.runSeconds, 2)} s`} after the run starts ` +
            `(target ≤ ${rerun.target} s: ${rerun.runSeconds === null ? 'n/a' : verdict(rerun.runSeconds, rerun.target, false, ' s')}), ${fmt(rerun.totalSeconds, 2)} s after the click incl. fetching the example; "Run again" ${rerun.runAgainSeconds == null ? 'n/a' : `${fmt(rerun.runAgainSeconds, 2)} s`}` +
            `${rerun.modelLoaded === null ? '' : rerun.modelLoaded ? '; the model was loaded' : '; the model was not loaded'}${rerun.note ? `; ${rerun.note}` : ''}`
        : `cached re-run: not measured — ${rerun.note ?? 'unknown'}`,
    );
    if (rerun.breakdown?.length)
      out.push(
        `  where the fresh page's run goes (median ms from the run's start${rerun.loadAverages?.length ? `, load average ${rerun.loadAverages.map((l) => fmt(l, 1)).join('/')}` : ''}): ${breakdownText(rerun.breakdown)}`,
      );
    if (rerun.runAgainBreakdown?.length) out.push(`  "Run again": ${breakdownText(rerun.runAgainBreakdown)}`);
  }
  return out;
}
