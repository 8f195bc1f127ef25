#!/bin/sh
# timetable.sh: `tumen timetable` on the flagship day runs end to end with every output, gives
# the same bytes on 1 and 4 threads, and a timetable naming an unknown train fails cleanly.
#
#   sh tests/cli/timetable.sh PATH/TO/tumen SOURCE_DIR      (ctest runs it so)
#
# Checks, with grep and cmp only:
#  1. the flagship network, trains and timetable run with --plot (SVG and PNG, by magic
#     bytes), --csv and --gtfs (the six files); --json has "services" and "timing_points";
#  2. --json on 1 and on 4 threads is the same bytes;
#  3. an unknown train exits 2, names the file, the line and the field, and writes nothing;
#  4. usage errors (--plot without --line, a bad extension) exit 2.
# Exits 0 on success, 1 with a message on the first failure.
set -u

fail() {
    echo "timetable test: FAIL: $*" >&2
    exit 1
}

[ $# -eq 2 ] || fail "usage: sh tests/cli/timetable.sh PATH/TO/tumen SOURCE_DIR"
TUMEN=$1
F=$2/examples/flagship
[ -x "$TUMEN" ] || fail "no tumen binary at '$TUMEN'"
for f in network.yaml train.yaml timetable.yaml; do
    [ -f "$F/$f" ] || fail "no $F/$f"
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/tumen-timetable.XXXXXX") || fail "cannot make a temporary folder"
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' HUP INT TERM
FILES="$F/network.yaml $F/train.yaml $F/timetable.yaml"

# 1. Every output.
# shellcheck disable=SC2086
"$TUMEN" timetable $FILES --plot "$TMP/day.svg" --line KHS-BAR --csv "$TMP/day.csv" \
    --gtfs "$TMP/gtfs" >"$TMP/table.txt" 2>"$TMP/err.txt"
status=$?
[ "$status" -eq 0 ] || fail "tumen timetable exited with $status: $(cat "$TMP/err.txt")"
grep -q "Khasan" "$TMP/table.txt" || fail "the table does not mention Khasan"
head -c 5 "$TMP/day.svg" | grep -q '<?xml' || fail "day.svg is not SVG"
for f in agency stops routes trips stop_times calendar; do
    [ -s "$TMP/gtfs/$f.txt" ] || fail "the GTFS feed has no $f.txt"
done
grep -q '^service_id,train,category,seq,op_id' "$TMP/day.csv" || fail "the CSV has no header"
# shellcheck disable=SC2086
"$TUMEN" timetable $FILES --plot "$TMP/day.png" --line BAR,KHS >/dev/null 2>"$TMP/err.txt" ||
    fail "the PNG plot failed: $(cat "$TMP/err.txt")"
[ "$(head -c 4 "$TMP/day.png" | tail -c 3)" = "PNG" ] || fail "day.png is not PNG"

# 2. Same bytes for any thread count.
# shellcheck disable=SC2086
"$TUMEN" timetable $FILES --json --threads 1 >"$TMP/one.json" 2>"$TMP/err.txt" ||
    fail "--json failed: $(cat "$TMP/err.txt")"
# shellcheck disable=SC2086
"$TUMEN" timetable $FILES --json --threads 4 >"$TMP/four.json" 2>"$TMP/err.txt" ||
    fail "--json --threads 4 failed: $(cat "$TMP/err.txt")"
cmp -s "$TMP/one.json" "$TMP/four.json" || fail "1 and 4 threads give different JSON"
grep -q '"services"' "$TMP/one.json" || fail 'the JSON has no "services"'
grep -q '"timing_points"' "$TMP/one.json" || fail 'the JSON has no "timing_points"'

# 3. An unknown train.
BROKEN=$TMP/broken.yaml
sed 's/train: freight_2te116_empty$/train: freight_2te999/' "$F/timetable.yaml" >"$BROKEN"
line=$(grep -n 'freight_2te999' "$BROKEN" | head -n 1 | cut -d: -f1)
[ -n "$line" ] || fail "found no train to break"
mkdir "$TMP/out" || fail "cannot make $TMP/out"
"$TUMEN" timetable "$F/network.yaml" "$F/train.yaml" "$BROKEN" --csv "$TMP/out/x.csv" \
    --gtfs "$TMP/out/gtfs" >/dev/null 2>"$TMP/broken.err"
status=$?
[ "$status" -eq 2 ] || fail "an unknown train exited with $status, not 2: $(cat "$TMP/broken.err")"
grep -Eq "broken\.yaml:$line: timetable\.services\[[0-9]+\]\.train: unknown train" \
    "$TMP/broken.err" || fail "stderr does not name file, line and field: $(cat "$TMP/broken.err")"
[ -z "$(ls -A "$TMP/out")" ] || fail "a failed run left files behind: $(ls -A "$TMP/out")"

# 4. Usage errors.
# shellcheck disable=SC2086
"$TUMEN" timetable $FILES --plot "$TMP/x.svg" >/dev/null 2>&1
[ $? -eq 2 ] || fail "--plot without --line did not exit 2"
# shellcheck disable=SC2086
"$TUMEN" timetable $FILES --plot "$TMP/x.pdf" --line KHS-BAR >/dev/null 2>&1
[ $? -eq 2 ] || fail "--plot x.pdf did not exit 2"
# shellcheck disable=SC2086
"$TUMEN" timetable $FILES --plot "$TMP/x.svg" --line KHS-NOWHERE >/dev/null 2>&1
[ $? -eq 2 ] || fail "--line to an unknown point did not exit 2"
[ ! -e "$TMP/x.svg" ] || fail "a failed plot left x.svg behind"

echo "timetable test: ok"
exit 0
