#!/bin/sh
# flagship_conflicts.sh: the flagship's background day is conflict-free, and the blocking-time
# diagram of `tumen conflicts --plot` is written, with stairs and with planted conflicts.
#
#   sh tests/cli/flagship_conflicts.sh PATH/TO/tumen SOURCE_DIR      (ctest runs it so)
#
#  1. examples/flagship: network.yaml (with its assumed block signals), train.yaml and
#     timetable.yaml report 0 conflicts, also with a 3 min buffer (--buffer 180), and
#     make_profile.py --check agrees with network.yaml (python3 needed: tests/need.sh);
#  2. --plot on the flagship's KHS-BAR writes a PNG (magic bytes) and an SVG with the stairs
#     (translucent boxes) and no conflict box (red);
#  3. tests/data/corridor_conflicts.yaml (8 planted conflicts) drawn as SVG has red conflict
#     boxes; --plot without --line and a bad extension are refused (exit 2, nothing written).
set -u
TUMEN=$1
SRC=$2
F=$SRC/examples/flagship
D=$SRC/tests/data
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tumen-flagship-conflicts.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
. "$SRC/tests/need.sh"
need_tool python3
failures=0
passed=0
check() { # check NAME STATUS
    if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else echo "flagship_conflicts: FAIL: $1" >&2; failures=$((failures + 1)); fi
}
# The conflict boxes' fill (0xe00000 at 55 %) and the stairs' (a category colour at 16 %), as
# Cairo writes them into SVG.
RED='fill:rgb(87.843137%,0%,0%);fill-opacity:0.55'
STAIRS='fill-opacity:0.16'

# 1. No conflict in the day.
"$TUMEN" conflicts "$F/network.yaml" "$F/train.yaml" "$F/timetable.yaml" --json >"$TMP/c.json" 2>"$TMP/c.err"
check "flagship: exit status ($(cat "$TMP/c.err"))" $?
[ "$(tr -d ' \n' <"$TMP/c.json")" = "[]" ]; check "flagship: no conflict ($(head -c 400 "$TMP/c.json"))" $?
"$TUMEN" conflicts "$F/network.yaml" "$F/train.yaml" "$F/timetable.yaml" --buffer 180 >"$TMP/b.txt" 2>&1
check "flagship: --buffer 180 exit status" $?
grep -q "^0 conflicts among 12 services" "$TMP/b.txt"; check "flagship: no conflict with a 3 min buffer ($(head -5 "$TMP/b.txt"))" $?
# Signals: Khasan - Makhalino is cut into 20 blocks each way (the blocking times count them).
n=$(sed -n 's/.*(\([0-9]*\) blocking times).*/\1/p' "$TMP/b.txt")
[ "${n:-0}" -gt 1000 ]; check "flagship: the tracks have block signals ($n blocking times)" $?
python3 "$F/make_profile.py" --check; check "flagship: make_profile.py --check" $?

# 2. The flagship diagram, PNG and SVG.
"$TUMEN" conflicts "$F/network.yaml" "$F/train.yaml" "$F/timetable.yaml" --plot "$TMP/f.png" \
    --line KHS-BAR >/dev/null 2>"$TMP/p.err"
check "plot png: exit status ($(cat "$TMP/p.err"))" $?
[ "$(head -c 8 "$TMP/f.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]; check "plot png: PNG magic" $?
"$TUMEN" conflicts "$F/network.yaml" "$F/train.yaml" "$F/timetable.yaml" --plot "$TMP/f.svg" \
    --line USS-KHS >/dev/null 2>"$TMP/s.err"
check "plot svg: exit status ($(cat "$TMP/s.err"))" $?
head -c 200 "$TMP/f.svg" | grep -q "<svg"; check "plot svg: an SVG" $?
n=$(grep -o "$STAIRS" "$TMP/f.svg" | wc -l)
[ "$n" -gt 500 ]; check "plot svg: stairs drawn ($n boxes)" $?
n=$(grep -o "$RED" "$TMP/f.svg" | wc -l)
[ "$n" -eq 1 ]; check "plot svg: no conflict box (only the legend's: $n)" $?

# 3. Planted conflicts in red.
"$TUMEN" conflicts "$D/simple.yaml" "$D/corridor.yaml" "$D/corridor_conflicts.yaml" \
    --plot "$TMP/c.svg" --line AST-COL >"$TMP/cc.txt" 2>&1
check "planted svg: exit status ($(cat "$TMP/cc.txt"))" $?
grep -q "^8 conflicts" "$TMP/cc.txt"; check "planted svg: 8 conflicts listed" $?
n=$(grep -o "$RED" "$TMP/c.svg" | wc -l)
[ "$n" -eq 9 ]; check "planted svg: 8 red conflict boxes and the legend's ($n)" $?
"$TUMEN" conflicts "$D/simple.yaml" "$D/corridor.yaml" "$D/corridor_conflicts.yaml" \
    --plot "$TMP/c.png" --line AST-COL >/dev/null 2>&1
[ "$(head -c 4 "$TMP/c.png" | od -An -tx1 | tr -d ' \n')" = "89504e47" ]; check "planted png: PNG magic" $?

# Refused: --plot without --line, a bad extension, a line not on the network.
"$TUMEN" conflicts "$D/simple.yaml" "$D/corridor.yaml" "$D/corridor_conflicts.yaml" \
    --plot "$TMP/x.svg" >/dev/null 2>&1
[ $? -eq 2 ] && [ ! -e "$TMP/x.svg" ]; check "refused: --plot without --line" $?
"$TUMEN" conflicts "$D/simple.yaml" "$D/corridor.yaml" "$D/corridor_conflicts.yaml" \
    --plot "$TMP/x.pdf" --line AST-COL >/dev/null 2>&1
[ $? -eq 2 ] && [ ! -e "$TMP/x.pdf" ]; check "refused: .pdf" $?
"$TUMEN" conflicts "$D/simple.yaml" "$D/corridor.yaml" "$D/corridor_conflicts.yaml" \
    --plot "$TMP/x.svg" --line AST-NOPE >/dev/null 2>&1
[ $? -eq 2 ] && [ ! -e "$TMP/x.svg" ]; check "refused: unknown point in --line" $?
"$TUMEN" conflicts "$D/simple.yaml" "$D/corridor.yaml" "$D/corridor_conflicts.yaml" \
    --buffer -5 >/dev/null 2>&1
[ $? -eq 2 ]; check "refused: negative --buffer" $?

echo "flagship_conflicts: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
