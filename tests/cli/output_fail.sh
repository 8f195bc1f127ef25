#!/bin/sh
# output_fail.sh: an output that cannot be written is a clean failure, for every output
# option (they all go through the atomic writer, core/atomic.h):
#  - a path whose folder is missing, a path under a regular file (tests run as root, so a
#    folder without write permission would not stop them), and /dev/full (a full disk):
#    exit 1, a message naming the path, nothing written;
#  - an earlier file at the path is untouched when the command fails (bad input).
#
#   sh tests/cli/output_fail.sh PATH/TO/tumen SOURCE_DIR      (ctest runs it so)
set -u
TUMEN=$1
SRC=$2
D=$SRC/tests/data
F=$SRC/examples/flagship
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tumen-output.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
failures=0
passed=0
fail() {
    echo "output: FAIL: $*" >&2
    failures=$((failures + 1))
}
: >"$TMP/afile"
printf 'earlier\n' >"$TMP/earlier"
printf 'vehicles: [\n' >"$TMP/broken.yaml"

# try NAME EXT COMMAND...: the command with OUT replaced by each unwritable path.
try() {
    name=$1
    ext=$2
    shift 2
    ln -sf /dev/full "$TMP/full.$ext" # a full disk, under a name with the right ending
    for out in "$TMP/missing/dir/out.$ext" "$TMP/afile/out.$ext" "$TMP/full.$ext"; do
        [ "$ext" = dir ] && [ "$out" = "$TMP/full.$ext" ] && continue
        args=""
        for a in "$@"; do
            [ "$a" = OUT ] && a=$out
            args="$args '$a'"
        done
        eval "\"$TUMEN\" $args" >"$TMP/out.txt" 2>"$TMP/err.txt"
        status=$?
        if [ "$status" -ne 1 ]; then
            fail "$name to $out: exit status $status, not 1 ($(cat "$TMP/err.txt"))"
        elif ! grep -qF "$out" "$TMP/err.txt"; then
            fail "$name to $out: the message does not name the path: $(cat "$TMP/err.txt")"
        elif [ "$out" != "$TMP/full.$ext" ] && [ -e "$out" ]; then
            fail "$name to $out: something was written"
        elif [ -e "$TMP/missing" ] || [ ! -f "$TMP/afile" ] || ls "$TMP" | grep -q '\.tmp$'; then
            fail "$name to $out: a folder or temporary was left"
        elif [ ! -c /dev/full ]; then
            fail "$name to $out: /dev/full is no longer a device"
        else
            passed=$((passed + 1))
        fi
    done
}

S=$D/simple.yaml
C="$D/simple.yaml $D/corridor.yaml $D/corridor_conflicts.yaml"
try "run --trajectory" csv run "$S" --trajectory OUT
try "run --plot" png run "$S" --plot OUT
try "timetable --csv" csv timetable $C --csv OUT
FT="$F/network.yaml $F/train.yaml $F/timetable.yaml"
try "timetable --gtfs" dir timetable $FT --gtfs OUT
try "timetable --plot" svg timetable $C --plot OUT --line AST-COL
try "conflicts --plot" png conflicts $C --plot OUT --line AST-COL
try "import -o" yaml import "$SRC/tests/data/import/line-2.4.xml" -o OUT
try "export --railml" xml export $C --railml OUT
try "export --geojson" geojson export $C --geojson OUT
try "gen -o" dir gen network --km 60 --trains 3 -o OUT
if [ -f "$F/special.yaml" ]; then
    FS="$F/network.yaml $F/train.yaml $F/timetable.yaml $F/special.yaml"
    try "special --out-timetable" yaml special $FS --out-timetable OUT
    try "special --plot" svg special $FS --plot OUT
fi

# An earlier file at the path stays as it was when the command fails.
for opt in "run --trajectory" "run --plot" "timetable --csv" "export --railml"; do
    cp "$TMP/earlier" "$TMP/keep"
    set -- $opt
    case $2 in --plot) mv "$TMP/keep" "$TMP/keep.png"; k=$TMP/keep.png ;;
               --railml) mv "$TMP/keep" "$TMP/keep.xml"; k=$TMP/keep.xml ;;
               *) k=$TMP/keep ;; esac
    "$TUMEN" "$1" "$TMP/broken.yaml" "$2" "$k" >/dev/null 2>&1
    status=$?
    if [ "$status" -ne 2 ] || ! cmp -s "$TMP/earlier" "$k"; then
        fail "$opt: bad input (exit $status) changed the earlier file"
    else
        passed=$((passed + 1))
    fi
    rm -f "$k"
done

echo "output: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
