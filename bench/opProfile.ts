/**
 * ONNX Runtime's per-operator profile (session option `enableProfiling`) read back and summed per operator
 * type. onnxruntime-node writes the profile as a JSON file; onnxruntime-web's WASM build prints the same
 * Chrome-trace events to stdout, one per line. Pure functions: parse, group by run, sum, format.
 */

/** What bench/opProfileChild.ts is asked to run (argv[2], JSON). */
export interface ChildRequest {
  runtime: 'wasm' | 'native';
  modelFile: string;
  batchSize: number;
  runs: number;
  threads: number;
  graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
  profile: boolean;
  /** native only: where the profile JSON goes (a path prefix unique to this request; ORT appends a date) */
  profilePrefix: string;
  /** native only: also save the graph after ORT's optimisations here (a model file WASM can load) */
  optimizedModelFilePath?: string;
}

export interface ChildResult {
  loadMs: number;
  runMs: number[];
  profileFile: string | null;
}

/** prefix of the child's last stdout line, followed by a ChildResult as JSON */
export const RESULT_MARK = '@@result ';

/** One kernel or session event of ORT's profile (Chrome trace format, times in µs). */
export interface ProfileEvent {
  cat: string;
  name: string;
  /** start, µs since the profiler started */
  ts: number;
  /** duration, µs */
  dur: number;
  /** the operator type for kernel events ("MatMul", "DynamicQuantizeMatMul", …) */
  opName: string | null;
}

function eventOf(value: unknown): ProfileEvent | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const { cat, name, ts, dur, args } = record;
  if (typeof cat !== 'string' || typeof name !== 'string' || typeof ts !== 'number' || typeof dur !== 'number')
    return null;
  const opName =
    typeof args === 'object' && args !== null && typeof (args as Record<string, unknown>).op_name === 'string'
      ? ((args as Record<string, unknown>).op_name as string)
      : null;
  return { cat, name, ts, dur, opName };
}

/**
 * Events from either form: a whole JSON array (the node file) or text with one event object per line among
 * other output (the WASM build's stdout). Lines that are not events are skipped.
 */
export function parseProfile(text: string): ProfileEvent[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed.map(eventOf).filter((event) => event !== null);
    } catch {
      // not one JSON document: fall through to line by line
    }
  }
  const events: ProfileEvent[] = [];
  for (const raw of text.split('\n')) {
    let line = raw.trim();
    if (line.startsWith('[')) line = line.slice(1);
    if (line.endsWith(']')) line = line.slice(0, -1);
    if (line.endsWith(',')) line = line.slice(0, -1);
    if (!line.startsWith('{"cat"') && !line.startsWith('{ "cat"')) continue;
    try {
      const event = eventOf(JSON.parse(line));
      if (event) events.push(event);
    } catch {
      // a line cut by other output: skip it
    }
  }
  return events;
}

export interface OperatorRow {
  op: string;
  /** kernel time per run, ms */
  msPerRun: number;
  /** share of all kernel time */
  share: number;
  /** kernels of this type per run */
  kernelsPerRun: number;
}

export interface OperatorProfile {
  /** runs summed (the first `skipRuns` are warm-up and left out) */
  runs: number;
  /** wall time of model_run per run (median of the summed runs), ms */
  runMs: number;
  /** all kernel time per run, ms */
  kernelMs: number;
  rows: OperatorRow[];
}

/**
 * Sums kernel time per operator type over the runs after the first `skipRuns` (warm-up). A kernel belongs to
 * the `model_run` interval that contains its start.
 */
export function operatorProfile(events: readonly ProfileEvent[], skipRuns: number): OperatorProfile {
  const runs = events
    .filter((event) => event.cat === 'Session' && event.name === 'model_run')
    .sort((a, b) => a.ts - b.ts)
    .slice(skipRuns);
  if (runs.length === 0) throw new Error(`operatorProfile: no model_run after skipping ${skipRuns} warm-up run(s)`);
  const byOp = new Map<string, { us: number; kernels: number }>();
  let kernelUs = 0;
  for (const event of events) {
    if (event.cat !== 'Node' || event.opName === null || !event.name.endsWith('_kernel_time')) continue;
    const inRun = runs.some((run) => event.ts >= run.ts && event.ts <= run.ts + run.dur);
    if (!inRun) continue;
    const entry = byOp.get(event.opName) ?? { us: 0, kernels: 0 };
    entry.us += event.dur;
    entry.kernels += 1;
    byOp.set(event.opName, entry);
    kernelUs += event.dur;
  }
  const runDurations = runs.map((run) => run.dur).sort((a, b) => a - b);
  const mid = runDurations.length >> 1;
  const medianUs = runDurations.length % 2 === 1 ? runDurations[mid] : (runDurations[mid - 1] + runDurations[mid]) / 2;
  const rows = [...byOp.entries()]
    .map(([op, { us, kernels }]) => ({
      op,
      msPerRun: us / 1000 / runs.length,
      share: kernelUs > 0 ? us / kernelUs : 0,
      kernelsPerRun: kernels / runs.length,
    }))
    .sort((a, b) => b.msPerRun - a.msPerRun);
  return { runs: runs.length, runMs: medianUs / 1000, kernelMs: kernelUs / 1000 / runs.length, rows };
}

