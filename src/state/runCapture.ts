/**
 * Keeps runs side by side (issue 13 §5): each finished run, and each opened bundle or report, becomes a SavedRun
 * in the run history with every method row the comparison table shows, at the current view settings. The entry
 * of the results on screen follows later view changes (K, seed, zero-shot template, §7 settings), so its column
 * always matches the table above it. Running the same setup again replaces its entry in place.
 *
 * A subscription module, not code in run.ts: it watches the run and results stores (startRunCapture).
 */
import { create } from 'zustand';
import { resultsInputOf, type ResultsParts } from './derive/resultsInput';
import { compareAll, METHOD_LABELS, type ResultsInput } from './derive/views';
import { useDataset } from './dataset';
import { useMethodSettings, type AttributeMethodSettings } from './methodSettings';
import { useResults, type ResultsState, type ViewParams } from './results';
import { useRun } from './run';
import { useRunHistory, type SavedMethodRow, type SavedRun } from './runHistory';
import { setupChanges, type SetupChange, type SetupSnapshot } from './staleness';

/** Which kept run the results on screen are (its column follows the view settings), or null. */
export const useShownRun = create<{ id: string | null }>()(() => ({ id: null }));

/** The comparison table's label of a row: SAGE and random say their K, as the table does beside the name. */
export function savedRowLabel(method: SavedMethodRow['method'], k: number): string {
  return method === 'sage' || method === 'random' ? `${METHOD_LABELS[method]}, K = ${k}` : METHOD_LABELS[method];
}

/** Every row the comparison table shows for `input` at `view`, as saved rows. */
export function savedRows(input: ResultsInput, view: ViewParams): SavedMethodRow[] {
  return compareAll(input, view).rows.map((row) => ({
    method: row.method,
    label: savedRowLabel(row.method, view.k),
    metrics: row.metrics,
  }));
}

/** "local:tiny-clip" → "tiny-clip", "Xenova/clip-vit-base-patch32" → "clip-vit-base-patch32", a path → its folder. */
export function modelShortName(model: string): string {
  const name = model.replace(/^(local|files):/, '').replace(/[\\/]+$/, '');
  const last = name.split(/[\\/]/).pop() ?? '';
  return last || model || 'unknown model';
}

/** Short words for what else differs from the first kept run (model and precision are always in the label). */
const DIFFERENCE_WORDS: Partial<Record<SetupChange, string>> = {
  classes: 'class strings edited',
  attributes: 'attribute words edited',
  templates: 'templates edited',
  groupPromptPattern: 'group prompt pattern edited',
  images: 'other images',
};

/**
 * A column header in a few words: model short name and precision (what a comparison usually varies), then what
 * else differs from the first kept run ("class strings edited"). A label already taken gets " (2)", " (3)"….
 */
export function runLabel(
  setup: SetupSnapshot,
  precision: string | undefined,
  kind: 'run' | 'bundle' | 'report',
  others: readonly SavedRun[],
): string {
  const parts = [modelShortName(setup.model ?? ''), precision ?? (kind === 'bundle' ? 'bundle' : 'report')];
  const reference = others[0];
  if (reference) {
    for (const change of setupChanges(reference.setup, setup)) {
      const words = DIFFERENCE_WORDS[change];
      if (words) parts.push(words);
    }
  }
  const base = parts.join(' · ');
  const taken = new Set(others.map((r) => r.label));
  if (!taken.has(base)) return base;
  let i = 2;
  while (taken.has(`${base} (${i})`)) i++;
  return `${base} (${i})`;
}

/** FNV-1a, 32 bits, as 8 hex digits: a short id for a setup (collisions would only merge two history entries). */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * One id per setup: the same setup run again (or the same file opened again) gets the same id, so it replaces
 * its entry. Opened files also key on their name and image ids, which their setup does not record.
 */
export function savedRunId(run: Pick<SavedRun, 'setup' | 'imageIds' | 'source'>): string {
  const key = JSON.stringify([run.setup, run.source?.kind === 'run' ? null : run.source, run.imageIds ?? null]);
  return `run-${hash(key)}-${hash(`${key.length}\u0000${key}`)}`;
}

export interface CaptureContext {
  results: ResultsParts & Pick<ResultsState, 'source' | 'producedBy' | 'runtime' | 'view' | 'model'>;
  methodSettings: AttributeMethodSettings & { groupPromptPattern: string };
  /** the runs kept now (labels are made unique among them and differences named against the first) */
  history: readonly SavedRun[];
  now: Date;
}

