/**
 * Where model files come from, and how transformers.js' global `env` is set for each source.
 *
 * - hub: `env.remoteHost` (huggingface.co), cached in Cache Storage by transformers.js (useBrowserCache).
 * - local: the app's `models/<name>/` folder (the Vite plugin serves the repo's models/ there in dev and
 *   preview; deployers copy `models/<name>` next to the built app). Resolved against the app's base URL.
 * - files: a model folder the user dropped or picked; `env.fetch` answers requests under a private
 *   prefix from the File objects, so transformers.js reads them like a local folder.
 * - path (Node only): a model folder on disk.
 */
import { env } from '@huggingface/transformers';
import type { ModelSource } from '../core/modelCatalog';
import { modelIdOf } from './modelId';
import { retryingFetch } from './retryingFetch';

export type ModelLocation = ModelSource | { kind: 'path'; path: string };

/**
 * Path prefix under which dropped files are served to transformers.js (answered by env.fetch, never the
 * network). A path, not a URL: transformers.js skips its local-file checks for http(s) local paths.
 */
const DROPPED_PREFIX = '/__sage_dropped_model__/';

const defaultFetch = env.fetch;
/** Hub and served-folder downloads: retried and resumed when they break off, never handed on half-read. */
const downloadFetch = retryingFetch(defaultFetch);

/** What a served folder answered during the current load: files it did not have, and how many it had. */
export interface ServedFolderRecord {
  missing: string[];
  found: number;
}

const servedFolder: ServedFolderRecord = { missing: [], found: 0 };

/**
 * A static server (Vite's dev and preview servers, most hosts' SPA fallback) answers a path that does not exist
 * with the app's index.html and status 200. For a model file that means "not found", not a page to parse as JSON
 * (which failed as `Unexpected token '<', "<!doctype "... is not valid JSON`): it becomes a 404, which
 * transformers.js reads as an absent file, and is recorded, so a failed load can say the folder is not there.
 */
export function servedFolderFetch(
  inner: typeof defaultFetch,
  record: ServedFolderRecord = servedFolder,
): typeof defaultFetch {
  return async (input, init) => {
    const response = await inner(input, init);
    const type = response.headers.get('content-type') ?? '';
    if (response.ok && /^text\/html\b/i.test(type)) {
      await response.body?.cancel().catch(() => undefined);
      const url = typeof input === 'string' ? input : input.href;
      record.missing.push(url.split('?')[0].split('/').pop() ?? url);
      return new Response(null, { status: 404, statusText: 'Not Found (the server sent a web page instead)' });
    }
    if (response.ok) record.found++;
    return response;
  };
}
const servedFetch = servedFolderFetch(downloadFetch);
let droppedFiles = new Map<string, Blob>();

function droppedFetch(input: string | URL, init?: RequestInit): Promise<Response> {
  const url = typeof input === 'string' ? input : input.href;
  if (!url.startsWith(DROPPED_PREFIX)) return defaultFetch(input, init);
  const file = droppedFiles.get(url.slice(DROPPED_PREFIX.length));
  if (!file) return Promise.resolve(new Response(null, { status: 404, statusText: 'not among the dropped files' }));
  return Promise.resolve(new Response(file, { status: 200, headers: { 'content-length': String(file.size) } }));
}

export interface ResolvedModel {
  /** what from_pretrained receives */
  ref: string;
  /** stable id for caches and RuntimeInfo: hub id, "local:<name>", "files:<name>", "path:<abs>" */
  modelId: string;
  /** where a given model file is fetched from, for error messages */
  urlOf(file: string): string;
}

/**
 * Sets transformers.js' env for `location` and returns the from_pretrained reference.
 * `appBaseUrl` (browser): absolute URL of the app root, so `models/` and `ort/` resolve from a worker.
 */
