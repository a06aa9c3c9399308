#!/usr/bin/env bash
# Run by `npm start` and `npm test`: makes sure the OS packages (scripts/setup-system.sh),
# node_modules and the built package (dist/, which the examples import as 'webgrad.js') are
# present and current, so the README's two commands work on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! bash scripts/setup-system.sh >/tmp/webgrad-setup.log 2>&1; then
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
    sudo bash scripts/setup-system.sh
  else
    cat /tmp/webgrad-setup.log >&2
    exit 1
  fi
fi
if [ ! -x node_modules/.bin/vitest ]; then
  # npm's own summary ("added N packages") is not the user's business; its errors still show.
  echo 'webgrad: installing the npm packages (npm ci) ...'
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi
node scripts/ensure-build.mjs
mkdir -p "${XDG_RUNTIME_DIR:-/tmp/webgrad-xdg}"
