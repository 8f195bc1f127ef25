# need.sh: sourced by the tests/cli scripts. A test that cannot run says so and exits 77,
# which ctest counts as skipped (SKIP_RETURN_CODE), never as passed; under CI=true (where
# `make test` has installed every tool, scripts/setup-debian.sh) it fails instead.
#   need_tool jq xmllint      a program on PATH
#   need_dir DIR "what"       a folder (../shared data)
#   skip_or_fail "reason"     at the end of a test whose optional part could not run

skip_or_fail() {
    if [ "${CI:-}" = true ]; then
        echo "FAIL: $1 (CI=true: make test installs what the tests need)" >&2
        exit 1
    fi
    echo "SKIP: $1"
    exit 77
}

need_tool() {
    for need_t in "$@"; do
        command -v "$need_t" >/dev/null 2>&1 || skip_or_fail "$need_t is not installed"
    done
}

need_dir() {
    [ -d "$1" ] || skip_or_fail "no $2 at $1"
}
