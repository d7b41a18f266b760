#!/bin/sh
# The MIB: smilint (libsmi, level 6: every warning and note) prints nothing
# for etc/SLICEDECK-MIB.txt with the vendored base modules — smilint exits 0
# even on errors, so its output is what is tested; net-snmp loads it and
# the OIDs the engine sends resolve to the names the MIB gives them; the
# vendored base modules are the published ones, unchanged (their origin
# note names each); make install puts them in the MIB directory.
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp
command -v smilint >/dev/null || t_fail "smilint missing (make deps installs smitools)"
SMIPATH=etc/mibs smilint -l 6 -s -m ./etc/SLICEDECK-MIB.txt >"$T/smilint.out" 2>&1
[ -s "$T/smilint.out" ] && { cat "$T/smilint.out"; t_fail "smilint complains"; }
# a broken copy is complained about: the check can fail
sed 's/sdAlarmSeverity OBJECT-TYPE/sdAlarmSeverity OBJECT-TYP/' etc/SLICEDECK-MIB.txt >"$T/BROKEN-MIB.txt"
SMIPATH=etc/mibs smilint -l 6 -s -m "$T/BROKEN-MIB.txt" >"$T/broken.out" 2>&1
[ -s "$T/broken.out" ] || t_fail "smilint said nothing about a broken MIB: the check tests nothing"

# net-snmp: the numbers the engine sends (snmp/snmp_sink.c) have these names
check() {
	got=$(MIBS=SNMPv2-MIB:SLICEDECK-MIB MIBDIRS="$(pwd)/etc:$(pwd)/etc/mibs" snmptranslate -On "$1" 2>&1)
	[ "$got" = "$2" ] || t_fail "$1 is $got, the engine sends $2"
}
check SLICEDECK-MIB::sdAlarmNew .1.3.6.1.4.1.32473.0.1
check SLICEDECK-MIB::sdAlarmAcknowledged .1.3.6.1.4.1.32473.0.4
check SLICEDECK-MIB::sdStormSummary .1.3.6.1.4.1.32473.0.6
check SLICEDECK-MIB::sdAlarmSeverity.0 .1.3.6.1.4.1.32473.1.1.9.0
check SLICEDECK-MIB::sdStormSuppressedOther.0 .1.3.6.1.4.1.32473.1.1.24.0
check SLICEDECK-MIB::sdActiveAlarmAcknowledged .1.3.6.1.4.1.32473.1.2.4.1.10
check SNMPv2-MIB::warmStart .1.3.6.1.6.3.1.1.5.2

# every vendored module is named in the origin note
for f in etc/mibs/*.txt; do
	grep -q "$(basename "$f")" etc/mibs/README.md || t_fail "$f has no origin note"
done

make --no-print-directory install BUILD="$BUILD" PREFIX=/usr DESTDIR="$T/root" >"$T/install.log" 2>&1 ||
	{ cat "$T/install.log"; t_fail "make install"; }
for f in SLICEDECK-MIB.txt SNMPv2-SMI.txt IANA-ITU-ALARM-TC-MIB.txt; do
	[ -f "$T/root/usr/share/snmp/mibs/$f" ] || t_fail "make install did not install $f"
done
echo "snmp_mib: ok"
