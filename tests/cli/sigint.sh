#!/bin/sh
# sigint.sh: SIGINT (or SIGTERM) during a long timetable run stops tumen cleanly: it ends by
# the signal (exit status 128 + signal, no crash) and leaves no output and no temporary. A
# signal that comes too late finds the output whole (the same bytes as an undisturbed run).
# Signals are sent at several moments so that some land while the services run and some
# while the output is written.
#
#   sh tests/cli/sigint.sh PATH/TO/tumen SOURCE_DIR      (ctest runs it so)
set -u
TUMEN=$1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tumen-sigint.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
failures=0
stopped=0
finished=0
fail() {
    echo "sigint: FAIL: $*" >&2
    failures=$((failures + 1))
}
"$TUMEN" gen network --km 1500 --trains 4000 -o "$TMP/day" >/dev/null || { fail "gen"; exit 1; }
DAY="$TMP/day/network.yaml $TMP/day/trains.yaml $TMP/day/timetable.yaml"
# shellcheck disable=SC2086
"$TUMEN" timetable $DAY --csv "$TMP/reference.csv" >/dev/null || { fail "reference run"; exit 1; }

for delay in 0.3 1.0 2.0; do
    for sig in INT TERM; do
        case $sig in INT) signum=2 ;; TERM) signum=15 ;; esac
        rm -f "$TMP/out.csv"
        # shellcheck disable=SC2086
        "$TUMEN" timetable $DAY --csv "$TMP/out.csv" >/dev/null 2>"$TMP/err.txt" &
        pid=$!
        sleep "$delay"
        kill -s "$sig" "$pid" 2>/dev/null
        wait "$pid"
        status=$?
        leftovers=$(ls "$TMP" | grep -c '\.tmp$')
        if [ "$leftovers" -ne 0 ]; then
            fail "SIG$sig after $delay s: a temporary file was left"
        elif [ "$status" -eq 0 ]; then
            cmp -s "$TMP/reference.csv" "$TMP/out.csv" || fail "SIG$sig after $delay s: output differs"
            finished=$((finished + 1))
        elif [ "$status" -eq $((128 + signum)) ]; then
            # The signal may land after the output was committed (renamed into place) and
            # before the program exits: then the output is there and must be whole.
            if [ -e "$TMP/out.csv" ] && ! cmp -s "$TMP/reference.csv" "$TMP/out.csv"; then
                fail "SIG$sig after $delay s: stopped, and a partial output is there"
            fi
            stopped=$((stopped + 1))
        else
            fail "SIG$sig after $delay s: exit status $status ($(cat "$TMP/err.txt"))"
        fi
    done
done
echo "sigint: $stopped stopped by the signal, $finished finished first, $failures failed"
[ "$failures" -eq 0 ] && [ "$stopped" -gt 0 ]
