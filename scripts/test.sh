#!/usr/bin/env bash
# `npm test`: provision PostgreSQL + pgvector, install, build, run every test file against
# the real server (each in its own database cloned from a migrated template).
set -euo pipefail
cd "$(dirname "$0")/.."
# The server the tests will use (test/helpers/server.ts): TEST_DATABASE_URL's, else DATABASE_URL's.
bash scripts/provision.sh "${TEST_DATABASE_URL:-${DATABASE_URL:-}}"
bash scripts/ensure-deps.sh
report=$(mktemp)
trap 'rm -f "$report"' EXIT
set +e
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
rc=$?
set -e
# One plain closing line that any CI can read.
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);' "$report" || true
exit $rc
