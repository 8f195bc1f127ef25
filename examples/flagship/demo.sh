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

SPECIAL="examples/flagship/network.yaml examples/flagship/train.yaml examples/flagship/timetable.yaml examples/flagship/special.yaml"
# shellcheck disable=SC2086
step "The special with pilot (7 min ahead) and escort through the day's timetable, fit: the earliest clear path" \
    "$TUMEN" special $SPECIAL --mode fit --out-timetable "$OUT/special_fit.yaml"
# shellcheck disable=SC2086
step "The same, priority: the special runs as fast as it can, the others give way at the least cost" \
    "$TUMEN" special $SPECIAL --mode priority --out-timetable "$OUT/special_priority.yaml"

printf '\ndemo: wrote %s/trajectory.csv, %s/speed.png and %s/speed.svg\n' "$OUT" "$OUT" "$OUT"
