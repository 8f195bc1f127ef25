#!/bin/sh
# Installs the Debian packages tumen builds and tests with, only those missing.
# Called by `make demo` and `make test`; safe to run again (it does nothing when all are present).
set -e
PKGS="cmake make gcc clang pkg-config libyaml-dev libjansson-dev libcairo2-dev libcmocka-dev libclang-rt-14-dev libxml2-dev libxml2-utils libreadosm-dev jq osmium-tool python3 openmpi-bin libopenmpi-dev"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
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
