#!/bin/sh
# The installed library: `cmake --install` into a temporary prefix, then
#  - libtumen.so exports only tumen_ symbols (nm -D --defined-only) and has SONAME
#    libtumen.so.MAJOR;
#  - examples/c/run_flagship.c builds with cc and `pkg-config --cflags --libs tumen`
#    (PKG_CONFIG_PATH at the prefix) and its arrival and energy are the CLI's.
# Usage: sh example.sh BUILD_DIR SOURCE_DIR [CFLAGS] (CFLAGS: -fsanitize=... when the
# library is a sanitizer build, which needs a program built alike). Exit 77 (skip) without cc, pkg-config or nm,
# unless CI=true.
BUILD=$1
SRC=$2
CFLAGS=${3:-}
for tool in cc pkg-config nm readelf; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "install_example: no $tool"
        [ "$CI" = true ] && exit 1
        exit 77
    fi
done
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tumen-install.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
fail() { echo "install_example: $*"; exit 1; }

cmake --install "$BUILD" --prefix "$TMP/prefix" >"$TMP/install.log" 2>&1 ||
    fail "cmake --install failed: $(cat "$TMP/install.log")"
LIB=$TMP/prefix/lib
for f in include/tumen.h lib/libtumen.a lib/pkgconfig/tumen.pc bin/tumen; do
    [ -f "$TMP/prefix/$f" ] || fail "not installed: $f"
done
so=$(ls "$LIB"/libtumen.so.*.*.* 2>/dev/null | head -n 1)
[ -n "$so" ] || fail "no libtumen.so.MAJOR.MINOR.PATCH in $LIB"
others=$(nm -D --defined-only "$so" | awk '{print $3}' | grep -v '^tumen_')
[ -z "$others" ] || fail "symbols exported beyond tumen_: $(echo $others | head -c 300)"
n=$(nm -D --defined-only "$so" | grep -c ' tumen_')
[ "$n" -gt 100 ] || fail "only $n tumen_ symbols exported"
major=$(sed -n 's/^#define TUMEN_VERSION_MAJOR \([0-9]*\).*/\1/p' "$SRC/include/tumen.h")
readelf -d "$so" | grep -q "SONAME.*\[libtumen.so.$major\]" ||
    fail "SONAME is not libtumen.so.$major: $(readelf -d "$so" | grep SONAME)"

export PKG_CONFIG_PATH="$LIB/pkgconfig"
flags=$(pkg-config --cflags --libs tumen) || fail "pkg-config does not find tumen"
cc $CFLAGS "$SRC/examples/c/run_flagship.c" $flags -o "$TMP/run_flagship" 2>"$TMP/cc.log" ||
    fail "the example does not build: $(cat "$TMP/cc.log")"
LD_LIBRARY_PATH=$LIB "$TMP/run_flagship" "$SRC/examples/flagship/journey.yaml" >"$TMP/out.txt" ||
    fail "the example failed: $(cat "$TMP/out.txt")"
# It ran against the installed shared library, not another one.
LD_LIBRARY_PATH=$LIB ldd "$TMP/run_flagship" 2>/dev/null | grep -q "$LIB/libtumen.so" ||
    fail "the example is not linked to $LIB/libtumen.so"
arrival=$(sed -n 's/^arrival at .*: \([0-9]*\) s after departure.*/\1/p' "$TMP/out.txt")
energy=$(sed -n 's/^traction energy at the wheel: \([0-9]*\) kWh/\1/p' "$TMP/out.txt")
[ -n "$arrival" ] && [ -n "$energy" ] || fail "unexpected output: $(cat "$TMP/out.txt")"
# The same figures from the installed CLI's JSON.
"$TMP/prefix/bin/tumen" run "$SRC/examples/flagship/journey.yaml" --json >"$TMP/run.json" ||
    fail "the installed CLI does not run"
cli_time=$(sed -n 's/^  "running_time_s": \([0-9.]*\).*/\1/p' "$TMP/run.json")
cli_energy=$(sed -n 's/^  "energy_j": \([0-9.e+]*\).*/\1/p' "$TMP/run.json")
awk -v a="$arrival" -v t="$cli_time" -v e="$energy" -v j="$cli_energy" 'BEGIN {
    if (a - t > 0.5 || t - a > 0.5) exit 1
    if (e - j / 3.6e6 > 0.5 || j / 3.6e6 - e > 0.5) exit 1 }' ||
    fail "example ($arrival s, $energy kWh) and CLI ($cli_time s, $cli_energy J) disagree"
echo "install_example: $(head -n 1 "$TMP/out.txt"), $n symbols exported, arrival $arrival s, $energy kWh"
