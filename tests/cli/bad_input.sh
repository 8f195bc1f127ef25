#!/bin/sh
# bad_input.sh: a careless user's files get a clear error, exit status 2, and no output.
#
#   sh tests/cli/bad_input.sh PATH/TO/tumen SOURCE_DIR      (ctest runs it so)
#
# Each case derives a broken copy of tests/data/simple.yaml and checks that `tumen run`
# exits with 2, names the file on stderr (and the line and field where the case has one),
# and leaves neither the trajectory nor the plot behind.
set -u
TUMEN=$1
SRC=$2
GOOD=$SRC/tests/data/simple.yaml
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tumen-bad.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
failures=0
passed=0

fail() {
    echo "bad input: FAIL: $*" >&2
    failures=$((failures + 1))
}

# expect NAME PATTERN: run on $TMP/NAME.yaml; exit 2, stderr matches PATTERN, no outputs.
expect() {
    name=$1
    pattern=$2
    mkdir -p "$TMP/out-$name"
    "$TUMEN" run "$TMP/$name.yaml" --trajectory "$TMP/out-$name/t.csv" \
        --plot "$TMP/out-$name/p.png" >"$TMP/$name.out" 2>"$TMP/$name.err"
    status=$?
    if [ "$status" -ne 2 ]; then
        fail "$name: exit status $status, not 2 ($(cat "$TMP/$name.err"))"
        return
    fi
    if ! grep -Eq "$pattern" "$TMP/$name.err"; then
        fail "$name: stderr does not match /$pattern/: $(cat "$TMP/$name.err")"
        return
    fi
    if [ -n "$(ls -A "$TMP/out-$name")" ]; then
        fail "$name: output left behind: $(ls -A "$TMP/out-$name")"
        return
    fi
    passed=$((passed + 1))
}

# The good file runs.
"$TUMEN" run "$GOOD" >"$TMP/good.out" 2>&1 || fail "the good file does not run: $(cat "$TMP/good.out")"

# A missing field: the coach's mass.
awk '/id: coach/ {c = 1} c && /^    mass:/ {c = 0; next} {print}' "$GOOD" >"$TMP/missing.yaml"
expect missing 'missing\.yaml:[0-9]+.*mass'

# A wrong unit, on line 8.
sed '8s/mass: 138 t/mass: 138 parsecs/' "$GOOD" >"$TMP/unit.yaml"
expect unit 'unit\.yaml:8:.*mass.*parsecs'

# A negative mass.
sed '8s/mass: 138 t/mass: -138 t/' "$GOOD" >"$TMP/negative.yaml"
expect negative 'negative\.yaml:8:.*mass'

# A truncated file: cut in the middle of a section's flow mapping.
sed -n '1,/from: 13 km/p' "$GOOD" | sed '$ s/, speed_limit.*//' >"$TMP/truncated.yaml"
expect truncated 'truncated\.yaml:[0-9]+'

# An empty file.
: >"$TMP/empty.yaml"
expect empty 'empty\.yaml'

# Not YAML at all.
printf '\177ELF\001\002\003 {{{ [[[ :::\n' >"$TMP/binary.yaml"
expect binary 'binary\.yaml'

# A consist naming a vehicle that does not exist.
sed 's/diesel + 10 x coach/diesel + 10 x sleeper/' "$GOOD" >"$TMP/unknown.yaml"
expect unknown 'unknown\.yaml:[0-9]+.*sleeper'

# Overlapping sections.
sed 's/{from: 4 km, to: 12 km/{from: 3 km, to: 12 km/' "$GOOD" >"$TMP/overlap.yaml"
expect overlap 'overlap\.yaml:[0-9]+.*section'

# A file that does not exist.
"$TUMEN" run "$TMP/nonexistent.yaml" >/dev/null 2>"$TMP/nofile.err"
[ $? -eq 2 ] && grep -q nonexistent "$TMP/nofile.err" && passed=$((passed + 1)) ||
    fail "a missing file: $(cat "$TMP/nofile.err")"

# Usage errors.
"$TUMEN" run >/dev/null 2>&1
[ $? -eq 2 ] && passed=$((passed + 1)) || fail "no file: exit status is not 2"
"$TUMEN" run "$GOOD" --plot "$TMP/x.gif" >/dev/null 2>&1
[ $? -eq 2 ] && [ ! -e "$TMP/x.gif" ] && passed=$((passed + 1)) || fail "--plot x.gif: not a usage error"

# A timetable service whose stop is not on its route, and one that cannot be routed: the
# message names the timetable file and the service's line (exit 2).
D=$SRC/tests/data
printf 'timetable:\n  services:\n    - {id: r1, train: regional, departure: "06:00", route: [AST, BRY], stops: [{at: COL, dwell: 1 min}]}\n' >"$TMP/offroute.yaml"
"$TUMEN" timetable "$D/simple.yaml" "$D/corridor.yaml" "$TMP/offroute.yaml" >/dev/null 2>"$TMP/offroute.err"
[ $? -eq 2 ] && grep -q 'offroute\.yaml:3: .*COL' "$TMP/offroute.err" && passed=$((passed + 1)) ||
    fail "a stop off the route: $(cat "$TMP/offroute.err")"
printf 'network:\n  operational_points:\n    - {id: XX, name: Island}\ntimetable:\n  services:\n    - {id: r1, train: regional, departure: "06:00", route: [AST, XX]}\n' >"$TMP/noroute.yaml"
"$TUMEN" timetable "$D/simple.yaml" "$D/corridor.yaml" "$TMP/noroute.yaml" >/dev/null 2>"$TMP/noroute.err"
[ $? -eq 2 ] && grep -q 'noroute\.yaml:6: .*no route' "$TMP/noroute.err" && passed=$((passed + 1)) ||
    fail "a service without a route: $(cat "$TMP/noroute.err")"

echo "bad input: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
