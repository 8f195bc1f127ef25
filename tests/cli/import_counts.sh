#!/bin/sh
# import_counts.sh: every railML, OSRD and OSM file of ../shared/data imports, and each count
# of `tumen import --summary --json` equals the count of the same elements in the file taken
# independently: XPath with xmllint for XML, jq for JSON. Skipped (exit 77) without the
# shared data or without xmllint and jq; a failure under CI=true (tests/need.sh).
# usage: sh import_counts.sh <tumen> <srcdir>
tumen=$1
src=$2
data="$src/../shared/data"
. "$src/tests/need.sh"
for d in railml osrd osm; do need_dir "$data/$d" "shared data"; done
need_tool xmllint jq
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

x() { xmllint --xpath "$2" "$1" 2>/dev/null; }
# check FILE KEY EXPECTED: compares the importer's count with the independent one.
check() {
  got=$(jq -r ".$2" "$tmp/summary.json")
  if [ "$got" != "$3" ]; then
    echo "FAIL $1: $2 = $got, the file has $3"; fail=1
  else
    echo "ok   $1: $2 = $got"
  fi
}
# check_len FILE EXPECTED: lengths agree within 1 mm.
check_len() {
  got=$(jq -r ".length_m" "$tmp/summary.json")
  if awk -v a="$got" -v b="$2" 'BEGIN { d = a - b; exit !(d < 0.001 && d > -0.001) }'; then
    echo "ok   $1: length_m = $got"
  else
    echo "FAIL $1: length_m = $got, the file has $2"; fail=1
  fi
}
run() {
  if ! "$tumen" import "$1" --summary --json > "$tmp/summary.json" 2> "$tmp/err"; then
    echo "FAIL $1: import failed: $(cat "$tmp/err")"; fail=1; return 1
  fi
}
L='local-name()'

for f in "$data"/railml/*.xml; do
  n=$(basename "$f")
  root=$(x "$f" "local-name(/*)")
  run "$f" || continue
  if [ "$root" = "railml" ]; then
    check "$n" tracks "$(x "$f" "count(//*[$L='track'])")"
    check_len "$n" "$(x "$f" "sum(//*[$L='trackEnd']/@pos) - sum(//*[$L='trackBegin']/@pos)")"
    check "$n" switches "$(x "$f" "count(//*[$L='switch'])")"
    check "$n" signals "$(x "$f" "count(//*[$L='infrastructure']//*[$L='signal'])")"
    check "$n" speed_changes "$(x "$f" "count(//*[$L='speedChange'])")"
    check "$n" gradient_changes "$(x "$f" "count(//*[$L='gradientChange'])")"
    check "$n" curve_changes "$(x "$f" "count(//*[$L='radiusChange'])")"
    check "$n" operational_points "$(x "$f" "count(//*[$L='ocp'])")"
    check "$n" vehicles "$(x "$f" "count(//*[$L='vehicle'])")"
    check "$n" trains "$(x "$f" "count(//*[$L='timetable']//*[$L='train'])")"
    check "$n" level_crossings "$(x "$f" "count(//*[$L='levelCrossing'])")"
    check "$n" bridges "$(x "$f" "count(//*[$L='bridge'])")"
    check "$n" tunnels "$(x "$f" "count(//*[$L='tunnel'])")"
  else
    fi_='//*[local-name()="functionalInfrastructure"]'
    check "$n" tracks "$(x "$f" "count(//*[$L='netElement'][@length])")"
    check_len "$n" "$(x "$f" "sum(//*[$L='netElement']/@length)")"
    check "$n" switches "$(x "$f" "count($fi_//*[$L='switch' or $L='switchIS'])")"
    check "$n" signals "$(x "$f" "count($fi_//*[$L='signal' or $L='signalIS'])")"
    check "$n" speed_changes "$(x "$f" "count(//*[$L='speedSection'])")"
    check "$n" gradient_changes "$(x "$f" "count(//*[$L='gradientCurve'])")"
    check "$n" curve_changes "$(x "$f" "count(//*[$L='horizontalCurve'])")"
    check "$n" operational_points "$(x "$f" "count(//*[$L='operationalPoint'])")"
    check "$n" level_crossings "$(x "$f" "count(//*[$L='levelCrossing'])")"
  fi
done

for f in "$data"/osrd/infras/*/infra.json; do
  n=$(echo "$f" | sed 's|.*/osrd/||')
  run "$f" || continue
  check "$n" tracks "$(jq '.track_sections | length' "$f")"
  check_len "$n" "$(jq '[.track_sections[].length] | add' "$f")"
  check "$n" switches "$(jq '.switches | length' "$f")"
  check "$n" signals "$(jq '.signals | length' "$f")"
  check "$n" speed_changes "$(jq '.speed_sections | length' "$f")"
  check "$n" gradient_changes "$(jq '[.track_sections[].slopes | length] | add' "$f")"
  check "$n" curve_changes "$(jq '[.track_sections[].curves | length] | add' "$f")"
  check "$n" operational_points "$(jq '.operational_points | length' "$f")"
done

for f in $(find "$data/osrd/rolling_stocks" -name '*.json' | sort); do
  n=$(echo "$f" | sed 's|.*/osrd/||')
  run "$f" || continue
  check "$n" vehicles "$(jq 'if .effort_curves then 1 else 0 end' "$f")"
  check "$n" tracks 0
done

for f in "$data"/osm/*; do
  n=$(basename "$f")
  run "$f" || continue
  rail="//way[tag[@k='railway' and @v='rail']]"
  check "$n" tracks "$(x "$f" "count($rail)")"
  check "$n" switches "$(x "$f" "count(//node[tag[@k='railway' and @v='switch']])")"
  check "$n" signals "$(x "$f" "count(//node[tag[@k='railway' and @v='signal']])")"
  check "$n" speed_changes "$(x "$f" "count($rail[tag[starts-with(@k, 'maxspeed')]])")"
  check "$n" gradient_changes "$(x "$f" "count($rail[tag[@k='incline']])")"
  check "$n" operational_points \
    "$(x "$f" "count(//node[tag[@k='railway' and (@v='station' or @v='halt')]])")"
  check "$n" level_crossings \
    "$(x "$f" "count(//node[tag[@k='railway' and (@v='level_crossing' or @v='crossing')]])")"
  check "$n" bridges "$(x "$f" "count($rail[tag[@k='bridge' and @v!='no']])")"
  check "$n" tunnels "$(x "$f" "count($rail[tag[@k='tunnel' and @v!='no']])")"
  # Sidings dropped: fewer or as many tracks, all service=yard|siding|spur ways gone.
  "$tumen" import "$f" --json --drop-sidings > "$tmp/summary.json" || fail=1
  check "$n (--drop-sidings)" tracks "$(x "$f" "count($rail[not(tag[@k='service' and (@v='yard' or @v='siding' or @v='spur')])])")"
done

exit $fail
