import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { compareMethods, type MethodRow, type ResultsInput } from '../../state/derive/views';
import { useResults, type ViewParams } from '../../state/results';

/** The analysis-facing slice of the results store, as one memoised input for the derived views. */
export function useResultsInput(): ResultsInput | null {
  const { analysis, records, classes, templates, embeddings, dim, groupPrompts } = useResults(
    useShallow((s) => ({
      analysis: s.analysis,
      records: s.records,
      classes: s.classes,
      templates: s.templates,
      embeddings: s.embeddings,
      dim: s.dim,
      groupPrompts: s.groupPrompts,
    })),
  );
  return useMemo(() => {
    if (!analysis) return null;
    return { analysis, records: records.slice(0, analysis.n), classes, templates, embeddings, dim, groupPrompts };
    // records/embeddings grow with every batch; the analysis object changes only when rebuilt
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [analysis, classes, templates, dim, groupPrompts]);
}

export function useMethodRows(input: ResultsInput | null, view: ViewParams): MethodRow[] {
  return useMemo(() => (input ? compareMethods(input, view) : []), [input, view]);
}
