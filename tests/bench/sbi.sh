#!/bin/sh
# tests/bench/sbi.sh BUILD — the SBI benchmark (run by make bench). Figures and
# ratios, one per line; targets are reported as met/MISSED, never as a test
# failure. Exit 1 only when the bench itself could not run (a server did not
# start, requests failed). What each figure means: tests/bench/README.md.
#
# All on loopback, in one run:
#   (a) h2load, one connection, 1/10/100 streams, against slicedeck-sim's
#       GET /nnrf-nfm/v1/nf-instances/{id}, against nghttpd serving a
#       static file with the same bytes (the transport ceiling), and against
#       bench_server (core/sbi_server.c answering with those fixed bytes);
#   (b)+(c) bench_sbi: bare libcurl+jansson loop vs the SBI client + NFProfile
#       decoder, against the sim (the target) and against nghttpd (the
#       client's own overhead with the server out of the way, split into
#       transport and decoder parts; informative);
#   bench_decode: CPU per body of jansson alone and of sd_decode_nf_profile.
# (about 1.5 minutes with the defaults)
#
# Knobs (environment): BENCH_RUNS (3), BENCH_H2LOAD_N (10000 requests per
# h2load run), BENCH_COUNT (10000 requests per bench_sbi run), BENCH_MAX_S
# (1.5 s per bench_sbi run), BENCH_STREAMS ("1 10 100").
set -u
BUILD=${1:-build}
RUNS=${BENCH_RUNS:-3}
H2N=${BENCH_H2LOAD_N:-10000}
COUNT=${BENCH_COUNT:-10000}
MAX_S=${BENCH_MAX_S:-1.5}
STREAMS=${BENCH_STREAMS:-1 10 100}

T=$(mktemp -d /tmp/sdbench.XXXXXX)
PIDS=""

