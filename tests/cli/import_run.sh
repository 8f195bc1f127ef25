#!/bin/sh
# import_run.sh: imported networks run trains, and bad files fail cleanly.
#  - the railML line of tests/data imports (-o) and its timetable runs (tumen timetable);
#  - an OSRD rolling stock runs over OSRD small_infra between two of its operational points
#    through `tumen route --run` (without ../shared/data the rest runs, then the test
#    counts as skipped: tests/need.sh); OSRD stock with several modes (two voltages,
#    diesel and electric) runs under each of its systems and coasts in neutral sections;
#  - export writes railML that imports again, and GeoJSON;
#  - malformed files exit 2 with the file, line and element, and leave no output.
# usage: sh import_run.sh <tumen> <srcdir>
set -u
tumen=$1
src=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tumen-import.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
osrd_missing=0
bad() { echo "FAIL: $*"; fail=1; }
. "$src/tests/need.sh"
need_tool jq xmllint

# 1. The railML line end to end.
line="$src/tests/data/import/line-2.4.xml"
"$tumen" import "$line" -o "$tmp/line.yaml" > /dev/null || bad "import $line"
"$tumen" timetable "$tmp/line.yaml" --json > "$tmp/tt.json" || bad "timetable on the railML line"
if true; then
  d=$(jq '.services[0].distance_m' "$tmp/tt.json")
  [ "$(printf '%.0f' "$d")" = 12000 ] || bad "railML line: distance $d, want 12000 m"
fi

# 2. OSRD rolling stock over OSRD small_infra.
data="$src/../shared/data/osrd"
if [ -f "$data/infras/small_infra/infra.json" ]; then
  "$tumen" import "$data/infras/small_infra/infra.json" -o "$tmp/small.yaml" > /dev/null ||
    bad "import small_infra"
  for stock in fast_rolling_stock electric_rolling_stock; do
    "$tumen" import "$data/rolling_stocks/$stock.json" -o "$tmp/$stock.yaml" > /dev/null ||
      bad "import $stock"
    "$tumen" route "$tmp/small.yaml" "$tmp/$stock.yaml" --train "$stock" --from West_station \
      --to North_station --run --json > "$tmp/run.json" 2> "$tmp/run.err" ||
      bad "$stock over small_infra: $(cat "$tmp/run.err")"
    if true; then
      t=$(jq '.run.running_time_s' "$tmp/run.json")
      awk -v t="$t" 'BEGIN { exit !(t > 300 && t < 3600) }' ||
        bad "$stock over small_infra: running time $t s"
    fi
  done
  # Several modes (OSRD realistic stock): the high-speed train draws from 1.5 kV (default)
  # and 25 kV; small_infra is 25 kV but for one 1.5 kV track, so it runs only with both.
  # The freight train is thermal, 1.5 kV and 25 kV: all three kept through YAML, and it
  # coasts through small_infra's neutral sections under the wire (slower than on diesel).
  real="$data/rolling_stocks/realistic"
  grep -q 'neutral: ' "$tmp/small.yaml" || bad "small_infra: no neutral section written"
  "$tumen" import "$real/high-speed-train.json" -o "$tmp/hst.yaml" > /dev/null || bad "import hst"
  "$tumen" route "$tmp/small.yaml" "$tmp/hst.yaml" --train "High-speed train" \
    --from West_station --to North_station --run --json > "$tmp/hst.json" 2> "$tmp/hst.err" ||
    bad "two-voltage train over small_infra: $(cat "$tmp/hst.err")"
  "$tumen" import "$real/freight-train.json" -o "$tmp/freight.yaml" > /dev/null ||
    bad "import freight"
  n=$(grep -c '        - {power: electric' "$tmp/freight.yaml")
  [ "$n" = 2 ] || bad "freight train: $n electric modes in YAML, want 2"
  sed '/^      modes:/,/^    resistance:/{/^    resistance:/!d}' "$tmp/freight.yaml" \
    > "$tmp/freight-diesel.yaml"
  for f in freight freight-diesel; do
    "$tumen" route "$tmp/small.yaml" "$tmp/$f.yaml" --train "Freight train" \
      --from West_station --to North_station --run --json > "$tmp/$f.json" ||
      bad "$f over small_infra"
  done
  if true; then
    te=$(jq '.run.running_time_s' "$tmp/freight.json")
    td=$(jq '.run.running_time_s' "$tmp/freight-diesel.json")
    awk -v e="$te" -v d="$td" 'BEGIN { exit !(e > d + 0.1) }' ||
      bad "freight under the wire ($te s) does not coast through the neutral sections (diesel $td s)"
  fi
  "$tumen" export "$data/infras/small_infra/infra.json" --railml "$tmp/small.xml" \
    --geojson "$tmp/small.geojson" || bad "export small_infra"
  "$tumen" import "$tmp/small.xml" --strict --json > /dev/null || bad "re-import small.xml"
  if true; then
    xmllint --noout "$tmp/small.xml" || bad "small.xml is not well-formed"
  fi
  if true; then
    [ "$(jq -r .type "$tmp/small.geojson")" = FeatureCollection ] || bad "GeoJSON type"
  fi
  # Two trains of a timetable on the imported network, seen at 08:05.
  printf 'timetable:\n  name: t\n  services:\n%s\n%s\n' \
    '    - {id: "1", train: fast_rolling_stock, departure: "08:00", route: [West_station, North_station]}' \
    '    - {id: "2", train: fast_rolling_stock, departure: "08:03", route: [West_station, North_station]}' \
    > "$tmp/tt.yaml"
  "$tumen" export "$tmp/small.yaml" "$tmp/fast_rolling_stock.yaml" "$tmp/tt.yaml" \
    --geojson "$tmp/pos.geojson" --positions 08:05 || bad "export --positions on small_infra"
  if true; then
    n=$(jq '[.features[] | select(.properties.feature == "train")] | length' "$tmp/pos.geojson")
    [ "$n" = 2 ] || bad "--positions 08:05: $n trains, want 2"
  fi
