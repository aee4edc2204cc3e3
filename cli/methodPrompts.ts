/**
 * The texts the SPEC §7 methods need (attribute phrasings, accept phrases, group prompts) when the bundle lacks
 * them: encoded with `--model` if given, else a message that names them and says how to get them.
 */
import {
  type Dtype,
  type EmbeddingBundle,
  type MethodConfig,
  type PromptLookup,
  missingPrompts,
  quoteTexts,
} from '../src/core';
import { ModelLoadError } from '../src/model/clipRuntime';
import { loadClipNode } from '../src/model/nodeClip';
import { CliInputError } from './command';

const TEXT_BATCH = 64;

/** The texts any of `configs` needs that the bundle does not hold, in first-needed order. */
export function missingTexts(bundle: EmbeddingBundle, configs: readonly MethodConfig[]): string[] {
  return [...new Set(configs.flatMap((config) => missingPrompts(bundle, config)))];
}

/** One line: which texts are missing for which method, and the two ways to get them. */
export function missingPromptsMessage(method: string, missing: readonly string[]): string {
  return (
    `${method} needs the text embedding of ${quoteTexts(missing)}, which the bundle does not have: re-run ` +
    '`sage-explorer embed` (it stores the default phrasings and group prompts), or pass --model <the model that ' +
    'made the bundle> to encode them now'
  );
}

/** The precision `embed` recorded in the bundle (meta.dtype), if it is one the runtime knows. */
function bundleDtype(bundle: EmbeddingBundle): Dtype | undefined {
  const dtype = bundle.meta?.dtype;
  return dtype === 'fp32' || dtype === 'fp16' || dtype === 'q8' ? dtype : undefined;
}

/**
 * Encodes `texts` with `model` — at the precision recorded in the bundle, so the new texts match the stored
 * ones — and returns them as a lookup; progress and problems go to stderr. Null when the model cannot be loaded
 * (said on stderr: the command exits 1, as embed does). The model's embedding size must match the bundle's
 * (exit 2 otherwise); a different model of the same size cannot be told apart here.
 */
export async function encodeTexts(
  bundle: EmbeddingBundle,
  texts: readonly string[],
  model: string,
  command: string,
): Promise<PromptLookup | null> {
  let loaded: Awaited<ReturnType<typeof loadClipNode>>;
  try {
    loaded = await loadClipNode(model, { dtype: bundleDtype(bundle) });
  } catch (error) {
    if (!(error instanceof ModelLoadError)) throw error;
    process.stderr.write(`${command}: ${error.message}\n`);
    return null;
  }
  const { embedder, dim, runtime } = loaded;
  try {
    if (dim !== bundle.dim) {
      throw new CliInputError(
        `--model ${model} gives ${dim}-number embeddings but the bundle's have ${bundle.dim}: use the model that made the bundle (${bundle.model})`,
      );
    }
    const { embeddings } = await embedder.embedTexts(texts, TEXT_BATCH);
    const byText = new Map(texts.map((text, i) => [text, embeddings.slice(i * dim, (i + 1) * dim)]));
    process.stderr.write(
      `encoded ${texts.length} missing prompt${texts.length === 1 ? '' : 's'} with ${runtime.modelId} (${runtime.dtype})\n`,
    );
    return (text) => byText.get(text);
  } finally {
    await embedder.dispose();
  }
}

/**
 * The text embeddings `configs` need beyond the bundle: none (undefined), encoded with `model` now, or a
 * CliInputError naming them when there is no model. Null when the model cannot be loaded (said on stderr).
 */
export async function promptsForMethods(
  bundle: EmbeddingBundle,
  configs: readonly MethodConfig[],
  who: string,
  model: string | undefined,
  command: string,
): Promise<PromptLookup | undefined | null> {
  const missing = missingTexts(bundle, configs);
  if (missing.length === 0) return undefined;
  if (model === undefined) throw new CliInputError(`--method ${missingPromptsMessage(who, missing)}`);
  return encodeTexts(bundle, missing, model, command);
}
