#!/bin/sh
# SBI over TLS: the sim serves HTTP/2 over TLS (ALPN h2) with a certificate
# from a test CA made here with openssl. An engine trusting that CA discovers
# the NFs; an engine trusting another CA is refused and says why, and shows
# nothing it could not verify.
BUILD=${1:-build}
. tests/integration/lib.sh
t_tmp
command -v openssl >/dev/null || t_fail "openssl is not installed (make check installs it)"

mkca() {  # mkca NAME: a self-signed CA in $T/NAME.{key,pem}
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=slicedeck test $1" \
		-keyout "$T/$1.key" -out "$T/$1.pem" >/dev/null 2>&1 || t_fail "openssl CA $1"
}
mkca ca
mkca otherca
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
	-keyout "$T/sim.key" -out "$T/sim.csr" >/dev/null 2>&1 || t_fail "openssl csr"
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$T/ext.cnf"
openssl x509 -req -in "$T/sim.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial \
	-days 2 -extfile "$T/ext.cnf" -out "$T/sim.pem" >/dev/null 2>&1 || t_fail "openssl sign"

t_sample_conf "$T/good.conf" poll_interval=2 "ca=\"$T/ca.pem\""
t_sample_conf "$T/bad.conf" poll_interval=2 "ca=\"$T/otherca.pem\""

t_start sim "$BUILD/slicedeck-sim" -c "$T/good.conf" --listen 127.0.0.1:0 \
	--cert "$T/sim.pem" --key "$T/sim.key"
t_wait_log sim '^NRF https://127\.0\.0\.1:' 10
NRF=$(sed -n 's/^NRF //p' "$T/sim.log" | head -1)

count_nfs() {
	"$BUILD/slicedeck" --socket "$1" nfs --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'
}

# engine_sees NAME: an engine NAME on good.conf and $NRF that lists the
# sim's NFs within 10 s (0) or not (1)
engine_sees() {
	t_start "$1" "$BUILD/slicedeckd" -c "$T/good.conf" --socket "$T/$1.sock" \
		--state-dir "$T/$1-state" --nrf "$NRF" --stderr
	t_wait_file "$T/$1.sock" 10
	i=0
	while [ "$(count_nfs "$T/$1.sock")" -lt 8 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	[ "$(count_nfs "$T/$1.sock")" -ge 8 ]
}

# the right CA: NFs discovered over TLS
engine_sees good || t_fail "no NFs discovered over TLS with the right CA"
if grep -Eq 'TLS failure|certificate problem' "$T/good.log"; then
	t_fail "TLS errors with the right CA"
fi
t_stop good || t_fail "engine (good CA) did not stop"

# the wrong CA: refused, said clearly, nothing shown
t_start bad "$BUILD/slicedeckd" -c "$T/bad.conf" --socket "$T/bad.sock" \
	--state-dir "$T/bad-state" --nrf "$NRF" --stderr
t_wait_file "$T/bad.sock" 10
t_wait_log bad 'NRF .*(TLS|certificate|verif)' 15
[ "$(count_nfs "$T/bad.sock")" -eq 0 ] || t_fail "NFs shown although the NRF's certificate was not trusted"
[ -n "${SD_KEEP_LOG:-}" ] && cp "$T/bad.log" "$SD_KEEP_LOG"
t_stop bad || t_fail "engine (wrong CA) did not stop"
t_stop sim || t_fail "sim did not stop"

# issue 9 item 8: an https NRF whose profiles advertise scheme http. The
# engine discovers the NFs over TLS but sends nothing in cleartext: it
# refuses each http:// target and says so. Without the policy it talks
# plain h2c to the sim's TLS port, which logs a failed handshake.
t_start dsim "$BUILD/slicedeck-sim" -c "$T/good.conf" --listen 127.0.0.1:0 \
	--cert "$T/sim.pem" --key "$T/sim.key" --advertise-http --log-level info
t_wait_log dsim '^NRF https://127\.0\.0\.1:' 10
NRF=$(sed -n 's/^NRF //p' "$T/dsim.log" | head -1)
engine_sees down || t_fail "no NFs discovered from the https NRF"
t_wait_log down 'cleartext http:// refused' 15
sleep 1
if grep -Eiq 'handshake|not an HTTP/2|wrong version' "$T/dsim.log"; then
	t_fail "the engine sent cleartext to the TLS port after a scheme downgrade"
fi
t_stop down || t_fail "engine (downgrade) did not stop"
t_stop dsim || t_fail "sim (downgrade) did not stop"
echo "sbi_tls: ok"
