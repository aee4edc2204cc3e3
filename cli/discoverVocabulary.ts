/**
 * The vocabulary flags `discover` and `embed` share: `--vocab FILE|default` (the word list) and
 * `--vocab-prompts single|ensemble` (`a photo of a {word}.` or every template of the pool, averaged).
 */
import { readFileSync } from 'node:fs';
import {
  DEFAULT_VOCABULARY,
  VOCABULARY_TEMPLATE,
  dropClassWords,
  parseVocabulary,
  vocabularyPromptTexts,
} from '../src/core';
import type { ClipEmbedder } from '../src/model/embedder';
import { type ParsedArgs, choiceFlag } from './args';
import { CliInputError } from './command';

export const VOCABULARY_FLAGS = {
  vocab: { type: 'string' },
  'vocab-prompts': { type: 'string' },
} as const;

export const VOCABULARY_FLAGS_HELP = `  --vocab FILE|default  candidate attribute words: a file with one word per line and/or comma-separated
                        (trimmed, duplicates ignored), or "default" for the built-in list of ${DEFAULT_VOCABULARY.length} words
                        (scenes, colours, textures, lighting, objects, people)
  --vocab-prompts P     single: each word as "${VOCABULARY_TEMPLATE}" (default) | ensemble: each word in every
                        template of the bundle's pool, embeddings averaged (M times the texts to embed)`;

export interface VocabularyChoice {
  /** "default" or the file name */
  source: string;
  words: string[];
  mode: 'single' | 'ensemble';
}

/** The word list named by --vocab (the built-in list when absent or "default"). */
export function readVocabularyFlag(parsed: ParsedArgs): VocabularyChoice {
  const mode = choiceFlag(parsed, 'vocab-prompts', ['single', 'ensemble'] as const, 'single');
  const flag = parsed.values.vocab;
  if (typeof flag !== 'string' || flag === 'default')
    return { source: 'default', words: [...DEFAULT_VOCABULARY], mode };
  let text: string;
  try {
    text = readFileSync(flag, 'utf8');
  } catch {
    throw new CliInputError(`--vocab: cannot read the word list ${flag}`);
  }
  const words = parseVocabulary(text);
  if (words.length === 0) throw new CliInputError(`--vocab: ${flag} holds no words (one per line or comma-separated)`);
  return { source: flag, words, mode };
}

/** The templates the vocabulary's words are embedded with: B2T's one, or the whole pool. */
export function vocabularyTemplates(choice: VocabularyChoice, pool: readonly string[]): string[] {
  return choice.mode === 'single' ? [VOCABULARY_TEMPLATE] : [...pool];
}

const TEXT_BATCH = 64;

/**
 * `embed --vocab`: the vocabulary prompts (class words dropped) that `stored` does not hold yet, embedded, for the
 * bundle's `prompts`. Returns them with the texts CLIP had to cut.
 */
export async function embedVocabularyPrompts(
  embedder: Pick<ClipEmbedder, 'embedTexts'>,
  dim: number,
  choice: VocabularyChoice,
  classes: readonly string[],
  pool: readonly string[],
  stored: ReadonlySet<string>,
): Promise<{ prompts: { text: string; embedding: Float32Array }[]; truncated: string[] }> {
  const { kept } = dropClassWords(choice.words, classes);
  const texts = [...new Set(vocabularyPromptTexts(kept, vocabularyTemplates(choice, pool)))].filter(
    (text) => !stored.has(text),
  );
  if (texts.length === 0) return { prompts: [], truncated: [] };
  const { embeddings, truncated } = await embedder.embedTexts(texts, TEXT_BATCH);
  const prompts = texts.map((text, i) => ({ text, embedding: embeddings.slice(i * dim, (i + 1) * dim) }));
  return { prompts, truncated };
}