export function configureModelSource(location: ModelLocation, appBaseUrl?: string): ResolvedModel {
  const id = modelIdOf(location);
  if (!id.ok) throw new Error(id.error);
  const modelId = id.modelId;
  env.fetch = defaultFetch;
  servedFolder.missing = [];
  servedFolder.found = 0;
  switch (location.kind) {
    case 'hub': {
      env.allowRemoteModels = true;
      env.allowLocalModels = false;
      env.useBrowserCache = typeof caches !== 'undefined';
      env.fetch = downloadFetch;
      return {
        ref: location.id,
        modelId,
        urlOf: (file) => `${env.remoteHost}${location.id}/resolve/main/${file}`,
      };
    }
    case 'local': {
      const base = new URL('models/', appBaseUrl ?? globalThis.location?.href).href;
      env.allowRemoteModels = false;
      env.allowLocalModels = true;
      // an absolute path on the app's origin, not a URL: transformers.js only probes local files
      // (get_file_metadata) when localModelPath is not an http(s) URL
      env.localModelPath = new URL(base).pathname;
      // served by the app itself; caching it again in Cache Storage would only double the storage
      env.useBrowserCache = false;
      env.fetch = servedFetch;
      return {
        ref: location.name,
        modelId,
        urlOf: (file) => `${base}${location.name}/${file}`,
      };
    }
    case 'files': {
      droppedFiles = new Map(
        location.files.map((file) => [`${location.name}/${stripRoot(file.path)}`, new Blob([file.data])]),
      );
      env.allowRemoteModels = false;
      env.allowLocalModels = true;
      env.localModelPath = DROPPED_PREFIX;
      env.useBrowserCache = false; // two dropped folders may share a name: never serve a stale copy
      env.fetch = droppedFetch;
      return {
        ref: location.name,
        modelId,
        urlOf: (file) => `dropped file ${location.name}/${file}`,
      };
    }
    case 'path': {
      env.allowRemoteModels = false;
      env.allowLocalModels = true;
      return { ref: location.path, modelId, urlOf: (file) => `${location.path}/${file}` };
    }
  }
}

/** "clip/onnx/vision_model.onnx" → "onnx/vision_model.onnx" when the user dropped the folder itself. */
function stripRoot(path: string): string {
  const parts = path.split('/').filter((part) => part !== '');
  const known = parts.findIndex((part) => part === 'onnx' || /\.(json|txt)$/.test(part));
  return parts.slice(Math.max(0, known)).join('/');
}

/** Who reads the message: the app (choose a local folder / drop one) or the CLI (pass a folder to --model). */
export type FailureAudience = 'browser' | 'node';

/** A download error that says which file, from where, and what to do. */
export function downloadFailureMessage(
  file: string,
  url: string,
  cause: string,
  audience: FailureAudience = 'browser',
): string {
  const advice =
    audience === 'node'
      ? 'If you are offline or the hub is unreachable, copy the model as a local folder (transformers.js layout: ' +
        'config.json, tokenizer files, onnx/*.onnx) and pass its path to --model, or set HF_ENDPOINT to a reachable mirror.'
      : 'If you are offline or the hub is unreachable, put the model folder (config.json, the tokenizer files, ' +
        'onnx/) in models/<name>/ and choose "local folder", or drop the model folder onto the page.';
  // the fetch wrappers name the URL too ("download of <url> failed after 4 attempts"): say it once
  const said = cause.split(`download of ${url} `).join('download ');
  // a served folder that had none of the files asked for is not there at all (the error after it is a symptom)
  const absent =
    servedFolder.found === 0 && servedFolder.missing.length > 0
      ? `no such model folder: ${servedFolder.missing.join(', ')} not found (the server sent a web page instead); then: `
      : '';
  return `could not load model file ${file} from ${url}: ${absent}${said}. ${advice}`;
}

/**
 * Which file made a load fail: the one a hub URL in the error names, else the pending file the error names,
 * else the most recently started.
 * (transformers.js never reports "done" for optional files that are absent, so "first pending" can be wrong.)
 */
export function culpritFile(pending: readonly string[], cause: string): string | undefined {
  // a hub URL in the error names the file outright (size probes fail before any file is "pending")
  const hubUrl = /\/resolve\/[^/\s]+\/([^\s"'`]+)/.exec(cause);
  if (hubUrl) return decodeURIComponent(hubUrl[1].replace(/[.,;:)]+$/, ''));
  const named = pending.filter((file) => cause.includes(file));
  if (named.length > 0) return named.reduce((a, b) => (b.length > a.length ? b : a));
  return pending[pending.length - 1];
}
