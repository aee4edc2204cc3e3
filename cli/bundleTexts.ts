/**
 * The text side of a bundle, as `embed` writes it: every template × class prompt (template-major), one group
 * prompt per (class, attribute), and the attribute phrasings the SPEC §7 methods need with their default
 * settings (a text already embedded is not stored twice). Shared by `embed` and by `import --model`.
 */
import { DEFAULT_PHRASINGS, type GroupPrompt, attributePhrases, buildGroupPrompts, buildPrompts } from '../src/core';
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
  const prompts = buildPrompts(templates, classes);
  const groupTexts = attributes.length > 0 ? buildGroupPrompts(groupPattern, classes, attributes) : [];
  const stored = new Set([...prompts, ...groupTexts.map((g) => g.prompt)]);
  const phraseTexts = [...new Set(attributes.flatMap((a) => attributePhrases(DEFAULT_PHRASINGS, a)))].filter(
    (phrase) => !stored.has(phrase),
  );
  const { embeddings, truncated } = await embedder.embedTexts(
    [...prompts, ...groupTexts.map((g) => g.prompt), ...phraseTexts],
    TEXT_BATCH,
  );
  const row = (r: number) => embeddings.slice(r * dim, (r + 1) * dim);
  const phraseStart = prompts.length + groupTexts.length;
  return {
    text: embeddings.slice(0, prompts.length * dim),
    groupPrompts: groupTexts.map((g, i) => ({ ...g, embedding: row(prompts.length + i) })),
    prompts: phraseTexts.map((phrase, i) => ({ text: phrase, embedding: row(phraseStart + i) })),
    truncationWarning: promptTruncationWarning(truncated),
  };
}
