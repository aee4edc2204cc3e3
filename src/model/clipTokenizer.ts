/**
 * CLIP prompt tokenization with CLIP's own truncation rule. transformers.js truncates after adding the special
 * tokens, so a prompt of more than 75 tokens kept ids 1–77 and lost its end token, while CLIP reads the text
 * embedding at the end token's position. Here a long prompt becomes BOS + its first 75 tokens + EOS, as OpenAI's
 * clip.tokenize(truncate=True) and Hugging Face's CLIPTokenizer(truncation=True) give.
 */
import type { PreTrainedTokenizer } from '@huggingface/transformers';

/** CLIP's text context: 77 positions, start and end tokens included. */
export const CLIP_CONTEXT_LENGTH = 77;

/** The part of a transformers.js tokenizer used here (tests pass the real one). */
export type PromptTokenizer = Pick<PreTrainedTokenizer, 'encode' | 'pad_token_id'>;

/** Token ids of one prompt with start and end tokens, cut to the context; `truncated` when it did not fit. */
export function promptTokenIds(tokenizer: PromptTokenizer, prompt: string): { ids: number[]; truncated: boolean } {
  const ids = tokenizer.encode(prompt);
  if (ids.length <= CLIP_CONTEXT_LENGTH) return { ids, truncated: false };
  // the encoder's last id is the end token: keep it, drop the tokens that do not fit before it
  return { ids: [...ids.slice(0, CLIP_CONTEXT_LENGTH - 1), ids[ids.length - 1]], truncated: true };
}

export interface TokenizedPrompts {
  /** rows × length token ids, row-major, padded at the end with the pad token */
  inputIds: BigInt64Array;
  /** 1 for a token, 0 for padding */
  attentionMask: BigInt64Array;
  rows: number;
  /** the longest prompt's token count (padding to the longest, as transformers.js' padding: true) */
  length: number;
  /** per prompt: it had more tokens than fit and was cut */
  truncated: boolean[];
}

export function tokenizePrompts(tokenizer: PromptTokenizer, prompts: readonly string[]): TokenizedPrompts {
  const encoded = prompts.map((prompt) => promptTokenIds(tokenizer, prompt));
  const length = encoded.reduce((longest, { ids }) => Math.max(longest, ids.length), 0);
  const inputIds = new BigInt64Array(prompts.length * length).fill(BigInt(tokenizer.pad_token_id));
  const attentionMask = new BigInt64Array(prompts.length * length);
  encoded.forEach(({ ids }, row) => {
    for (let i = 0; i < ids.length; i++) {
      inputIds[row * length + i] = BigInt(ids[i]);
      attentionMask[row * length + i] = 1n;
    }
  });
  return { inputIds, attentionMask, rows: prompts.length, length, truncated: encoded.map((e) => e.truncated) };
}

const LISTED_PROMPTS = 3;

/** The sentence the app and the CLI show when prompts were cut, or null when none was. */
export function promptTruncationWarning(truncated: readonly string[]): string | null {
  const unique = [...new Set(truncated)];
  if (unique.length === 0) return null;
  const listed = unique
    .slice(0, LISTED_PROMPTS)
    .map((prompt) => `"${prompt}"`)
    .join(', ');
  const more = unique.length > LISTED_PROMPTS ? ` and ${unique.length - LISTED_PROMPTS} more` : '';
  const were = unique.length === 1 ? 'was' : 'were';
  return (
    `${unique.length} prompt${unique.length === 1 ? '' : 's'} ${were} longer than CLIP's ${CLIP_CONTEXT_LENGTH}-token ` +
    `limit and ${were} cut: ${listed}${more}. ` +
    `CLIP sees only the first ${CLIP_CONTEXT_LENGTH - 2} tokens; shorten the class names, templates or group prompts.`
  );
}
