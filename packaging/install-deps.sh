#!/bin/sh
# Install the Debian 12 packages slicedeck needs to build, test and demo.
# As root: apt-get installs what is missing. Otherwise: print the exact
# apt-get line and stop (exit 1). Nothing is installed that is present.
# net-snmp: libsnmp-dev to build; snmp (snmptrap, snmpwalk), snmpd and
# snmptrapd for the SNMP tests and benchmark; smitools (smilint) checks the
# MIB. Tests only: python3-yaml and python3-jsonschema for the OpenAPI schema
# check (tests/tools/oas_check.py), clang for the libFuzzer runs
# (tests/fuzz/fuzz.mk), libconfig-dev for the comparison of the configuration
# parser with libconfig 1.5 (tests/integration/cfg_compat.sh; the programs
# do not link it). Packaging (make deb, make package-check): debhelper
# (dh, dh-sequence-installsysusers), dpkg-dev (dpkg-buildpackage), fakeroot,
# lintian, mandoc (man page lint), systemd (systemd-analyze, systemd-sysusers).
set -eu

PKGS="build-essential pkg-config libconfig-dev libjansson-dev libcurl4-openssl-dev
libnghttp2-dev libssl-dev libsqlite3-dev libncurses-dev libcmocka-dev
nghttp2-client nghttp2-server openssl tmux util-linux procps iproute2 sqlite3 curl
python3 python3-yaml python3-jsonschema clang passwd
libsnmp-dev snmp snmpd snmptrapd smitools
debhelper dpkg-dev fakeroot lintian mandoc systemd adduser"

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = "installed" ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "slicedeck: missing Debian packages. Run:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "slicedeck: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists; a stale one may name old versions.
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
