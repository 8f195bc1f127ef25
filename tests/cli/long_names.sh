#!/bin/sh
# long_names.sh: names of any length come out whole; ids longer than 63 bytes are refused.
#  - a 310-byte name of Cyrillic and Korean ("Владивосток두만강" x 10) through every reader
#    that takes names (scenario, network and timetable YAML, railML 2 and 3, railjson, OSM,
#    railtoolkit) comes out whole in the JSON or YAML tumen writes (jq, grep -F);
#  - a 64-byte id exits 2 with file:line: field: id longer than 63 bytes, in each format
#    (TTOBench names are its id: the id part covers it);
#  - every message tumen printed is valid UTF-8 (iconv), however long the name.
# railML 3, railtoolkit and TTOBench use ../shared/data; without it the rest runs and the
# test counts as skipped (tests/need.sh).
# usage: sh long_names.sh <tumen> <srcdir>
set -u
tumen=$1
src=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tumen-names.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
shared_missing=0
bad() { echo "FAIL: $*"; fail=1; }
. "$src/tests/need.sh"
need_tool jq iconv sed
shared="$src/../shared/data"

L=""
i=0
while [ $i -lt 10 ]; do L="${L}Владивосток두만강"; i=$((i + 1)); done
[ "$(printf %s "$L" | wc -c)" -ge 300 ] || bad "the long name is $(printf %s "$L" | wc -c) bytes"
ID=$(printf 'i%.0s' $(seq 64)) # 64 bytes

# whole FILE: the long name occurs in FILE unbroken
whole() {
  grep -qF -- "$L" "$2" || bad "$1: the name is not whole in $(basename "$2")"
}
# refused WHAT STDERR FILE FIELD: exit 2 and "FILE:LINE: FIELD...: id longer than 63 bytes"
refused() {
  [ "$4" = 2 ] || bad "$1: exit status $4, want 2"
  grep -qE -- "$3:[0-9]+: [^:]*$5[^:]*: id longer than 63 bytes" "$2" ||
    bad "$1: stderr '$(cat "$2")' lacks '$3:LINE: ...$5...: id longer than 63 bytes'"
  iconv -f UTF-8 -t UTF-8 "$2" > /dev/null 2>&1 || bad "$1: the message is not valid UTF-8"
}

# 1. Scenario YAML: vehicle, train, line, timing point names, a journey's name and change.
sed -e "s/Six-axle diesel (illustrative)/$L/" -e "s/Diesel with ten coaches/$L/" \
    -e "s/Valley line/$L/" -e "s/name: Bridge/name: \"$L\"/" \
    "$src/tests/data/simple.yaml" > "$tmp/simple.yaml"
"$tumen" run "$tmp/simple.yaml" --json > "$tmp/run.json" || bad "run the long-named scenario"
[ "$(jq -r --arg l "$L" '[.timing_points[] | select(.name == $l)] | length' "$tmp/run.json")" = 1 ] ||
  bad "scenario: the timing point's name is not whole in the run's JSON"
"$tumen" export "$tmp/simple.yaml" -o "$tmp/simple.xml" > /dev/null 2>&1 || true
sed -e "s/id: regional/id: $ID/" "$src/tests/data/simple.yaml" > "$tmp/longid.yaml"
"$tumen" run "$tmp/longid.yaml" > /dev/null 2> "$tmp/err"
refused "scenario YAML" "$tmp/err" longid.yaml $? "trains\[0\].id"

# 2. Network and timetable YAML: an operational point's name, the timetable's name.
F="$src/examples/flagship"
sed -e "s/{id: KHS, name: Khasan,/{id: KHS, name: \"$L\",/" "$F/network.yaml" > "$tmp/network.yaml"
grep -qF -- "$L" "$tmp/network.yaml" || bad "the flagship network has no point named Khasan"
sed -e "s/^  name: \"A day on Khasan - Baranovsky (assumed)\"/  name: \"$L\"/" "$F/timetable.yaml" \
  > "$tmp/timetable.yaml"
"$tumen" timetable "$tmp/network.yaml" "$F/train.yaml" "$tmp/timetable.yaml" --json \
  > "$tmp/tt.json" || bad "timetable over the long-named network"
[ "$(jq -r '.name' "$tmp/tt.json")" = "$L" ] || bad "timetable YAML: the name is not whole"
jq -r '.. | .name? // empty' "$tmp/tt.json" | grep -qxF -- "$L" ||
  bad "network YAML: the point's name is not whole in the timetable's JSON"
sed -e "s/{id: KHS,/{id: $ID,/" "$F/network.yaml" > "$tmp/longid_net.yaml"
"$tumen" timetable "$tmp/longid_net.yaml" "$F/train.yaml" > /dev/null 2> "$tmp/err"
refused "network YAML" "$tmp/err" longid_net.yaml $? "operational_points\[[0-9]+\].id"
sed -e "s/- id: \"2101\"/- id: $ID/" "$F/timetable.yaml" > "$tmp/longid_tt.yaml"
"$tumen" timetable "$F/network.yaml" "$F/train.yaml" "$tmp/longid_tt.yaml" > /dev/null \
  2> "$tmp/err"
refused "timetable YAML" "$tmp/err" longid_tt.yaml $? "services\[0\].id"

# A special's id names its services "<id>-special": at most 55 bytes, else refused.
ID56=$(printf 's%.0s' $(seq 56))
sed -e "s/^  id: kim-special/  id: $ID56/" "$F/special.yaml" > "$tmp/special.yaml"
"$tumen" special "$F/network.yaml" "$F/train.yaml" "$F/timetable.yaml" "$tmp/special.yaml" \
  > /dev/null 2> "$tmp/err"
