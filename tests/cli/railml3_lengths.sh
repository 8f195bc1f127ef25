#!/bin/sh
# railml3_lengths.sh: railML 3.1 netElements whose length is not an attribute. The railML.org
# Simple Example v11 (3.1 final, ../shared/data) gives every micro netElement @length, a
# <track> with <length> on each, and intrinsic coordinates 0 and 1 with linear measures on
# most. The test removes @length (the lengths then come from the tracks), then also the
# tracks' <length> (from the intrinsic coordinates; ne_b05, which has no measures, keeps its
# @length): all three import to the same summary and the same network YAML. An element that
# gives none of them is refused with file:line.
# usage: sh railml3_lengths.sh <tumen> <srcdir>
set -u
tumen=$1
src=$2
. "$src/tests/need.sh"
need_tool jq
example="$src/../shared/data/railml/railml-org-simple-example-v11-3.1.xml"
[ -f "$example" ] || skip_or_fail "no railML 3.1 example at $example"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tumen-rml3.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

sed -E 's/(<netElement id="[^"]*") length="[^"]*"/\1/' "$example" > "$tmp/by-track.xml"
sed -E '/id="ne_b05"/!s/(<netElement id="[^"]*") length="[^"]*"/\1/; /<length (type|value)=/d' \
  "$example" > "$tmp/by-coord.xml"
[ "$(grep -c '<netElement id="[^"]*" length=' "$tmp/by-track.xml")" = 0 ] ||
  bad "by-track.xml still has netElement lengths"
[ "$(grep -c '<length ' "$tmp/by-coord.xml")" = 0 ] || bad "by-coord.xml still has <length>"
for f in "$example" "$tmp/by-track.xml" "$tmp/by-coord.xml"; do
  n=$(basename "$f" .xml)
  "$tumen" import "$f" --summary --json > "$tmp/$n.json" || bad "import $f"
  "$tumen" import "$f" -o "$tmp/$n.yaml" > /dev/null || bad "import $f -o"
done
base=$(basename "$example" .xml)
if true; then
  [ "$(jq .tracks "$tmp/$base.json")" = 9 ] || bad "the example: $(jq .tracks "$tmp/$base.json") tracks, want 9"
  [ "$(jq .length_m "$tmp/$base.json")" = 6200 ] || bad "the example: length $(jq .length_m "$tmp/$base.json") m, want 6200"
  for n in by-track by-coord; do
    cmp -s "$tmp/$base.json" "$tmp/$n.json" || bad "$n: summary $(cat "$tmp/$n.json")"
    cmp -s "$tmp/$base.yaml" "$tmp/$n.yaml" || bad "$n: the network differs"
  done
fi
# No length at all: refused with the element's line.
sed -E 's/(<netElement id="ne_b05") length="[^"]*"/\1/' "$tmp/by-coord.xml" > "$tmp/none.xml"
"$tumen" import "$tmp/none.xml" > /dev/null 2> "$tmp/err"
st=$?
[ $st = 2 ] || bad "no length: exit status $st, want 2"
grep -q "none.xml:[0-9]*: <netElement id='ne_b05'>: length: " "$tmp/err" ||
  bad "no length: stderr '$(cat "$tmp/err")'"
[ $fail = 0 ] || exit 1
echo "railml3_lengths: all passed"
