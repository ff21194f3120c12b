#!/usr/bin/env bash
# Brings the page's front-end library into the gateway's classes (run by Maven in
# generate-resources; see gateway/pom.xml): `npm ci` of gateway/web/package-lock.json in
# target/web-npm (nothing under the source tree), then the standalone ES-module build of
# lightweight-charts and its licence copied to target/classes/web/vendor/. The files are never
# committed; the locked version and integrity hash are.
#   fetch-vendor.sh <gateway/web dir> <gateway target dir>
set -euo pipefail
src="$1"
target="$2"
if ! command -v npm >/dev/null 2>&1; then
  echo "ERROR: npm is not installed. The gateway's build fetches lightweight-charts with the system npm." >&2
  echo "       Install it with: apt-get install -y nodejs npm   (scripts/test.sh and scripts/run.sh do this when missing)" >&2
  exit 1
fi
work="$target/web-npm"
out="$target/classes/web/vendor"
lib="$work/node_modules/lightweight-charts"
mkdir -p "$work" "$out"
# npm ci again only when the lock changed: it wipes node_modules, and the build runs often
if ! cmp -s "$src/package-lock.json" "$work/package-lock.json" || [ ! -f "$lib/package.json" ]; then
  cp "$src/package.json" "$src/package-lock.json" "$work/"
  (cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) || {
    echo "ERROR: npm ci failed in $work: the npm registry must be reachable (or the package in npm's cache)" >&2
    exit 1
  }
fi
cp "$lib/dist/lightweight-charts.standalone.production.mjs" "$out/lightweight-charts.mjs"
cp "$lib/LICENSE" "$out/lightweight-charts.LICENSE.txt"
