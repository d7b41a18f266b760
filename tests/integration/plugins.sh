#!/bin/sh
# Plugins through the real engine: the syslog plugin is loaded from a
# test plugin directory and sends audit entries (and alarms) as RFC 5424
# over TCP with octet-counting framing, then over TLS (RFC 5425) to a
# collector with a self-signed certificate whose CA the plugin is given;
# a wrong-ABI plugin, one without the entry symbol, one whose init fails,
# a missing one and a plugin setting the plugin does not know are each
# refused with their reason and the engine carries on; `slicedeck plugins`
# lists the states. A world-writable plugin directory refuses every plugin.
BUILD=${1:-build}
. tests/integration/lib.sh
t_need_root
t_tmp

P=$T/plugins
mkdir -p "$P" && chmod 0755 "$P"
for so in "$BUILD"/plugins/syslog.so "$BUILD"/plugins/webhook.so "$BUILD"/tests/plugins/bad_abi.so \
	  "$BUILD"/tests/plugins/no_entry.so "$BUILD"/tests/plugins/init_error.so; do
	install -m 0644 "$so" "$P/" || t_fail "no $so (make plugins)"
done

t_start rx python3 tests/tools/syslog_rx.py "$T/rx.txt"
t_wait_log rx '^PORT ' 10
PORT=$(sed -n 's/^PORT //p' "$T/rx.log")

# TLS collector: a CA and a server certificate for 127.0.0.1
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=test-ca -keyout "$T/ca.key" \
	-out "$T/ca.pem" >/dev/null 2>&1 || t_fail "openssl ca"
openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout "$T/srv.key" -out "$T/srv.csr" \
	>/dev/null 2>&1 || t_fail "openssl csr"
printf 'subjectAltName=IP:127.0.0.1\n' >"$T/ext.cnf"
openssl x509 -req -in "$T/srv.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial -days 2 \
	-extfile "$T/ext.cnf" -out "$T/srv.pem" >/dev/null 2>&1 || t_fail "openssl sign"
t_start rxtls python3 tests/tools/syslog_rx.py "$T/rxtls.txt" "$T/srv.pem" "$T/srv.key"
t_wait_log rxtls '^PORT ' 10
TPORT=$(sed -n 's/^PORT //p' "$T/rxtls.log")

# the webhook receiver: HTTPS with the same CA, the shared secret in a file
printf 'k3y-%s\n' "$$" >"$T/hook.secret" && chmod 0600 "$T/hook.secret"
t_start hook python3 tests/tools/webhook_rx.py "$T/hook.txt" "$T/srv.pem" "$T/srv.key" "$T/hook.secret"
t_wait_log hook '^PORT ' 10
HPORT=$(sed -n 's/^PORT //p' "$T/hook.log")

write_conf() {
	cat >"$T/sd.conf" <<EOF2
engine = { socket = "$T/sd.sock"; state_dir = "$T/state"; log_level = "info"; };
zone = { name = "Plugin Test Park"; plmn = { mcc = "460"; mnc = "00"; }; };
sbi = { nrf = "http://127.0.0.1:9"; poll_interval = 60; };
factories = (
  { id = "alpha"; name = "Alpha Steel"; industry = "steel"; zone = "north";
    mode = "hybrid"; level = "workshop"; security_grade = 2; dnns = [ "alpha.mec" ];
    sites = ( { id = "alpha-s1"; name = "Alpha mill"; lat = 36.6; lon = 117.0;
                cells = ( { id = "alpha-c1"; nci = "000000a01"; tac = "00a001"; x = 10.0; y = 10.0; pci = 11; } ); } );
    slices = ( { id = "alpha-crane"; name = "crane control"; snssai = "2-00a001";
                 scenario = "remote-control"; dnn = "alpha.mec"; state = "active"; } ); }
);
plugins = {
  dir = "$P";
  load = (
    { name = "syslog"; settings = { transport = "tcp"; host = "127.0.0.1"; port = $PORT;
                                    hostname = "plugtest"; }; },
    { name = "bad_abi"; },
    { name = "no_entry"; },
    { name = "init_error"; },
    { name = "absent"; },
    { name = "webhook"; settings = { url = "https://127.0.0.1:$HPORT/hook"; ca = "$T/ca.pem";
                                     secret_file = "$T/hook.secret"; audit = true; }; }
  );
};
EOF2
	chmod 0600 "$T/sd.conf"
}
write_conf
# names that are paths, a relative directory, a name twice: FILE:LINE errors
cp "$T/sd.conf" "$T/bad.conf"
sed -i '/^plugins = {/,$d' "$T/bad.conf"
printf '%s\n' 'plugins = { dir = "rel/dir";' '  load = ( { name = "../evil"; },' \
	'    { name = "syslog"; }, { name = "syslog"; } ); };' >>"$T/bad.conf"
