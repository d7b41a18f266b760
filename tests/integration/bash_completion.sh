#!/bin/sh
# Bash completion (packaging/bash-completion/slicedeck) in a real bash,
# with the real console binary asking the real engine: commands, a
# command's options, the values an option lists, two-word commands, file
# names for FILE operands, and ids read live from the engine, scoped to the
# user: an operator is offered every factory, a factory user (a throwaway
# Unix user bound to beilun-heavy) only their own. An id the engine would
# never send cannot reach the shell either (the binary filters them).
# sd-test: serial
BUILD=${1:-build}
. tests/integration/lib.sh
t_need_root
t_tmp
command -v bash >/dev/null || t_fail "bash is not installed"

sfx=$$
G=sdcg$sfx; UA=sdcf$sfx
t_on_exit() {
	userdel "$UA" 2>/dev/null
	groupdel "$G" 2>/dev/null
	return 0
}
groupadd "$G" || t_fail "groupadd"
useradd -M -N -g "$G" -s /usr/sbin/nologin "$UA" || t_fail "useradd $UA"
sed -e "s/^\([[:space:]]*socket_group[[:space:]]*=\).*/\1 \"$G\";/" \
    -e "s/user = \"bhm-it\";/user = \"$UA\";/" \
    etc/slicedeck.conf >"$T/sd.conf"
chmod 0600 "$T/sd.conf"
grep -q "user = \"$UA\"; *role = \"factory\"; factory = \"beilun-heavy\"" "$T/sd.conf" ||
	t_fail "could not bind the test user to beilun-heavy"
t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --socket "$T/sd.sock" \
	--state-dir "$T/state" --nrf http://127.0.0.1:9 --stderr
t_wait_file "$T/sd.sock" 10
CLI=$(t_user_bin slicedeck)
cp packaging/bash-completion/slicedeck "$T/completion"
chmod 0644 "$T/completion"

# comp [--as USER] WORD...: the candidates bash offers for the last WORD
# (an empty last word: a fresh one), one per line, sorted
comp() {
	run=""
	if [ "$1" = --as ]; then
		run="setpriv --reuid $2 --regid $G --init-groups"
		shift 2
	fi
	# shellcheck disable=SC2016
	$run bash -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
		_slicedeck
		printf "%s\n" "${COMPREPLY[@]}"' bash "$T/completion" "$CLI" --socket "$T/sd.sock" "$@" |
		sort
}
# expect NAME "WANTED LINES" "GOT LINES"
expect() {
	[ "$2" = "$3" ] || { printf 'wanted:\n%s\ngot:\n%s\n' "$2" "$3"; t_fail "$1"; }
}

# the first words of the commands --help lists, those starting with s
words=$("$BUILD/slicedeck" --help | sed -n '/^commands/,$s/^  \([a-z][a-z]*\).*/\1/p' | sort -u)
expect "commands starting with s" "$(echo "$words" | grep '^s')" "$(comp s)"
echo "$words" | grep -qx slices || t_fail "--help lists no slices command: $words"
expect "alarm, a first word of a two-word command" "$(printf 'alarm\nalarms')" "$(comp al)"
expect "alarm's second word" "ack" "$(comp alarm "")"
expect "the options of alarms" "$(printf '%s\n' --all --csv --factory --help --json | sort)" \
	"$(comp alarms --)"
expect "kpi --level values" "$(printf '%s\n' 1day 1h 1min 5min | sort)" "$(comp kpi --level "")"
expect "the console's --view" "$(printf 'scenarios\nsites\nsla\nslices')" \
	"$(comp --view s | grep -v '^status$')"

# ids from the engine, for an operator: every factory of the zone
want=$("$BUILD/slicedeck" --socket "$T/sd.sock" factories --json |
	python3 -c 'import json,sys; print("\n".join(sorted(f["id"] for f in json.load(sys.stdin))))')
[ "$(echo "$want" | wc -l)" -ge 2 ] || t_fail "the sample zone has fewer than 2 factories: $want"
expect "operator: --factory ids" "$want" "$(comp slices --factory "")"
expect "operator: --slice ids with a prefix" \
	"$("$BUILD/slicedeck" --socket "$T/sd.sock" slices --json |
	   python3 -c 'import json,sys; print("\n".join(sorted(s["id"] for s in json.load(sys.stdin) if s["id"].startswith("bhm"))))')" \
	"$(comp kpi --slice bhm)"

# a factory user: only its own factory, and only its own slices
expect "factory user: --factory ids" "beilun-heavy" "$(comp --as "$UA" slices --factory "")"
got=$(comp --as "$UA" kpi --slice "")
[ -n "$got" ] || t_fail "factory user: no slice ids offered"
mine=$("$BUILD/slicedeck" --socket "$T/sd.sock" slices --factory beilun-heavy --json |
	python3 -c 'import json,sys; print("\n".join(sorted(s["id"] for s in json.load(sys.stdin))))')
expect "factory user: only beilun-heavy's slices" "$mine" "$got"

# a FILE operand completes file names
: >"$T/walk-yard.csv"
expect "coverage import FILE" "$T/walk-yard.csv" "$(comp coverage import "$T/walk-")"

# no engine: commands still complete, ids quietly do not
t_stop engine
expect "no engine: commands" "kpi" "$(comp kp)"
expect "no engine: no ids, no noise" "" "$(comp slices --factory "" 2>&1)"
echo PASS
