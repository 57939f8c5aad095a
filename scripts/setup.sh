#!/usr/bin/env bash
# One set-up path for every machine: installs the workspace with the pinned pnpm and builds it.
# Where Node's headers are installed locally (no prebuilt better-sqlite3 binary can be fetched there),
# the native addon is compiled against them; elsewhere the variable is unused.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION=12.4.2
if [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi
if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version)" = "$PNPM_VERSION" ]; then
  pnpm_cmd=(pnpm)
else
  pnpm_cmd=(npx --yes "pnpm@$PNPM_VERSION")
fi
"${pnpm_cmd[@]}" install --frozen-lockfile
"${pnpm_cmd[@]}" exec tsc -b