else
  osrd_missing=1
fi

# 2b. A railML 3.1 insulated electrificationSection is a neutral section (hand-written:
# the railML.org examples in ../shared have none).
cat > "$tmp/ins.xml" <<'XML'
<railML xmlns="https://www.railml.org/schemas/3.1" version="3.1">
<infrastructure><topology><netElements><netElement id="ne1" length="1000"/></netElements>
</topology><functionalInfrastructure><electrifications>
<electrificationSection id="es1" isInsulatedSection="true">
<linearLocation id="ll1" applicationDirection="normal">
<associatedNetElement netElementRef="ne1" fromPos="400" toPos="450"/></linearLocation>
</electrificationSection></electrifications></functionalInfrastructure></infrastructure>
</railML>
XML
"$tumen" import "$tmp/ins.xml" -o "$tmp/ins.yaml" > /dev/null || bad "import ins.xml"
grep -q '{to: 450 m, .*neutral: forward}' "$tmp/ins.yaml" ||
  bad "railML 3 insulated section: no neutral section 400-450 m forward in $(cat "$tmp/ins.yaml")"

# 3. Export of the line with trains at 08:05.
"$tumen" export "$tmp/line.yaml" --geojson "$tmp/line.geojson" --positions 08:05 ||
  bad "export --positions"

# 4. Malformed files: exit 2, file:line: <element> on stderr, no output file.
expect() { # name pattern content
  printf '%s' "$3" > "$tmp/$1"
  "$tumen" import "$tmp/$1" -o "$tmp/$1.yaml" > /dev/null 2> "$tmp/err"
  st=$?
  [ $st = 2 ] || bad "$1: exit status $st, want 2"
  grep -q "$2" "$tmp/err" || bad "$1: stderr '$(cat "$tmp/err")' lacks '$2'"
  [ ! -e "$tmp/$1.yaml" ] || bad "$1: output left behind"
}
expect broken.xml 'broken.xml:3: broken XML' '<railml version="2.4">
<infrastructure>
</railml>
'
expect ns.xml "ns.xml:1: <railml>: wrong namespace" '<railml xmlns="urn:x" version="2.4"/>'
expect node.xml "node.xml:4: <elementB>: .*ghost" '<railML xmlns="https://www.railml.org/schemas/3.1">
<infrastructure><topology><netElements><netElement id="a" length="5"/></netElements>
<netRelations><netRelation id="r"><elementA ref="a"/>
<elementB ref="ghost"/></netRelation></netRelations></topology></infrastructure></railML>
'
expect speed.xml "speed.xml:5: <speedChange id='v'>: vMax='-3' is out of range" '<railml version="2.4">
<infrastructure><tracks><track id="t"><trackTopology>
<trackBegin id="b" pos="0"/><trackEnd id="e" pos="100"/></trackTopology>
<trackElements><speedChanges>
<speedChange id="v" pos="5" vMax="-3"/>
</speedChanges></trackElements></track></tracks></infrastructure></railml>
'
expect way.osm "way.osm:3: .*missing node" '<osm version="0.6">
<node id="1" lat="1" lon="2"/>
<way id="5"><nd ref="1"/><nd ref="9"/><tag k="railway" v="rail"/></way>
</osm>
'
expect what.txt "not a format tumen imports" 'just text'
# Ids longer than tumen keeps (63 characters) are refused, not cut.
expect longid.xml "longid.xml:2: <netElement id='a*…'>: id longer than 63 bytes (.* is 70 bytes)" '<railML xmlns="https://www.railml.org/schemas/3.1">
<infrastructure><topology><netElements><netElement id="aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" length="5"/>
</netElements></topology></infrastructure></railML>
'
expect longid.json "longid.json:1: track_sections\[0\]: id longer than 63 bytes (.* is 70 bytes)" '{"version": "3.4.12", "track_sections": [{"id": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "length": 10}]}
'
"$tumen" import > /dev/null 2>&1; [ $? = 2 ] || bad "no file: exit status, want 2"
"$tumen" export "$line" > /dev/null 2>&1; [ $? = 2 ] || bad "export without output: want 2"

[ $fail = 0 ] || exit 1
[ $osrd_missing = 0 ] || skip_or_fail "the OSRD part: no shared data at $src/../shared/data/osrd"
echo "import_run: all passed"
