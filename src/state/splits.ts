/**
 * Train / validation / test splits in the app (issue 15). The images may come with splits (a train/val/test
 * folder level, a manifest's split column, or a bundle's per-image `split`); otherwise, or when the user asks,
 * a seeded split stratified per (class, attribute) group is made here with core's stratifiedSplit, the same
 * function the CLI's finetune uses, so the same bundle, seed and fractions give the same split in both.
 * The comparison table can show every method on the test split only (`scope`), so a trained row compares.
 */
import { create } from 'zustand';
import { DEFAULT_SPLIT_FRACTIONS, countSplits, stratifiedSplit, type SplitFractions } from '../core/splits';
import type { ImageRecord, Split } from '../core/types';
import { useDataset } from './dataset';

/** `given`: the splits the images came with; `made`: a seeded stratified split made here. */
export type SplitOrigin = 'given' | 'made';

/** Which images the comparison table scores: all of them, or the test split only. */
export type ComparisonScope = 'all' | 'test';

export interface SplitSettings {
  /** null: `given` when every image came with a split, else `made` */
  origin: SplitOrigin | null;
  seed: number;
  fractions: SplitFractions;
}

export interface SplitsState extends SplitSettings {
  scope: ComparisonScope;
  setOrigin(origin: SplitOrigin): void;
  setSeed(seed: number): void;
  setFractions(patch: Partial<SplitFractions>): void;
  setScope(scope: ComparisonScope): void;
  /** back to the defaults (a new dataset or bundle) */
  reset(): void;
}

export const DEFAULT_SPLIT_SEED = 0;

const defaults = {
  origin: null,
  seed: DEFAULT_SPLIT_SEED,
  fractions: { ...DEFAULT_SPLIT_FRACTIONS },
  scope: 'all' as ComparisonScope,
};

export const useSplits = create<SplitsState>()((set) => ({
  ...defaults,
  setOrigin(origin) {
    set({ origin });
  },
  setSeed(seed) {
    set({ seed: Number.isFinite(seed) ? Math.trunc(seed) : DEFAULT_SPLIT_SEED });
  },
  setFractions(patch) {
    set((state) => ({ fractions: { ...state.fractions, ...patch } }));
  },
  setScope(scope) {
    set({ scope });
  },
  reset() {
    set({ ...defaults, fractions: { ...DEFAULT_SPLIT_FRACTIONS } });
  },
}));

/** The split each record came with: its own `split` (a bundle's), else its dataset image's (folders, manifest). */
export function givenSplits(
  records: readonly ImageRecord[],
  datasetSplit: (id: string) => Split | undefined = datasetSplitLookup(),
): (Split | undefined)[] {
  return records.map((record) => record.split ?? datasetSplit(record.id));
}

function datasetSplitLookup(): (id: string) => Split | undefined {
  const byId = new Map<string, Split>();
  for (const image of useDataset.getState().images) if (image.split) byId.set(image.id, image.split);
  return (id) => byId.get(id);
}

export interface RecordSplits {
  origin: SplitOrigin;
  /** per record, in record order */
  splits: readonly (Split | undefined)[];
  counts: Record<Split, number>;
  /** how many records came with a split (0: a split can only be made here) */
  givenCount: number;
  /** the made split's seed and fractions (recorded with a trained adapter and in reports) */
  seed: number;
  fractions: SplitFractions;
}

/** Fractions a user typed: each must be a number ≥ 0 and they must not all be 0 (else the defaults). */
export function usableFractions(fractions: SplitFractions): SplitFractions {
  const { train, val, test } = fractions;
  const ok = [train, val, test].every((f) => Number.isFinite(f) && f >= 0) && train + val + test > 0;
  return ok ? fractions : { ...DEFAULT_SPLIT_FRACTIONS };
}

/** The records' splits under these settings (pure; `given` from givenSplits). */
export function recordSplits(
  records: readonly ImageRecord[],
  given: readonly (Split | undefined)[],
  settings: SplitSettings,
): RecordSplits {
  const givenCount = given.filter((split) => split !== undefined).length;
  const origin = settings.origin ?? (givenCount === records.length && givenCount > 0 ? 'given' : 'made');
  const fractions = usableFractions(settings.fractions);
  const splits = origin === 'given' ? given : stratifiedSplit(records, settings.seed, fractions);
  return { origin, splits, counts: countSplits(splits), givenCount, seed: settings.seed, fractions };
}

const splitCache = new WeakMap<readonly ImageRecord[], { key: string; value: RecordSplits }>();

/** recordSplits with the store's settings and the dataset's splits, memoised per record list and settings. */
export function currentSplits(
  records: readonly ImageRecord[],
  settings: SplitSettings = useSplits.getState(),
): RecordSplits {
  const key = JSON.stringify([settings.origin, settings.seed, settings.fractions, useDataset.getState().images.length]);
  const known = splitCache.get(records);
  if (known?.key === key) return known.value;
  const value = recordSplits(records, givenSplits(records), settings);
  splitCache.set(records, { key, value });
  return value;
}
