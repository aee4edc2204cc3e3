/**
 * The id a model's embeddings are cached under ("owner/name", "local:<name>", "files:<name>", "path:<abs>"),
 * without transformers.js: the page asks the cache with it before any worker exists (issue 16 §3).
 * modelSource.ts gives the same ids when it configures a load.
 */
import type { ModelLocation } from './modelSource';

const HUB_ID = /^[\w.-]+\/[\w.-]+$/;
export const FOLDER_NAME = /^[\w.-]{1,96}$/;

/** The cache id of `location`, or an error sentence naming what is wrong with it. */
export function modelIdOf(location: ModelLocation): { ok: true; modelId: string } | { ok: false; error: string } {
  switch (location.kind) {
    case 'hub':
      return HUB_ID.test(location.id)
        ? { ok: true, modelId: location.id }
        : { ok: false, error: `model id: expected "owner/name", got ${JSON.stringify(location.id)}` };
    case 'local':
    case 'files':
      return FOLDER_NAME.test(location.name)
        ? { ok: true, modelId: `${location.kind}:${location.name}` }
        : { ok: false, error: `model folder: expected a plain folder name, got ${JSON.stringify(location.name)}` };
    case 'path':
      return { ok: true, modelId: `path:${location.path}` };
  }
}
