#!/bin/sh
# security.sh: the route security schedule through the command line, on the flagship.
#
#   sh tests/cli/security.sh PATH/TO/tumen SOURCE_DIR      (ctest runs it so)
#
# - each built-in rule set, fit: --security-schedule writes JSON (exactly the keys of
#   docs/special.md on every object and in the summary, objects in route order) and CSV
#   (one header, a row per object), --json carries the same under security_schedule, and
#   the text ends with the summary in words;
# - bad input exits 2 with file:line: field and writes nothing: an unknown rule set, a
#   negative time, a structure outside its track, a level crossing without a position.
# Needs jq (exit 77 without it; a failure under CI=true).
set -u
TUMEN=$1
F=$2/examples/flagship
if ! command -v jq >/dev/null 2>&1; then
    echo "security: jq is not installed"
    [ "${CI:-}" = true ] && exit 1
    exit 77
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tumen-security.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
failures=0
check() { # check NAME STATUS
    if [ "$2" -ne 0 ]; then echo "security: FAIL: $1" >&2; failures=$((failures + 1)); fi
}
DAY="$F/network.yaml $F/train.yaml $F/timetable.yaml"
OBJ_KEYS='["closed_from_s","closed_until_s","escort_s","guard_from_s","guard_until_s","held","kind","name","pilot_s","position_m","power_off_from_s","power_off_until_s","special_s","track"]'
SUM_KEYS='["cancelled","crossing_closure_min","delay_min","objects","power_off_track_km_h","trains_held"]'

for rules in margins royal strict; do
    sed "s/security: {/security: {rules: $rules, /" "$F/special.yaml" >"$TMP/req_$rules.yaml"
    # shellcheck disable=SC2086
    "$TUMEN" special $DAY "$TMP/req_$rules.yaml" --mode fit \
        --security-schedule "$TMP/$rules.json" >"$TMP/$rules.txt" 2>"$TMP/$rules.err"
    check "$rules: exit status" $?
    jq -e --arg r "$rules" --argjson ok "$OBJ_KEYS" --argjson sk "$SUM_KEYS" '
        .rules == $r and (.objects | length) > 0 and
        all(.objects[]; (keys == $ok) and
            (.kind | IN("level_crossing", "bridge", "tunnel", "station", "junction"))) and
        ([.objects[].position_m] == ([.objects[].position_m] | sort)) and
        (.summary | keys == $sk) and .summary.objects == (.objects | length) and
        ([.objects[] | select(.kind == "level_crossing") | .closed_from_s] | all(. != null)) and
        ([.objects[] | select(.kind != "level_crossing") | .closed_from_s] | all(. == null))
        ' "$TMP/$rules.json" >/dev/null
    check "$rules: JSON schedule keys and order" $?
    tail -n 1 "$TMP/$rules.txt" | grep -q "objects guarded; level crossings closed .* trains held .* cancelled; power off .* track-km-hours\."
    check "$rules: the text ends with the summary" $?
    # shellcheck disable=SC2086
    "$TUMEN" special $DAY "$TMP/req_$rules.yaml" --mode fit --json >"$TMP/$rules.out.json" &&
        jq -e --slurpfile s "$TMP/$rules.json" '.security_schedule == $s[0]' \
            "$TMP/$rules.out.json" >/dev/null
    check "$rules: --json security_schedule equals the file" $?
done

# CSV: the header and one row per object (none of these has held trains in fit mode).
# shellcheck disable=SC2086
"$TUMEN" special $DAY "$TMP/req_royal.yaml" --mode fit --security-schedule "$TMP/royal.csv" \
    >/dev/null 2>&1
check "csv: exit status" $?
head -n 1 "$TMP/royal.csv" | grep -q '^rules,kind,name,track,position_m,pilot_s,special_s,escort_s,guard_from_s,guard_until_s,closed_from_s,closed_until_s,power_off_from_s,power_off_until_s,held_service,held_at,held_from_s,held_until_s$'
check "csv: header" $?
[ "$(($(wc -l <"$TMP/royal.csv") - 1))" -eq "$(jq '.objects | length' "$TMP/royal.json")" ]
check "csv: a row per object" $?

# Bad input: exit 2, file:line: field, nothing written.
bad() { # bad NAME FIELD FILES...
    name=$1 field=$2
    shift 2
    rm -f "$TMP/bad.json"
    "$TUMEN" special "$@" --security-schedule "$TMP/bad.json" >/dev/null 2>"$TMP/bad.err"
    status=$?
    [ "$status" -eq 2 ] && grep -q ":[0-9][0-9]*: $field" "$TMP/bad.err" && [ ! -e "$TMP/bad.json" ]
    check "$name (exit $status: $(head -c 200 "$TMP/bad.err"))" $?
}
sed "s/security: {/security: {rules: papal, /" "$F/special.yaml" >"$TMP/unknown.yaml"
# shellcheck disable=SC2086
bad "unknown rule set" "special.security.rules" $DAY "$TMP/unknown.yaml"
sed "s/security: {/security: {rules: royal, guard_before: -5 min, /" "$F/special.yaml" >"$TMP/neg.yaml"
# shellcheck disable=SC2086
bad "negative time" "special.security.guard_before" $DAY "$TMP/neg.yaml"
sed 's/{kind: bridge, at: 1.0 km, length: 400 m,/{kind: bridge, at: 4.9 km, length: 400 m,/' \
    "$F/network.yaml" >"$TMP/outside.yaml"
bad "structure outside its track" "network.tracks\[7\].structures\[0\].at" "$TMP/outside.yaml" \
    "$F/train.yaml" "$F/timetable.yaml" "$F/special.yaml"
sed 's/{kind: level_crossing, at: 4.5 km, /{kind: level_crossing, /' \
    "$F/network.yaml" >"$TMP/noat.yaml"
bad "level crossing without a position" "network.tracks\[7\].structures\[1\].at" \
    "$TMP/noat.yaml" "$F/train.yaml" "$F/timetable.yaml" "$F/special.yaml"

if [ "$failures" -ne 0 ]; then
    echo "security: $failures checks failed" >&2
    exit 1
fi
echo "security: all checks passed"
