/*
 * The app's service worker, registered by index.html on every secure origin. Two jobs:
 * 1. Offline second visits: the page, its hashed assets, ORT's WASM and the worker chunk are kept in Cache Storage
 *    (network first, so a new deploy shows at once; the cache answers only when the network does not). Hub model
 *    files are cached by transformers.js itself, so a model used once loads offline too.
 * 2. Cross-origin isolation for hosts that cannot send COOP/COEP headers (e.g. GitHub Pages): every same-origin
 *    response is re-served with COOP/COEP/CORP, and a page that is not yet isolated reloads once, so
 *    onnxruntime-web can run multithreaded. On hosts that send the headers (vite dev/preview, public/_headers)
 *    there is no reload. Cross-origin responses (the model hub) pass through unchanged: with COEP require-corp
 *    they must send CORS/CORP headers themselves, which the Hugging Face hub does.
 * It is a classic script at the app root (not bundled) so that its scope covers the whole app.
 * Tested by e2e/runtime-coi.spec.ts (header-less server; offline reload with headers).
 */
/* eslint-disable no-restricted-globals */
if (typeof window === 'undefined') {
  // App shell for offline second visits: the page, its hashed assets and ORT's WASM. Network first, so a
  // deploy is picked up at once; the cache only answers when the network does not. Model weights are not
  // kept here (transformers.js keeps hub models in its own Cache Storage; models/ folders can be huge).
  const SHELL_CACHE = 'sage-app-shell-v1';
  const scope = new URL(self.registration.scope);
  const isShell = (url, request) =>
    request.mode === 'navigate' ||
    url.pathname === scope.pathname ||
    url.pathname.startsWith(`${scope.pathname}assets/`) ||
    url.pathname.startsWith(`${scope.pathname}ort/`) ||
    url.pathname === `${scope.pathname}favicon.svg`;
  const withIsolation = (response) => {
    if (response.status === 0) return response;
    const headers = new Headers(response.headers);
    headers.set('Cross-Origin-Opener-Policy', 'same-origin');
    headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
    headers.set('Cross-Origin-Resource-Policy', 'same-origin');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
  // the page and the files it names were fetched before this worker existed: cache them now
  const precache = async () => {
    const cache = await caches.open(SHELL_CACHE);
    const page = await fetch(scope.href, { cache: 'no-cache' });
    if (!page.ok) return;
    const html = await page.clone().text();
    await cache.put(scope.href, page);
    const named = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => new URL(m[1], scope.href));
    await Promise.all(
      named
        .filter((url) => url.origin === scope.origin)
        .map((url) =>
          fetch(url.href)
            .then((response) => (response.ok ? cache.put(url.href, response) : undefined))
            .catch(() => undefined),
        ),
    );
  };
  self.addEventListener('install', (event) =>
    event.waitUntil(
      precache()
        .catch(() => undefined)
        .then(() => self.skipWaiting()),
    ),
  );
  self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
  self.addEventListener('fetch', (event) => {
    const request = event.request;
    if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
    const url = new URL(request.url);
    if (url.origin !== self.location.origin) return;
    const shell = request.method === 'GET' && isShell(url, request);
    event.respondWith(
      fetch(request).then(
        (response) => {
          if (shell && response.ok) {
            const copy = response.clone();
            // navigations are stored under the app's root, whatever query or hash they carried
            event.waitUntil(
              caches
                .open(SHELL_CACHE)
                .then((cache) => cache.put(request.mode === 'navigate' ? scope.href : request, copy)),
            );
          }
          return withIsolation(response);
        },
        async (error) => {
          if (!shell) throw error;
          const cached = await caches.match(request.mode === 'navigate' ? scope.href : request, {
            ignoreSearch: request.mode === 'navigate',
            ignoreVary: true,
          });
          if (!cached) throw error;
          return withIsolation(cached);
        },
      ),
    );
  });
} else if (window.isSecureContext && 'serviceWorker' in navigator) {
  const script = document.currentScript && document.currentScript.src;
  const reloadedKey = 'sage-coi-reloaded';
  navigator.serviceWorker.register(script).then((registration) => {
    // already isolated (the host sends the headers): the worker is only there for offline visits
    if (window.crossOriginIsolated) return;
    // reload once so the page is served by the worker; never loop if isolation still fails
    if (sessionStorage.getItem(reloadedKey)) return;
    const reload = () => {
      sessionStorage.setItem(reloadedKey, '1');
      window.location.reload();
    };
    if (registration.active && !navigator.serviceWorker.controller) reload();
    else navigator.serviceWorker.addEventListener('controllerchange', reload, { once: true });
  });
}
