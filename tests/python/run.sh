#!/bin/sh
# run.sh: one Python test script with one interpreter (ctest runs it so).
#
#   sh tests/python/run.sh PYTHON SCRIPT PYTHON_BUILD_DIR TUMEN_CLI SOURCE_DIR
#
# PYTHON is a path or a name looked up on PATH now (so "python3" is whichever python3 the
# user has first: pyenv's, Debian's). A missing interpreter, one older than 3.8 (the
# limited API the module is built for) or a module not built exits 77 (a skip), or 1
# under CI=true. The script gets the module through PYTHONPATH and the CLI, the source
# tree and ../shared through the environment (tests/python/support.py).
set -u
PY=$1 SCRIPT=$2 PYDIR=$3
skip() {
    echo "python test: $1" >&2
    if [ "${CI:-}" = "true" ]; then exit 1; fi
    exit 77
}
command -v "$PY" >/dev/null 2>&1 || skip "no interpreter '$PY'"
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 8))' 2>/dev/null ||
    skip "'$PY' does not run or is older than Python 3.8"
[ -f "$PYDIR/tumen/__init__.py" ] || skip "the module is not built in $PYDIR"
PYTHONPATH="$PYDIR${PYTHONPATH:+:$PYTHONPATH}" TUMEN_CLI=$4 TUMEN_SOURCE_DIR=$5 \
    TUMEN_BUILD_DIR=$(dirname "$PYDIR") \
    TUMEN_SHARED_DIR="$5/../shared" PYTHONDONTWRITEBYTECODE=1 exec "$PY" "$SCRIPT" -v
