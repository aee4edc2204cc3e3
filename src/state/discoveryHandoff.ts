/**
 * The hand-off (issue 14 §3, METHODS §5 step 5): a discovered word, or a set of words, becomes the attribute
 * every results view groups by ("inferred attribute"), from the presence tags or, for a contrast set, the closest
 * word. The images are not embedded again; the group prompts for the new groups are looked up, or read by the
 * loaded model when it can.
 */
import {
  type GroupPrompt,
  type GroupPromptText,
  type InferredAttribute,
  type PresenceTags,
  absencePattern,
  buildGroupPrompts,
  inferredAttributeByArgmax,
  inferredAttributeFromTags,
} from '../core';
import type { ResultsInput } from './derive/views';
import { promptLookup } from './derive/views';
import { useResults, type InferredAbout } from './results';
import { canEmbedPrompts, embedPrompts } from './run';

export type HandOffHow = InferredAbout['how'];

/** What the hand-off needs from the discovery: the vocabulary with its vectors and the tags computed on it. */
export interface HandOffSource {
  words: readonly string[];
  /** words.length × dim unit rows */
  embeddings: Float32Array;
  tags: PresenceTags;
}

/** The inferred label of every analysed image for `picked` words (vocabulary words). */
export function inferLabels(
  input: Pick<ResultsInput, 'embeddings' | 'dim' | 'analysis'>,
  source: HandOffSource,
  picked: readonly string[],
  how: HandOffHow,
): InferredAttribute {
  const indices = picked.map((word) => source.words.indexOf(word)).filter((i) => i >= 0);
  if (how === 'tags') return inferredAttributeFromTags(source.tags, source.words, indices);
  const { dim } = input;
  const contrast = new Float32Array(indices.length * dim);
  indices.forEach((w, j) => contrast.set(source.embeddings.subarray(w * dim, (w + 1) * dim), j * dim));
  const n = input.analysis.n;
  return inferredAttributeByArgmax(
    input.embeddings,
    n,
    dim,
    contrast,
    indices.map((w) => source.words[w]),
  );
}

/**
 * The group prompt texts for the inferred values, class-major. From tags, the second value ("not water", "other")
 * is the absence of the words: its prompt says so in the pattern's sentence ("a photo of a landbird without
 * water.") rather than filling the label in ("… on not water.").
 */
export function inferredGroupPromptTexts(
  pattern: string,
  classes: readonly string[],
  about: InferredAbout,
): GroupPromptText[] {
  if (about.how !== 'tags') return buildGroupPrompts(pattern, classes, about.values);
  const [present, absent] = about.values;
  const withoutWords = absencePattern(pattern, about.words);
  return classes.flatMap((cls) => [
    ...buildGroupPrompts(pattern, [cls], [present]),
    ...buildGroupPrompts(withoutWords, [cls], [absent]),
  ]);
}

/** Group prompts for the inferred values from the results' text lookup; the texts not held yet in `missing`. */
function inferredGroupPrompts(
  input: ResultsInput,
  about: InferredAbout,
): { groupPrompts: GroupPrompt[]; missing: string[] } {
  const lookup = promptLookup(input);
  const texts = inferredGroupPromptTexts(input.methodSettings.groupPromptPattern, input.classes, about);
  const groupPrompts: GroupPrompt[] = [];
  const missing: string[] = [];
  for (const t of texts) {
    const embedding = lookup(t.prompt);
    if (embedding) groupPrompts.push({ ...t, embedding });
    else missing.push(t.prompt);
  }
  return { groupPrompts: missing.length === 0 ? groupPrompts : [], missing };
}

/**
 * Makes `picked` the attribute of every results view. Returns a sentence for the user when the words cannot be
 * used (none picked, or a contrast of fewer than two words), else null.
 */
export async function handOff(
  input: ResultsInput,
  source: HandOffSource,
  picked: readonly string[],
  how: HandOffHow,
): Promise<string | null> {
  const words = picked.filter((w) => source.words.includes(w));
  if (words.length === 0) return 'Pick a word from the lists first.';
  if (how === 'argmax' && words.length < 2)
    return 'Grouping by the closest word needs at least two words (e.g. water and land): pick another one.';
  const inferred = inferLabels(input, source, words, how);
  const about: InferredAbout = { words: [...words], how, values: inferred.values };
  const { groupPrompts, missing } = inferredGroupPrompts(input, about);
  useResults.getState().inferAttributes(inferred.labels, about, groupPrompts);
  if (missing.length > 0 && canEmbedPrompts()) {
    await embedPrompts(missing);
    const after = useResults.getState();
    const current = after.inferred;
    if (!current || current.words.join('\u0000') !== about.words.join('\u0000') || current.how !== how) return null;
    const lookup = (text: string) => after.prompts.get(text);
    const texts = inferredGroupPromptTexts(input.methodSettings.groupPromptPattern, input.classes, about);
    const filled = texts.flatMap((t) => {
      const embedding = lookup(t.prompt);
      return embedding ? [{ ...t, embedding }] : [];
    });
    if (filled.length === texts.length) after.setInferredGroupPrompts(about, filled);
  }
  return null;
}

/** Back to the labels the images came with. */
export function restoreRealAttributes(): void {
  useResults.getState().restoreRealAttributes();
}
