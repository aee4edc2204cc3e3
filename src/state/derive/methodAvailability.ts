/**
 * Methods the comparison cannot even try on these results (issue 12 §8): group prompts and the SPEC §7 methods
 * without attribute words, group prompts a bundle does not carry. compareAll leaves them out; the table shows
 * each as a row that says why, in words a non-engineer can act on.
 */
import { METHOD_HOW_IT_WORKS, METHOD_IDS, METHOD_KNOWLEDGE, type MethodId } from '../../core';
import { METHOD_LABELS, type MethodComparison, type ResultsInput, type UnavailableMethod } from './views';

const SORT_INTO_FOLDERS = 'sort the images into class/attribute folders (e.g. landbird/water)';

/** Why `method` is absent from these results (it is neither a row nor an unavailable row of compareAll). */
type Knows = Pick<ResultsInput, 'attributeWords' | 'groupPrompts' | 'classes'>;

export function absenceReason(input: Knows, method: MethodId): string {
  if (input.attributeWords.length === 0) {
    return method === 'groupprompt'
      ? `Group prompts need attribute words, one prompt per class and attribute: ${SORT_INTO_FOLDERS} to compare them.`
      : `Needs attribute words (what the images' backgrounds or other features are): ${SORT_INTO_FOLDERS} to compare it.`;
  }
  if (method === 'groupprompt') {
    const covered = new Set(input.groupPrompts.map((p) => p.class));
    const without = input.classes.filter((c) => !covered.has(c));
    if (input.groupPrompts.length === 0 || without.length === input.classes.length) {
      return 'These results carry no group prompts (one prompt per class and attribute, e.g. ‘a photo of a landbird on water.’): run the images again in this app, or make the bundle with the CLI’s embed, which writes them.';
    }
    const named = without.map((c) => `‘${c}’`).join(', ');
    return `Group prompts need a prompt for every class, and these results have none for ${named}: run the images again to make them.`;
  }
  return 'Cannot run on these results.';
}

/**
 * The table's rows that cannot show numbers: compareAll's unavailable methods and every method it left out (with
 * the reason), in the table's method order.
 */
export function unavailableRows(input: Knows, comparison: MethodComparison): UnavailableMethod[] {
  const rows = new Set<MethodId>(comparison.rows.map((r) => r.method));
  const known = new Map(comparison.unavailable.map((u) => [u.method, u]));
  return METHOD_IDS.filter((method) => !rows.has(method)).map(
    (method) =>
      known.get(method) ?? {
        method,
        label: METHOD_LABELS[method],
        knowledge: METHOD_KNOWLEDGE[method],
        howItWorks: METHOD_HOW_IT_WORKS[method],
        reason: absenceReason(input, method),
        missing: [],
      },
  );
}
