/**
 * Runs kept side by side (issue 13 §5): each finished run's setup and per-method, per-group results, small
 * and JSON-serialisable, so several runs on the same images (another model, precision or class strings) can be
 * compared in one table, and the session store can save and restore them. Embeddings are not kept here: the
 * current run's stay in the results store, and a re-run finds them in the embedding cache.
 */
import { create } from 'zustand';
import type { RuntimeInfo } from '../core/config';
import type { Metrics, MethodId } from '../core/types';
import type { SetupSnapshot } from './staleness';

/** One method's results in a saved run, as the comparison table shows them. */
export interface SavedMethodRow {
  method: MethodId;
  /** the label the comparison table gave this row (e.g. "SAGE (K = 3)") */
  label: string;
  metrics: Metrics;
}

export interface SavedRun {
  /** unique within the history */
  id: string;
  /** short words for the column header, e.g. "tiny-clip · q8" (the user may rename it) */
  label: string;
  /** ISO time the run finished */
  finishedAt: string;
  /** the setup that produced it (model, precision, class strings, images …) */
  setup: SetupSnapshot;
  runtime: RuntimeInfo | null;
  /** the view settings the rows were computed with (SAGE's K, seed, zero-shot template) */
  k: number;
  rows: SavedMethodRow[];
  /** where the results came from (a run, or an opened bundle or report and its file name); optional: added later */
  source?: { kind: 'run' | 'bundle' | 'report'; label: string };
  /** opened files only (their setup lists no images): the image ids, sorted, to tell whether two runs saw the same images */
  imageIds?: string[];
}

/** How many runs are kept; the oldest is dropped past this. */
export const RUN_HISTORY_LIMIT = 12;

export interface RunHistoryState {
  runs: SavedRun[];
  add(run: SavedRun): void;
  remove(id: string): void;
  rename(id: string, label: string): void;
  /** replaces the whole history (session restore) */
  replaceAll(runs: SavedRun[]): void;
  clear(): void;
}

export const useRunHistory = create<RunHistoryState>()((set) => ({
  runs: [],
  add: (run) => set((s) => ({ runs: [...s.runs.filter((r) => r.id !== run.id), run].slice(-RUN_HISTORY_LIMIT) })),
  remove: (id) => set((s) => ({ runs: s.runs.filter((r) => r.id !== id) })),
  rename: (id, label) => set((s) => ({ runs: s.runs.map((r) => (r.id === id ? { ...r, label } : r)) })),
  replaceAll: (runs) => set({ runs: runs.slice(-RUN_HISTORY_LIMIT) }),
  clear: () => set({ runs: [] }),
}));
