#!/bin/sh
# run.sh: the browser test of the tumen serve web page (web.mjs): Debian's chromium driven
# by playwright-core, installed from package-lock.json into tests/web/node_modules.
#   sh tests/web/run.sh TUMEN_CLI SOURCE_DIR OUT_DIR
# Exits 77 (skipped) when chromium, node or the package cannot be had, except under CI=true,
# where that fails.
tumen=$1 src=$2 out=$3
chromium=${CHROMIUM:-/usr/bin/chromium}
skip() {
    if [ "${CI:-}" = true ]; then
        echo "web test: $1 (CI=true: a failure)" >&2
        exit 1
    fi
    echo "web test: $1: skipped" >&2
    exit 77
}
[ -x "$chromium" ] || skip "no chromium at $chromium"
command -v node >/dev/null 2>&1 || skip "node is missing"
dir=$src/tests/web
if [ ! -d "$dir/node_modules/playwright-core" ]; then
    # from the lock file only; the npm cache first
    (cd "$dir" && npm ci --prefer-offline --no-audit --no-fund >/dev/null 2>&1) ||
        skip "npm ci in tests/web failed (no registry and no cache?)"
fi
mkdir -p "$out" || exit 1
CHROMIUM=$chromium exec node "$dir/web.mjs" "$tumen" "$src" "$out"
