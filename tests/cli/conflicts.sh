#!/bin/sh
# conflicts.sh: tumen conflicts, headway and capacity end to end on a small network.
#
#   sh tests/cli/conflicts.sh PATH/TO/tumen SOURCE_DIR      (ctest runs it so)
#
# A timetable with two planted conflicts (a follower two minutes behind, an opposing train
# sent onto the single track) reports exactly those pairs and resources; the same trains
# timed apart report none; headway and capacity run and name what decides.
set -u
TUMEN=$1
D=$2/tests/data
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tumen-conflicts.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
failures=0
passed=0
check() { # check NAME COMMAND-STATUS: count
    if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else echo "conflicts: FAIL: $1" >&2; failures=$((failures + 1)); fi
}

"$TUMEN" conflicts "$D/simple.yaml" "$D/corridor.yaml" "$D/corridor_conflicts.yaml" --json \
    >"$TMP/c.json" 2>"$TMP/c.err"
check "planted: exit status" $?
n=$(grep -c '"train_a"' "$TMP/c.json")
[ "$n" -eq 8 ]; check "planted: 8 conflicts, got $n" $?
# r2 follows r1 too closely: every block both use, in their direction (3 + 3).
n=$(grep -A1 '"train_a": "r1"' "$TMP/c.json" | grep -c '"train_b": "r2"')
[ "$n" -eq 6 ]; check "planted: r1/r2 on 6 blocks, got $n" $?
# r3 meets r1 and r2 on the single track.
n=$(grep -c '"resource": "single track AST-BRY"' "$TMP/c.json")
[ "$n" -eq 2 ]; check "planted: 2 single-track conflicts, got $n" $?
grep -q '"train_b": "r3"' "$TMP/c.json"; check "planted: r3 named" $?
for key in start_s end_s overlap_s; do
    grep -q "\"$key\"" "$TMP/c.json"; check "planted: key $key" $?
done

"$TUMEN" conflicts "$D/simple.yaml" "$D/corridor.yaml" "$D/corridor_clear.yaml" --json >"$TMP/n.json"
check "clear: exit status" $?
[ "$(tr -d ' \n' <"$TMP/n.json")" = "[]" ]; check "clear: no conflict ($(cat "$TMP/n.json"))" $?

# The same result on several threads.
"$TUMEN" conflicts "$D/simple.yaml" "$D/corridor.yaml" "$D/corridor_conflicts.yaml" --json \
    --threads 3 >"$TMP/c3.json"
cmp -s "$TMP/c.json" "$TMP/c3.json"; check "threads: same output" $?

"$TUMEN" headway "$D/simple.yaml" "$D/corridor.yaml" --line AST-COL --trains regional,regional \
    >"$TMP/h.txt" 2>&1
check "headway: exit status ($(cat "$TMP/h.txt"))" $?
grep -q "regional behind regional: .* decided by block" "$TMP/h.txt"; check "headway: following" $?
grep -q "crossing: .* decided by single track AST-BRY" "$TMP/h.txt"; check "headway: crossing" $?

"$TUMEN" capacity "$D/simple.yaml" "$D/corridor.yaml" "$D/corridor_clear.yaml" --line AST-COL \
    --window 05:30-08:30 >"$TMP/cap.txt" 2>&1
check "capacity: exit status ($(cat "$TMP/cap.txt"))" $?
grep -q "3 trains" "$TMP/cap.txt"; check "capacity: 3 trains in the window" $?
grep -q "occupancy" "$TMP/cap.txt"; check "capacity: occupancy printed" $?

# Bad input: a timetable naming an unknown train.
sed 's/train: regional, departure: "06:02"/train: ghost, departure: "06:02"/' \
    "$D/corridor_conflicts.yaml" >"$TMP/bad.yaml"
"$TUMEN" conflicts "$D/simple.yaml" "$D/corridor.yaml" "$TMP/bad.yaml" >/dev/null 2>"$TMP/bad.err"
[ $? -eq 2 ] && grep -q "bad.yaml:[0-9]*:.*ghost" "$TMP/bad.err"; check "bad input: exit 2 naming it ($(cat "$TMP/bad.err"))" $?

echo "conflicts: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
