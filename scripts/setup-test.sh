#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine with Node 20:
# npm packages from the lockfile, Debian's Chromium for Playwright (never a downloaded browser),
# and the synthetic CLIP models the tests run on (real weights cannot be fetched offline).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci
fi
if ! command -v /usr/bin/chromium >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
npm run models:synth -- --size tiny
