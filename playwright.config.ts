import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser. The closed network needs the background-networking flags.
const port = Number(process.env.E2E_PORT ?? 4317);
// Parallel local runs (several engineers on one machine) each build into their own folder.
const outDir = process.env.E2E_DIST ?? 'dist';

export default defineConfig({
  testDir: 'e2e',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    // the app registers a service worker (offline shell, COOP/COEP fallback); tests that exercise it opt in,
    // the rest see plain network requests (page.route does not see requests a service worker answers)
    serviceWorkers: 'block',
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-gpu',
      ],
    },
    viewport: { width: 1280, height: 720 },
  },
  webServer: {
    command: `npx vite build --outDir ${outDir} && npx vite preview --outDir ${outDir} --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 240_000,
  },
});
