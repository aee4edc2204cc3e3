/*
 * Cross-origin isolation, as a fallback, for hosts that cannot send COOP/COEP headers (e.g. GitHub Pages).
 *
 * index.html loads it as its first script (a classic script, not bundled: it must stay a separate file at the
 * app root so the worker's scope covers the app). Deployers need do nothing: on a host that sends the headers
 * (vite dev/preview, public/_headers) the page is already isolated and nothing is registered.
 * Checked by e2e/runtime-coi.spec.ts against a header-less static server.
 * In the page, this file registers itself as a service worker scoped to the app and reloads once, when the
 * page is not yet cross-origin isolated. As the service worker, it re-serves every same-origin response
 * with COOP/COEP/CORP headers, so the next load is isolated and onnxruntime-web can run multithreaded.
 * Cross-origin responses (e.g. the model hub) are passed through unchanged: with COEP require-corp they must
 * already send CORP/CORS headers, which the Hugging Face hub does (CORS).
 * Nothing is cached here; Cache Storage for models is managed by transformers.js.
 */
/* eslint-disable no-restricted-globals */
if (typeof window === 'undefined') {
  self.addEventListener('install', () => self.skipWaiting());
  self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
  self.addEventListener('fetch', (event) => {
    const request = event.request;
    if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
    if (new URL(request.url).origin !== self.location.origin) return;
    event.respondWith(
      fetch(request).then((response) => {
        if (response.status === 0) return response;
        const headers = new Headers(response.headers);
        headers.set('Cross-Origin-Opener-Policy', 'same-origin');
        headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
        headers.set('Cross-Origin-Resource-Policy', 'same-origin');
        return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
      }),
    );
  });
} else if (!window.crossOriginIsolated && window.isSecureContext && 'serviceWorker' in navigator) {
  const script = document.currentScript && document.currentScript.src;
  const reloadedKey = 'sage-coi-reloaded';
  navigator.serviceWorker.register(script).then((registration) => {
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
