#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine with Node 20:
# npm packages from the lockfile, Debian's Chromium for Playwright (never a downloaded browser),
# Debian's Pillow and numpy (the fidelity tests' reference), and the synthetic CLIP models the tests run on
# (real weights cannot be fetched offline).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci
fi
# Debian packages: Chromium for Playwright; Pillow and numpy for the fidelity tests' reference
# (src/model/pillowReference.test.ts). Always Debian's /usr/bin/python3: a pyenv python3 may come first on PATH.
APT_PACKAGES=()
command -v /usr/bin/chromium >/dev/null 2>&1 || APT_PACKAGES+=(chromium)
/usr/bin/python3 -c 'import PIL, numpy' >/dev/null 2>&1 || APT_PACKAGES+=(python3 python3-pil python3-numpy)
if [ ${#APT_PACKAGES[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${APT_PACKAGES[@]}" >/dev/null
fi
npm run models:synth -- --size tiny
