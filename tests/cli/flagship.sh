#!/bin/sh
# flagship.sh: the flagship example runs end to end, and a broken unit in it fails cleanly.
#
#   sh tests/cli/flagship.sh PATH/TO/tumen SOURCE_DIR      (ctest runs it so)
#
# Checks, with grep only (no python or jq needed):
#  1. `tumen run journey.yaml --json` succeeds and prints "running_time_s" and a timing point
#     named Vladivostok;
#  2. a copy with its first `mass:` turned into "90 parsecs" exits with status 2 (bad input),
#     names the file and the line on stderr, and leaves no --trajectory file behind.
# Exits 0 on success, 1 with a message on the first failure.
set -u

fail() {
    echo "flagship test: FAIL: $*" >&2
    exit 1
}

[ $# -eq 2 ] || fail "usage: sh tests/cli/flagship.sh PATH/TO/tumen SOURCE_DIR"
TUMEN=$1
SRC=$2
JOURNEY=$SRC/examples/flagship/journey.yaml
[ -x "$TUMEN" ] || fail "no tumen binary at '$TUMEN'"
[ -f "$JOURNEY" ] || fail "no flagship example at '$JOURNEY'"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/tumen-flagship.XXXXXX") || fail "cannot make a temporary folder"
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' HUP INT TERM

# 1. The journey runs and its JSON has the total running time and the last stop.
"$TUMEN" run "$JOURNEY" --json >"$TMP/run.json" 2>"$TMP/run.err"
status=$?
[ "$status" -eq 0 ] || fail "tumen run --json exited with $status: $(cat "$TMP/run.err")"
grep -q '"running_time_s"' "$TMP/run.json" || fail 'the JSON has no "running_time_s"'
grep -Eq '"name"[[:space:]]*:[[:space:]]*"Vladivostok"' "$TMP/run.json" ||
    fail 'the JSON has no timing point named "Vladivostok"'

# 2. A broken unit: the first `mass:` key becomes "90 parsecs".
BROKEN=$TMP/broken.yaml
awk '!done && /^[[:space:]]*(- )?mass:/ { sub(/mass:[^#]*/, "mass: 90 parsecs "); done = 1 } { print }' \
    "$JOURNEY" >"$BROKEN" || fail "cannot write $BROKEN"
line=$(grep -n 'mass: 90 parsecs' "$BROKEN" | head -n 1 | cut -d: -f1)
[ -n "$line" ] || fail "found no 'mass:' to break in $JOURNEY"

mkdir "$TMP/out" || fail "cannot make $TMP/out"
"$TUMEN" run "$BROKEN" --trajectory "$TMP/out/trajectory.csv" >"$TMP/broken.out" 2>"$TMP/broken.err"
status=$?
[ "$status" -eq 2 ] ||
    fail "tumen run on a broken unit exited with $status, not 2; stderr: $(cat "$TMP/broken.err")"
grep -Eq "broken\.yaml:$line([^0-9]|\$)" "$TMP/broken.err" ||
    fail "stderr does not name broken.yaml line $line: $(cat "$TMP/broken.err")"
leftover=$(ls -A "$TMP/out")
[ -z "$leftover" ] || fail "a failed run left files behind: $leftover"

echo "flagship test: ok"
exit 0
