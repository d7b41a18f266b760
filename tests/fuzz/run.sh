#!/bin/sh
# tests/fuzz/run.sh BUILD NAME... — run built fuzz targets ($BUILD/fuzz/fuzz_NAME,
# see fuzz.mk): for each, first replay its fixed seeds (every file once, no
# mutation), then FUZZ_TIME seconds (default 5) of new inputs grown from
# them in a scratch corpus (the committed seeds are never written to).
# Fails on the first crash, sanitizer report, leak, timeout or invariant
# abort; the input that did it is kept as $BUILD/fuzz/artifacts/NAME/crash-*
# and printed (hex) in the log. FUZZ_SEED=N repeats a run's mutations.
set -u
BUILD=${1:?usage: run.sh BUILD NAME...}
shift
TIME=${FUZZ_TIME:-5}
rc=0
# leaks inside system libraries we cannot fix, each explained in the file
LSAN_OPTIONS="suppressions=$(pwd)/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
UBSAN_OPTIONS="print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export LSAN_OPTIONS UBSAN_OPTIONS

# The seeds of each target: its own corpus folder plus test data that is
# already valid or near-valid input for the same parser.
seeds() {
	echo "tests/fuzz/corpus/$1"
	case $1 in
	sbi_decode)   echo tests/data/sbi_decode tests/data/open5gs tests/data/sbi_client ;;
	coverage_csv|walk_csv) echo tests/data/coverage ;;
	cfgtree)      echo tests/data/config etc ;;
	esac
}

# libFuzzer options per target: the longest input worth trying
max_len() {
	case $1 in
	sbi_decode|config|cfgtree) echo 16384 ;;
	*) echo 8192 ;;
	esac
}

for name in "$@"; do
	bin=$BUILD/fuzz/fuzz_$name
	if [ ! -x "$bin" ]; then
		echo "fuzz: $bin not built (make fuzz-build; it needs clang)"
		rc=1
		continue
	fi
	art=$BUILD/fuzz/artifacts/$name
	work=$BUILD/fuzz/work/$name
	rm -rf "$work" "$art"
	mkdir -p "$art" "$work"
	# libFuzzer reads only regular files of a folder: READMEs are inputs
	# too, which is fine
	dirs=$(seeds "$name")
	for d in $dirs; do
		[ -d "$d" ] || { echo "fuzz: seed folder $d missing"; rc=1; }
	done
	opts="-max_len=$(max_len "$name") -timeout=10 -rss_limit_mb=2048 -print_final_stats=0"
	opts="$opts -artifact_prefix=$art/"
	[ -n "${FUZZ_SEED:-}" ] && opts="$opts -seed=$FUZZ_SEED"

	n=$(find $dirs -type f 2>/dev/null | wc -l)
	echo "fuzz_$name: replaying $n seed files"
	# shellcheck disable=SC2086
	if ! "$bin" $opts -runs=0 $dirs >"$work.replay.log" 2>&1; then
		tail -40 "$work.replay.log"
		rc=1
	else
		echo "fuzz_$name: $TIME s of new inputs"
		# shellcheck disable=SC2086
		if ! "$bin" $opts -max_total_time="$TIME" "$work" $dirs >"$work.log" 2>&1; then
			tail -40 "$work.log"
			rc=1
		else
			grep -E '^#[0-9]+.*DONE|^Done [0-9]+ runs' "$work.log" | tail -1
		fi
	fi
	for c in "$art"/crash-* "$art"/leak-* "$art"/timeout-* "$art"/oom-*; do
		[ -f "$c" ] || continue
		echo "fuzz_$name: input kept as $c:"
		od -A d -c "$c" | head -20
	done
done
exit $rc
