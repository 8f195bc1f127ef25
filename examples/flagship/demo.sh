#!/bin/sh
# demo.sh: runs the flagship example (`make demo` calls it).
#
#   sh examples/flagship/demo.sh PATH/TO/tumen
#
# Runs the armoured special from Pyongyang to Vladivostok, writes its trajectory and
# speed-distance plots to out/flagship/, and prints the braking report that explains the
# train's 60 km/h. Runs from the repository root, whatever the current directory; exits
# non-zero as soon as a command fails.
set -u

if [ $# -lt 1 ] || [ -z "$1" ]; then
    echo "usage: sh examples/flagship/demo.sh PATH/TO/tumen" >&2
    exit 2
fi
TUMEN=$1
# A path relative to where we were called from must survive the cd below.
case $TUMEN in
    /*) ;;
    */*) TUMEN=$(pwd)/$TUMEN ;;
esac
cd "$(dirname "$0")/../.." || exit 1

JOURNEY=examples/flagship/journey.yaml
OUT=out/flagship

step() {
    printf '\n== %s\n' "$1"
    shift
    printf '$ %s\n\n' "$*"
    "$@" || { status=$?; echo "demo: failed (exit $status): $*" >&2; exit "$status"; }
}

mkdir -p "$OUT" || exit 1

step "The armoured special, Pyongyang - Tumangang - Khasan - Ussuriysk - Vladivostok: timetable, trajectory and a PNG plot" \
    "$TUMEN" run "$JOURNEY" --trajectory "$OUT/trajectory.csv" --plot "$OUT/speed.png"
printf '\n== The same run, plotted as SVG (timetable as above, not repeated)\n'
printf '$ %s\n' "$TUMEN run $JOURNEY --plot $OUT/speed.svg"
"$TUMEN" run "$JOURNEY" --plot "$OUT/speed.svg" >/dev/null ||
    { status=$?; echo "demo: failed (exit $status): tumen run --plot $OUT/speed.svg" >&2; exit "$status"; }
step "Why 60 km/h: brake percentage and the highest speed each line's braking distance allows" \
    "$TUMEN" braking "$JOURNEY"

DAY="examples/flagship/network.yaml examples/flagship/train.yaml examples/flagship/timetable.yaml"
printf '\n== The day the special runs through: 12 regular trains on Khasan - Baranovsky (time-distance diagram)\n'
printf '$ %s\n' "$TUMEN timetable $DAY --plot $OUT/timetable.svg --line KHS-BAR"
# shellcheck disable=SC2086
"$TUMEN" timetable $DAY --plot "$OUT/timetable.svg" --line KHS-BAR >/dev/null ||
    { status=$?; echo "demo: failed (exit $status): tumen timetable --plot $OUT/timetable.svg" >&2; exit "$status"; }
# shellcheck disable=SC2086
step "Its blocking times under the assumed block signals: no conflict, 3 min to spare at every crossing (stairs drawn)" \
    "$TUMEN" conflicts $DAY --buffer 180 --plot "$OUT/conflicts.svg" --line KHS-BAR

SPECIAL="examples/flagship/network.yaml examples/flagship/train.yaml examples/flagship/timetable.yaml examples/flagship/special.yaml"
# shellcheck disable=SC2086
step "The special with pilot (7 min ahead) and escort through the day's timetable, fit: the earliest clear path" \
    "$TUMEN" special $SPECIAL --mode fit --out-timetable "$OUT/special_fit.yaml"
# shellcheck disable=SC2086
step "The same, priority: the special runs as fast as it can, the others give way at the least cost" \
    "$TUMEN" special $SPECIAL --mode priority --out-timetable "$OUT/special_priority.yaml"

# The route security schedule under each built-in rule set (docs/special.md): the request
# with `rules:` added, the schedule (JSON) and the picture written, the summary printed.
for RULES in margins royal strict; do
    sed "s/security: {/security: {rules: $RULES, /" examples/flagship/special.yaml \
        > "$OUT/special_$RULES.yaml" || exit 1
    for MODE in fit priority; do
        printf '\n== Security rule set %s, %s: the route security schedule (summary)\n' "$RULES" "$MODE"
        printf '$ %s\n\n' "$TUMEN special ... $OUT/special_$RULES.yaml --mode $MODE --security-schedule $OUT/security_${RULES}_$MODE.json --plot $OUT/security_${RULES}_$MODE.svg"
        # shellcheck disable=SC2086
        "$TUMEN" special $DAY "$OUT/special_$RULES.yaml" --mode "$MODE" \
            --security-schedule "$OUT/security_${RULES}_$MODE.json" \
            --plot "$OUT/security_${RULES}_$MODE.svg" > "$OUT/security_${RULES}_$MODE.txt" ||
            { status=$?; echo "demo: failed (exit $status): tumen special, rules $RULES" >&2; exit "$status"; }
        grep -E '^(special .*mode|disruption:|  [0-9A-Za-z-]+ +(held|cancelled))' "$OUT/security_${RULES}_$MODE.txt"
        tail -n 1 "$OUT/security_${RULES}_$MODE.txt"
    done
done

# The day with random delays: 200 simulated days without and with the special, on the same
# random streams (docs/simulate.md). The special's timetables hold the day's services; the
# trains they run are defined in timetable.yaml, whose services are left out here.
sed '/^timetable:/,$d' examples/flagship/timetable.yaml >"$OUT/stock.yaml" || exit 1
DELAYS=examples/flagship/delays.yaml
# shellcheck disable=SC2086
step "200 simulated days of the regular day with random delays (assumed: delays.yaml)" \
    "$TUMEN" simulate $DAY $DELAYS --replications 200 --threads 2 --plot "$OUT/delays.svg"
BASELINE="--baseline examples/flagship/network.yaml --baseline examples/flagship/train.yaml --baseline examples/flagship/timetable.yaml"
for mode in fit priority; do
    # shellcheck disable=SC2086
    step "What the special costs ($mode plan): the same 200 days with it, against the day without it" \
        "$TUMEN" simulate examples/flagship/network.yaml examples/flagship/train.yaml "$OUT/stock.yaml" \
        "$OUT/special_$mode.yaml" $DELAYS --replications 200 --threads 2 --dispatch priority \
        $BASELINE --out "$OUT/simulate_$mode"
done

printf '\ndemo: wrote %s/trajectory.csv, %s/speed.png, %s/speed.svg, %s/timetable.svg, %s/conflicts.svg,\n      %s/delays.svg and %s/simulate_fit/, %s/simulate_priority/ (CSV)\n' \
    "$OUT" "$OUT" "$OUT" "$OUT" "$OUT" "$OUT" "$OUT" "$OUT"
printf 'demo: wrote the security schedules %s/security_<rules>_<mode>.json (and .txt, .svg)\n' "$OUT"
