/** The input every results view derives from, built from the results store's parts (views, run capture, tests). */
import type { ResultsState } from '../results';
import type { AttributeMethodSettings } from '../methodSettings';
import type { ResultsInput } from './views';

/** The results store's parts the comparison table's input is built from. */
export type ResultsParts = Pick<
  ResultsState,
  | 'analysis'
  | 'records'
  | 'embeddings'
  | 'classes'
  | 'templates'
  | 'dim'
  | 'groupPrompts'
  | 'prompts'
  | 'attributeWords'
>;

/** The analysed records, their distinct attributes sorted, and the attribute word each stands for. */
export function resultsInputOf(
  state: ResultsParts,
  methodSettings: AttributeMethodSettings & { groupPromptPattern: string },
): ResultsInput | null {
  const { analysis } = state;
  if (!analysis) return null;
  const records = state.records.slice(0, analysis.n);
  const attributeKeys = [...new Set(records.map((r) => r.attribute))].filter((a) => a !== '').sort();
  return {
    analysis,
    records,
    classes: state.classes,
    templates: state.templates,
    embeddings: state.embeddings,
    dim: state.dim,
    groupPrompts: state.groupPrompts,
    prompts: state.prompts,
    attributeKeys,
    // in a run the records carry folder names; a bundle's attributes are the words themselves
    attributeWords: attributeKeys.map((key) => state.attributeWords[key] ?? key),
    methodSettings,
  };
}