cleanup() {
	rc=$?
	for p in $PIDS; do kill -TERM "$p" 2>/dev/null || true; done
	for p in $PIDS; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		kill -KILL "$p" 2>/dev/null || true
	done
	if [ $rc -ne 0 ]; then
		for f in "$T"/*.log; do
			[ -f "$f" ] || continue
			echo "--- $f"; tail -20 "$f"
		done
	fi
	rm -rf "$T"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "bench: $*" >&2; exit 1; }

for tool in h2load nghttpd curl python3; do
	command -v $tool >/dev/null 2>&1 ||
		die "$tool not found (Debian: nghttp2-client, nghttp2-server, curl, python3; make deps)"
done
for bin in "$BUILD/slicedeck-sim" "$BUILD/bench/bench_sbi" "$BUILD/bench/bench_decode" \
	   "$BUILD/bench/bench_server"; do
	[ -x "$bin" ] || die "$bin not built (make bench builds it)"
done

# A port nobody listens on now (nghttpd cannot bind port 0 and say which).
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# h2c GET, bounded; body to $2.
fetch() {
	curl -sf --http2-prior-knowledge --max-time 5 -o "$2" "$1"
}

# --- the sim -----------------------------------------------------------------
# The sample configuration holds a secret, so it must be private to be loaded.
cp etc/slicedeck.conf "$T/sim.conf" || die "etc/slicedeck.conf missing"
chmod 0600 "$T/sim.conf"
"$BUILD/slicedeck-sim" -c "$T/sim.conf" --listen 127.0.0.1:0 --log-level err \
	>"$T/sim.out" 2>"$T/sim.log" &
PIDS="$PIDS $!"
i=0
while ! grep -q '^NRF ' "$T/sim.out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
ROOT=$(sed -n 's/^NRF \(http:[^ ]*\)$/\1/p' "$T/sim.out")
[ -n "$ROOT" ] || die "slicedeck-sim did not print its NRF apiRoot within 10 s"

# The largest NF profile the sim serves (the issue's "about 2 KB" body).
fetch "$ROOT/nnrf-nfm/v1/nf-instances" "$T/list.json" || die "GET nf-instances failed"
best=0; URL=""
for u in $(grep -o '"href":"[^"]*/nf-instances/[^"]*"' "$T/list.json" | sed 's/^"href":"//; s/"$//'); do
	fetch "$u" "$T/p.json" || die "GET $u failed"
	n=$(wc -c <"$T/p.json")
	if [ "$n" -gt "$best" ]; then
		best=$n; URL=$u
		mkdir -p "$T/www"; cp "$T/p.json" "$T/www/profile.json"
	fi
done
[ -n "$URL" ] || die "the sim lists no NF instances"

# --- nghttpd with the same bytes ----------------------------------------------
NGURL=""
for try in 1 2 3; do
	port=$(free_port)
	nghttpd --no-tls -a 127.0.0.1 -d "$T/www" "$port" >"$T/nghttpd.log" 2>&1 &
	ngpid=$!
	PIDS="$PIDS $ngpid"
	i=0
	while [ $i -lt 30 ]; do
		if fetch "http://127.0.0.1:$port/profile.json" "$T/ng.json" 2>/dev/null; then
			NGURL="http://127.0.0.1:$port/profile.json"
			break
		fi
		kill -0 $ngpid 2>/dev/null || break
		sleep 0.1; i=$((i + 1))
	done
	[ -n "$NGURL" ] && break
	kill $ngpid 2>/dev/null || true
done
[ -n "$NGURL" ] || die "nghttpd did not start"
cmp -s "$T/ng.json" "$T/www/profile.json" || die "nghttpd does not serve the saved profile"

# --- core/sbi_server.c alone, serving the same bytes ------------------------------
"$BUILD/bench/bench_server" "$T/www/profile.json" --listen 127.0.0.1:0 \
	>"$T/srv.out" 2>"$T/bench_server.log" &
PIDS="$PIDS $!"
i=0
while ! grep -q '^URL ' "$T/srv.out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
SRVURL=$(sed -n 's/^URL \(http:[^ ]*\)$/\1/p' "$T/srv.out")
[ -n "$SRVURL" ] || die "bench_server did not start"
fetch "$SRVURL" "$T/srv.json" && cmp -s "$T/srv.json" "$T/www/profile.json" ||
	die "bench_server does not serve the saved profile"

echo "# SBI benchmark: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $(curl --version | head -1 | cut -d' ' -f1-2), $(h2load --version 2>/dev/null | head -1)"
echo "# NF profile: $best bytes, $URL"
echo "# best of $RUNS runs each; h2load -c 1 -n $H2N; bench_sbi <= $COUNT requests or $MAX_S s per run"

# --- (a) h2load ----------------------------------------------------------------
# One h2load run -> "req/s failed" (failed = requests not answered 2xx).
h2run() {
	timeout 60 h2load -c 1 -m "$1" -n "$H2N" "$2" >"$T/h2load.out" 2>&1
	rps=$(sed -n 's/^finished in [^,]*, \([0-9.]*\) req\/s.*/\1/p' "$T/h2load.out")
	ok=$(sed -n 's/^status codes: \([0-9]*\) 2xx.*/\1/p' "$T/h2load.out")
	echo "${rps:-0} $((H2N - ${ok:-0}))"
}

maxf() { awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 > b + 0) ? a : b }'; }

H2FAIL=0
: >"$T/h2.out"
for m in $STREAMS; do
	bs=0; bn=0; bv=0; fs=0; fn=0; fv=0; r=0
	while [ $r -lt "$RUNS" ]; do
		# alternate, so noise on the machine hits all alike
		set -- $(h2run "$m" "$URL"); bs=$(maxf "$bs" "$1"); fs=$((fs + $2))
		set -- $(h2run "$m" "$NGURL"); bn=$(maxf "$bn" "$1"); fn=$((fn + $2))
		set -- $(h2run "$m" "$SRVURL"); bv=$(maxf "$bv" "$1"); fv=$((fv + $2))
		r=$((r + 1))
	done
	{
		printf '%-40s req/s=%-9.0f failed=%d\n' "sbi.h2load.sim.m$m" "$bs" "$fs"
		printf '%-40s req/s=%-9.0f failed=%d\n' "sbi.h2load.nghttpd.m$m" "$bn" "$fn"
		printf '%-40s req/s=%-9.0f failed=%d\n' "sbi.h2load.sbi_server.m$m" "$bv" "$fv"
	} >>"$T/h2.out"
	tail -3 "$T/h2.out"
done
grep -q 'failed=[1-9]' "$T/h2.out" && H2FAIL=1

# --- (b) and (c) ---------------------------------------------------------------
BENCHRC=0
KS=$(echo $STREAMS | tr ' ' ,)
# Each runs in the background and is waited for, so that INT/TERM stop the
# bench at once (a shell defers traps until a foreground command ends).
bg_wait() {  # out-file command...
	out=$1; shift
	"$@" >"$out" 2>>"$T/bench.log" &
	bgpid=$!
	PIDS="$PIDS $bgpid"
	wait $bgpid || BENCHRC=1
	cat "$out"
}
bg_wait "$T/b_sim.out" "$BUILD/bench/bench_sbi" --url "$URL" --label sim --streams "$KS" \
	--count "$COUNT" --runs "$RUNS" --max-s "$MAX_S"
bg_wait "$T/b_ng.out" "$BUILD/bench/bench_sbi" --url "$NGURL" --label nghttpd --streams "$KS" \
	--split yes --count "$COUNT" --runs "$RUNS" --max-s "$MAX_S"

# --- the decoder alone (CPU time, no network) ------------------------------------
bg_wait "$T/dec.out" "$BUILD/bench/bench_decode" "$T/www/profile.json" --ms 100 --runs "$RUNS"

# --- ratios and the verdict ------------------------------------------------------
cat "$T/h2.out" "$T/b_sim.out" "$T/b_ng.out" | awk -v ks="$STREAMS" '
function rps(line,   i, f) {
	for (i = 2; i <= NF; i++) if ($i ~ /^req\/s=/) { f = $i; sub(/^req\/s=/, "", f); return f + 0 }
	return 0
}
/^sbi\./ && /req\/s=/ { v[$1] = rps($0) }
/^sbi\.ratio\.client_vs_bare\.sim\./ { n++; if ($0 ~ /: met\)/) met++ }
END {
	nk = split(ks, k, " ")
	for (i = 1; i <= nk; i++) {
		m = "m" k[i]
		s = v["sbi.h2load.sim." m]; g = v["sbi.h2load.nghttpd." m]
		r = g > 0 ? s / g : 0
		n++; if (g > 0 && r >= 0.5) met++
		verdict = (g > 0 && r >= 0.5) ? "met" : "MISSED"
		printf("%-40s %.2f  (target >= 0.5: %s)\n", "sbi.ratio.sim_vs_nghttpd." m, r, verdict)
	}
	for (i = 1; i <= nk; i++) {
		m = "m" k[i]
		s = v["sbi.h2load.sim." m]; g = v["sbi.h2load.nghttpd." m]; b = v["sbi.h2load.sbi_server." m]
		q = (g > 0) ? b / g : 0
		printf("%-40s %.2f  (sbi_server with fixed bytes / nghttpd; informative)\n",
		       "sbi.ratio.sbi_server_vs_nghttpd." m, q)
		q = (b > 0) ? s / b : 0
		printf("%-40s %.2f  (sim / sbi_server with fixed bytes: handler cost; informative)\n",
		       "sbi.ratio.sim_vs_sbi_server." m, q)
	}
	for (i = 1; i <= nk; i++) {
		m = "m" k[i]
		split("sim nghttpd", srv, " ")
		for (j = 1; j <= 2; j++) {
			b = v["sbi.bare." srv[j] "." m]; h = v["sbi.h2load." srv[j] "." m]
			q = (h > 0) ? b / h : 0
			printf("%-40s %.2f  (bare libcurl+jansson / h2load; informative)\n",
			       "sbi.ratio.bare_vs_h2load." srv[j] "." m, q)
		}
	}
	printf("%-40s %d of %d met\n", "sbi.targets", met, n)
}'

if [ "$H2FAIL" -ne 0 ] || [ "$BENCHRC" -ne 0 ]; then
	echo "bench: some requests failed (see failed=/errors= above); figures are not trustworthy" >&2
	exit 1
fi
exit 0
