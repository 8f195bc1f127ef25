#!/bin/sh
# Fails when an #include goes against the layer order (README.md, "Layout"):
#   core < model < physics < run < block < plan < sim < formats < draw < gen < api
#   < cli, server, python
# A file in layer L may include its own layer and the layers before it, and the public
# header tumen.h (the types every layer shares) from anywhere. The three front ends at the
# top see only tumen.h and their own folder: the public API is their whole world.
# Usage: scripts/check-layers.sh [--front-ends-warn] [SOURCE_DIR]
# --front-ends-warn: a front end's includes of internal headers are printed but do not fail
# (while the CLI moves onto tumen.h; remove it from CMakeLists.txt once it has).
warn_fe=0
if [ "$1" = "--front-ends-warn" ]; then warn_fe=1; shift; fi
root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2
files=$(find src python -name '*.[ch]' 2>/dev/null | sort)
[ -n "$files" ] || { echo "check-layers: no sources under $root"; exit 2; }
# One awk pass over every file: fast enough to run on every test.
# shellcheck disable=SC2086
awk -v warn_fe="$warn_fe" '
BEGIN {
  n = split("core model physics run block plan sim formats draw gen api", order, " ")
  for (i = 1; i <= n; i++) rank[order[i]] = i
  rank["cli"] = rank["server"] = rank["python"] = n + 1
  front = n + 1
  bad = 0
}
FNR == 1 {
  layer = FILENAME
  sub(/^src\//, "", layer)
  if (FILENAME ~ /^python\//) layer = "python"
  sub(/\/.*/, "", layer)
  if (!(layer in rank)) { print "check-layers: " FILENAME ": folder \"" layer "\" is in no layer"; bad = 1 }
}
/^[ \t]*#[ \t]*include[ \t]*"/ {
  inc = $0
  sub(/^[^"]*"/, "", inc); sub(/".*/, "", inc)
  if (inc == "tumen.h" || inc !~ /\//) next
  target = inc; sub(/\/.*/, "", target)
  if (!(layer in rank)) next
  if (!(target in rank)) { print FILENAME ":" FNR ": includes \"" inc "\" from no layer"; bad = 1; next }
  if (rank[layer] == front && target != layer) {
    print FILENAME ":" FNR ": \"" inc "\": a front end (" layer ") uses tumen.h only"
    if (!warn_fe) bad = 1
    next
  }
  if (rank[target] > rank[layer]) {
    print FILENAME ":" FNR ": layer " layer " includes \"" inc "\" from the later layer " target
    bad = 1
  }
}
END {
  if (!bad) print "check-layers: every include follows the layer order"
  exit bad
}' $files
