#!/bin/sh
# Run the test suites: tests/run.sh BUILD [unit|integration|fuzz]
# Unit tests are the cmocka binaries BUILD/tests/test_*; integration tests
# are tests/integration/*.sh, each run with BUILD as its argument and its
# own temporary directory; fuzz suites build the libFuzzer targets with
# clang (fuzz/build, tests/fuzz/fuzz.mk) and run each for a short while
# (fuzz/fuzz_NAME, tests/fuzz/run.sh). Prints "N passed, N failed" last;
# exit 1 on any failure.
set -u
BUILD=${1:-build}
WHAT=${2:-all}
pass=0; fail=0; failed=""
LOGDIR=$BUILD/test-logs
mkdir -p "$LOGDIR"

run_one() {  # name, command...
	name=$1; shift
	log="$LOGDIR/$name.log"
	mkdir -p "$(dirname "$log")"
	start=$(date +%s)
	if "$@" >"$log" 2>&1; then
		pass=$((pass + 1)); res=PASS
	else
		fail=$((fail + 1)); res=FAIL; failed="$failed $name"
	fi
	printf '%-44s %s (%ss)\n' "$name" "$res" $(( $(date +%s) - start ))
	if [ "$res" = FAIL ]; then sed 's/^/    | /' "$log" | tail -40; fi
}

if [ "$WHAT" = all ] || [ "$WHAT" = unit ]; then
	for t in "$BUILD"/tests/test_*; do
		[ -x "$t" ] || continue
		if [ "${SD_VALGRIND:-}" = 1 ]; then
			run_one "unit/$(basename "$t")" valgrind -q --error-exitcode=99 \
				--leak-check=full --errors-for-leak-kinds=definite "$t"
		else
			run_one "unit/$(basename "$t")" "$t"
		fi
	done
fi
if [ "$WHAT" = all ] || [ "$WHAT" = integration ]; then
	for t in tests/integration/*.sh; do
		[ -f "$t" ] || continue
		case $(basename "$t") in lib*.sh) continue ;; esac
		run_one "integration/$(basename "$t" .sh)" sh "$t" "$BUILD"
	done
fi
if [ "$WHAT" = all ] || [ "$WHAT" = fuzz ]; then
	# without clang the build suite fails (and says so) and every target
	# with it: CI installs clang (make deps), so a skip would hide a gap
	run_one fuzz/build make --no-print-directory -j2 BUILD="$BUILD" fuzz-build
	for f in tests/fuzz/fuzz_*.c; do
		[ -f "$f" ] || continue
		n=$(basename "$f" .c)
		run_one "fuzz/$n" sh tests/fuzz/run.sh "$BUILD" "${n#fuzz_}"
	done
fi
echo
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
