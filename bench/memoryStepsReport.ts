/**
 * The memory steps' figures in words (bench/memorySteps.ts measures them): where the renderer's peak happened, and
 * peak RSS against the model files, whole and above the empty page. Pure functions.
 */
import type { Dtype } from '../src/core/config';

export interface MemoryStep {
  step: string;
  /** VmRSS right after the step */
  rssBytes: number;
  /** the highest RSS seen during this step (sampled every 20 ms, and VmHWM) */
  stepPeakRssBytes: number;
  /** the highest RSS so far (the step that raised it holds the peak) */
  peakRssBytes: number;
  /** VmRSS after a forced GC in the page's workers (garbage JavaScript still held) */
  rssAfterGcBytes: number | null;
}

export interface MemorySteps {
  dtype: Dtype;
  /**
   * 'one after another': text session, prompts, text released, then the vision session (the app on a device of
   * ≤ 4 GB); 'text kept': the same without the release (the app elsewhere); 'both at load': both sessions created
   * together (a load of both towers, as the app did before)
   */
  order: 'one after another' | 'text kept' | 'both at load';
  modelFileBytes: number;
  steps: MemoryStep[];
  error: string | null;
}

/** The step that raised VmHWM to its final value (where the peak happened), or null. */
export function peakStep(steps: readonly MemoryStep[]): MemoryStep | null {
  let found: MemoryStep | null = null;
  let previous = -Infinity;
  for (const entry of steps) {
    if (entry.peakRssBytes > previous) found = entry;
    previous = Math.max(previous, entry.peakRssBytes);
  }
  return found;
}

/**
 * Peak RSS against the model files, both ways: the whole renderer, and above the empty page (the page's RSS
 * before anything of the model, which no change to model loading can remove).
 */
export function peakRatios(result: MemorySteps): { peak: number; aboveEmpty: number; empty: number } | null {
  const empty = result.steps[0]?.rssBytes;
  const last = result.steps[result.steps.length - 1];
  if (empty === undefined || !last || result.modelFileBytes <= 0) return null;
  const peak = last.peakRssBytes;
  return { peak: peak / result.modelFileBytes, aboveEmpty: (peak - empty) / result.modelFileBytes, empty };
}

/** Printed lines: one per precision and order, the steps with RSS (peak so far) and the two ratios. */
export function memoryStepLines(results: readonly MemorySteps[]): string[] {
  if (results.length === 0) return [];
  const out = [
    'renderer RSS step by step (MiB: RSS after the step / highest during the step / after a forced GC in the workers):',
  ];
  for (const result of results) {
    const ratios = peakRatios(result);
    const steps = result.steps
      .map(
        (entry) =>
          `${entry.step} ${mibNumber(entry.rssBytes)}/${mibNumber(entry.stepPeakRssBytes)}/${entry.rssAfterGcBytes === null ? 'n/a' : mibNumber(entry.rssAfterGcBytes)}`,
      )
      .join(' → ');
    const summary =
      ratios === null
        ? 'n/a'
        : `peak ${ratios.peak.toFixed(2)}× the ${mibNumber(result.modelFileBytes)} MiB of model files (${ratios.aboveEmpty.toFixed(2)}× above the ${mibNumber(ratios.empty)} MiB empty page), at “${peakStep(result.steps)?.step ?? '?'}”`;
    out.push(`  ${result.dtype}, ${result.order}: ${summary}${result.error ? `; stopped: ${result.error}` : ''}`);
    out.push(`    ${steps}`);
  }
  return out;
}

function mibNumber(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}

/** The app's default order for a precision (the target is judged on it), if measured. */
export function appOrder(results: readonly MemorySteps[], dtype: Dtype): MemorySteps | null {
  const measured = (order: MemorySteps['order']) =>
    results.find((entry) => entry.dtype === dtype && entry.order === order && !entry.error) ?? null;
  // the app's default (devices above 4 GB keep the text session); files from before that order: the released one
  return measured('text kept') ?? measured('one after another');
}

/**
 * Markdown: one table per order, a row per step and a column per precision (RSS after the step / highest during
 * it, MiB), then the peak against the model files both ways, and why.
 */
