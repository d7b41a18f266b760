#!/bin/sh
# The configuration parser (core/cfgtree.c) reads every file as Debian's
# libconfig 1.5 does: the same tree (every setting's name, type, value,
# file and line) or the same error (file, line, text). Compared with
# tests/tools/cfgdump built both ways, on every configuration file in
# the repository, on a generated zone, on include chains, and on mutated
# files (tests/tools/cfgmutate.py) from a fixed seed and from a seed of
# this run, which is printed so that a difference can be reproduced.
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp
OURS=$BUILD/tools/cfgdump
THEIRS=$BUILD/tools/cfgdump-libconfig
[ -x "$OURS" ] && [ -x "$THEIRS" ] || t_fail "missing $OURS or $THEIRS (make tests builds them)"

n=0
same() {  # FILE [INCDIR]: both dumps equal
	"$OURS" "$@" > "$T/ours" 2>"$T/ours.err"
	# libconfig 1.5 leaks its lexer's string buffer on some syntax errors
	# (tests/fuzz/README.md): not ours to report under `make asan`
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		"$THEIRS" "$@" > "$T/theirs" 2>/dev/null
	n=$((n + 1))
	if [ -s "$T/ours.err" ]; then
		echo "our parser wrote to stderr on $1 (a sanitizer report?):"
		head -20 "$T/ours.err"
		return 1
	fi
	if ! cmp -s "$T/ours" "$T/theirs"; then
		echo "differs on $1:"
		diff "$T/theirs" "$T/ours" | head -10
		return 1
	fi
	return 0
}

bad=0
for f in $(git ls-files '*.conf' 2>/dev/null || find etc tests -name '*.conf'); do
	same "$f" "$(dirname "$f")" || bad=$((bad + 1))
done
python3 tests/tools/genzone.py --factories 20 --slices 2000 --cells 6000 > "$T/zone.conf" ||
	t_fail "genzone failed"
same "$T/zone.conf" || bad=$((bad + 1))

# includes: nested, inside a group, on the last line without a newline,
# a missing one, an error inside one
mkdir "$T/inc"
printf 'a = 1;\n@include "b.conf"\ng = {\n  @include "c.conf"\n};\nz = 9;\n' > "$T/inc/a.conf"
printf 'b = 2;\n@include "d.conf"' > "$T/inc/b.conf"
printf 'c1 = "x";\nc2 = [1, 2];\n' > "$T/inc/c.conf"
printf 'd = (1, "s", { e = true; });\n' > "$T/inc/d.conf"
printf 'a = 1;\n@include "nope.conf"\n' > "$T/inc/missing.conf"
printf 'a = 1;\n@include "broken.conf"\nb = 2;\n' > "$T/inc/err.conf"
printf 'x = 1;\ny = = 2;\n' > "$T/inc/broken.conf"
for f in a missing err; do
	same "$T/inc/$f.conf" "$T/inc" || bad=$((bad + 1))
done

# mutants: a fixed seed, and one of this run
seed2=${CFG_COMPAT_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
echo "mutant seeds: 1 and $seed2 (CFG_COMPAT_SEED=$seed2 repeats this run)"
for seed in 1 "$seed2"; do
	rm -rf "$T/mut"
	python3 tests/tools/cfgmutate.py "$seed" 800 "$T/mut" etc/slicedeck.conf \
		tests/data/config/*.conf || t_fail "cfgmutate failed"
	printf 'inc = 1;\n' > "$T/mut/x.conf"
	errs=0
	for f in "$T"/mut/m*.conf; do
		same "$f" "$T/mut" || { bad=$((bad + 1)); echo "seed $seed: $(basename "$f")"; }
		grep -q '^error' "$T/theirs" && errs=$((errs + 1))
	done
	echo "seed $seed: 800 mutants, $errs refused by libconfig"
	# the comparison must have seen both outcomes to mean anything
	[ "$errs" -gt 50 ] && [ "$errs" -lt 790 ] || t_fail "seed $seed: $errs of 800 refused"
done
echo "$n files compared, $bad differ"
[ "$bad" -eq 0 ] || t_fail "the parser differs from libconfig 1.5 on $bad files"
echo "PASS"
