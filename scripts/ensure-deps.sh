#!/usr/bin/env bash
# Install npm packages when missing or out of date with the lockfile, then build.
# Sourced by scripts/test.sh and scripts/demo.sh so each works on a fresh clone.
set -euo pipefail
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "pgrecall: installing npm packages (npm ci)" >&2
  # npm ci refuses a lockfile that names a platform package the registry lacks; npm install
  # then resolves the same tree from the lockfile, skipping what is unavailable.
  npm ci --no-audit --no-fund --loglevel=error || npm install --no-audit --no-fund --loglevel=error
  # Both ran the `prepare` script, which builds (unless npm is set to ignore scripts): no second tsc.
  [ "$(npm config get ignore-scripts)" = false ] && exit 0
fi
npx tsc -p tsconfig.json
