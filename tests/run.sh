#!/bin/sh
# Run the test suites: tests/run.sh BUILD [unit|integration|fuzz]
# Unit tests are the cmocka binaries BUILD/tests/test_*; integration tests
# are tests/integration/*.sh, each run with BUILD as its argument and its
# own temporary directory; fuzz suites build the libFuzzer targets with
# clang (fuzz/build, tests/fuzz/fuzz.mk) and run each for a short while
# (fuzz/fuzz_NAME, tests/fuzz/run.sh). Prints "N passed, N failed" last;
# exit 1 on any failure.
#
# Tests of one suite run SD_TEST_JOBS at a time (default: the number of
# CPUs, at most 4; 1 runs them one by one). Most integration tests spend
# their time waiting for the engine's timers, so two at once on two cores
# halve the wall time without starving either. A test that takes a
# machine-wide resource others could race for (useradd locks /etc/passwd,
# a fixed network namespace name) says so with a line
#     # sd-test: serial
# in its first 30 lines and runs alone after the parallel ones. A test's
# result line is printed when it ends; the logs of failed tests are shown
# together at the end.
set -u
BUILD=${1:-build}
WHAT=${2:-all}
LOGDIR=$BUILD/test-logs

# internal: tests/run.sh BUILD --one NAME CMD... (one test, from the pool)
if [ "$WHAT" = --one ]; then
	name=$3; shift 3
	log="$LOGDIR/$name.log"
	mkdir -p "$(dirname "$log")"
	start=$(date +%s)
	if "$@" >"$log" 2>&1; then res=PASS; else res=FAIL; fi
	secs=$(( $(date +%s) - start ))
	echo "$res $secs" >"$LOGDIR/$name.res"
	printf '%-44s %s (%ss)\n' "$name" "$res" "$secs"
	exit 0
fi

JOBS=${SD_TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
[ "$JOBS" -gt 4 ] && JOBS=4
[ "$JOBS" -ge 1 ] 2>/dev/null || JOBS=1
rm -rf "$LOGDIR"
mkdir -p "$LOGDIR"
LIST="$LOGDIR/.list"

# queue NAME CMD...: one line per test, fields separated by tabs
queue() { printf '%s' "$1"; shift; for a in "$@"; do printf '\t%s' "$a"; done; printf '\n'; }

# run_list FILE JOBS: each line of FILE through the pool
run_list() {
	[ -s "$1" ] || return 0
	tr '\t\n' '\037\000' <"$1" |
		xargs -0 -P "$2" -n 1 sh -c 'IFS=$(printf "\037"); set -f; set -- $1; exec sh tests/run.sh "$0" --one "$@"' "$BUILD"
}

serial_test() { head -n 30 "$1" | grep -q '^# sd-test: serial'; }

run_suite() {  # the lines of $LIST.par in parallel, then $LIST.ser one by one
	run_list "$LIST.par" "$JOBS"
	run_list "$LIST.ser" 1
	: >"$LIST.par"; : >"$LIST.ser"
}

: >"$LIST.par"; : >"$LIST.ser"
if [ "$WHAT" = all ] || [ "$WHAT" = unit ]; then
	for t in "$BUILD"/tests/test_*; do
		[ -x "$t" ] || continue
		if [ "${SD_VALGRIND:-}" = 1 ]; then
			queue "unit/$(basename "$t")" valgrind -q --error-exitcode=99 \
				--leak-check=full --errors-for-leak-kinds=definite "$t" >>"$LIST.par"
		else
			queue "unit/$(basename "$t")" "$t" >>"$LIST.par"
		fi
	done
	run_suite
fi
if [ "$WHAT" = all ] || [ "$WHAT" = integration ]; then
	for t in tests/integration/*.sh; do
		[ -f "$t" ] || continue
		case $(basename "$t") in lib*.sh) continue ;; esac
		if serial_test "$t"; then l="$LIST.ser"; else l="$LIST.par"; fi
		queue "integration/$(basename "$t" .sh)" sh "$t" "$BUILD" >>"$l"
	done
	run_suite
fi
if [ "$WHAT" = all ] || [ "$WHAT" = fuzz ]; then
	# without clang the build suite fails (and says so) and every target
	# with it: CI installs clang (make deps), so a skip would hide a gap
	queue fuzz/build make --no-print-directory -j2 BUILD="$BUILD" fuzz-build >>"$LIST.ser"
	run_suite
	for f in tests/fuzz/fuzz_*.c; do
		[ -f "$f" ] || continue
		n=$(basename "$f" .c)
		queue "fuzz/$n" sh tests/fuzz/run.sh "$BUILD" "${n#fuzz_}" >>"$LIST.par"
	done
	run_suite
fi

pass=0; fail=0; failed=""
for r in $(cd "$LOGDIR" && find . -name '*.res' | sort); do
	name=${r#./}; name=${name%.res}
	read -r res _ <"$LOGDIR/$r"
	if [ "$res" = PASS ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1)); failed="$failed $name"
	fi
done
for name in $failed; do
	echo
	echo "--- $name (last 40 lines of $LOGDIR/$name.log)"
	tail -n 40 "$LOGDIR/$name.log" | sed 's/^/    | /'
done
echo
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
