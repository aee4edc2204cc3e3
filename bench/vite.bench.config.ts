/**
 * Vite config for the benchmark page (bench/page/), served from the repo root so /models/<name>/ and the
 * self-hosted /ort/ files resolve exactly as in the app. The model-serving + ORT-WASM-copy plugin and the
 * COOP/COEP headers are taken from the app's vite.config.ts, not re-implemented here.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type PluginOption, type UserConfig } from 'vite';
import appConfig from '../vite.config.ts';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const APP_RUNTIME_PLUGIN = 'sage-runtime';

function flattenPlugins(options: PluginOption[] | undefined): Plugin[] {
  const out: Plugin[] = [];
  const visit = (option: PluginOption): void => {
    if (Array.isArray(option)) option.forEach(visit);
    else if (option && typeof option === 'object' && 'name' in option) out.push(option as Plugin);
  };
  (options ?? []).forEach(visit);
  return out;
}

const app = appConfig as UserConfig;
const runtimePlugin = flattenPlugins(app.plugins).find((plugin) => plugin.name === APP_RUNTIME_PLUGIN);
if (!runtimePlugin)
  throw new Error(
    `bench: the app's vite.config.ts has no '${APP_RUNTIME_PLUGIN}' plugin (model serving + ORT WASM copy)`,
  );
const isolationHeaders = app.server?.headers;
if (!isolationHeaders?.['Cross-Origin-Embedder-Policy']) {
  throw new Error(
    "bench: the app's vite.config.ts sets no Cross-Origin-Embedder-Policy header; multithreaded WASM needs it",
  );
}

export default defineConfig({
  root,
  plugins: [runtimePlugin],
  server: { headers: isolationHeaders, host: '127.0.0.1', port: 5290, strictPort: false, hmr: false },
  worker: app.worker,
  // pre-bundle the worker's dependencies up front, so no dependency discovery reloads the page mid-run
  optimizeDeps: {
    ...app.optimizeDeps,
    entries: ['bench/page/index.html', 'src/worker/clipWorker.ts'],
  },
  logLevel: 'warn',
});
