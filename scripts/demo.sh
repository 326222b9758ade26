#!/usr/bin/env bash
# `npm run demo`: provision PostgreSQL + pgvector, install, build, then run the demo
# against DATABASE_URL (default postgres://postgres@127.0.0.1:5432/pgrecall).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/provision.sh
bash scripts/ensure-deps.sh
node dist/demo/demo.js