"$BUILD/slicedeckd" --check-config "$T/bad.conf" >"$T/bad.txt" 2>&1 && t_fail "bad plugins section accepted"
t_expect_grep 'bad\.conf:[0-9]+: plugins\.dir: "rel/dir": must be an absolute path' "$T/bad.txt"
t_expect_grep "bad\.conf:[0-9]+: plugins\.load\[0\]\.name: \"\.\./evil\": must be a plugin name" "$T/bad.txt"
t_expect_grep 'bad\.conf:[0-9]+: plugins\.load\[2\]: plugin "syslog" is loaded twice' "$T/bad.txt"
t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --stderr
t_wait_file "$T/sd.sock" 10
sd() { "$BUILD/slicedeck" --socket "$T/sd.sock" "$@"; }

# the socket is up before every plugin has been tried: wait for each line
t_wait_log engine 'plugin bad_abi.*built for plugin ABI 99\.0, this engine has ABI 1\.1' 10
t_wait_log engine "plugin no_entry.*no symbol slicedeck_plugin_entry" 10
t_wait_log engine 'plugin init_error.*init failed: the test device /dev/nonexistent-probe is absent' 10
t_wait_log engine "plugin absent.*absent\.so: No such file" 10
t_wait_log engine "plugin syslog 1\.0 loaded from $P/syslog\.so" 10

sd plugins --json >"$T/pl.json" || t_fail "slicedeck plugins"
python3 - "$T/pl.json" <<'PY' || t_fail "plugin states"
import json, sys
r = json.load(open(sys.argv[1]))
st = {p['name']: (p['state'], p['reason']) for p in r['plugins']}
want = {'syslog': 'running', 'bad_abi': 'failed', 'no_entry': 'failed',
        'init_error': 'failed', 'absent': 'failed', 'webhook': 'running'}
for k, v in want.items():
    assert st[k][0] == v, (k, st[k])
assert 'ABI 99.0' in st['bad_abi'][1], st
PY
sd plugins >"$T/pl.txt"
t_expect_grep '^PLUGIN +STATE' "$T/pl.txt"
t_expect_grep '^init_error +failed .*init failed' "$T/pl.txt"

# an audited request (refused: no such alarm) -> one RFC 5424 audit record
sd alarm ack 424242 >/dev/null 2>&1
t_until 10 grep -q 'AUDIT' "$T/rx.txt" || { cat "$T/rx.txt" 2>/dev/null; t_fail "no audit record at the collector"; }
grep -q '^ERROR' "$T/rx.txt" && { cat "$T/rx.txt"; t_fail "collector saw a bad frame"; }
t_expect_grep '^<109>1 [0-9T:.-]+Z plugtest slicedeckd [0-9]+ AUDIT \[audit@32473 seq="[0-9]+" user="root" role="operator" factory="" op="alarm\.ack" objectFactory="" outcome="not_found"\] alarm\.ack by root: not_found$' "$T/rx.txt"
# the webhook: the first POST answered 503 and retried, then the audit
# record and the NRF alarm arrive signed
t_until 15 grep -q '^OK .*"op": *"alarm.ack"' "$T/hook.txt" || { cat "$T/hook.txt"; t_fail "no signed audit POST"; }
t_until 10 grep -q '^OK .*"kind": *"alarm".*"object": *"nf=NRF"' "$T/hook.txt" || { cat "$T/hook.txt"; t_fail "no signed alarm POST"; }
t_expect_grep '^RETRY$' "$T/hook.txt"
grep -q '^BADSIG' "$T/hook.txt" && { cat "$T/hook.txt"; t_fail "a POST with a bad signature"; }
t_expect_grep 'plugin webhook: POST https://127.0.0.1:[0-9]+/hook: HTTP status 503; retrying in 1000 ms' "$T/engine.log"
t_stop engine || t_fail "engine did not stop"

