#!/usr/bin/env bash
# Every test: types, unit/integration (vitest), then the browser suite (Playwright + Debian Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc -p tsconfig.json --noEmit
npx vitest run
npx playwright test
