#!/bin/sh
# sd-test: serial
# make package-check (run by .ci/run after make check, outside its time
# budget; about 40 s): builds the Debian packages (make deb), checks their
# contents, runs lintian (no errors, no warnings), prints the unit's
# systemd-analyze security score (OK or better), installs them with dpkg -i
# (CI is root on a throwaway machine), starts the installed engine once as
# the unit would (under systemd if it is PID 1, else the unit's ExecStart
# as its user with the installed config), asks it `slicedeck status`, stops
# it by PID and purges the packages, removing the accounts it created.
set -eu
fail() { echo "package-check: FAIL: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "needs root (dpkg -i)"
for p in slicedeck slicedeck-sim slicedeck-plugins slicedeck-mib; do
	if dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -q installed; then
		fail "$p is installed already; this test would remove it"
	fi
done
# man pages: mandoc lint with no warnings, each naming the package version
for m in packaging/man/*.[158]; do
	mandoc -Tlint -Wwarning "$m" || fail "mandoc -T lint: $m"
	head -1 "$m" | grep "\"slicedeck $(sed -n 's/^VERSION *:= *//p' Makefile)\"" >/dev/null ||
		fail "$m: .TH does not name the Makefile's VERSION"
done
echo "package-check: man pages: mandoc -T lint clean"
DEB=build-pkg
DEB_BUILD_OPTIONS=nocheck make --no-print-directory deb >/tmp/package-check.$$.log 2>&1 ||
	{ tail -40 /tmp/package-check.$$.log; rm -f /tmp/package-check.$$.log; fail "make deb"; }
rm -f /tmp/package-check.$$.log
V=$(dpkg-parsechangelog -l packaging/debian/changelog -S Version)
main=$DEB/slicedeck_${V}_amd64.deb
c=$(dpkg-deb -c "$main")
for want in '-rw-r----- root/root .* ./etc/slicedeck/slicedeck.conf$' \
	' ./lib/systemd/system/slicedeckd.service$' ' ./lib/systemd/system/slicedeckd-edge.service$' \
	' ./usr/lib/sysusers.d/slicedeck.conf$' '-rwxr-xr-x .* ./usr/sbin/slicedeckd$' \
	' ./usr/bin/slicedeck$' ' ./usr/share/man/man8/slicedeckd.8.gz$' \
	' ./usr/share/man/man5/slicedeck.conf.5.gz$' ' ./usr/share/slicedeck/systemd/shaping.conf$' \
	' ./usr/share/bash-completion/completions/slicedeck$'; do
	echo "$c" | grep -q -e "$want" || fail "$main lacks $want"
done
dpkg-deb -c "$DEB/slicedeck-sim_${V}_amd64.deb" | grep ' ./usr/bin/slicedeck-sim$' >/dev/null || fail "sim package"
for so in syslog webhook open5gs; do
	dpkg-deb -c "$DEB/slicedeck-plugins_${V}_amd64.deb" | grep " ./usr/lib/slicedeck/plugins/$so.so\$" >/dev/null ||
		fail "plugins package: no $so.so"
done
dpkg-deb -c "$DEB/slicedeck-mib_${V}_all.deb" | grep ' ./usr/share/snmp/mibs/SLICEDECK-MIB.txt$' >/dev/null || fail "MIB package"
dpkg-deb --ctrl-tarfile "$main" | tar -xO ./postinst | grep 'systemd-sysusers' >/dev/null || fail "postinst lacks sysusers"
dpkg-deb --ctrl-tarfile "$main" | tar -xO ./conffiles | grep -x '/etc/slicedeck/slicedeck.conf' >/dev/null || fail "config not a conffile"
lintian --fail-on error,warning "$DEB/slicedeck_${V}_amd64.changes" 2>&1 | grep -v 'root privileges' || true
lintian --fail-on error,warning "$DEB/slicedeck_${V}_amd64.changes" >/dev/null 2>&1 || fail "lintian: errors or warnings (above)"
echo "package-check: lintian: no errors, no warnings"
unit=packaging/debian/slicedeck.slicedeckd.service
score=$(systemd-analyze security --offline=yes "$unit" 2>&1 | sed -n 's/.*Overall exposure level for [^:]*: *//p')
echo "package-check: systemd-analyze security slicedeckd.service: $score"
case $score in *OK*|*SAFE*) ;; *) fail "exposure not OK or better: $score" ;; esac

had_user=0; had_group=0
getent passwd _slicedeck >/dev/null && had_user=1
getent group slicedeck >/dev/null && had_group=1
PID=""
cleanup() {
	[ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null
	dpkg --purge slicedeck-plugins slicedeck-mib slicedeck-sim slicedeck >/dev/null 2>&1 || true
	rm -rf /run/slicedeck /var/lib/slicedeck
	[ $had_user = 1 ] || userdel _slicedeck 2>/dev/null || true
	[ $had_group = 1 ] || groupdel slicedeck 2>/dev/null || true
}
trap cleanup EXIT
dpkg -i "$main" "$DEB/slicedeck-sim_${V}_amd64.deb" "$DEB/slicedeck-plugins_${V}_amd64.deb" \
	"$DEB/slicedeck-mib_${V}_all.deb" >/dev/null || fail "dpkg -i"
getent passwd _slicedeck >/dev/null || fail "no _slicedeck user after install"
[ "$(stat -c '%a %U %G' /etc/slicedeck/slicedeck.conf)" = "640 root slicedeck" ] ||
	fail "installed config is $(stat -c '%a %U %G' /etc/slicedeck/slicedeck.conf)"
/usr/sbin/slicedeckd --version | grep -qx "slicedeckd $V" || fail "slicedeckd --version"
/usr/bin/slicedeck --version | grep -qx "slicedeck $V" || fail "slicedeck --version"
if [ "$(ps -p 1 -o comm=)" = systemd ]; then
	systemctl start slicedeckd
	PID=$(systemctl show -p MainPID --value slicedeckd)
else
	# what the unit's RuntimeDirectory/StateDirectory would make
	install -d -m 0750 -o _slicedeck -g slicedeck /run/slicedeck /var/lib/slicedeck
	exec_start=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/slicedeckd.service)
	# shellcheck disable=SC2086
	setpriv --reuid=_slicedeck --regid=slicedeck --init-groups --no-new-privs \
		$exec_start --stderr >/tmp/package-check.$$.eng 2>&1 &
	PID=$!
fi
i=0; ok=0
while [ $i -lt 100 ]; do
	if out=$(/usr/bin/slicedeck status 2>&1); then ok=1; break; fi
	sleep 0.1; i=$((i + 1))
done
[ $ok = 1 ] || { cat /tmp/package-check.$$.eng 2>/dev/null; rm -f /tmp/package-check.$$.eng; fail "slicedeck status: $out"; }
rm -f /tmp/package-check.$$.eng
echo "$out" | head -5
kill -TERM "$PID"; i=0
while kill -0 "$PID" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 "$PID" 2>/dev/null && fail "engine did not stop on SIGTERM"
PID=""
echo "package-check: OK"
