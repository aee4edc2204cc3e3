import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useDataset } from '../../state/dataset';
import { resultsInputOf } from '../../state/derive/resultsInput';
import { compareAll, type MethodComparison, type ResultsInput } from '../../state/derive/views';
import { useMethodSettings } from '../../state/methodSettings';
import { DEFAULT_VIEW, useResults, type ViewParams } from '../../state/results';

/** The analysis-facing slice of the results store, as one memoised input for the derived views. */
export function useResultsInput(): ResultsInput | null {
  const { analysis, classes, templates, dim, groupPrompts, prompts, attributeWords } = useResults(
    useShallow((s) => ({
      analysis: s.analysis,
      classes: s.classes,
      templates: s.templates,
      dim: s.dim,
      groupPrompts: s.groupPrompts,
      prompts: s.prompts,
      attributeWords: s.attributeWords,
    })),
  );
  const { phrasings, acceptPairs, lambda } = useMethodSettings(
    useShallow((s) => ({ phrasings: s.phrasings, acceptPairs: s.acceptPairs, lambda: s.lambda })),
  );
  const groupPromptPattern = useDataset((s) => s.groupPromptPattern);
  const methodSettings = useMemo(
    () => ({ phrasings, acceptPairs, lambda, groupPromptPattern }),
    [phrasings, acceptPairs, lambda, groupPromptPattern],
  );
  return useMemo(() => {
    if (!analysis) return null;
    // records and embeddings grow with every batch: read them when the analysis is rebuilt, not on every batch
    const { records, embeddings } = useResults.getState();
    const parts = { analysis, records, embeddings, classes, templates, dim, groupPrompts, prompts, attributeWords };
    return resultsInputOf(parts, methodSettings);
  }, [analysis, classes, templates, dim, groupPrompts, prompts, attributeWords, methodSettings]);
}

/**
 * Every method's row for the view. Choosing another method changes no row, so the rows (and every view
 * memoised on them) stay the same objects; a K change recomputes SAGE and random only (compareAll's caches).
 */
export function useMethodComparison(input: ResultsInput | null, view: ViewParams): MethodComparison {
  const { k, seed, aggregate, zeroshotTemplate } = view;
  return useMemo(
    () => (input ? compareAll(input, { ...DEFAULT_VIEW, k, seed, aggregate, zeroshotTemplate }) : NO_ROWS),
    [input, k, seed, aggregate, zeroshotTemplate],
  );
}

const NO_ROWS: MethodComparison = { rows: [], unavailable: [] };
