#!/usr/bin/env bash
# The README's test command: build, typecheck, lint and unit tests, then the integration suite and the
# end-to-end test inside a real VS Code (code-server driven by Chromium), installed first if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/install-test-env.sh
node esbuild.mjs --production
npx tsc -p .
npm run --silent lint
npm run --silent test:unit
npm run --silent test:integration
npm run --silent test:e2e
