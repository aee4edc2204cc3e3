/**
 * The Content-Security-Policy of the built app (injected as a <meta> by vite.config.ts at build time only:
 * the dev server needs an inline React-refresh preamble that this policy would block).
 *
 * - scripts: only the app's own files; 'wasm-unsafe-eval' lets onnxruntime-web compile its WASM.
 * - connect: the app's origin (models/, examples/, #report=<url> on the same origin) and the Hugging Face
 *   hub and its file CDNs for hub models. Images and results are never sent anywhere.
 * - images: own files plus blob: (thumbnails of dropped files) and data: (report thumbnails).
 * - style-src 'unsafe-inline': React and recharts set style attributes; no inline <style> from user data.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self' blob: data: https://huggingface.co https://*.huggingface.co https://*.hf.co",
  "img-src 'self' blob: data:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');
