#!/bin/sh
# Self-service through the real engine: a throwaway Unix user bound to the
# factory beilun-heavy runs the console (setpriv drops to it) against the
# engine + sim. Every view, the drill-down and the help screen are captured
# on a 250x70 screen (every column visible) and none may show another
# factory's id, its slices, sites, cells, UPFs or S-NSSAIs — the alarms,
# SLA, coverage and heat map views included. The title says
# whose view it is; the role is read-only. Moved to another factory by a
# reload, the console follows into the new scope only. A viewer, for
# contrast, sees all.
BUILD=${1:-build}
. tests/integration/lib.sh
t_need_root
t_tmp
command -v tmux >/dev/null || t_fail "tmux is not installed (make check installs it)"

sfx=$$
G=sdtg$sfx; UA=sdtf$sfx; UV=sdtv$sfx
SOCK="$T/tmux.sock"
TM() { tmux -S "$SOCK" "$@"; }
t_on_exit() {
	TM kill-server 2>/dev/null
	for u in $UA $UV; do userdel "$u" 2>/dev/null; done
	groupdel "$G" 2>/dev/null
	return 0
}
groupadd "$G" || t_fail "groupadd"
for u in $UA $UV; do
	useradd -M -N -g "$G" -s /usr/sbin/nologin "$u" || t_fail "useradd $u"
done

# the sample zone; bhm-it's rule now names our user, plus a viewer rule
sed -e 's/^\([[:space:]]*poll_interval[[:space:]]*=\).*/\1 1;/' \
    -e "s/^\([[:space:]]*socket_group[[:space:]]*=\).*/\1 \"$G\";/" \
    -e "s/user = \"bhm-it\";/user = \"$UA\";/" \
    -e "s/{ group = \"slicedeck-view\"; role = \"viewer\"; }/{ user = \"$UV\"; role = \"viewer\"; }/" \
    etc/slicedeck.conf >"$T/sd.conf"
chmod 0600 "$T/sd.conf"
grep -q "user = \"$UA\"; *role = \"factory\"; factory = \"beilun-heavy\"" "$T/sd.conf" ||
	t_fail "could not bind the test user to beilun-heavy in the test config"

t_start sim "$BUILD/slicedeck-sim" -c "$T/sd.conf" --listen 127.0.0.1:0 --heartbeat 2 --seed 7
t_wait_log sim '^NRF http' 10
NRF=$(sed -n 's/^NRF //p' "$T/sim.log" | head -1)
t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --socket "$T/sd.sock" \
	--state-dir "$T/state" --nrf "$NRF" --stderr
t_wait_file "$T/sd.sock" 10
# poor walk tests of one site of ours and one of xingang-steel: each raises
# a coverage alarm; the factory user must see its own and not the other
for w in bhm-works:bhm-w1 xgs-mill:xgs-m1; do
	{ echo "time,x,y,cell,rsrp,sinr"
	  i=0; while [ $i -lt 40 ]; do echo "$((1795428000 + i)),$((5 + i * 10)),50,${w#*:},-120,-5"; i=$((i + 1)); done
	} >"$T/walk-${w%%:*}.csv"
	"$BUILD/slicedeck" --socket "$T/sd.sock" coverage import "$T/walk-${w%%:*}.csv" --site "${w%%:*}" \
		>"$T/import.txt" 2>&1 || { cat "$T/import.txt"; t_fail "walk-test import into ${w%%:*}"; }
done

S=fac
screen() { TM capture-pane -p -t "$S"; }
wait_screen() {  # REGEX SECONDS
	i=0; lim=$(( $2 * 10 ))
	until screen | grep -Eq -- "$1"; do
		i=$((i + 1))
		if [ $i -ge $lim ]; then screen; t_fail "screen never showed /$1/"; fi
		sleep 0.1
	done
}
key() { TM send-keys -t "$S" "$@"; }
# other factories: ids, slice/site/cell id prefixes, their UPFs, S-NSSAI SDs
OTHERS='xingang|zhenhai|daxie|chunxiao|xiapu|xgs-|zhp-|dxs-|cxa-|xpt-|-0[b-f]0[0-9a-f]{3}'
n=0
clean() {  # NAME: capture the screen, fail on any other factory
	n=$((n + 1))
	screen >"$T/view-$n-$1.txt"
	if grep -Eq -- "$OTHERS" "$T/view-$n-$1.txt"; then
		cat "$T/view-$n-$1.txt"
		t_fail "factory user saw another factory in the $1 view: $(grep -Eo -- "$OTHERS" "$T/view-$n-$1.txt" | head -3 | tr '\n' ' ')"
	fi
}

CLI=$(t_user_bin slicedeck)
as() { echo "setpriv --reuid $1 --regid $G --init-groups env TERM=xterm-256color LANG=C.UTF-8 $CLI --socket $T/sd.sock -r 1"; }
TM new-session -d -s fac -x 250 -y 70 "$(as "$UA"); echo CONSOLE-EXITED rc=\$?; sleep 30"

