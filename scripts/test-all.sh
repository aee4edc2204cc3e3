#!/usr/bin/env bash
# Every test: lint (ESLint + Prettier, incl. the layer rule), types, unit/integration (vitest), then the browser suite.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run lint
npx tsc -p tsconfig.json --noEmit
npx vitest run
npx playwright test
