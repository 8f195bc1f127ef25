#!/bin/sh
# timetable_warnings.sh: a service's bound the timetable does not enforce is a warning on
# stderr naming the file, line, field and the service, listed in --json's warnings[]; the
# timetable runs on (exit 0) and its stdout is the run with a bound there that binds nothing
# (not before 1 min): the point stays a timing point of the plan, which splits its ranges
# (so it is not quite the run without the target; tumen run does the same), but its time
# is not enforced. A bound that can be kept is: the service passes there no earlier
# (within the 1 s of every bound). A target at a point off the route exits 2.
#
#   sh tests/cli/timetable_warnings.sh PATH/TO/tumen SOURCE_DIR      (ctest runs it so)
#
# The services run tests/data/corridor.yaml's AST - BRY (Bury, km 12, passed) - COL (Cole,
# km 21) with simple.yaml's regional train: about 526 s to Bury, 905 s to Cole at the
# fastest (tumen timetable on these files), 380 s from Bury to Cole.
set -u
TUMEN=$1
SRC=$2
D="$SRC/tests/data"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tumen-ttwarn.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
. "$SRC/tests/need.sh"
need_tool python3
failures=0

fail() {
    echo "timetable warnings: FAIL: $*" >&2
    failures=$((failures + 1))
}

# $1: r1's targets, $2: r2's.
services() {
    printf 'timetable:\n  services:\n'
    printf '    - id: r1\n      train: regional\n      departure: "06:00"\n'
    printf '      route: [AST, BRY, COL]\n      targets: %s\n' "$1"
    printf '    - id: r2\n      train: regional\n      departure: "06:30"\n'
    printf '      route: [AST, BRY, COL]\n      targets: %s\n' "$2"
}

# r1: not before 10 min at Bury and by 16 min at Cole cannot both hold (600 + 380 > 960):
# the lower bound is not enforced. r2: not before 06:40 at Bury can be kept.
services '[{at: Bury, not_before: 10 min}, {at: Cole, by: 16 min}]' \
         '[{at: Bury, not_before: "06:40"}]' >"$TMP/warn.yaml"
services '[{at: Bury, not_before: 1 min}, {at: Cole, by: 16 min}]' \
         '[{at: Bury, not_before: "06:40"}]' >"$TMP/plain.yaml"
"$TUMEN" timetable "$D/simple.yaml" "$D/corridor.yaml" "$TMP/warn.yaml" \
    >"$TMP/warn.out" 2>"$TMP/warn.err"
status=$?
[ "$status" -eq 0 ] || fail "exit status $status, not 0: $(cat "$TMP/warn.err")"
grep -Eq "^tumen: warning: .*warn\.yaml:7: timetable\.services\[0\]\.targets\[0\]\.not_before: service 'r1' \(line 3\): lower time constraint 600\.0 s .*not enforced" \
    "$TMP/warn.err" || fail "no warning naming r1 on stderr: $(cat "$TMP/warn.err")"
[ "$(grep -c warning "$TMP/warn.err")" -eq 1 ] || fail "not one warning: $(cat "$TMP/warn.err")"
grep -q "warning" "$TMP/warn.out" && fail "a warning on stdout"
"$TUMEN" timetable "$D/simple.yaml" "$D/corridor.yaml" "$TMP/plain.yaml" \
    >"$TMP/plain.out" 2>"$TMP/plain.err" || fail "without the bound: exit $?"
[ -s "$TMP/plain.err" ] && fail "without the bound: stderr: $(cat "$TMP/plain.err")"
cmp -s "$TMP/warn.out" "$TMP/plain.out" ||
    fail "stdout differs from the run with a bound that binds nothing: $(diff "$TMP/warn.out" "$TMP/plain.out")"

"$TUMEN" timetable "$D/simple.yaml" "$D/corridor.yaml" "$TMP/warn.yaml" --json \
    >"$TMP/warn.json" 2>"$TMP/warn.err2"
status=$?
[ "$status" -eq 0 ] || fail "--json: exit status $status"
grep -q "tumen: warning:" "$TMP/warn.err2" || fail "--json: no warning on stderr"
python3 - "$TMP/warn.json" <<'PY' || fail "--json: warnings[] or r2's time at Bury"
import json, sys
d = json.load(open(sys.argv[1]))
w = d["warnings"]
ok = len(w) == 1 and "service 'r1'" in w[0] and "targets[0].not_before" in w[0]
# r2 keeps its bound: Bury no earlier than 06:40 (24000 s), within 1 s; the fastest run
# would pass at about 06:38:46.
bury = [p for p in d["services"][1]["timing_points"] if p["op"] == "BRY"][0]
ok = ok and bury["arrival_s"] >= 24000.0 - 1.0 and bury["arrival_s"] < 24000.0 + 60.0
if not ok:
    print(w, bury, file=sys.stderr)
sys.exit(0 if ok else 1)
PY

# No warning: an empty warnings[] and a quiet stderr.
"$TUMEN" timetable "$D/simple.yaml" "$D/corridor.yaml" "$TMP/plain.yaml" --json \
    >"$TMP/plain.json" 2>"$TMP/plain.err2" || fail "no warnings: exit $?"
[ -s "$TMP/plain.err2" ] && fail "no warnings: stderr: $(cat "$TMP/plain.err2")"
grep -q '"warnings": \[\]' "$TMP/plain.json" || fail "no warnings: warnings[] not empty"

# tumen conflicts runs the timetable too: the same warning on stderr, its report on stdout.
"$TUMEN" conflicts "$D/simple.yaml" "$D/corridor.yaml" "$TMP/warn.yaml" \
    >"$TMP/c.out" 2>"$TMP/c.err"
status=$?
[ "$status" -eq 0 ] || fail "conflicts: exit status $status: $(cat "$TMP/c.err")"
grep -Eq "^tumen: warning: .*warn\.yaml:7: timetable\.services\[0\]\.targets\[0\]\.not_before: service 'r1' " \
    "$TMP/c.err" || fail "conflicts: no warning naming r1: $(cat "$TMP/c.err")"
grep -q "conflicts among 2 services" "$TMP/c.out" || fail "conflicts: stdout $(cat "$TMP/c.out")"
"$TUMEN" conflicts "$D/simple.yaml" "$D/corridor.yaml" "$TMP/plain.yaml" \
    >/dev/null 2>"$TMP/c.err2" || fail "conflicts without warnings: exit $?"
[ -s "$TMP/c.err2" ] && fail "conflicts without warnings: stderr: $(cat "$TMP/c.err2")"

# A target at a point the service's route does not reach is the file's error (exit 2, its
# file, line and field, nothing on stdout), never a bound dropped silently.
services '[{at: Nowhere, by: 16 min}]' '[]' >"$TMP/unknown.yaml"
for cmd in timetable conflicts; do
    "$TUMEN" $cmd "$D/simple.yaml" "$D/corridor.yaml" "$TMP/unknown.yaml" \
        >"$TMP/u.out" 2>"$TMP/u.err"
    status=$?
    [ "$status" -eq 2 ] || fail "$cmd, unknown point: exit status $status, not 2"
    grep -Eq "unknown\.yaml:7: timetable\.services\[0\]\.targets\[0\]: .*no timing point 'Nowhere'" \
        "$TMP/u.err" || fail "$cmd, unknown point: $(cat "$TMP/u.err")"
    [ -s "$TMP/u.out" ] && fail "$cmd, unknown point: output on stdout"
done

[ "$failures" -eq 0 ] || exit 1
echo "timetable warnings: ok"
