#!/bin/sh
# simulate.sh: tumen simulate end to end on the flagship day.
#
#   sh tests/cli/simulate.sh PATH/TO/tumen SOURCE_DIR      (ctest runs it so)
#
# --json has the keys the issue names; --no-delays is the planned day (everything
# punctual, no delay); the same seed gives the same bytes on 1, 2 and 4 threads, another
# seed other bytes; --out and --plot write their files; a delays file with a bad field, an
# unknown station, a bad CSV value exits 2 naming file:line: field and writes nothing; the
# special's plan compared with the day without it names the service it does not run.
set -u
TUMEN=$1
F=$2/examples/flagship
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tumen-simulate.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
failures=0
passed=0
check() { # check NAME STATUS
    if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else echo "simulate: FAIL: $1" >&2; failures=$((failures + 1)); fi
}
if ! command -v jq >/dev/null 2>&1; then
    echo "simulate: jq is missing (scripts/setup-debian.sh installs it)" >&2
    [ "${CI:-}" = true ] && exit 1
    exit 77
fi
DAY="$F/network.yaml $F/train.yaml $F/timetable.yaml"

# shellcheck disable=SC2086
"$TUMEN" simulate $DAY $F/delays.yaml --replications 40 --seed 5 --json >"$TMP/a.json" 2>"$TMP/a.err"
check "json: exit status $(cat "$TMP/a.err")" $?
jq -e '.replications == 40 and .seed == 5 and
       (.punctuality.passenger | has("1") and has("3") and has("5") and has("15")) and
       (.punctuality.freight["15"] >= .punctuality.freight["3"]) and
       (.delay_s.freight | .p50 <= .p90 and .p90 <= .p99) and
       (.primary_delay_min > 0) and (.knock_on_delay_min > 0) and
       (.stations | length > 5) and (.lines | length > 5) and
       (.spreading_trains | length > 0) and (.spreading_blocks | length > 0)' \
    "$TMP/a.json" >/dev/null
check "json: keys and orders" $?

# shellcheck disable=SC2086
"$TUMEN" simulate $DAY --replications 5 --no-delays --json >"$TMP/none.json"
check "no delays: exit status" $?
jq -e '[.punctuality[][]] | all(. == 1)' "$TMP/none.json" >/dev/null
check "no delays: every train within 1 min" $?
jq -e '.primary_delay_min == 0 and .knock_on_delay_min == 0 and
       ([.delay_s[][]] | all(. == 0))' "$TMP/none.json" >/dev/null
check "no delays: no delay at all" $?

for t in 2 4; do
    # shellcheck disable=SC2086
    "$TUMEN" simulate $DAY $F/delays.yaml --replications 40 --seed 5 --json --threads $t >"$TMP/t$t.json"
    cmp -s "$TMP/a.json" "$TMP/t$t.json"; check "threads $t: same bytes as 1 thread" $?
done
# shellcheck disable=SC2086
"$TUMEN" simulate $DAY $F/delays.yaml --replications 40 --seed 6 --json >"$TMP/s6.json"
! cmp -s "$TMP/a.json" "$TMP/s6.json"; check "another seed, other results" $?

# shellcheck disable=SC2086
"$TUMEN" simulate $DAY --replications 10 --out "$TMP/csv" --plot "$TMP/d.svg" >"$TMP/text" 2>&1
check "out and plot: exit status" $?
for f in punctuality stations lines trains blocks; do
    [ -s "$TMP/csv/$f.csv" ]; check "out: $f.csv written" $?
done
grep -q '^passenger,' "$TMP/csv/punctuality.csv"; check "out: a passenger row" $?
grep -q '<svg' "$TMP/d.svg"; check "plot: an SVG" $?
grep -q 'Punctuality at the destination' "$TMP/text"; check "text report" $?

# One simulated day in full and its time-distance diagram: --replication K adds the day's
# times to --json and replication.csv to --out, the same times in both (and the same as
# the day run alone in another process: --threads and the number of days do not change
# it); --diagram draws it as a PNG or an SVG.
# shellcheck disable=SC2086
"$TUMEN" simulate $DAY $F/delays.yaml --replications 12 --seed 5 --replication 7 --json \
    --out "$TMP/rep" --diagram "$TMP/day7.png" >"$TMP/rep.json" 2>"$TMP/rep.err"
check "replication: exit status $(cat "$TMP/rep.err")" $?
jq -e '.replication.number == 7 and (.replication.services | length) == .services and
       ([.replication.services[].points[] | .arrival_s >= .planned_arrival_s] | all) and
       ([.replication.services[].points[] | select(.arrival_s > .planned_arrival_s + 60)]
        | length > 0)' "$TMP/rep.json" >/dev/null
check "replication: in the JSON, late trains never early" $?
jq -r '.replication.services[] as $s | $s.points | to_entries[] |
       [$s.service, .key, .value.id, .value.arrival_s, .value.departure_s] | @tsv' \
    "$TMP/rep.json" | awk -F'\t' '{printf "%s,%s,%s,%.3f,%.3f\n", $1, $2, $3, $4, $5}' >"$TMP/rep_json.txt"