st=$?
[ $st = 2 ] || bad "special: a 56-byte id: exit status $st, want 2"
grep -qE "special.yaml:13: special.id: id longer than 55 bytes" "$tmp/err" ||
  bad "special: stderr '$(cat "$tmp/err")' lacks 'special.yaml:13: special.id: id longer than 55 bytes'"

# 3. railML 2: an ocp, a vehicle, a formation; imported into network YAML.
sed -e "s/name=\"Berg\"/name=\"$L\"/" -e "s/name=\"Coach\"/name=\"$L\"/" \
    -e "s/name=\"Regional express\"/name=\"$L\"/" "$src/tests/data/import/line-2.4.xml" \
  > "$tmp/line.xml"
"$tumen" import "$tmp/line.xml" -o "$tmp/line.yaml" > /dev/null || bad "import railML 2"
[ "$(grep -cF -- "$L" "$tmp/line.yaml")" -ge 3 ] ||
  bad "railML 2: the names of the ocp, vehicle and formation are not all whole"
sed -e "s/ocp id=\"B\"/ocp id=\"$ID\"/" "$src/tests/data/import/line-2.4.xml" > "$tmp/longid.xml"
"$tumen" import "$tmp/longid.xml" > /dev/null 2> "$tmp/err"
refused "railML 2" "$tmp/err" longid.xml $? "<ocp id='"

# 4. railjson: an operational point's name.
cat > "$tmp/infra.json" <<EOF
{"version": "3.4.12", "track_sections": [{"id": "T", "length": 1000}],
 "operational_points": [{"id": "P", "extensions": {"identifier": {"name": "$L"}},
   "parts": [{"track": "T", "position": 500}]}]}
EOF
"$tumen" import "$tmp/infra.json" -o "$tmp/infra.yaml" > /dev/null || bad "import railjson"
whole railjson "$tmp/infra.yaml"
sed -e "s/\"id\": \"P\"/\"id\": \"$ID\"/" "$tmp/infra.json" > "$tmp/longid.json"
"$tumen" import "$tmp/longid.json" > /dev/null 2> "$tmp/err"
refused railjson "$tmp/err" longid.json $? "operational_points\[0\]"

# 5. OSM: a station's name.
sed -e "s/v=\"Toe\"/v=\"$L\"/" "$src/tests/data/import/switch.osm" > "$tmp/switch.osm"
"$tumen" import "$tmp/switch.osm" -o "$tmp/osm.yaml" > /dev/null || bad "import OSM"
whole OSM "$tmp/osm.yaml"

# 6. railML 3, railtoolkit, TTOBench: files of ../shared/data.
if [ -d "$shared/railml" ] && [ -d "$shared/trainruns" ] && [ -d "$shared/ttobench" ]; then
  sed -e "s/name name=\"Bf Arnau\"/name name=\"$L\"/" \
    "$shared/railml/railml-org-simple-example-v11-3.1.xml" > "$tmp/r3.xml"
  "$tumen" import "$tmp/r3.xml" -o "$tmp/r3.yaml" > /dev/null || bad "import railML 3"
  whole "railML 3" "$tmp/r3.yaml"
  sed -e "s/operationalPoint id=\"opp01\"/operationalPoint id=\"$ID\"/" \
    "$shared/railml/railml-org-simple-example-v11-3.1.xml" > "$tmp/longid3.xml"
  "$tumen" import "$tmp/longid3.xml" > /dev/null 2> "$tmp/err"
  refused "railML 3" "$tmp/err" longid3.xml $? "<operationalPoint id='"

  sed -e "s/name: Regional Train/name: \"$L\"/" "$shared/trainruns/trains/local.yaml" \
    > "$tmp/local.yaml"
  sed -e "s/name: \"10 km, no gradient, 160 km\/h\"/name: \"$L\"/" \
    "$shared/trainruns/paths/const.yaml" > "$tmp/const.yaml"
  "$tumen" run "$tmp/local.yaml" "$tmp/const.yaml" --json > "$tmp/rt.json" ||
    bad "run railtoolkit files"
  jq -r '.. | strings' "$tmp/rt.json" | grep -qxF -- "$L" ||
    bad "railtoolkit: the train's or path's name is not whole in the run's JSON"
  sed -e "0,/id: /s/id: .*/id: $ID/" "$shared/trainruns/trains/local.yaml" > "$tmp/longid_rt.yaml"
  "$tumen" run "$tmp/longid_rt.yaml" "$shared/trainruns/paths/const.yaml" > /dev/null 2> "$tmp/err"
  refused railtoolkit "$tmp/err" longid_rt.yaml $? "id"

  j=$(ls "$shared/ttobench/journeys"/*.json | head -n 1)
  jq --arg id "$ID" '.metadata.id = $id' "$j" > "$tmp/longid_tto.json"
  "$tumen" run "$tmp/longid_tto.json" > /dev/null 2> "$tmp/err"
  refused TTOBench "$tmp/err" longid_tto.json $? "metadata.id"
else
  shared_missing=1
fi

# 7. A long unknown name in a message: clipped at a character, valid UTF-8.
"$tumen" route "$F/network.yaml" "$F/train.yaml" --train special --from "$L$L$L" --to KHS \
  > /dev/null 2> "$tmp/err"
[ $? = 2 ] || bad "route from an unknown long name: want exit 2"
iconv -f UTF-8 -t UTF-8 "$tmp/err" > /dev/null 2>&1 || bad "route: the message is not valid UTF-8"

[ $fail = 0 ] || exit 1
[ $shared_missing = 0 ] || skip_or_fail "railML 3, railtoolkit, TTOBench: no shared data at $shared"
echo "long_names: all passed"
