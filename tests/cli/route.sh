#!/bin/sh
# route.sh: `tumen route` on the flagship network, end to end.
#
#   sh tests/cli/route.sh PATH/TO/tumen SOURCE_DIR      (ctest runs it so)
#
# Checks, with grep only:
#  1. the special from PY to VLA, allowed to become the diesel and the EP1 train, is routed
#     with the bogie exchange at Tumangang (exit 0), and --json has the keys it documents;
#  2. --run prints the engine's timetable, arriving at Vladivostok;
#  3. without the consists to change into, exit 2 and stderr says what blocks and where;
#  4. an unknown train or point, and a missing --to, exit 2.
# Exits 0 on success, 1 with a message on the first failure.
set -u

fail() {
    echo "route test: FAIL: $*" >&2
    exit 1
}

[ $# -eq 2 ] || fail "usage: sh tests/cli/route.sh PATH/TO/tumen SOURCE_DIR"
TUMEN=$1
SRC=$2
NET=$SRC/examples/flagship/network.yaml
TRAIN=$SRC/examples/flagship/train.yaml
[ -x "$TUMEN" ] || fail "no tumen binary at '$TUMEN'"
[ -f "$NET" ] && [ -f "$TRAIN" ] || fail "no flagship network at '$NET'"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/tumen-route.XXXXXX") || fail "cannot make a temporary folder"
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' HUP INT TERM

ARGS="--train special_electric --change-to special_diesel --change-to special_ep1 --from PY --to VLA"

# 1. The route, as a table and as JSON.
"$TUMEN" route "$NET" "$TRAIN" $ARGS >"$TMP/route.txt" 2>"$TMP/route.err"
status=$?
[ "$status" -eq 0 ] || fail "tumen route exited with $status: $(cat "$TMP/route.err")"
grep -q '1203.1 km' "$TMP/route.txt" || fail "the route is not 1203.1 km: $(head -2 "$TMP/route.txt")"
grep -q 'Tumangang (TUM).*bogie exchange 1435 mm to 1520 mm' "$TMP/route.txt" ||
    fail "no bogie exchange at Tumangang in: $(cat "$TMP/route.txt")"
"$TUMEN" route "$NET" "$TRAIN" $ARGS --json >"$TMP/route.json" 2>"$TMP/route.err" ||
    fail "tumen route --json failed: $(cat "$TMP/route.err")"
for key in length_m estimated_time_s points steps change_time_s; do
    grep -q "\"$key\"" "$TMP/route.json" || fail "the JSON has no \"$key\""
done

# 2. Run by the engine.
"$TUMEN" route "$NET" "$TRAIN" $ARGS --run --departure 06:00 >"$TMP/run.txt" 2>"$TMP/run.err" ||
    fail "tumen route --run failed: $(cat "$TMP/run.err")"
grep -q '^Vladivostok  *1203.100' "$TMP/run.txt" || fail "the run does not reach Vladivostok at km 1203.1"
grep -q '^running time' "$TMP/run.txt" || fail "the run prints no running time"

# 3. No consist to change into: the traction and the gauge block, at the border.
"$TUMEN" route "$NET" "$TRAIN" --train special_electric --from PY --to VLA >"$TMP/no.txt" 2>"$TMP/no.err"
status=$?
[ "$status" -eq 2 ] || fail "a train that cannot get through exited with $status, not 2"
grep -q "no route for 'special_electric' from PY to VLA" "$TMP/no.err" || fail "no reason given: $(cat "$TMP/no.err")"
grep -q 'track TUM-KHS has no 3kV DC electrification' "$TMP/no.err" || fail "the wire is not named: $(cat "$TMP/no.err")"
[ -s "$TMP/no.txt" ] && fail "a failed route printed to stdout"

# 4. Usage.
"$TUMEN" route "$NET" "$TRAIN" --train nosuch --from PY --to VLA >/dev/null 2>"$TMP/u.err"
[ $? -eq 2 ] || fail "an unknown train did not exit 2"
grep -q "unknown train 'nosuch'" "$TMP/u.err" || fail "the unknown train is not named"
"$TUMEN" route "$NET" "$TRAIN" --train special_electric --from PY --to Atlantis >/dev/null 2>"$TMP/u.err"
[ $? -eq 2 ] || fail "an unknown point did not exit 2"
"$TUMEN" route "$NET" "$TRAIN" --train special_electric --from PY >/dev/null 2>&1
[ $? -eq 2 ] || fail "a missing --to did not exit 2"
exit 0
