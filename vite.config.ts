import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { copyOrtWasm } from './scripts/copy-ort-wasm.ts';
import { CONTENT_SECURITY_POLICY } from './src/ui/csp.ts';

const root = dirname(fileURLToPath(import.meta.url));
const modelsDir = join(root, 'models');

// Cross-origin isolation lets onnxruntime-web use SharedArrayBuffer, i.e. multithreaded WASM.
// The same headers ship for static hosts in public/_headers (and public/coi-serviceworker.js for hosts without headers).
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.onnx': 'application/octet-stream',
  '.onnx_data': 'application/octet-stream',
};

/** Serves the repo's models/<name>/… at <base>models/… (dev and preview). Built apps: copy models/<name> next to index.html. */
function serveModels(request: IncomingMessage, response: ServerResponse, next: () => void): void {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const marker = '/models/';
  const at = url.pathname.indexOf(marker);
  if (at < 0) return next();
  const relative = decodeURIComponent(url.pathname.slice(at + marker.length));
  const file = normalize(join(modelsDir, relative));
  if (!file.startsWith(modelsDir + sep) || !existsSync(file) || !statSync(file).isFile()) return next();
  const size = statSync(file).size;
  const extension = file.slice(file.lastIndexOf('.'));
  response.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
    'Content-Length': String(size),
    'Cache-Control': 'no-cache',
    ...isolationHeaders,
  });
  if (request.method === 'HEAD') return void response.end();
  createReadStream(file).pipe(response);
}

/** Self-hosted ORT WASM (public/ort/) and the models/ folder, for `npm ci && npm run dev` with no network. */
function sageRuntime(): Plugin {
  return {
    name: 'sage-runtime',
    config() {
      copyOrtWasm(root);
    },
    configureServer(server) {
      server.middlewares.use(serveModels);
    },
    configurePreviewServer(server) {
      server.middlewares.use(serveModels);
    },
  };
}

/** The built app's CSP as a <meta> (build only: dev needs React refresh's inline preamble). */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'sage-csp',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  base: './',
  plugins: [react(), sageRuntime(), contentSecurityPolicy()],
  server: { headers: isolationHeaders, port: 5173, strictPort: false },
  preview: { headers: isolationHeaders, port: 4173, strictPort: false },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      input: {
        main: resolve(root, 'index.html'),
        // runtime self-check page: loads a model in the worker and embeds images; used by e2e/runtime.spec.ts
        runtimeCheck: resolve(root, 'e2e/runtime-check.html'),
      },
    },
  },
});
