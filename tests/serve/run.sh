#!/bin/sh
# run.sh: runs one tumen serve test (a Node script of tests/serve) against the built CLI.
#   sh tests/serve/run.sh TEST.mjs TUMEN_CLI SOURCE_DIR OUT_DIR
# Exits 77 (skipped) when node is missing, except under CI=true, where that fails.
test=$1 tumen=$2 src=$3 out=$4
if ! command -v node >/dev/null 2>&1; then
    if [ "${CI:-}" = true ]; then
        echo "serve test: node is missing (CI=true: a failure)" >&2
        exit 1
    fi
    echo "serve test: node is missing: skipped" >&2
    exit 77
fi
mkdir -p "$out" || exit 1
exec node "$src/tests/serve/$test" "$tumen" "$src" "$out"