wait_screen 'factory view: Beilun Heavy Machinery Co. \(beilun-heavy\)' 10
wait_screen 'factory \(sdtf' 5
wait_screen 'read-only' 5
wait_screen 'factories +1: ' 5
wait_screen 'NFs +[1-9][0-9]* up' 10
wait_screen 'traffic +[▁▂▃▄▅▆▇█]+ [0-9]+ UEs' 10
clean overview
key f
wait_screen 'beilun-heavy +Beilun Heavy' 5
wait_screen 'factories +\(1/1\)' 5
clean factories
key s
wait_screen 'slices +\(3/3\)' 5
wait_screen 'bhm-crane-rc' 5
wait_screen 'bhm-crane-rc .* [0-9]+ +[0-9]+ +[0-9]+ +1/1' 10   # live values
clean slices
key n
wait_screen 'upf-beilun-heavy' 5
wait_screen 'amf +AMF +REGISTERED' 5
clean nfs
key c
wait_screen 'cells +\(5/5\)' 5
clean cells
key t
wait_screen 'sites +\(2/2\)' 5
clean sites
# drill down: factory > slices > slice detail > NF
key f Enter
wait_screen 'factories › slices:beilun-heavy +\(3/3\)' 5
clean scoped-slices
key Enter
wait_screen 'serving NFs and cells' 5
wait_screen 'upf-beilun-heavy +NF' 5
wait_screen 'LOAD +[▁▂▃▄▅▆▇█]+ +now' 10
clean slice-detail
key g Enter
wait_screen '› nfs +\(1/' 5
clean nf-drill
key '?'
wait_screen 'drill down' 5
clean help
# the monitoring views: alarms (active and cleared), SLA, coverage and a
# site's heat map; ack is refused before asking (a factory user is read-only)
key Escape Escape Escape Escape : a l Enter
wait_screen '^ alarms +\(1/1\)' 10
wait_screen 'minor +site=bhm-works' 5
clean alarms
key C
wait_screen 'all alarms in your scope' 5
clean alarms-all
key a
wait_screen 'acknowledging alarms needs the operator role; you are factory' 5
key : s l a Enter
wait_screen '^ sla +\(3/|^ sla +\([4-9]/' 10
wait_screen 'bhm-crane-rc +beilun-heavy' 5
clean sla
key Enter
wait_screen 'sla › slice:bhm-' 5
wait_screen 'SLA last window:' 5
clean sla-slice
key : c o v Enter
wait_screen '^ coverage +\(2/2\)' 10
wait_screen 'bhm-works +beilun-heavy' 5
clean coverage
key / '^bhm-works' Enter
wait_screen '^ coverage +\(1/2\)' 5
key Enter
wait_screen 'heatmap:bhm-works' 5
wait_screen 'bhm-works "' 10
wait_screen 'legend' 5
wait_screen '^ [░▒▓█·]{40,}' 5
clean heatmap
# asking for another factory's objects by name shows nothing of them
key Escape Escape Escape Escape : s l ' ' x g s Enter
wait_screen 'slices +\(0/3\) +filter /xgs/' 5
clean filtered
# the operator moves the user to another factory (SIGHUP): the engine drops
# the connection, the console reconnects into the new scope and shows
# nothing of the old one
sed -i "s/user = \"$UA\"; *role = \"factory\"; factory = \"beilun-heavy\"/user = \"$UA\"; role = \"factory\"; factory = \"zhenhai-petro\"/" "$T/sd.conf"
grep -q "factory = \"zhenhai-petro\"" "$T/sd.conf" || t_fail "could not rebind the user"
kill -HUP "$(t_pid engine)"
t_wait_log engine 'reloaded:' 10
wait_screen 'factory view: Zhenhai Coastal Petrochemical \(zhenhai-petro\)' 15
key s
wait_screen 'zhp-gas' 10
OTHERS='beilun|bhm-|xingang|daxie|chunxiao|xiapu|xgs-|dxs-|cxa-|xpt-|-0[abdef]0[0-9a-f]{3}'
clean after-reload-slices
key o
wait_screen 'factories +1: ' 5
clean after-reload-overview
key : q Enter
wait_screen 'CONSOLE-EXITED rc=0' 5

# a viewer sees every factory (the check above is not vacuous)
S=view
TM new-session -d -s view -x 250 -y 70 "$(as "$UV"); echo CONSOLE-EXITED rc=\$?; sleep 30"
wait_screen 'viewer view: all factories' 10
wait_screen 'read-only' 5
key s
wait_screen 'xgs-ohc-rc' 5
wait_screen 'zhp-gas' 5
key : c o v Enter
wait_screen '^ coverage +\(8/8\)' 10
wait_screen 'xgs-' 5
key q
wait_screen 'CONSOLE-EXITED rc=0' 5
echo "tui_factory: ok"
