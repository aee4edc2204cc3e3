/** Opening a dropped sage-embeddings/1 bundle file: parse it (core) and show it in the results view. */
import { parseBundle } from '../core';
import { errorMessage } from '../core/errors';
import { openBundle } from './results';

export type OpenBundleOutcome = { ok: true; images: number } | { ok: false; error: string };

/** `name` labels the results and prefixes the error, e.g. "run.json: images[3].embedding: …". */
export function openBundleText(text: string, name: string): OpenBundleOutcome {
  try {
    const bundle = parseBundle(text);
    openBundle(bundle, { kind: 'bundle', label: name });
    return { ok: true, images: bundle.images.length };
  } catch (error) {
    return { ok: false, error: `${name}: ${errorMessage(error)}` };
  }
}