# TLS (RFC 5425) to the collector with our CA; first with a setting the
# plugin does not know: refused with FILE:LINE, the engine carries on
python3 - "$T/sd.conf" "$TPORT" "$T/ca.pem" <<'PY'
import re, sys
p, port, ca = sys.argv[1:]
s = open(p).read()
s = re.sub(r'settings = \{ transport = "tcp";[^}]*\}',
           'settings = { transport = "tls"; host = "127.0.0.1"; port = %s;\n'
           '                                    ca = "%s"; hostname = "plugtest";\n'
           '                                    colour = "blue"; }' % (port, ca), s, flags=re.S)
open(p, 'w').write(s)
PY
chmod 0644 "$T/hook.secret"
t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --stderr
t_wait_file "$T/sd.sock" 10
t_expect_grep "plugins\.load\[webhook\]\.settings\.secret_file: $T/hook.secret: a secret file must not be accessible by others \(mode 0644" "$T/engine.log"
chmod 0600 "$T/hook.secret"
t_expect_grep "sd\.conf:[0-9]+: plugins\.load\[syslog\]\.settings\.colour: unknown setting for plugin syslog" "$T/engine.log"
sd plugins --json | grep -q '"state": "failed"' || t_fail "syslog with an unknown setting not failed"
sd whoami >/dev/null || t_fail "the engine did not carry on"
t_stop engine || t_fail "engine did not stop"
sed -i '/colour = "blue"; }/s/colour = "blue"; }/}/' "$T/sd.conf"
t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --stderr
t_wait_file "$T/sd.sock" 10
t_wait_log engine "plugin syslog 1\.0 loaded" 5
sd alarm ack 434343 >/dev/null 2>&1
t_until 10 grep -q 'op="alarm.ack"' "$T/rxtls.txt" || { cat "$T/rxtls.txt" "$T/rxtls.log"; t_fail "no audit record over TLS"; }
grep -q 'ERROR' "$T/rxtls.txt" && { cat "$T/rxtls.txt"; t_fail "TLS collector saw an error"; }
# the NRF (port 9) is unreachable: its alarm reaches the collector too
t_until 10 grep -Eq 'ALARM \[alarm@32473 id="[0-9]+" notif="(new|changed)" severity="critical" object="nf=NRF"' "$T/rxtls.txt" \
	|| { cat "$T/rxtls.txt"; t_fail "no alarm record over TLS"; }
t_expect_grep '^<26>1 ' "$T/rxtls.txt"
t_stop engine || t_fail "engine did not stop"

# a world-writable plugin directory: every plugin refused, the engine runs
chmod 0777 "$P"
rm -f "$T/sd.sock"
t_start engine "$BUILD/slicedeckd" -c "$T/sd.conf" --stderr
t_wait_file "$T/sd.sock" 10
t_expect_grep "plugin directory $P is writable by others \(mode 0777\): refused" "$T/engine.log"
sd plugins --json | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert all(p["state"] == "failed" and "writable by others" in p["reason"] for p in r["plugins"]), r' \
	|| t_fail "a world-writable directory did not refuse every plugin"
sd whoami >/dev/null || t_fail "the engine did not carry on"
chmod 0755 "$P"
t_stop engine || t_fail "engine did not stop"
t_stop rx; t_stop rxtls; t_stop hook
echo "plugins: ok"
