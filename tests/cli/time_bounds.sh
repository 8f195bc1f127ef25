#!/bin/sh
# time_bounds.sh: a time bound of the journey that is not enforced is a warning on stderr
# (file, line, field, why), listed in --json's warnings[]; the run goes on (exit 0) and the
# table on stdout is the run's. A lower bound after its own upper bound is bad input (2).
#
#   sh tests/cli/time_bounds.sh PATH/TO/tumen SOURCE_DIR      (ctest runs it so)
#
# The journey is tests/data/simple.yaml's train and line: Bridge (km 12.5, passed) not before
# 30 min, Midvale by 32 min; the fastest run from Bridge to Midvale takes about 298 s.
set -u
TUMEN=$1
SRC=$2
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tumen-bounds.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
. "$SRC/tests/need.sh"
need_tool python3
failures=0

fail() {
    echo "time bounds: FAIL: $*" >&2
    failures=$((failures + 1))
}

journey() {
    cat "$SRC/tests/data/simple.yaml"
    printf 'journey:\n  departure: "06:00"\n  legs:\n    - train: regional\n'
    printf '      line: valley\n      targets: %s\n' "$1"
}

journey '[{at: Bridge, not_before: 30 min}, {at: Midvale, by: 32 min}]' >"$TMP/warn.yaml"
"$TUMEN" run "$TMP/warn.yaml" >"$TMP/warn.out" 2>"$TMP/warn.err"
status=$?
[ "$status" -eq 0 ] || fail "exit status $status, not 0: $(cat "$TMP/warn.err")"
grep -Eq "^tumen: warning: .*warn\.yaml:[0-9]+: journey\.legs\[0\]\.targets\[0\]\.not_before: lower time constraint 1800\.0 s .*not enforced" \
    "$TMP/warn.err" || fail "no warning on stderr: $(cat "$TMP/warn.err")"
grep -q "warning" "$TMP/warn.out" && fail "a warning on stdout"
grep -q "^Bridge" "$TMP/warn.out" || fail "no timetable on stdout: $(cat "$TMP/warn.out")"

"$TUMEN" run "$TMP/warn.yaml" --json >"$TMP/warn.json" 2>"$TMP/warn.err2"
status=$?
[ "$status" -eq 0 ] || fail "--json: exit status $status"
grep -q "tumen: warning:" "$TMP/warn.err2" || fail "--json: no warning on stderr"
python3 - "$TMP/warn.json" <<'PY' || fail "--json: warnings[] does not list it"
import json, sys
w = json.load(open(sys.argv[1]))["warnings"]
sys.exit(0 if len(w) == 1 and "not enforced" in w[0] and "targets[0].not_before" in w[0] else 1)
PY

# No warning: an empty warnings[].
journey '[{at: Midvale, by: 32 min}]' >"$TMP/none.yaml"
"$TUMEN" run "$TMP/none.yaml" --json >"$TMP/none.json" 2>"$TMP/none.err" || fail "no bounds: exit $?"
[ -s "$TMP/none.err" ] && fail "no bounds: stderr: $(cat "$TMP/none.err")"
grep -q '"warnings": \[\]' "$TMP/none.json" || fail "no bounds: warnings[] not empty"

# Not before 14 min and by 13 min where the train passes: input error, exit 2.
journey '[{at: Bridge, by: 13 min, not_before: 14 min}]' >"$TMP/bad.yaml"
"$TUMEN" run "$TMP/bad.yaml" >"$TMP/bad.out" 2>"$TMP/bad.err"
status=$?
[ "$status" -eq 2 ] || fail "lower after upper: exit status $status, not 2"
grep -Eq "bad\.yaml:[0-9]+: journey\.legs\[0\]\.targets\[0\]\.not_before: " "$TMP/bad.err" ||
    fail "lower after upper: $(cat "$TMP/bad.err")"
[ -s "$TMP/bad.out" ] && fail "lower after upper: output on stdout"

[ "$failures" -eq 0 ] || exit 1
echo "time bounds: ok"