export function memoryStepsSection(results: readonly MemorySteps[], why: readonly string[] = []): string[] {
  if (results.length === 0) return [];
  const lines: string[] = [];
  const dtypes = [...new Set(results.map((entry) => entry.dtype))];
  for (const order of ['one after another', 'text kept', 'both at load'] as const) {
    const runs = dtypes.map((dtype) => results.find((entry) => entry.dtype === dtype && entry.order === order) ?? null);
    const first = runs.find((entry) => entry !== null);
    if (!first) continue;
    lines.push(
      order === 'one after another'
        ? '**Renderer RSS step by step, as the app runs on a device of ≤ 4 GB** (text session, prompts, text session released, vision session on the first batch; MiB: RSS after the step / highest during it, sampled every 20 ms):'
        : order === 'text kept'
          ? '**The same with the text session kept**, as the app runs on larger devices:'
          : '**The same with both sessions created at once**, as the app loaded them before:',
    );
    lines.push('');
    lines.push(`| step | ${dtypes.join(' | ')} |`);
    lines.push(`| --- | ${dtypes.map(() => '---:').join(' | ')} |`);
    for (const [i, entry] of first.steps.entries()) {
      const cells = runs.map((run) => {
        const step = run?.steps[i];
        return step ? `${mibNumber(step.rssBytes)} / ${mibNumber(step.stepPeakRssBytes)}` : '—';
      });
      lines.push(`| ${entry.step} | ${cells.join(' | ')} |`);
    }
    const ratioCells = runs.map((run) => {
      const ratios = run ? peakRatios(run) : null;
      return ratios === null || !run
        ? '—'
        : `${mibNumber(run.steps[run.steps.length - 1].peakRssBytes)} MiB = **${ratios.peak.toFixed(1)}×** files (${ratios.aboveEmpty.toFixed(1)}× above the empty page)`;
    });
    lines.push(
      `| peak / model files (${dtypes.map((d) => `${d} ${mibNumber(runs[dtypes.indexOf(d)]?.modelFileBytes ?? 0)} MiB`).join(', ')}) | ${ratioCells.join(' | ')} |`,
    );
    lines.push('');
  }
  lines.push(
    'The target (≤ 2.5× the model files) is judged on the whole renderer, as the issue words it; the empty page is ' +
      "Chromium's own and no change to model loading removes it, so the ratio above it is given beside. " +
      'Per session: transformers.js fetches the .onnx file into a JavaScript buffer, ORT copies it into its WASM memory, ' +
      'parses it and lays out the weights (and pre-packs the MatMul weights); the buffer becomes garbage once the session ' +
      'exists (the forced GC frees it, and V8 collects it by itself by the next step), but ORT’s WASM memory never ' +
      'shrinks, so its high-water mark during creation stays resident. Hence: create the sessions one after another, ' +
      'and free the text session before the vision session is created where memory is tight (its space is reused).',
  );
  lines.push('');
  for (const line of why) lines.push(`- ${line}`);
  if (why.length > 0) lines.push('');
  return lines;
}

const stepNamed = (run: MemorySteps, prefix: string) =>
  run.steps.find((entry) => entry.step.startsWith(prefix)) ?? null;

/**
 * Why the peak is what it is, from the figures themselves: what each session's creation added to RSS against its
 * file, how much was JavaScript garbage (freed by a forced GC), what releasing the text session gave back, and
 * what creating the sessions one after another saved against both at once.
 */
export function memoryWhy(results: readonly MemorySteps[]): string[] {
  const out: string[] = [];
  for (const run of results) {
    if (run.order !== 'one after another' || run.error) continue;
    const up = stepNamed(run, 'worker up');
    const text = stepNamed(run, 'text session created');
    const released = stepNamed(run, 'text session released');
    const vision = stepNamed(run, 'vision session created');
    const empty = run.steps[0];
    if (!up || !text || !released || !vision || !empty) continue;
    const together = results.find(
      (entry) => entry.dtype === run.dtype && entry.order === 'both at load' && !entry.error,
    );
    const kept = results.find((entry) => entry.dtype === run.dtype && entry.order === 'text kept' && !entry.error);
    const last = run.steps[run.steps.length - 1];
    const garbage = (entry: MemoryStep) =>
      entry.rssAfterGcBytes === null ? 'n/a' : `${mibNumber(Math.max(0, entry.rssBytes - entry.rssAfterGcBytes))} MiB`;
    out.push(
      `${run.dtype}: the empty page is ${mibNumber(empty.rssBytes)} MiB and the worker with tokenizer and config ${mibNumber(up.rssBytes - empty.rssBytes)} MiB more; ` +
        `creating the text session raised RSS by ${mibNumber(text.stepPeakRssBytes - up.rssBytes)} MiB at its highest (${garbage(text)} of it JavaScript garbage a GC frees: the fetched model bytes), ` +
        `releasing it gave back ${mibNumber(Math.max(0, (run.steps[run.steps.indexOf(released) - 1] ?? released).rssBytes - released.rssBytes))} MiB (ORT's WASM memory never shrinks: the freed space is reused by the next session, not returned), ` +
        `and the vision session with its first batch raised it ${mibNumber(vision.stepPeakRssBytes - released.rssBytes)} MiB more at its highest; ` +
        `peak ${mibNumber(last.peakRssBytes)} MiB` +
        (kept ? `, ${mibNumber(kept.steps[kept.steps.length - 1].peakRssBytes)} MiB with the text session kept` : '') +
        (together
          ? `, against ${mibNumber(together.steps[together.steps.length - 1].peakRssBytes)} MiB with both sessions created at once.`
          : '.'),
    );
  }
  return out;
}