/** The results on screen as a SavedRun, or null when there are none (or no row could be computed). */
export function savedRunOf({ results, methodSettings, history, now }: CaptureContext): SavedRun | null {
  const { source } = results;
  if (!source) return null;
  const input = resultsInputOf(results, methodSettings);
  if (!input || input.analysis.n === 0) return null;
  const rows = savedRows(input, results.view);
  if (rows.length === 0) return null;
  const setup: SetupSnapshot = {
    ...(results.producedBy ?? { classes: [...results.classes], attributes: [], templates: [...results.templates] }),
  };
  // a bundle records its model in the file, not in the setup it was opened with
  if (setup.model === undefined && results.model) setup.model = results.model;
  const keyed: Pick<SavedRun, 'setup' | 'imageIds' | 'source'> = {
    setup,
    source: { kind: source.kind, label: source.label },
    // opened files do not list their images in the setup: their ids tell whether two runs saw the same images
    ...(setup.images ? {} : { imageIds: input.records.map((r) => r.id).sort() }),
  };
  const id = savedRunId(keyed);
  const others = history.filter((r) => r.id !== id);
  const precision = results.runtime?.dtype ?? setup.dtype;
  return {
    id,
    label: runLabel(setup, precision, source.kind, others),
    finishedAt: now.toISOString(),
    runtime: results.runtime,
    k: results.view.k,
    rows,
    ...keyed,
  };
}

/**
 * Adds `run` to the history; an entry with its id (the same setup) is replaced where it stands and keeps its
 * label, which the user may have renamed.
 */
export function keepRun(run: SavedRun): void {
  const history = useRunHistory.getState();
  const existing = history.runs.find((r) => r.id === run.id);
  if (!existing) history.add(run);
  else history.replaceAll(history.runs.map((r) => (r.id === run.id ? { ...run, label: existing.label } : r)));
}

function context(): CaptureContext {
  return {
    results: useResults.getState(),
    methodSettings: {
      ...useMethodSettings.getState(),
      groupPromptPattern: useDataset.getState().groupPromptPattern,
    },
    history: useRunHistory.getState().runs,
    now: new Date(),
  };
}

/** set while capture runs: marks a kept run as the results on screen */
let markShown: ((id: string) => void) | null = null;

/**
 * Marks the kept run `id` as the results now on screen (a restored session's results are a run kept before the
 * reload: Compare runs labels its column "on screen" again and it follows K). Ignored when no kept run has that id.
 */
export function showKeptRun(id: string): void {
  markShown?.(id);
}

/**
 * Starts keeping runs: a run that finishes, a bundle or report once all its images are analysed; afterwards the
 * view settings update that entry (unless the user removed it). Returns a function that stops it.
 */
export function startRunCapture(): () => void {
  /** the entry of the results on screen, and those results (their text grid identifies them) */
  let current: { id: string; text: Float32Array } | null = null;
  const setCurrent = (next: typeof current) => {
    current = next;
    useShownRun.setState({ id: next?.id ?? null });
  };
  let refreshTimer: ReturnType<typeof setTimeout> | null = null;

  const capture = () => {
    const run = savedRunOf(context());
    if (!run) return;
    keepRun(run);
    setCurrent({ id: run.id, text: useResults.getState().text });
  };
  const refresh = () => {
    refreshTimer = null;
    const results = useResults.getState();
    // inferred attribute labels (issue 14) are a view of other groups, not this run's
    if (!current || results.text !== current.text || results.inferred) return;
    const id = current.id;
    if (!useRunHistory.getState().runs.some((r) => r.id === id)) return;
    const run = savedRunOf(context());
    if (run?.id === id) keepRun(run);
  };
  // a K slider drag changes the view many times a second: update the entry once it rests
  const scheduleRefresh = () => {
    if (refreshTimer !== null) clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, 150);
  };

  const stopRun = useRun.subscribe((state, previous) => {
    if (state.phase === 'done' && previous.phase !== 'done' && useResults.getState().source?.kind === 'run') capture();
  });
  const stopResults = useResults.subscribe((state, previous) => {
    if (state.text !== previous.text && current) setCurrent(null);
    const opened = state.source !== null && state.source.kind !== 'run';
    const complete =
      state.analysis !== null && state.analysis.n === state.expected && state.records.length === state.expected;
    if (opened && complete && state.analysis !== previous.analysis && current?.text !== state.text) capture();
    else if (state.view !== previous.view || state.prompts !== previous.prompts) scheduleRefresh();
  });
  const stopSettings = useMethodSettings.subscribe(scheduleRefresh);
  markShown = (id) => {
    if (useRunHistory.getState().runs.some((r) => r.id === id)) setCurrent({ id, text: useResults.getState().text });
  };
  return () => {
    markShown = null;
    stopRun();
    stopResults();
    stopSettings();
    if (refreshTimer !== null) clearTimeout(refreshTimer);
    setCurrent(null);
  };
}
