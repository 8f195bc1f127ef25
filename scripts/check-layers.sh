#!/bin/sh
# Fails when an #include goes against the layer order (docs/architecture.md):
#   core < model < physics < run < block < plan < sim < formats < draw < gen < api
#   < cli, server, python
# A file in layer L may include its own layer and the layers before it; the public
# header tumen.h (the types every layer shares) from anywhere. The three front ends at the
# top see only tumen.h and their own folder: the public API is their whole world.
# Usage: scripts/check-layers.sh [--front-ends-warn] [SOURCE_DIR]
# --front-ends-warn: a front end's includes of internal headers are printed but do not fail
# (while the CLI moves onto tumen.h; remove it from CMakeLists.txt once it has).
warn_fe=0
if [ "$1" = "--front-ends-warn" ]; then warn_fe=1; shift; fi
root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2
rank() {
  case $1 in
    core) echo 0 ;; model) echo 1 ;; physics) echo 2 ;; run) echo 3 ;; block) echo 4 ;;
    plan) echo 5 ;; sim) echo 6 ;; formats) echo 7 ;; draw) echo 8 ;; gen) echo 9 ;;
    api) echo 10 ;; cli|server|python) echo 11 ;; *) echo -1 ;;
  esac
}
bad=0
tmp=$(mktemp "${TMPDIR:-/tmp}/check-layers.XXXXXX") || exit 2
trap 'rm -f "$tmp"' EXIT
for f in $(find src python -name '*.[ch]' 2>/dev/null | sort); do
  layer=$(echo "$f" | sed 's#^src/##; s#^python/.*#python#; s#/.*##')
  lr=$(rank "$layer")
  if [ "$lr" -lt 0 ]; then echo "check-layers: $f: folder '$layer' is in no layer"; bad=1; continue; fi
  grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" | while IFS= read -r hit; do
    line=${hit%%:*}
    inc=$(echo "$hit" | sed 's/^[^"]*"//; s/".*//')
    case $inc in
      tumen.h) continue ;;
      */*) target=${inc%%/*} ;;
      *) continue ;;  # a file of the same folder
    esac
    tr=$(rank "$target")
    if [ "$tr" -lt 0 ]; then echo "$f:$line: includes \"$inc\" from no layer"; echo x; continue; fi
    if [ "$lr" -eq 11 ] && [ "$target" != "$layer" ]; then
      echo "$f:$line: \"$inc\": a front end ($layer) uses tumen.h only"
      [ $warn_fe -eq 1 ] || echo x
      continue
    fi
    if [ "$tr" -gt "$lr" ]; then
      echo "$f:$line: layer $layer includes \"$inc\" from the later layer $target"; echo x
    fi
  done > "$tmp"
  grep -v '^x$' "$tmp"
  if grep -q '^x$' "$tmp"; then bad=1; fi
done
[ $bad -eq 0 ] && echo "check-layers: every include follows the layer order"
rm -f "$tmp"
exit $bad
