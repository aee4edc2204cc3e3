/**
 * The text side of a bundle, as `embed` writes it: every template × class prompt (template-major), one group
 * prompt per (class, attribute), and the attribute phrasings the SPEC §7 methods need with their default
 * settings (a text already embedded is not stored twice). Shared by `embed` and by `import --model`.
 */
import type { GroupPrompt } from '../src/core';
import { bundleTextList, textSideFromEmbeddings } from '../src/core/importIndex';
import type { ClipEmbedder } from '../src/model/embedder';
import { promptTruncationWarning } from '../src/model/clipTokenizer';
import { modelLocationFromArg } from '../src/model/nodeClip';
import { basename } from 'node:path';

const TEXT_BATCH = 64;

/** The bundle's model name: the hub id, or "local:<folder name>" (what the app calls a served models/<name>/). */
export function bundleModelName(model: string): string {
  const location = modelLocationFromArg(model);
  return location.kind === 'path' ? `local:${basename(location.path)}` : model;
}

export interface BundleTexts {
  /** templates × classes rows, template-major */
  text: Float32Array;
  groupPrompts: GroupPrompt[];
  prompts: { text: string; embedding: Float32Array }[];
  /** a sentence when prompts were longer than CLIP reads, else null */
  truncationWarning: string | null;
}

export async function embedBundleTexts(
  embedder: Pick<ClipEmbedder, 'embedTexts'>,
  dim: number,
  templates: readonly string[],
  classes: readonly string[],
  attributes: readonly string[],
  groupPattern: string,
): Promise<BundleTexts> {
  const list = bundleTextList(templates, classes, attributes, groupPattern);
  const { embeddings, truncated } = await embedder.embedTexts(
    [...list.prompts, ...list.groupTexts.map((g) => g.prompt), ...list.phraseTexts],
    TEXT_BATCH,
  );
  const side = textSideFromEmbeddings(list, [...templates], embeddings, dim);
  return {
    text: side.text,
    groupPrompts: side.groupPrompts ?? [],
    prompts: side.prompts ?? [],
    truncationWarning: promptTruncationWarning(truncated),
  };
}