/** One profiled configuration: a tower file at a dtype on one runtime. */
export interface ProfiledConfig {
  runtime: 'wasm' | 'native';
  dtype: string;
  batchSize: number;
  threads: number;
  graphOptimizationLevel: string;
  profile: OperatorProfile;
}

function fmtMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

/**
 * Markdown table: the `top` operators by their largest time in any config (plus "other"), one column per config
 * with ms per run and share.
 */
export function operatorTable(configs: readonly ProfiledConfig[], top = 8): string[] {
  if (configs.length === 0) return [];
  const largest = new Map<string, number>();
  for (const config of configs)
    for (const row of config.profile.rows) largest.set(row.op, Math.max(largest.get(row.op) ?? 0, row.msPerRun));
  const ops = [...largest.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([op]) => op);
  const header = ['operator', ...configs.map((c) => `${c.runtime} ${c.dtype}`)];
  const lines = [`| ${header.join(' | ')} |`, `| --- |${configs.map(() => ' ---: |').join('')}`];
  const cell = (ms: number, share: number) => (ms > 0 ? `${fmtMs(ms)} ms (${(100 * share).toFixed(0)}%)` : '—');
  for (const op of ops) {
    const cells = configs.map((config) => {
      const row = config.profile.rows.find((entry) => entry.op === op);
      return row ? cell(row.msPerRun, row.share) : '—';
    });
    lines.push(`| ${op} | ${cells.join(' | ')} |`);
  }
  const otherCells = configs.map((config) => {
    const rest = config.profile.rows.filter((row) => !ops.includes(row.op));
    const ms = rest.reduce((sum, row) => sum + row.msPerRun, 0);
    const share = rest.reduce((sum, row) => sum + row.share, 0);
    return cell(ms, share);
  });
  lines.push(`| other | ${otherCells.join(' | ')} |`);
  lines.push(`| **all kernels** | ${configs.map((c) => `**${fmtMs(c.profile.kernelMs)} ms**`).join(' | ')} |`);
  lines.push(`| run (wall) | ${configs.map((c) => `${fmtMs(c.profile.runMs)} ms`).join(' | ')} |`);
  return lines;
}

/** SIMD instructions in ORT's .wasm that decide how fast its matrix products can be (byte-pattern counts). */
export interface WasmBuildOpcodes {
  file: string;
  /** i32x4.dot_i16x8_s (0xFD 0xBA 0x01): the int8 GEMM's multiply-add, 8 products per instruction */
  dotI16x8: number;
  /** f32x4.relaxed_madd (0xFD 0x85 0x02): a fused multiply-add, relaxed-SIMD builds only */
  relaxedMadd: number;
  /** i32x4.relaxed_dot_i8x16_i7x16_add_s (0xFD 0x93 0x02): 16 int8 products per instruction, relaxed SIMD only */
  relaxedDotI8: number;
}

/** Occurrences of `pattern` in `bytes` (an upper bound on the instruction count: immediates can match too). */
export function countBytes(bytes: Uint8Array, pattern: readonly number[]): number {
  let count = 0;
  const last = bytes.length - pattern.length;
  for (let i = 0; i <= last; i++) {
    if (bytes[i] !== pattern[0]) continue;
    let j = 1;
    while (j < pattern.length && bytes[i + j] === pattern[j]) j++;
    if (j === pattern.length) count++;
  }
  return count;
}

export function wasmBuildOpcodes(file: string, bytes: Uint8Array): WasmBuildOpcodes {
  return {
    file,
    dotI16x8: countBytes(bytes, [0xfd, 0xba, 0x01]),
    relaxedMadd: countBytes(bytes, [0xfd, 0x85, 0x02]),
    relaxedDotI8: countBytes(bytes, [0xfd, 0x93, 0x02]),
  };
}
