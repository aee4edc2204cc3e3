import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Split } from '../../core';
import { testSplitInput, trainedRow, untrainedRow } from '../../state/derive/trainedRow';
import type { MethodComparison, ResultsInput, UnavailableMethod } from '../../state/derive/views';
import { type ViewParams, useResults } from '../../state/results';
import { useSplits } from '../../state/splits';
import { trainedForResults, useTraining } from '../../state/training';
import { useMethodComparison } from '../results/useResultsInput';
import { useRecordSplits } from './SplitControls';

export interface TrainingScope {
  /** the input every view reads: all images, or the test split's images */
  input: ResultsInput | null;
  comparison: MethodComparison;
  /** rows the table adds after unavailableRows: the trained row when it cannot show numbers here */
  extraUnavailable: UnavailableMethod[];
  scope: 'all' | 'test';
  counts: Record<Split, number>;
}

const NO_COUNTS: Record<Split, number> = { train: 0, val: 0, test: 0 };

/**
 * The results as the table and views show them (issue 15): on all images, or (the test-split toggle) every
 * method on the test images only, with the trained adapter's row among them. The trained row is only ever
 * scored on the test split it was trained for, so on all images it is a row that says where to see it.
 */
export function useTrainingScope(full: ResultsInput | null, view: ViewParams): TrainingScope {
  const text = useResults((s) => s.text);
  const bundleParts = useResults(
    useShallow((s) => ({ dim: s.dim, classes: s.classes, templates: s.templates, text: s.text })),
  );
  const wanted = useSplits((s) => s.scope);
  const records = useMemo(() => full?.records ?? [], [full]);
  const split = useRecordSplits(records);
  const trained = useTraining((s) => trainedForResults(s, text));
  const testCount = split.counts.test;
  const scope = wanted === 'test' && full !== null && testCount > 0 ? 'test' : 'all';
  const testInput = useMemo(
    () => (full && testCount > 0 ? testSplitInput(full, text, split.splits) : null),
    [full, text, split.splits, testCount],
  );
  const input = scope === 'test' ? testInput : full;
  const base = useMethodComparison(input, view);
  const trainedResult = useMemo(() => {
    if (!full) return null;
    if (!trained) {
      return untrainedRow(
        'Not trained yet: train an adapter in the “Train an adapter” panel below; it is then scored on the test split.',
      );
    }
    const sameSplit = records.every((r, i) => trained.split.byId.get(r.id) === split.splits[i]);
    if (!sameSplit || !testInput) {
      return untrainedRow(
        'The split changed after training: go back to the split it was trained with, or train again on this one.',
      );
    }
    return trainedRow(testInput, trained.adapter, bundleParts);
  }, [full, trained, records, split.splits, testInput, bundleParts]);
  return useMemo(() => {
    const extraUnavailable: UnavailableMethod[] = [];
    let comparison = base;
    if (trainedResult && 'metrics' in trainedResult) {
      if (scope === 'test') comparison = { ...base, rows: [...base.rows, trainedResult] };
      else {
        const m = trainedResult.metrics;
        extraUnavailable.push(
          untrainedRow(
            `Scored on the test split only (${m.n} images): worst-group accuracy ${(100 * m.worstGroupAccuracy).toFixed(1)}%, accuracy ${(100 * m.accuracy).toFixed(1)}%. Switch on “every method on the test split” above to compare it row by row.`,
          ),
        );
      }
    } else if (trainedResult) extraUnavailable.push(trainedResult);
    return { input, comparison, extraUnavailable, scope, counts: full ? split.counts : NO_COUNTS };
  }, [base, trainedResult, scope, input, full, split.counts]);
}
