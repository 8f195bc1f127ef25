#!/bin/sh
# Installs the Debian packages tumen builds and tests with, only those missing.
# Called by `make demo` and `make test`; safe to run again (it does nothing when all are present).
set -e
PKGS="cmake make gcc clang pkg-config libyaml-dev libjansson-dev libcairo2-dev libcmocka-dev libclang-rt-14-dev libxml2-dev libxml2-utils libreadosm-dev jq osmium-tool python3 locales openmpi-bin libopenmpi-dev python3-dev python3-numpy python3-matplotlib"
# tumen serve: HTTP, its store, token hashes; its tests: node, and chromium for the web page
PKGS="$PKGS libmicrohttpd-dev libsqlite3-dev libsodium-dev libpq-dev postgresql nodejs chromium curl"
# npm ships with NodeSource's nodejs, not with Debian's
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# A comma-decimal locale for the test that parsing and printing ignore the locale.
need_locale() {
  locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$' && return 0
  $SUDO localedef -i de_DE -f UTF-8 de_DE.UTF-8 >/dev/null 2>&1 ||
    echo "setup: could not generate the de_DE.UTF-8 locale (localedef)" >&2
}
SUDO=""
[ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
[ -z "$missing" ] && { need_locale; exit 0; }
echo "setup: installing missing Debian packages:$missing"
SUDO=""
if [ "$(id -u)" != "0" ]; then
  command -v sudo >/dev/null 2>&1 || { echo "setup: need root or sudo to install:$missing" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
need_locale
