#!/bin/sh
# import_timetable_only.sh: a railML 2 timetable exported without infrastructure (it refers
# to ocps by id) is counted by --summary (exit 0) and the message says why its trains are not
# read, instead of failing the whole import; its rolling stock is still read.
# usage: sh import_timetable_only.sh <tumen> <srcdir>
set -u
tumen=$1
src=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tumen-ttonly.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
# The test line without its <infrastructure> element.
awk '/<infrastructure/ { skip = 1 } !skip { print } /<\/infrastructure>/ { skip = 0 }' \
  "$src/tests/data/import/line-2.4.xml" > "$tmp/tt.xml"
"$tumen" import "$tmp/tt.xml" --summary --json > "$tmp/out.json" 2> "$tmp/err" ||
  { echo "FAIL: import of a timetable-only file: $(cat "$tmp/err")"; fail=1; }
grep -q '"trains": 1' "$tmp/out.json" && grep -q '"vehicles": 2' "$tmp/out.json" &&
  grep -q '"tracks": 0' "$tmp/out.json" || { echo "FAIL: counts: $(cat "$tmp/out.json")"; fail=1; }
grep -q "tt.xml: its timetable's 1 train(s) were counted, not read: the file has no infrastructure" \
  "$tmp/err" || { echo "FAIL: message: $(cat "$tmp/err")"; fail=1; }
exit $fail
