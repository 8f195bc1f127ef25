#!/bin/sh
# special.sh: tumen special end to end on the flagship.
#
#   sh tests/cli/special.sh PATH/TO/tumen SOURCE_DIR      (ctest runs it so)
#
# - the flagship request plans in both modes (exit 0), the same on 2 threads, and `tumen conflicts --json` on each
#   --out-timetable (with the network and the trains) prints [] (the convoy's three are one
#   convoy: no block rule between them; every other train is separated from them);
# - a bad request (a missing field, an unknown train) exits 2 naming file:line: field, and
#   writes nothing;
# - an impossible request (the latest arrival too early) exits 3 with the reason and the
#   closest feasible alternative, and writes nothing.
set -u
TUMEN=$1
F=$2/examples/flagship
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tumen-special.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
failures=0
passed=0
check() { # check NAME STATUS
    if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else echo "special: FAIL: $1" >&2; failures=$((failures + 1)); fi
}
BASE="$F/network.yaml $F/train.yaml"

for mode in fit priority; do
    # shellcheck disable=SC2086
    "$TUMEN" special $BASE "$F/timetable.yaml" "$F/special.yaml" --mode $mode \
        --out-timetable "$TMP/$mode.yaml" >"$TMP/$mode.out" 2>"$TMP/$mode.err"
    st=$?
    [ "$st" -eq 0 ]; check "$mode: exit status $st: $(cat "$TMP/$mode.err")" $?
    grep -q 'convoy: "kim-special"' "$TMP/$mode.yaml"; check "$mode: convoy written" $?
    n=$(grep -c 'convoy: "kim-special"' "$TMP/$mode.yaml")
    [ "$n" -eq 3 ]; check "$mode: 3 convoy services, got $n" $?
    # shellcheck disable=SC2086
    # The re-check `tumen help special` shows: the same files, the plan last (it replaces
    # the services of the files before it).
    "$TUMEN" conflicts $BASE "$F/timetable.yaml" "$F/special.yaml" "$TMP/$mode.yaml" --json \
        >"$TMP/$mode.json" 2>"$TMP/$mode.cerr"
    check "$mode: conflicts exit status: $(cat "$TMP/$mode.cerr")" $?
    [ "$(tr -d ' \n' <"$TMP/$mode.json")" = "[]" ]
    check "$mode: conflicts on the new timetable: $(head -c 600 "$TMP/$mode.json")" $?
    # Two threads read the files and run the timetable: the same plan, byte for byte.
    # shellcheck disable=SC2086
    "$TUMEN" special $BASE "$F/timetable.yaml" "$F/special.yaml" --mode $mode --threads 2 \
        --out-timetable "$TMP/$mode.2.yaml" >"$TMP/$mode.2.out" 2>"$TMP/$mode.2.err"
    check "$mode: --threads 2 exit status: $(cat "$TMP/$mode.2.err")" $?
    cmp -s "$TMP/$mode.yaml" "$TMP/$mode.2.yaml"; check "$mode: --threads 2 plans otherwise" $?
done

# expect_bad NAME PATTERN: the request $TMP/NAME.yaml exits 2, stderr matches, no output.
expect_bad() {
    # shellcheck disable=SC2086
    "$TUMEN" special $BASE "$F/timetable.yaml" "$TMP/$1.yaml" --out-timetable "$TMP/$1.out.yaml" \
        >"$TMP/$1.out" 2>"$TMP/$1.err"
    st=$?
    [ "$st" -eq 2 ]; check "$1: exit status $st, not 2" $?
    grep -Eq "$2" "$TMP/$1.err"; check "$1: stderr does not match /$2/: $(cat "$TMP/$1.err")" $?
    [ ! -e "$TMP/$1.out.yaml" ]; check "$1: a timetable was written" $?
}
line_of() { grep -n "$1" "$F/special.yaml" | head -1 | cut -d: -f1; }

# A missing field: from.
grep -v '^  from:' "$F/special.yaml" >"$TMP/missing.yaml"
expect_bad missing "missing\.yaml:$(line_of '^  id:'):.*special\.from"
# An unknown train.
sed 's/^  train: special_electric/  train: no_such_train/' "$F/special.yaml" >"$TMP/unknown.yaml"
expect_bad unknown "unknown\.yaml:$(line_of '^  id:'):.*special\.train.*no_such_train"

# priority's node budget: a fraction or zero is bad input; one node still gives a plan.
sed 's/^special:/special:\n  max_nodes: 0.5/' "$F/special.yaml" >"$TMP/nodes.yaml"
expect_bad nodes "nodes\.yaml:[0-9]+:.*special\.max_nodes.*whole number"
sed 's/^special:/special:\n  max_nodes: 0/' "$F/special.yaml" >"$TMP/nodes0.yaml"
expect_bad nodes0 "nodes0\.yaml:[0-9]+:.*special\.max_nodes"
sed 's/^special:/special:\n  max_nodes: 1/' "$F/special.yaml" >"$TMP/nodes1.yaml"
# shellcheck disable=SC2086
"$TUMEN" special $BASE "$F/timetable.yaml" "$TMP/nodes1.yaml" --mode priority >"$TMP/nodes1.out" 2>&1
st=$?
[ "$st" -eq 0 ]; check "max_nodes 1: exit status $st: $(cat "$TMP/nodes1.out")" $?
grep -q 'total cost' "$TMP/nodes1.out"; check "max_nodes 1: no plan" $?

# An impossible request: arrive at Vladivostok by 10:00, leaving at midnight.
sed 's/^  earliest_departure: "00:00"/  earliest_departure: "00:00"\n  latest_arrival: "10:00"/' \
    "$F/special.yaml" >"$TMP/late.yaml"
for mode in fit priority; do
    # shellcheck disable=SC2086
    "$TUMEN" special $BASE "$F/timetable.yaml" "$TMP/late.yaml" --mode $mode \
        --out-timetable "$TMP/late-$mode.yaml" >"$TMP/late-$mode.out" 2>"$TMP/late-$mode.err"
    st=$?
    [ "$st" -eq 3 ]; check "late $mode: exit status $st, not 3: $(cat "$TMP/late-$mode.err")" $?
    grep -q '^infeasible: .*latest_arrival\|^infeasible: .*latest arrival' "$TMP/late-$mode.out"
    check "late $mode: no reason: $(head -3 "$TMP/late-$mode.out")" $?
    grep -q 'closest feasible alternative' "$TMP/late-$mode.out"
    check "late $mode: no alternative" $?
    [ ! -e "$TMP/late-$mode.yaml" ]; check "late $mode: a timetable was written" $?
done

echo "special: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
