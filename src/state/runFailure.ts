/**
 * A failed run in users' words (issue 13 §3): a short headline saying what happened, what to do, whether Retry
 * can help, and the technical message (file, URL, attempts) kept for "Details". Worded from the worker's
 * message and the model the user chose, so the worker protocol stays a plain string.
 */

export interface RunFailure {
  /** one or two short sentences: what went wrong, in words */
  headline: string;
  /** what the user can do, or '' */
  advice: string;
  /** the technical message, shown on demand; null when the headline already says all of it */
  details: string | null;
  /** a download that may work when tried again (network, server busy) */
  retry: boolean;
}

/** transformers.js and the fetch wrappers word a missing file in several ways; an HTML page served in place of
 * a JSON file (a static server's index.html fallback) means missing too */
const MISSING =
  /\b404\b|could not locate file|not found|no such file|unexpected token '<'|<!doctype|is not valid json|not among the dropped files/i;
const NETWORK =
  /failed after \d+ attempts|broke off|failed to fetch|fetch failed|networkerror|network error|err_internet|err_connection|\b(408|425|429|500|502|503|504)\b|timed? ?out/i;

/** "could not load model file onnx/text_model.onnx from …" → "onnx/text_model.onnx" */
function fileIn(raw: string): string | null {
  return /could not load model file (\S+) from /.exec(raw)?.[1] ?? null;
}

function modelWords(model: string): { kind: 'hub' | 'local' | 'files'; name: string } {
  if (model.startsWith('local:')) return { kind: 'local', name: model.slice('local:'.length) };
  if (model.startsWith('files:')) return { kind: 'files', name: model.slice('files:'.length) };
  return { kind: 'hub', name: model };
}

/** `raw`: the run's error message; `model`: the model setting the run used (hub id, local:<name>, files:<name>). */
export function describeRunFailure(raw: string, model: string): RunFailure {
  const isModelLoad = /^could not load model\b/i.test(raw);
  if (!isModelLoad) {
    // input problems and other failures are already sentences (see runInputProblems); keep them whole
    return { headline: raw, advice: '', details: null, retry: false };
  }
  const { kind, name } = modelWords(model);
  const file = fileIn(raw);
  const details = raw;
  if (kind === 'local' && MISSING.test(raw)) {
    return {
      headline: `No model named "${name}" at models/${name}/.`,
      advice:
        'Check the name: it is the folder under models/ next to this app. Or choose another model, or drop a model folder onto the page.',
      details,
      retry: false,
    };
  }
  if (kind === 'files' && MISSING.test(raw)) {
    return {
      headline: `The model folder "${name}" has no ${file ?? 'file the model needs'}.`,
      advice: 'Drop the whole model folder (config.json, the tokenizer files and the onnx folder) again.',
      details,
      retry: false,
    };
  }
  if (NETWORK.test(raw)) {
    return {
      headline: `Could not download the model ${name}: the connection broke off or the server did not answer.`,
      advice:
        'Check the internet connection and press Retry. To work offline, drop a model folder onto the page instead.',
      details,
      retry: true,
    };
  }
  if (kind === 'hub' && MISSING.test(raw)) {
    return {
      headline: `The model server has no ${file ?? 'file'} for "${name}".`,
      advice: 'Check the model name (owner/name), or choose another model.',
      details,
      retry: false,
    };
  }
  return {
    headline: `The model ${name} could not be loaded.`,
    advice: 'Press Retry; if it fails again, choose another model or precision.',
    details,
    retry: true,
  };
}
