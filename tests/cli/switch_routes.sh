#!/bin/sh
# switch_routes.sh: on every OSRD infrastructure in ../shared/data, every route tumen finds
# is a legal path through the switches and as short as the shortest legal path, by an
# oracle that reads the file itself (tests/switch_routes.py); `import --summary --json`
# counts the legal moves (switch_connections) as the file's switch types define them.
# Routes go over the network tumen imported and wrote as YAML, so the written switches
# read back into the same routes.
# usage: sh switch_routes.sh <tumen> <srcdir>
set -u
tumen=$1
src=$2
skip() {
  if [ "${CI:-}" = true ] || [ "${fail:-0}" -ne 0 ]; then echo "FAIL: cannot check: $*"; exit 1; fi
  echo "SKIP: $*"; exit 77
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tumen-switches.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

# 1. railML 2 (tests/data/import/switches-2.4.xml): a branch that leaves towards increasing
#    pos is reached from before the switch only; Charlie - Delta needs a reversal at Alpha.
cat > "$tmp/slow.yaml" <<'YAML'
vehicles:
  - {id: slow_loco, kind: locomotive, power: diesel, mass: 80 t, length: 20 m,
     max_speed: 7.2 km/h, traction: {max_force: 200 kN, max_power: 1000 kW},
     brake: {weight: 60 t}, resistance: {law: davis, a: 1 kN}}
trains:
  - {id: slow, consist: [{vehicle: slow_loco, count: 1}]}
YAML
"$tumen" import "$src/tests/data/import/switches-2.4.xml" -o "$tmp/rm.yaml" > /dev/null ||
  { echo "FAIL: import switches-2.4.xml"; fail=1; }
route_len() { # from to [via]: the route's length, or "none"
  via=""
  [ $# -gt 2 ] && via="--via $3"
  # shellcheck disable=SC2086
  "$tumen" route "$tmp/rm.yaml" "$tmp/slow.yaml" --train slow --from "$1" --to "$2" $via \
    --json 2> /dev/null | sed -n 's/^  "length_m": \([0-9.]*\),/\1/p' | head -n 1 |
    grep . || echo none
}
for want in "A D 1500.0" "D A 1500.0" "A C 2000.0" "C D none" "D C none"; do
  set -- $want
  got=$(route_len "$1" "$2")
  [ "$got" = "$3" ] || { echo "FAIL: railML switch: $1 -> $2: $got, want $3"; fail=1; }
done
got=$(route_len C D A)
[ "$got" = 3500.0 ] || { echo "FAIL: railML switch: C -> D via A: $got, want 3500.0"; fail=1; }

# 2. OpenStreetMap (tests/data/import/switch.osm): ways joined at a node are a through-route
#    only where the train turns by less than 30 degrees: Toe - Left, Toe - Right, never
#    Left - Right.
"$tumen" import "$src/tests/data/import/switch.osm" -o "$tmp/rm.yaml" > /dev/null ||
  { echo "FAIL: import switch.osm"; fail=1; }
for want in "Toe Left" "Toe Right" "Left none" "Right none"; do
  set -- $want
  from=$1
  to=Right
  [ "$1" = Right ] && to=Left
  [ "$1" = Toe ] && { from=Toe; to=$2; }
  got=$(route_len "$from" "$to")
  if [ "$1" = Toe ]; then
    [ "$got" != none ] || { echo "FAIL: OSM switch: no route $from -> $to"; fail=1; }
  else
    [ "$got" = none ] || { echo "FAIL: OSM switch: $from -> $to is a route ($got m)"; fail=1; }
  fi
done

# The same map as .osm.pbf (written by osmium from Debian's osmium-tool) reads the same, and
# a node listed twice alike (as the Overpass API writes some) is one node.
if command -v osmium > /dev/null 2>&1; then
  osmium cat "$src/tests/data/import/switch.osm" -o "$tmp/switch.osm.pbf" -O 2> /dev/null &&
    "$tumen" import "$tmp/switch.osm.pbf" -o "$tmp/pbf.yaml" > /dev/null &&
    cmp -s "$tmp/rm.yaml" "$tmp/pbf.yaml" || { echo "FAIL: switch.osm.pbf reads otherwise"; fail=1; }
elif [ "${CI:-}" = true ]; then
  echo "FAIL: osmium (osmium-tool) not found"; fail=1
else
  echo "SKIP: the PBF check: osmium not found"
fi
sed 's#^\(  <node id="2" .*\)$#\1\n\1#' "$src/tests/data/import/switch.osm" > "$tmp/twice.osm"
"$tumen" import "$tmp/twice.osm" -o "$tmp/twice.yaml" > /dev/null &&
  cmp -s "$tmp/rm.yaml" "$tmp/twice.yaml" || { echo "FAIL: a node listed twice"; fail=1; }
sed 's#^\(  <node id="2" \)lat="50.0000"\(.*\)$#&\n\1lat="50.1"\2#' \
  "$src/tests/data/import/switch.osm" > "$tmp/moved.osm"
"$tumen" import "$tmp/moved.osm" --summary > /dev/null 2> "$tmp/moved.err"
[ $? -eq 2 ] && grep -q "moved.osm:.*node id='2'.*duplicate" "$tmp/moved.err" ||
  { echo "FAIL: a node id twice at two places: $(cat "$tmp/moved.err")"; fail=1; }

# railML in ../shared/data: switch_connections against an XPath count of the file (railML 2:
# per <switch> its straight way and one per <connection> in it; railML 3: the navigable
# netRelations between micro netElements, those with a length).
if command -v xmllint > /dev/null 2>&1; then
  x2='count(//*[local-name()="switch"]) + count(//*[local-name()="switch"]/*[local-name()="connection"])'
  micro='//*[local-name()="netElement"][@length]/@id'
  x3="count(//*[local-name()=\"netRelation\"][not(@navigability=\"None\")][*[local-name()=\"elementA\"]/@ref = $micro and *[local-name()=\"elementB\"]/@ref = $micro])"
  for f in "$src"/../shared/data/railml/*.xml; do
    [ -f "$f" ] || continue
    case $f in *3.[0-9].xml) xp=$x3 ;; *) xp=$x2 ;; esac
    want=$(xmllint --xpath "$xp" "$f")
    got=$("$tumen" import "$f" --summary --json | sed 's/.*"switch_connections": \([0-9]*\).*/\1/')
    [ "$got" = "$want" ] || { echo "FAIL: $(basename "$f"): switch_connections $got, XPath $want"; fail=1; }
  done
fi

# railML 3.1 as published writes a speed section's limit as maxSpeed (its beta: vMax).
f3="$src/../shared/data/railml/railml-org-simple-example-v11-3.1.xml"
if [ -f "$f3" ]; then
  sed 's/vMax=/maxSpeed=/g' "$f3" > "$tmp/max.xml"
  "$tumen" import "$f3" -o "$tmp/v.yaml" > /dev/null && "$tumen" import "$tmp/max.xml" -o "$tmp/m.yaml" > /dev/null &&
    [ "$(grep -v '^#' "$tmp/v.yaml")" = "$(grep -v '^#' "$tmp/m.yaml")" ] ||
    { echo "FAIL: railML 3 maxSpeed reads otherwise than vMax"; fail=1; }
fi

# 2. Every OSRD infrastructure in ../shared/data against the oracle.
command -v python3 > /dev/null 2>&1 || skip "python3 not found"
infras=$(ls "$src"/../shared/data/osrd/infras/*/infra.json 2> /dev/null)
[ -n "$infras" ] || skip "no OSRD infrastructures in ../shared/data"
for infra in $infras; do
  name=$(basename "$(dirname "$infra")")
  mkdir -p "$tmp/$name"
  python3 "$src/tests/switch_routes.py" "$tumen" "$infra" "$tmp/$name" || fail=1
  got=$("$tumen" import "$infra" --summary --json |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["switch_connections"])')
  want=$(python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import switch_routes as s, json
print(len(s.legal_moves(json.load(open(sys.argv[2])))) // 2)' "$src/tests" "$infra")
  if [ "$got" != "$want" ]; then
    echo "FAIL: $name: switch_connections $got, the file defines $want"
    fail=1
  else
    echo "$name: switch_connections $got"
  fi
done
exit $fail
