/** Issue 15: a report with a trained adapter reopens with the adapter, its split settings and its test split. */
import { describe, expect, it } from 'vitest';
import { stringifyReport } from '../../share/reportBuild';
import { trainedReport } from '../../share/trainedReport.fixture';
import { useResults } from '../../state/results';
import { currentSplits, useSplits } from '../../state/splits';
import { trainedForResults, useTraining } from '../../state/training';
import { openReportText } from './openReport';

describe('opening a report with a trained adapter', () => {
  it('restores the adapter for the reopened results on the split it was trained on', () => {
    const { report, training } = trainedReport(2);
    const { adapter } = training;
    const splits = training.split.images;
    const outcome = openReportText(stringifyReport(report), 'trained.json');
    if (!outcome.ok) throw new Error(outcome.error);
    const run = trainedForResults(useTraining.getState(), useResults.getState().text);
    expect(run?.adapter.bestEpoch).toBe(adapter.bestEpoch);
    expect(Array.from(run?.adapter.W_t ?? [])).toEqual(Array.from(adapter.W_t));
    expect(useSplits.getState()).toMatchObject({ origin: 'made', seed: 4, scope: 'test' });
    const records = useResults.getState().records;
    expect(currentSplits(records).splits).toEqual(splits);
    expect(records.every((r, i) => run?.split.byId.get(r.id) === splits[i])).toBe(true);
  });
});
