#!/bin/sh
# switch_routes.sh: on every OSRD infrastructure in ../shared/data, every route tumen finds
# is a legal path through the switches and as short as the shortest legal path, by an
# oracle that reads the file itself (tests/switch_routes.py); `import --summary --json`
# counts the legal moves (switch_connections) as the file's switch types define them.
# Routes go over the network tumen imported and wrote as YAML, so the written switches
# read back into the same routes.
# usage: sh switch_routes.sh <tumen> <srcdir>
set -u
tumen=$1
src=$2
skip() {
  if [ "${CI:-}" = true ]; then echo "FAIL (CI): $*"; exit 1; fi
  echo "SKIP: $*"; exit 77
}
command -v python3 > /dev/null 2>&1 || skip "python3 not found"
infras=$(ls "$src"/../shared/data/osrd/infras/*/infra.json 2> /dev/null)
[ -n "$infras" ] || skip "no OSRD infrastructures in ../shared/data"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tumen-switches.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
for infra in $infras; do
  name=$(basename "$(dirname "$infra")")
  mkdir -p "$tmp/$name"
  python3 "$src/tests/switch_routes.py" "$tumen" "$infra" "$tmp/$name" || fail=1
  got=$("$tumen" import "$infra" --summary --json |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["switch_connections"])')
  want=$(python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import switch_routes as s, json
print(len(s.legal_moves(json.load(open(sys.argv[2])))) // 2)' "$src/tests" "$infra")
  if [ "$got" != "$want" ]; then
    echo "FAIL: $name: switch_connections $got, the file defines $want"
    fail=1
  else
    echo "$name: switch_connections $got"
  fi
done
exit $fail
