import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ImageRecord } from '../../core';
import { currentSplits, useSplits, type RecordSplits } from '../../state/splits';

/** The records' splits under the store's settings (re-derived when the settings or records change). */
export function useRecordSplits(records: readonly ImageRecord[]): RecordSplits {
  const settings = useSplits(useShallow((s) => ({ origin: s.origin, seed: s.seed, fractions: s.fractions })));
  return useMemo(() => currentSplits(records, settings), [records, settings]);
}

/** "120 train · 48 validation · 72 test" */
export function splitSizesText(counts: { train: number; val: number; test: number }): string {
  return `${counts.train} train · ${counts.val} validation · ${counts.test} test`;
}

/**
 * Where the train / validation / test split comes from: the splits the images came with (folders, a manifest
 * column or the bundle), or a seeded split stratified per group made here (seed and fractions editable).
 */
export function SplitControls({ records }: { records: readonly ImageRecord[] }) {
  const { setOrigin, setSeed, setFractions } = useSplits(
    useShallow((s) => ({ setOrigin: s.setOrigin, setSeed: s.setSeed, setFractions: s.setFractions })),
  );
  const fractions = useSplits((s) => s.fractions);
  const seed = useSplits((s) => s.seed);
  const split = useRecordSplits(records);
  const noneGiven = split.givenCount === 0;
  return (
    <fieldset className="split-controls" data-testid="split-controls">
      <legend>Train / validation / test split</legend>
      <label className="choice">
        <input
          type="radio"
          name="split-origin"
          value="given"
          checked={split.origin === 'given'}
          disabled={noneGiven}
          onChange={() => setOrigin('given')}
        />
        <span>
          the splits the images came with{' '}
          <span className="muted">
            {noneGiven
              ? '(none: no train/val/test folders, split column or bundle splits)'
              : `(${split.givenCount} of ${records.length} images have one)`}
          </span>
        </span>
      </label>
      <label className="choice">
        <input
          type="radio"
          name="split-origin"
          value="made"
          checked={split.origin === 'made'}
          onChange={() => setOrigin('made')}
          data-testid="split-made"
        />
        <span>a split made here, the same fractions in every class × attribute group</span>
      </label>
      {split.origin === 'made' && (
        <div className="field-row split-fields">
          <div className="field">
            <label htmlFor="split-seed">split seed</label>
            <input
              id="split-seed"
              type="number"
              step={1}
              value={seed}
              onChange={(e) => setSeed(Number(e.target.value))}
            />
          </div>
          {(['train', 'val', 'test'] as const).map((part) => (
            <div className="field" key={part}>
              <label htmlFor={`split-${part}`}>{part === 'val' ? 'validation' : part} %</label>
              <input
                id={`split-${part}`}
                type="number"
                min={0}
                max={100}
                step={5}
                value={Math.round(fractions[part] * 100)}
                onChange={(e) => setFractions({ [part]: Math.max(0, Number(e.target.value) || 0) / 100 })}
              />
            </div>
          ))}
        </div>
      )}
      <p className="split-sizes" data-testid="split-sizes">
        {splitSizesText(split.counts)}
        {split.origin === 'made' ? ` (seed ${split.seed})` : ''}
      </p>
    </fieldset>
  );
}