tail -n +2 "$TMP/rep/replication.csv" | awk -F, '{print $2 "," $4 "," $5 "," $7 "," $9}' >"$TMP/rep_csv.txt"
[ -s "$TMP/rep_csv.txt" ] && cmp -s "$TMP/rep_json.txt" "$TMP/rep_csv.txt"
check "replication: the CSV holds the JSON's times" $?
[ "$(head -c 8 "$TMP/day7.png" | od -An -c | tr -d ' \n')" = '211PNG\r\n032\n' ]
check "diagram: a PNG" $?
# shellcheck disable=SC2086
"$TUMEN" simulate $DAY $F/delays.yaml --replications 40 --seed 5 --replication 7 --json \
    --threads 2 --diagram "$TMP/day7.svg" --line TUM-KHS >"$TMP/rep40.json" 2>"$TMP/rep40.err"
check "replication: 40 days, exit status $(cat "$TMP/rep40.err")" $?
jq -e '.replication' "$TMP/rep.json" >"$TMP/r12"
jq -e '.replication' "$TMP/rep40.json" >"$TMP/r40"
cmp -s "$TMP/r12" "$TMP/r40"; check "replication: day 7 is day 7 whatever else runs" $?
grep -q '<svg' "$TMP/day7.svg"
check "diagram: an SVG" $?
# shellcheck disable=SC2086
"$TUMEN" simulate $DAY --replications 5 --replication 5 >"$TMP/r5.out" 2>"$TMP/r5.err"
[ $? -eq 2 ] && grep -q 'replication' "$TMP/r5.err"; check "replication beyond the days: exit 2" $?
# shellcheck disable=SC2086
"$TUMEN" simulate $DAY --replications 5 --diagram "$TMP/x.pdf" >/dev/null 2>"$TMP/pdf.err"
[ $? -eq 2 ] && [ ! -e "$TMP/x.pdf" ]; check "diagram: .pdf refused" $?

# Bad delays: exit 2, file:line: field, nothing written.
bad() { # bad NAME EXPECTED-MESSAGE YAML
    printf '%s\n' "$3" >"$TMP/bad.yaml"
    # shellcheck disable=SC2086
    "$TUMEN" simulate $DAY "$TMP/bad.yaml" --replications 2 --out "$TMP/badout" >"$TMP/bad.out" 2>"$TMP/bad.err"
    st=$?
    [ "$st" -eq 2 ]; check "$1: exit status $st" $?
    grep -q "$2" "$TMP/bad.err"; check "$1: message '$2' in: $(cat "$TMP/bad.err")" $?
    [ ! -e "$TMP/badout" ] && [ ! -s "$TMP/bad.out" ]; check "$1: nothing written" $?
}
bad "unknown distribution" "bad.yaml:3: delays.passenger.entry.distribution: unknown distribution 'gamma'" \
    'delays:
  passenger:
    entry: {distribution: gamma, mean: 2 min}'
bad "missing parameter" "bad.yaml:3: delays.freight.dwell.sd: missing" \
    'delays:
  freight:
    dwell: {distribution: normal, mean: 1 min}'
bad "p_zero out of range" "bad.yaml:3: delays.special.running.p_zero" \
    'delays:
  special:
    running: {distribution: exponential, mean: 1 min, p_zero: 1.5}'
bad "unknown station" "bad.yaml:3: delays.stations\[0\].at: unknown operational point 'NOWHERE'" \
    'delays:
  stations:
    - at: NOWHERE
      dwell: {distribution: exponential, mean: 1 min}'
printf 'delay_s\n30\n45\nabc\n' >"$TMP/observed.csv"
bad "bad CSV value" "observed.csv:4: value" \
    'delays:
  passenger:
    entry: {distribution: empirical, file: observed.csv}'
printf 'delay_s\n30\n45\n120\n' >"$TMP/observed.csv"
printf 'delays:\n  passenger:\n    entry: {distribution: empirical, file: observed.csv, p_zero: 0.5}\n' >"$TMP/good.yaml"
# shellcheck disable=SC2086
"$TUMEN" simulate $DAY "$TMP/good.yaml" --replications 3 --json >"$TMP/good.json" 2>"$TMP/good.err"
check "empirical CSV: exit status $(cat "$TMP/good.err")" $?

# The special's priority plan against the day without it: 2107 is cancelled in it.
sed '/^timetable:/,$d' "$F/timetable.yaml" >"$TMP/stock.yaml"
# shellcheck disable=SC2086
"$TUMEN" special $DAY "$F/special.yaml" --mode priority --out-timetable "$TMP/prio.yaml" >/dev/null 2>&1
check "special: exit status" $?
"$TUMEN" simulate "$F/network.yaml" "$F/train.yaml" "$TMP/stock.yaml" "$TMP/prio.yaml" \
    --replications 20 --dispatch priority --json --baseline "$F/network.yaml" \
    --baseline "$F/train.yaml" --baseline "$F/timetable.yaml" >"$TMP/cost.json" 2>"$TMP/cost.err"
check "baseline: exit status $(cat "$TMP/cost.err")" $?
jq -e '.baseline.services_not_run == ["2107"] and .baseline.common_services == 11 and
       (.baseline.punctuality_change.freight | has("3")) and
       (.punctuality.special["3"] > 0)' "$TMP/cost.json" >/dev/null
check "baseline: the cost against the day without the special" $?

echo "simulate: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
