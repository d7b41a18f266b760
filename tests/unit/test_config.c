/* tests/unit/test_config.c — core/config.c and the scenario catalog.
 *
 * Run from the repository root. Data: tests/data/config/ (min.conf is a
 * small valid file; each bad-*.conf breaks one thing in it). Tests that
 * need file modes, includes or symbolic links build their files in a
 * private temporary directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "billing/tariff_conf.h"
#include "core/config.h"
#include "core/log.h"
#include "core/util.h"
#include "engine/config_sections.h"
#include "monitor/monitor_conf.h"
#include "slicing/scenario.h"
#include "snmp/snmp_conf.h"

/* the module sections' data */
#define SNMP(c) (sd_snmp_conf_get(c)->targets)
#define NSNMP(c) (sd_snmp_conf_get(c)->ntargets)
#define TARIFF(c) (sd_tariff_conf_get(c)->tariffs)
#define NTARIFF(c) (sd_tariff_conf_get(c)->ntariffs)

#define DATA "tests/data/config/"

/* ---- helpers ---------------------------------------------------------- */

static void dump(const struct sd_errlist *e)
{
	int i;
	for (i = 0; i < e->n; i++)
		fprintf(stderr, "  | %s\n", e->msgs[i]);
}

/* true when some message starts with prefix and contains sub. */
static bool has_err(const struct sd_errlist *e, const char *prefix, const char *sub)
{
	int i;
	for (i = 0; i < e->n; i++)
		if (strncmp(e->msgs[i], prefix, strlen(prefix)) == 0 && strstr(e->msgs[i], sub))
			return true;
	return false;
}

static void expect_err(const struct sd_errlist *e, const char *prefix, const char *sub)
{
	if (!has_err(e, prefix, sub)) {
		fprintf(stderr, "expected an error \"%s ... %s\"; got %d:\n", prefix, sub, e->n);
		dump(e);
		fail();
	}
}

static struct sd_config *load_ok(const char *path)
{
	struct sd_errlist e;
	struct sd_config *c;
	sd_errlist_init(&e);
	c = sd_config_load(path, &e);
	if (!c || e.n) {
		fprintf(stderr, "%s should load, got:\n", path);
		dump(&e);
	}
	assert_non_null(c);
	assert_int_equal(e.n, 0);
	sd_errlist_done(&e);
	return c;
}

static char tmpdir[64];

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(p);
}

static int mk_tmp(void **state)
{
	strcpy(tmpdir, "/tmp/sdcfgtest.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int rm_tmp(void **state)
{
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

/* Write tmpdir/name with mode; returns the path (static buffer rotation). */
static const char *put(const char *name, mode_t mode, const char *text)
{
	static char bufs[4][512];
	static int k;
	char *p = bufs[k++ % 4];
	FILE *f;
	snprintf(p, 512, "%s/%s", tmpdir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(p, mode), 0);
	return p;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = sd_malloc(1 << 20);
	size_t n;
	assert_non_null(f);
	n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static const char *tpath(const char *name)
{
	static char bufs[4][512];
	static int k;
	char *p = bufs[k++ % 4];
	snprintf(p, 512, "%s/%s", tmpdir, name);
	return p;
}

/* ---- the shipped sample --------------------------------------------- */

static void test_sample_loads(void **state)
{
	char *text = slurp("etc/slicedeck.conf");
	const char *path = put("slicedeck.conf", 0640, text);
	struct sd_config *c = load_ok(path);
	const struct sd_model *m = c->model;
	const struct sd_slice *sl;
	const struct sd_scenario *sc;
	int i, f;
	char buf[512];

	free(text);
	assert_int_equal(m->nfactories, 6);
	assert_int_equal(m->nsites, 8);
	assert_int_equal(m->ncells, 15);
	assert_int_equal(m->nslices, 15);
	assert_int_equal(c->nrules, 5);
	assert_int_equal(NSNMP(c), 1);
	assert_int_equal(NTARIFF(c), 3);
	assert_string_equal(m->plmn.mcc, "460");
	assert_string_equal(m->plmn.mnc, "00");
	assert_true(c->has_secrets);

	/* all three modes and levels are present */
	{
		unsigned modes = 0, levels = 0;
		for (i = 0; i < m->nfactories; i++) {
			modes |= 1u << m->factories[i].mode;
			levels |= 1u << m->factories[i].level;
		}
		assert_int_equal(modes, 7);
		assert_int_equal(levels, 7);
	}

	/* a slice with overridden SLA keys keeps the rest of its template */
	i = sd_model_slice_index(m, "bhm-crane-rc");
	assert_true(i >= 0);
	sl = &m->slices[i];
	assert_int_equal(sl->snssai.sst, 2);
	assert_true(sl->snssai.has_sd);
	assert_int_equal(sl->snssai.sd, 0x0a0001);
	sc = sd_scenario_find("remote-control");
	assert_ptr_equal(sl->scenario, sc);
	assert_int_equal(sl->sla.latency_us, 15000);           /* overridden */
	assert_int_equal(sl->sla.max_ues, 8);                  /* overridden */
	assert_true(sl->sla.reliability_pct == sc->sla.reliability_pct);   /* inherited */
	assert_int_equal(sl->sla.fiveqi, sc->sla.fiveqi);
	assert_int_equal(sl->sla.gbr_ul_kbps, sc->sla.gbr_ul_kbps);
	assert_string_equal(sl->dnn, "bhm.mec");
	assert_int_equal(sl->nsites, 1);
	assert_string_equal(m->sites[sl->sites[0]].id, "bhm-yard");
	assert_string_equal(m->factories[sl->factory].id, "beilun-heavy");

	/* a slice with no sla group is exactly its template */
	i = sd_model_slice_index(m, "bhm-weld-qc");
	sl = &m->slices[i];
	sc = sd_scenario_find("machine-vision-qc");
	assert_int_equal(sl->sla.latency_us, sc->sla.latency_us);
	assert_int_equal(sl->sla.gbr_ul_kbps, sc->sla.gbr_ul_kbps);
	assert_int_equal(sl->sla.mbr_ul_kbps, sc->sla.mbr_ul_kbps);
	assert_int_equal(sl->sla.max_ues, sc->sla.max_ues);
	assert_true(sl->sla.availability_pct == sc->sla.availability_pct);
	assert_int_equal(sl->state, SD_SLICE_ACTIVE);

	/* defaults: dnn = the factory's first, sites = all of the factory's */
	i = sd_model_slice_index(m, "xgs-energy");
	sl = &m->slices[i];
	assert_string_equal(sl->dnn, "xgs.local");
	assert_int_equal(sl->nsites, 2);
	i = sd_model_slice_index(m, "zhp-diag");
	assert_int_equal(m->slices[i].state, SD_SLICE_REQUESTED);
	i = sd_model_slice_index(m, "xpt-collab");
	assert_int_equal(m->slices[i].sla.gbr_ul_kbps, 4000);
	assert_int_equal(m->slices[i].snssai.sd, 0x0f0002);

	/* cells, factories, tariffs, engine, sbi, snmp */
	f = sd_model_factory_index(m, "xingang-steel");
	assert_int_equal(m->factories[f].mode, SD_MODE_INDEPENDENT);
	assert_int_equal(m->factories[f].security_grade, 3);
	assert_string_equal(m->factories[f].tariff, "independent-om");
	f = sd_model_factory_index(m, "zhenhai-petro");
	assert_int_equal(m->factories[f].ndnns, 2);
	assert_string_equal(m->factories[f].dnns[1], "zhp.it");
	for (i = 0; i < m->ncells; i++)
		if (strcmp(m->cells[i].id, "bhm-w2") == 0)
			break;
	assert_true(i < m->ncells);
	assert_int_equal(m->cells[i].nci, 0x0a1001002ULL);
	assert_int_equal(m->cells[i].tac, 0x0a0101);
	assert_int_equal(m->cells[i].pci, 102);
	assert_string_equal(m->sites[m->cells[i].site].id, "bhm-works");
	assert_int_equal(TARIFF(c)[0].monthly_fee, 1200000);
	assert_int_equal(TARIFF(c)[0].per_gb, 300);
	assert_int_equal(TARIFF(c)[1].mode, SD_MODE_HYBRID);
	assert_string_equal(TARIFF(c)[1].currency, "CNY");    /* default */
	assert_int_equal(c->socket_mode, 0660);
	assert_true(c->log_syslog);
	assert_string_equal(c->socket_group, "slicedeck");
	assert_string_equal(c->sbi.nrf_api_root, "http://127.0.0.1:7777");
	assert_int_equal(c->sbi.timeout_ms, 3000);
	assert_true(c->sbi.tls.verify);
	assert_string_equal(SNMP(c)[0].community, "bl5G-noc-traps");
	assert_int_equal(SNMP(c)[0].version, SD_SNMP_V2C);
	assert_int_equal(SNMP(c)[0].port, 162);
	assert_int_equal(c->rules[2].role, SD_ROLE_FACTORY);
	assert_int_equal(c->rules[2].factory, sd_model_factory_index(m, "beilun-heavy"));
	assert_true(c->rules[0].is_group);

	sd_config_summary(c, buf, sizeof buf);
	assert_string_equal(buf, "ok: zone Beilun Port Industrial Park, Ningbo, PLMN 460-00, "
			    "6 factories, 8 sites, 15 cells, 15 slices, 5 access rules, "
			    "1 SNMP target, 3 tariffs");
	sd_config_free(c);
}

/* The sample as a git checkout leaves it (0644) holds a secret: refused. */
static void test_secrets_world_readable(void **state)
{
	char *text = slurp("etc/slicedeck.conf");
	const char *path = put("slicedeck.conf", 0644, text);
	struct sd_errlist e;
	char want[600];

	free(text);
	sd_errlist_init(&e);
	assert_null(sd_config_load(path, &e));
	snprintf(want, sizeof want, "%s: holds secrets (snmp community) but is readable by "
		 "others (mode 0644); chmod 0640 or 0600", path);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.msgs[0], want);
	sd_errlist_done(&e);

	/* writable (not readable) by others is refused too */
	chmod(path, 0602);
	sd_errlist_init(&e);
	assert_null(sd_config_load(path, &e));
	expect_err(&e, path, "but is writable by others (mode 0602)");
	sd_errlist_done(&e);
}

/* Issue 9 item 12: a private secret-holding file owned by another non-root
 * user is refused (that user could rewrite it); root's or ours is fine. */
static void test_secrets_foreign_owner(void **state)
{
	char *text = slurp("etc/slicedeck.conf");
	const char *path = put("owned.conf", 0600, text);
	struct sd_errlist e;
	struct sd_config *c;
	(void)state;
	free(text);
	if (geteuid() != 0)
		skip();
	assert_int_equal(chown(path, 1, 1), 0);    /* daemon */
	sd_errlist_init(&e);
	assert_null(sd_config_load(path, &e));
	expect_err(&e, path, "holds secrets (snmp community) but belongs to uid 1, neither root");
	sd_errlist_done(&e);
	assert_int_equal(chown(path, 0, 0), 0);
	sd_errlist_init(&e);
	c = sd_config_load(path, &e);
	assert_non_null(c);
	sd_config_free(c);
	sd_errlist_done(&e);
}

/* Issue 9 item 12: sbi.nrf is an API root: a port 1-65535 when given, a
 * closed [v6], no user info; each refusal names the file and line. */
static void test_nrf_validated(void **state)
{
	static const struct { const char *nrf; const char *what; } bad_nrf[] = {
		{ "http://127.0.0.1:0", "port must be a number 1-65535" },
		{ "http://127.0.0.1:65536", "port must be a number 1-65535" },
		{ "http://127.0.0.1:70000", "port must be a number 1-65535" },
		{ "http://127.0.0.1:abc", "port must be a number 1-65535" },
		{ "http://nrf:", "port must be a number 1-65535" },
		{ "http://[::1", "has an unclosed \"[\" in its host" },
		{ "http://[::1]x", "must be scheme://[ipv6]:port" },
		{ "https://user:pw@nrf:443", "must not carry user information" },
		{ "http://::1:80", "has no host" },
		{ "http://fe80::1", "has an IPv6 address without [ ]" },
	};
	static const char *good[] = { "http://127.0.0.1:1", "https://[::1]:65535/x",
				      "http://[::1]", "https://nrf.example" };
	char *text = slurp(DATA "min.conf"), *t;
	size_t i;
	(void)state;
	for (i = 0; i < SD_ARRAY_LEN(bad_nrf) + SD_ARRAY_LEN(good); i++) {
		const char *nrf = i < SD_ARRAY_LEN(bad_nrf) ? bad_nrf[i].nrf
				  : good[i - SD_ARRAY_LEN(bad_nrf)];
		char want[600];
		const char *path;
		struct sd_errlist e;
		struct sd_config *c;
		t = sd_printf("%.*s%s%s", (int)(strstr(text, "http://127.0.0.1:7777") - text), text,
			      nrf, strstr(text, "http://127.0.0.1:7777") + 21);
		path = put("nrf.conf", 0644, t);
		free(t);
		sd_errlist_init(&e);
		c = sd_config_load(path, &e);
		if (i < SD_ARRAY_LEN(bad_nrf)) {
			assert_null(c);
			snprintf(want, sizeof want, "%s:4: sbi.nrf: \"%s\": ", path, nrf);
			expect_err(&e, want, bad_nrf[i].what);
		} else {
			if (!c)
				dump(&e);
			assert_non_null(c);
		}
		sd_config_free(c);
		sd_errlist_done(&e);
	}
	free(text);
}

/* Issue 9 item 12: one user or group, two different rules: an error; a
 * second identical rule only a warning. */
#define BIN_RULE "{ group = \"bin\"; role = \"viewer\"; }"
/* min.conf with its bin rule followed by one more rule */
static char *rules_plus(const char *text, const char *extra)
{
	const char *at = strstr(text, BIN_RULE);
	assert_non_null(at);
	return sd_printf("%.*s" BIN_RULE ",\n%s%s", (int)(at - text), text, extra,
			 at + strlen(BIN_RULE));
}

static void test_access_conflicts(void **state)
{
	char *text = slurp(DATA "min.conf"), *t;
	const char *path;
	struct sd_errlist e;
	struct sd_config *c;
	(void)state;
	t = rules_plus(text, "{ user = \"daemon\"; role = \"factory\"; factory = \"f1\"; }");
	path = put("dup.conf", 0644, t);
	free(t);
	sd_errlist_init(&e);
	assert_null(sd_config_load(path, &e));
	expect_err(&e, path, "access.rules[2]: user \"daemon\" already has a rule "
		   "(access.rules[0], line 40) that gives role factory of f2");
	sd_errlist_done(&e);
	t = rules_plus(text, BIN_RULE);
	path = put("dup2.conf", 0644, t);
	free(t);
	sd_errlist_init(&e);
	c = sd_config_load(path, &e);
	assert_non_null(c);
	sd_config_free(c);
	sd_errlist_done(&e);
	free(text);
}

/* Issue 9 item 12: a file name with ESC / BEL is shown escaped in every
 * error, never raw. */
static void test_errors_escape_control_bytes(void **state)
{
	const char *path = put("x\033[31m\007.conf", 0644, "zone = { name = \"a\" ;\n");
	struct sd_errlist e;
	const char *p;
	(void)state;
	sd_errlist_init(&e);
	assert_null(sd_config_load(path, &e));
	assert_true(e.n >= 1);
	assert_non_null(strstr(e.msgs[0], "x\\x1b[31m\\x07.conf:"));
	for (p = e.msgs[0]; *p; p++)
		assert_true((unsigned char)*p >= ' ' && *p != 0x7f);
	sd_errlist_done(&e);
	path = put("nonutf8.conf", 0644, "zone = { name = \"\377\302\233x\"; "
		   "plmn = { mcc = \"001\"; mnc = \"01\"; }; };\n");
	sd_errlist_init(&e);
	assert_null(sd_config_load(path, &e));
	expect_err(&e, path, "zone.name: \"\\xff\\xc2\\x9bx\": is not UTF-8 text");
	sd_errlist_done(&e);
}

/* The secret lives in an include: that file's mode is what counts. */
static void test_secrets_in_include(void **state)
{
	char *min = slurp(DATA "min.conf");
	char *main = sd_printf("%s@include \"snmp.conf\"\n", min);
	const char *path = put("main.conf", 0644, main);
	const char *snmp = put("snmp.conf", 0600,
		"snmp = {\n"
		"  targets = ( { name = \"nms\"; host = \"127.0.0.1\"; version = \"3\";\n"
		"    user = \"sd\"; auth_pass = \"authpass123\"; priv_pass = \"privpass123\";\n"
		"    auth_proto = \"SHA-256\"; priv_proto = \"AES\"; } );\n"
		"};\n");
	struct sd_config *c = load_ok(path);
	struct sd_errlist e;
	char want[600];

	assert_int_equal(NSNMP(c), 1);
	assert_int_equal(SNMP(c)[0].version, SD_SNMP_V3);
	assert_string_equal(SNMP(c)[0].auth_proto, "SHA-256");
	assert_string_equal(SNMP(c)[0].priv_pass, "privpass123");
	assert_int_equal(SNMP(c)[0].port, 162);
	assert_true(c->has_secrets);
	sd_config_free(c);

	chmod(snmp, 0604);
	sd_errlist_init(&e);
	assert_null(sd_config_load(path, &e));
	snprintf(want, sizeof want, "%s: holds secrets (snmp v3 passphrases) but is readable "
		 "by others (mode 0604); chmod 0640 or 0600", snmp);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.msgs[0], want);
	sd_errlist_done(&e);
	free(min);
	free(main);
}

static void test_world_writable(void **state)
{
	char *min = slurp(DATA "min.conf");
	const char *path = put("ww.conf", 0666, min);
	struct sd_errlist e;
	free(min);
	sd_errlist_init(&e);
	assert_null(sd_config_load(path, &e));
	expect_err(&e, path, "is writable by others (mode 0666)");
	sd_errlist_done(&e);
}

/* ---- defaults ---------------------------------------------------------- */

static void test_min_defaults(void **state)
{
	struct sd_config *c = load_ok(DATA "min.conf");
	const struct sd_model *m = c->model;
	const struct sd_slice *sl;

	assert_string_equal(c->socket_path, "/run/slicedeck/slicedeck.sock");
	assert_string_equal(c->state_dir, "/var/lib/slicedeck");
	assert_int_equal(c->socket_mode, 0660);
	assert_string_equal(c->socket_group, "");
	assert_false(c->log_syslog);
	assert_int_equal(c->log_level, SD_LOG_INFO);
	assert_int_equal(c->sbi.timeout_ms, 3000);
	assert_int_equal(c->sbi.retries, 2);
	assert_int_equal(c->sbi.poll_interval_s, 10);
	assert_true(c->sbi.tls.verify);
	assert_false(c->sbi.oauth2);
	assert_string_equal(c->sbi.notify_listen, "127.0.0.1:0");
	assert_false(c->has_secrets);
	assert_string_equal(m->zone_name, "Test zone");
	assert_string_equal(m->factories[0].zone, "Test zone");  /* defaults to zone.name */
	assert_string_equal(m->sites[1].name, "s1b");             /* name defaults to id */
	assert_true(m->sites[1].width_m == 100.0);
	sl = &m->slices[1];
	assert_string_equal(sl->id, "sl1b");
	assert_int_equal(sl->sla.latency_us, 12500);              /* 12.5 ms */
	assert_int_equal(sl->sla.gbr_ul_kbps, 5000);
	assert_int_equal(sl->sla.mbr_ul_kbps, sd_scenario_find("remote-control")->sla.mbr_ul_kbps);
	assert_int_equal(TARIFF(c)[1].per_gb, 300);
	assert_int_equal(TARIFF(c)[0].per_gb, 0);
	sd_config_free(c);
}

/* Left-out groups still get their members' defaults; no sbi = no 5GC. */
static void test_group_defaults(void **state)
{
	char *min = slurp(DATA "min.conf"), *p;
	struct sd_config *c;
	p = strstr(min, "sbi = {");
	assert_non_null(p);
	memset(p, ' ', strcspn(p, "\n"));
	c = load_ok(put("nosbi.conf", 0644, min));
	assert_string_equal(c->sbi.nrf_api_root, "");
	assert_int_equal(c->sbi.timeout_ms, 3000);
	assert_int_equal(c->sbi.retries, 2);
	assert_true(c->sbi.tls.verify);
	assert_string_equal(c->sbi.notify_listen, "127.0.0.1:0");
	assert_int_equal(c->socket_mode, 0660);
	sd_config_free(c);
	free(min);
}

/* ---- every kind of error, one file each -------------------------------- */

static const struct {
	const char *file, *where, *what;
} bad[] = {
	{ "bad-syntax.conf", ":18:", "syntax error" },
	{ "bad-dup-setting.conf", ":4:", "duplicate setting name" },
	{ "bad-type.conf", ":12:", "factories[f1].security_grade: expected an integer, got a string" },
	{ "bad-unknown-key.conf", ":11:", "factories[f1].colour: unknown key (known here: id, name," },
	{ "bad-missing.conf", ":31:", "factories[f2].mode: required key is missing" },
	{ "bad-typo.conf", ":33:", "factories[f2].securty_grade: unknown key; did you mean \"security_grade\"?" },
	{ "bad-no-zone.conf", ": ", "zone: required key is missing" },
	{ "bad-dup-factory.conf", ":31:", "duplicate factory id \"f1\" (first defined at " DATA "bad-dup-factory.conf:10)" },
	{ "bad-dup-site.conf", ":21:", "duplicate site id \"s1\" (first defined at " DATA "bad-dup-site.conf:14)" },
	{ "bad-dup-cell.conf", ":18:", "duplicate cell id \"c1\"" },
	{ "bad-dup-slice.conf", ":35:", "duplicate slice id \"sl1\"" },
	{ "bad-dup-tariff.conf", ":7:", "duplicate tariff id \"t-hyb\"" },
	{ "bad-dup-snssai.conf", ":35:", "S-NSSAI 1-000001 is already used by slice \"sl1\"" },
	{ "bad-dup-nci.conf", ":18:", "NCI 000001001 is already used by cell \"c1\"" },
	{ "bad-sst-range.conf", ":35:", "\"256-000002\": SST must be an integer 0-255" },
	{ "bad-sst0.conf", ":35:", "SST 0 has no standardized meaning; use 1-255 (128-255 are operator-specific)" },
	{ "bad-sd.conf", ":35:", "\"3-00002\": SD must be exactly 6 hex digits" },
	{ "bad-ref-factory.conf", ":40:", "access.rules[0].factory: unknown factory \"f9\"" },
	{ "bad-ref-site.conf", ":24:", "factories[f1].slices[sl1].sites: unknown site \"s9\"" },
	{ "bad-ref-other-site.conf", ":24:", "site \"s2\" belongs to factory \"f2\", not to the slice's factory \"f1\"" },
	{ "bad-ref-other-site2.conf", ":35:", "site \"s1\" belongs to factory \"f1\", not to the slice's factory \"f2\"" },
	{ "bad-ref-scenario.conf", ":35:", "\"energy-management\": unknown scenario" },
	{ "bad-ref-tariff.conf", ":12:", "factories[f1].tariff: unknown tariff \"t-gold\"" },
	{ "bad-tariff-mode.conf", ":12:", "tariff \"t-vpn\" is for virtual networks; factory \"f1\" is hybrid" },
	{ "bad-negative-fee.conf", ":7:", "tariffs[t-vpn].per_gb: must not be negative (got -300)" },
	{ "bad-float-money.conf", ":7:", "money is in integer minor units (fen), not a float: 500.00 yuan is written 50000" },
	{ "bad-negative-rate.conf", ":27:", "sla.gbr_ul_mbps: must not be negative (got -5)" },
	{ "bad-overflow.conf", ":12:", "factories[f1].security_grade: 4294967297 is out of range 1-3" },
	{ "bad-overflow64.conf", ":6:", "monthly_fee: 99999999999999999999L is out of range" },
	{ "bad-grade.conf", ":33:", "factories[f2].security_grade: 4 is out of range 1-3" },
	{ "bad-pct.conf", ":27:", "sla.availability_pct: 100.5 is out of range 0-100 %" },
	{ "bad-mcc.conf", ":3:", "zone.plmn.mcc: \"01\": MCC must be exactly 3 decimal digits" },
	{ "bad-mcc-int.conf", ":3:", "zone.plmn.mcc: expected a string, got an integer; write it as a string" },
	{ "bad-mnc.conf", ":3:", "MNC must be 2 or 3 decimal digits" },
	{ "bad-tac.conf", ":18:", "cells[c2].tac: \"00001\" must be exactly 6 hex digits (24 bits)" },
	{ "bad-nci.conf", ":18:", "cells[c2].nci: \"00000100g\" must be exactly 9 hex digits (36 bits)" },
	{ "bad-pci.conf", ":18:", "cells[c2].pci: 1008 is out of range 0-1007" },
	{ "bad-cell-pos.conf", ":18:", "cells[c2].x: position (250, 90) m is outside the site plan" },
	{ "bad-cell-bandwidth.conf", ":18:", "cells[c2].bandwidth_mhz: 35 MHz is not an NR channel bandwidth" },
	{ "bad-cell-power.conf", ":18:", "cells[c2].tx_power_dbm: 80 is out of range 0-56 dBm" },
	{ "bad-site-env.conf", ":21:", "sites[s1b].propagation: \"street\" is not one of: hall, yard" },
	{ "bad-site-clutter.conf", ":21:", "sites[s1b].clutter_pct: 100 is out of range 0-99 %" },
	{ "bad-mode.conf", ":32:", "factories[f2].mode: \"private\" is not one of: virtual, hybrid, independent" },
	{ "bad-level.conf", ":11:", "\"plant\" is not one of: line, workshop, factory" },
	{ "bad-role.conf", ":41:", "access.rules[1].role: \"admin\" is not one of: operator, viewer, factory" },
	{ "bad-role-factory.conf", ":40:", "role \"factory\" needs factory = " },
	{ "bad-role-viewer-factory.conf", ":41:", "only role \"factory\" is bound to a factory" },
	{ "bad-rule-both.conf", ":41:", "a rule names a user or a group, not both" },
	{ "bad-rule-none.conf", ":41:", "a rule needs user = \"name\" or group = \"name\"" },
	{ "bad-nrf.conf", ":4:", "sbi.nrf: \"ftp://127.0.0.1:7777\": must start with http:// or https://" },
	{ "bad-dnn.conf", ":26:", "\"f2.vpn\" is not one of factory \"f1\"'s dnns" },
	{ "bad-gbr-mbr.conf", ":27:", "guaranteed rate 500 Mbit/s exceeds the maximum mbr_ul_mbps 100 Mbit/s" },
	{ "bad-socket-mode.conf", ":4:", "engine.socket_mode: expected a string, got an integer; write the mode as an octal string" },
	{ "bad-log-level.conf", ":4:", "engine.log_level: \"verbose\" is not one of: err, warning, notice, info, debug" },
	{ "bad-id.conf", ":21:", "sites[1].id: \"site 1b\" is not a valid id" },
	{ "bad-lat.conf", ":34:", "sites[s2].lat: 91 is out of range -90..90 degrees" },
	{ "bad-oauth2.conf", ":4:", "oauth2 = true needs sbi.nf_instance_id" },
	{ "bad-uuid.conf", ":4:", "sbi.nf_instance_id: \"1234\": must be a UUID" },
	{ "bad-state.conf", ":35:", "slices[sl2].state: \"live\" is not one of: requested, admitted," },
};

static void test_bad_configs(void **state)
{
	size_t i;
	int failures = 0;
	for (i = 0; i < SD_ARRAY_LEN(bad); i++) {
		struct sd_errlist e;
		struct sd_config *c;
		char path[256], prefix[300];
		snprintf(path, sizeof path, DATA "%s", bad[i].file);
		snprintf(prefix, sizeof prefix, "%s%s", path, bad[i].where);
		sd_errlist_init(&e);
		c = sd_config_load(path, &e);
		if (c || !has_err(&e, prefix, bad[i].what)) {
			fprintf(stderr, "%s: expected \"%s ... %s\", got %d error(s):\n", bad[i].file,
				prefix, bad[i].what, e.n);
			dump(&e);
			failures++;
		}
		sd_config_free(c);
		sd_errlist_done(&e);
	}
	assert_int_equal(failures, 0);
	assert_true(SD_ARRAY_LEN(bad) >= 25);
}

/* SNMP targets hold secrets, so these files are written 0600 at run time.
 * Each snippet follows min.conf; "line" counts from the snippet's start. */
static const struct {
	const char *snippet;
	int line;
	const char *what;
} snmp_bad[] = {
	{ "snmp = { targets = (\n"
	  "  { name = \"a\"; host = \"h\"; community = \"c1\"; },\n"
	  "  { name = \"a\"; host = \"h2\"; community = \"c2\"; }\n); };\n",
	  3, "snmp.targets[a]: duplicate SNMP target name \"a\"" },
	{ "snmp = { targets = (\n"
	  "  { name = \"a\"; host = \"h\"; version = \"1\"; community = \"c\"; }\n); };\n",
	  2, "snmp.targets[a].version: \"1\" is not one of: 2c, 3" },
	{ "snmp = { targets = (\n"
	  "  { name = \"a\"; host = \"h\"; version = 2; community = \"c\"; }\n); };\n",
	  2, "version: expected a string, got an integer; write it as a string: \"2c\" or \"3\"" },
	{ "snmp = { targets = (\n"
	  "  { name = \"a\"; host = \"h\"; version = \"3\"; user = \"u\";\n"
	  "    auth_pass = \"12345678\"; }\n); };\n",
	  2, "snmp.targets[a].priv_pass: version \"3\" (authPriv) needs priv_pass" },
	{ "snmp = { targets = (\n"
	  "  { name = \"a\"; host = \"h\"; version = \"3\"; user = \"u\";\n"
	  "    auth_pass = \"12345678\"; priv_pass = \"12345678\"; community = \"c\"; }\n); };\n",
	  3, "snmp.targets[a].community: applies to version \"2c\" only" },
	{ "snmp = { targets = (\n"
	  "  { name = \"a\"; host = \"h\"; community = \"c\";\n    user = \"u\"; }\n); };\n",
	  3, "snmp.targets[a].user: applies to version \"3\" only" },
	{ "snmp = { targets = (\n"
	  "  { name = \"a\"; host = \"h\"; }\n); };\n",
	  2, "snmp.targets[a].community: version \"2c\" needs a community" },
	{ "snmp = { targets = (\n"
	  "  { name = \"a\"; host = \"h\"; version = \"3\"; user = \"u\";\n"
	  "    auth_pass = \"short\"; priv_pass = \"12345678\"; }\n); };\n",
	  3, "snmp.targets[a].auth_pass: must be at least 8 characters" },
	{ "snmp = { targets = (\n"
	  "  { name = \"a\"; host = \"h\"; version = \"3\"; user = \"u\"; auth_proto = \"SHA1\";\n"
	  "    auth_pass = \"12345678\"; priv_pass = \"12345678\"; }\n); };\n",
	  2, "auth_proto: \"SHA1\": not one of: MD5, SHA, SHA-224" },
	{ "snmp = { targets = (\n"
	  "  { name = \"a\"; host = \"h\"; port = 0; community = \"c\"; }\n); };\n",
	  2, "snmp.targets[a].port: 0 is out of range 1-65535" },
	{ "snmp = { targets = (\n"
	  "  { name = \"a\"; host = \"bad host!\"; community = \"c\"; }\n); };\n",
	  2, "snmp.targets[a].host: \"bad host!\": must be a host name" },
	{ "snmp = { targets = (\n"
	  "  { name = \"a\"; host = \"h\"; community = \"\"; }\n); };\n",
	  2, "snmp.targets[a].community: must not be empty" },
	{ "snmp = { targets = (\n"
	  "  { name = \"a\"; host = \"h\"; version = \"3\"; user = \"u\"; inform = true;\n"
	  "    auth_pass = \"12345678\"; priv_pass = \"12345678\"; }\n); };\n",
	  2, "snmp.targets[a].engine_id: a v3 inform needs the receiver's engine_id" },
	{ "snmp = { targets = (\n"
	  "  { name = \"a\"; host = \"h\"; version = \"3\"; user = \"u\";\n"
	  "    security = \"noAuthNoPriv\"; }\n); };\n",
	  3, "snmp.targets[a].security: \"noAuthNoPriv\" sends alarms unauthenticated" },
	{ "snmp = { targets = (\n"
	  "  { name = \"a\"; host = \"h\"; version = \"3\"; user = \"u\"; security = \"authNoPriv\";\n"
	  "    auth_pass = \"12345678\"; priv_pass = \"12345678\"; }\n); };\n",
	  3, "snmp.targets[a].priv_pass: security \"authNoPriv\" sends in clear" },
	{ "snmp = { targets = (\n"
	  "  { name = \"a\"; host = \"h\"; version = \"3\"; user = \"u\"; security = \"auth\";\n"
	  "    auth_pass = \"12345678\"; priv_pass = \"12345678\"; }\n); };\n",
	  2, "snmp.targets[a].security: \"auth\" is not one of: authPriv, authNoPriv, noAuthNoPriv" },
	{ "snmp = { targets = (\n"
	  "  { name = \"a\"; host = \"h\"; community = \"c\"; timeout_ms = 100; }\n); };\n",
	  2, "snmp.targets[a].timeout_ms: applies to informs only" },
	{ "snmp = { targets = (\n"
	  "  { name = \"a\"; host = \"h\"; community = \"c\"; inform = true;\n"
	  "    retries = 11; }\n); };\n",
	  3, "snmp.targets[a].retries: 11 is out of range 0-10" },
	{ "snmp = { engine_id = \"0x12zz\"; targets = (\n"
	  "  { name = \"a\"; host = \"h\"; community = \"c\"; }\n); };\n",
	  1, "snmp.engine_id: \"0x12zz\": must be an engine ID" },
	{ "snmp = { agentx = { socket = \"localhost:705\"; }; targets = (\n"
	  "  { name = \"a\"; host = \"h\"; community = \"c\"; }\n); };\n",
	  1, "snmp.agentx.socket: \"localhost:705\": must be a socket path" },
	{ "snmp = { heartbeat = -1; targets = (\n"
	  "  { name = \"a\"; host = \"h\"; community = \"c\"; }\n); };\n",
	  1, "snmp.heartbeat: must not be negative (got -1)" },
	{ "snmp = { targets = (\n"
	  "  { name = \"a\"; host = \"h\"; community = \"c\"; queue = 0; }\n); };\n",
	  2, "snmp.targets[a].queue: 0 is out of range 1-100000" },
};

static void test_snmp_errors(void **state)
{
	char *min = slurp(DATA "min.conf");
	int base = 0, failures = 0;
	size_t i;
	const char *p;
	for (p = min; *p; p++)
		base += *p == '\n';
	for (i = 0; i < SD_ARRAY_LEN(snmp_bad); i++) {
		char *text = sd_printf("%s%s", min, snmp_bad[i].snippet), prefix[600];
		const char *path = put("snmp-bad.conf", 0600, text);
		struct sd_errlist e;
		struct sd_config *c;
		snprintf(prefix, sizeof prefix, "%s:%d: ", path, base + snmp_bad[i].line);
		sd_errlist_init(&e);
		c = sd_config_load(path, &e);
		if (c || !has_err(&e, prefix, snmp_bad[i].what)) {
			fprintf(stderr, "snmp case %zu: expected \"%s ... %s\":\n", i, prefix,
				snmp_bad[i].what);
			dump(&e);
			failures++;
		}
		sd_config_free(c);
		sd_errlist_done(&e);
		free(text);
	}
	free(min);
	assert_int_equal(failures, 0);
}

/* Several errors in one file: all are reported, in line order. */
static void test_multi_errors(void **state)
{
	struct sd_errlist e;
	const char *p = DATA "multi.conf";
	char pre[6][128];
	int i;

	sd_errlist_init(&e);
	assert_null(sd_config_load(p, &e));
	for (i = 0; i < 6; i++)
		snprintf(pre[i], sizeof pre[i], "%s:%d:", p, (int[]){ 3, 5, 9, 11, 14, 19 }[i]);
	expect_err(&e, pre[0], "zone.plmn.mnc: \"0\": MNC must be 2 or 3");
	expect_err(&e, pre[1], "tariffs[t1].monthly_fee: must not be negative");
	expect_err(&e, pre[2], "factories[f1].security_grade: 4294967297 is out of range 1-3");
	expect_err(&e, pre[3], "factories[f1].tariff: unknown tariff \"nope\"");
	expect_err(&e, pre[4], "factories[f1].slices[a].snssai: \"0\": SST 0 has no");
	expect_err(&e, pre[5], "access.rules[0].bogus: unknown key");
	if (e.n != 6)
		dump(&e);
	assert_int_equal(e.n, 6);
	for (i = 0; i < 6; i++)
		assert_true(strncmp(e.msgs[i], pre[i], strlen(pre[i])) == 0);   /* sorted */
	sd_errlist_done(&e);
}

/* ---- includes ---------------------------------------------------------- */

static const char *inc_head =
	"zone = { name = \"Inc\"; plmn = { mcc = \"001\"; mnc = \"01\"; }; };\n"
	"sbi = { nrf = \"https://nrf.example:443/\"; };\n";

static void test_include_ok(void **state)
{
	char *main = sd_printf("%s@include \"parts/fac.conf\"\n", inc_head);
	const char *path;
	struct sd_config *c;
	char dir[600];

	snprintf(dir, sizeof dir, "%s/parts", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	put("parts/fac.conf", 0644,
	    "factories = (\n"
	    "  { id = \"fi\"; name = \"Included\"; mode = \"virtual\"; level = \"line\";\n"
	    "    security_grade = 1; dnns = [ \"x.vpn\" ]; }\n"
	    ");\n");
	path = put("main.conf", 0644, main);
	c = load_ok(path);
	assert_int_equal(c->model->nfactories, 1);
	assert_string_equal(c->model->factories[0].id, "fi");
	assert_string_equal(c->sbi.nrf_api_root, "https://nrf.example:443");  /* '/' trimmed */
	sd_config_free(c);

	/* an error inside the include is reported against the include */
	put("parts/fac.conf", 0644,
	    "factories = (\n"
	    "  { id = \"fi\"; name = \"Included\"; mode = \"virtual\"; level = \"line\";\n"
	    "    security_grade = 7; dnns = [ \"x.vpn\" ]; }\n"
	    ");\n");
	{
		struct sd_errlist e;
		char want[600];
		sd_errlist_init(&e);
		assert_null(sd_config_load(path, &e));
		snprintf(want, sizeof want, "%s:3: factories[fi].security_grade: 7 is out of "
			 "range 1-3", tpath("parts/fac.conf"));
		assert_int_equal(e.n, 1);
		assert_string_equal(e.msgs[0], want);
		sd_errlist_done(&e);
	}
	/* and so is a syntax error */
	put("parts/fac.conf", 0644, "factories = (\n  { id = ; }\n);\n");
	{
		struct sd_errlist e;
		char want[600];
		sd_errlist_init(&e);
		assert_null(sd_config_load(path, &e));
		snprintf(want, sizeof want, "%s:2: syntax error", tpath("parts/fac.conf"));
		assert_int_equal(e.n, 1);
		assert_string_equal(e.msgs[0], want);
		sd_errlist_done(&e);
	}
	free(main);
}

static void expect_include_refused(const char *inc, const char *what)
{
	char *main = sd_printf("%s\n@include \"%s\"\n", inc_head, inc);
	const char *path = put("conf/main.conf", 0644, main);
	struct sd_errlist e;
	char prefix[600];

	sd_errlist_init(&e);
	assert_null(sd_config_load(path, &e));
	snprintf(prefix, sizeof prefix, "%s:4: @include \"%s\": ", path, inc);
	expect_err(&e, prefix, what);
	sd_errlist_done(&e);
	free(main);
}

static void test_include_confined(void **state)
{
	char dir[600], link[600], target[600];

	snprintf(dir, sizeof dir, "%s/conf", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	/* a valid file outside conf/: reachable by "..", an absolute path or a
	 * symbolic link, all of which must be refused */
	put("outside.conf", 0644, "factories = ();\n");
	snprintf(target, sizeof target, "%s/outside.conf", tmpdir);

	expect_include_refused("../outside.conf", "\"..\" is not allowed");
	expect_include_refused("sub/../../outside.conf", "\"..\" is not allowed");
	expect_include_refused(target, "absolute paths are not allowed");
	snprintf(link, sizeof link, "%s/conf/link.conf", tmpdir);
	assert_int_equal(symlink(target, link), 0);
	expect_include_refused("link.conf", "outside the configuration's directory");
	expect_include_refused("missing.conf", "cannot open");

	/* a symbolic link that stays inside is fine */
	put("conf/real.conf", 0644, "factories = ();\n");
	snprintf(link, sizeof link, "%s/conf/inside.conf", tmpdir);
	assert_int_equal(symlink("real.conf", link), 0);
	{
		char *main = sd_printf("%s@include \"inside.conf\"\n", inc_head);
		struct sd_config *c = load_ok(put("conf/main.conf", 0644, main));
		assert_int_equal(c->model->nfactories, 0);
		sd_config_free(c);
		free(main);
	}
	/* a cycle */
	put("conf/a.conf", 0644, "@include \"b.conf\"\n");
	put("conf/b.conf", 0644, "x = 1;\n@include \"a.conf\"\n");
	{
		char *main = sd_printf("%s@include \"a.conf\"\n", inc_head);
		const char *path = put("conf/main.conf", 0644, main);
		struct sd_errlist e;
		char prefix[600];
		sd_errlist_init(&e);
		assert_null(sd_config_load(path, &e));
		snprintf(prefix, sizeof prefix, "%s:2: @include \"a.conf\": ", tpath("conf/b.conf"));
		expect_err(&e, prefix, "includes itself");
		sd_errlist_done(&e);
		free(main);
	}
	/* "@include" inside a comment or a string is not an include */
	{
		char *main = sd_printf("%s/*\n@include \"../outside.conf\"\n*/\n"
				       "factories = ();\n", inc_head);
		struct sd_config *c = load_ok(put("conf/main.conf", 0644, main));
		sd_config_free(c);
		free(main);
	}
}

/* An @include name libconfig would read across a line end or a NUL is
 * refused before libconfig sees it (a name starting with NUL made libconfig
 * open the directory itself, and flex exit the process); control bytes in
 * values never reach a message raw. */
static void test_include_odd_names_and_control_bytes(void **state)
{
#define CASE(text, what) { text, sizeof text - 1, what }
	static const struct { const char *text; size_t len; const char *what; } cases[] = {
		CASE("@include \"\0\n\"\n", "holds a line break, a control character"),
		CASE("@include \"a\nb.conf\"\n", "holds a line break"),
		CASE("@include \"a\\\"b.conf\"\n", "or a backslash"),
		CASE("@include \"never closed\n", "has no closing quote"),
	};
#undef CASE
	size_t i;
	for (i = 0; i < SD_ARRAY_LEN(cases); i++) {
		const char *path = tpath("odd.conf");
		FILE *f = fopen(path, "w");
		struct sd_errlist e;
		char prefix[600];
		assert_non_null(f);
		assert_int_equal(fwrite(cases[i].text, 1, cases[i].len, f), cases[i].len);
		fclose(f);
		sd_errlist_init(&e);
		assert_null(sd_config_load(path, &e));
		snprintf(prefix, sizeof prefix, "%s:1: @include: ", path);
		expect_err(&e, prefix, cases[i].what);
		sd_errlist_done(&e);
	}
	{
		const char *path = put("ctl.conf", 0644, "zone = { name = \"Esc \033[31m red \001\"; "
				       "plmn = { mcc = \"001\"; mnc = \"01\"; }; };\n");
		struct sd_errlist e;
		const char *p;
		sd_errlist_init(&e);
		assert_null(sd_config_load(path, &e));
		assert_int_equal(e.n, 1);
		expect_err(&e, path, "zone.name: \"Esc ?[31m red ?\": contains control characters");
		for (p = e.msgs[0]; *p; p++)
			assert_true((unsigned char)*p >= ' ' && *p != 0x7f);
		sd_errlist_done(&e);
	}
}

static void test_missing_file(void **state)
{
	struct sd_errlist e;
	sd_errlist_init(&e);
	assert_null(sd_config_load(DATA "does-not-exist.conf", &e));
	assert_int_equal(e.n, 1);
	assert_string_equal(e.msgs[0], DATA "does-not-exist.conf: cannot open: "
			    "No such file or directory");
	sd_errlist_done(&e);
}

/* Integer literals libconfig 1.5 would truncate are caught wherever they
 * are, including arrays and 64-bit (L) literals, without upsetting the
 * literals around them. */
static void test_overflow(void **state)
{
	char *min = slurp(DATA "min.conf");
	char *text;
	const char *path;
	struct sd_errlist e;
	struct sd_config *c;

	text = sd_printf("%s\nengine = { log_level = \"debug\"; };\n"
			 "snmp = { targets = ( { name = \"n\"; host = \"h\"; port = 2147483648; "
			 "community = \"c\"; } ); };\n", min);
	path = put("ovf.conf", 0600, text);
	sd_errlist_init(&e);
	assert_null(sd_config_load(path, &e));
	expect_err(&e, path, "snmp.targets[n].port: 2147483648 is out of range 1-65535");
	assert_int_equal(e.n, 1);
	sd_errlist_done(&e);
	free(text);

	/* the same values in range, and a plain 0x literal, load */
	text = sd_printf("%s\nsnmp = { targets = ( { name = \"n\"; host = \"h\"; port = 0xA2; "
			 "community = \"c\"; } ); };\n", min);
	c = load_ok(put("ovf2.conf", 0600, text));
	assert_int_equal(SNMP(c)[0].port, 162);
	assert_true(c->has_secrets);
	sd_config_free(c);
	free(text);
	free(min);
}

/* ---- roles ------------------------------------------------------------- */

static void test_roles(void **state)
{
	struct sd_config *c = load_ok(DATA "min.conf");
	struct passwd *pw;
	struct group *gr;
	uid_t daemon_uid, bin_uid;
	gid_t bin_gid;
	int f;

	/* min.conf: user daemon -> factory f2; group bin -> viewer */
	if (!(pw = getpwnam("daemon"))) {
		sd_config_free(c);
		skip();
	}
	daemon_uid = pw->pw_uid;
	pw = getpwnam("bin");
	gr = getgrnam("bin");
	if (!pw || !gr || pw->pw_gid != gr->gr_gid) {
		sd_config_free(c);
		skip();
	}
	bin_uid = pw->pw_uid;
	bin_gid = gr->gr_gid;
	assert_true(c->rules[0].resolved);
	assert_int_equal(c->rules[0].id, daemon_uid);
	assert_true(c->rules[1].resolved);
	assert_int_equal(c->rules[1].id, bin_gid);
	assert_int_equal(sd_config_role_for(c, daemon_uid, 99999, &f), SD_ROLE_FACTORY);
	assert_int_equal(f, 1);
	/* user rules win over group rules */
	assert_int_equal(sd_config_role_for(c, daemon_uid, bin_gid, &f), SD_ROLE_FACTORY);
	assert_int_equal(f, 1);
	/* the peer's gid matches a group rule */
	assert_int_equal(sd_config_role_for(c, 77777, bin_gid, &f), SD_ROLE_VIEWER);
	assert_int_equal(f, -1);
	/* the primary group of the uid's user, even if the peer gid differs */
	assert_int_equal(sd_config_role_for(c, bin_uid, 77777, &f), SD_ROLE_VIEWER);
	/* nobody: no rule */
	assert_int_equal(sd_config_role_for(c, 77777, 77777, &f), SD_ROLE_NONE);
	/* root and the engine's own user are operators when no rule matches */
	assert_int_equal(sd_config_role_for(c, 0, 0, &f), SD_ROLE_OPERATOR);
	assert_int_equal(sd_config_role_for(c, geteuid(), 77777, &f), SD_ROLE_OPERATOR);
	sd_config_free(c);

	assert_string_equal(sd_role_name(SD_ROLE_NONE), "none");
	assert_string_equal(sd_role_name(SD_ROLE_OPERATOR), "operator");
	assert_string_equal(sd_role_name(SD_ROLE_VIEWER), "viewer");
	assert_string_equal(sd_role_name(SD_ROLE_FACTORY), "factory");
}

/* A rule for root itself overrides the operator default; unknown names are
 * warnings, never errors, and never match. */
static void test_roles_override_and_unknown(void **state)
{
	char *min = slurp(DATA "min.conf");
	char *text, *p;
	struct sd_config *c;
	int f;

	p = strstr(min, "access = {");
	assert_non_null(p);
	*p = '\0';
	text = sd_printf("%saccess = { rules = (\n"
			 "  { user = \"root\"; role = \"viewer\"; },\n"
			 "  { user = \"no-such-user-sdtest\"; role = \"operator\"; },\n"
			 "  { group = \"no-such-group-sdtest\"; role = \"operator\"; }\n"
			 "); };\n", min);
	c = load_ok(put("roles.conf", 0644, text));
	assert_int_equal(c->nrules, 3);
	assert_true(c->rules[0].resolved);
	assert_false(c->rules[1].resolved);
	assert_false(c->rules[2].resolved);
	assert_int_equal(c->rules[1].id, ~0u);
	assert_int_equal(sd_config_role_for(c, 0, 0, &f), SD_ROLE_VIEWER);
	assert_int_equal(sd_config_role_for(c, (uid_t)~0u, (gid_t)~0u, &f), SD_ROLE_NONE);
	sd_config_free(c);
	free(text);
	free(min);
}

/* A group rule matches a supplementary group of the uid's user. */
static void test_roles_supplementary(void **state)
{
	struct group *gr;
	char gname[64] = "", uname[64] = "";
	uid_t uid = 0;
	gid_t primary = 0;

	setgrent();
	while ((gr = getgrent()) != NULL && !gname[0]) {
		char **mem;
		for (mem = gr->gr_mem; *mem; mem++) {
			struct passwd *pw = getpwnam(*mem);
			if (pw && pw->pw_gid != gr->gr_gid && pw->pw_uid != 0 &&
			    pw->pw_uid != geteuid()) {
				sd_strlcpy(gname, gr->gr_name, sizeof gname);
				sd_strlcpy(uname, pw->pw_name, sizeof uname);
				uid = pw->pw_uid;
				primary = pw->pw_gid;
				break;
			}
		}
	}
	endgrent();
	if (!gname[0])
		skip();   /* this system has no supplementary group memberships */
	{
		char *min = slurp(DATA "min.conf"), *p, *text;
		struct sd_config *c;
		int f;
		p = strstr(min, "access = {");
		*p = '\0';
		text = sd_printf("%saccess = { rules = ( { group = \"%s\"; role = \"viewer\"; } ); };\n",
				 min, gname);
		c = load_ok(put("supp.conf", 0644, text));
		assert_int_equal(sd_config_role_for(c, uid, primary, &f), SD_ROLE_VIEWER);
		sd_config_free(c);
		free(text);
		free(min);
	}
}

/* ---- error list -------------------------------------------------------- */

static void test_errlist(void **state)
{
	struct sd_errlist e;
	int i;
	sd_errlist_init(&e);
	sd_errlist_add(&e, "f.conf", 3, "k: %s", "bad");
	sd_errlist_add(&e, "f.conf", 0, "holds secrets");
	sd_errlist_add(&e, NULL, 0, "plain %d", 7);
	assert_int_equal(e.n, 3);
	assert_string_equal(e.msgs[0], "f.conf:3: k: bad");
	assert_string_equal(e.msgs[1], "f.conf: holds secrets");
	assert_string_equal(e.msgs[2], "plain 7");
	for (i = 0; i < 500; i++)
		sd_errlist_add(&e, "f.conf", i + 1, "x");
	assert_int_equal(e.n, 201);   /* capped, with a last "too many" line */
	assert_non_null(strstr(e.msgs[200], "too many errors"));
	sd_errlist_done(&e);
	assert_int_equal(e.n, 0);
	assert_null(e.msgs);
}

/* ---- documentation stays in step with the key table -------------------- */

static const char *sd_memmem(const char *hay, size_t n, const char *needle)
{
	return memmem(hay, n, needle, strlen(needle));
}

struct doc_check {
	char *md, *man;
	int keys, missing;
};

static void doc_key(const struct sd_config_key_info *k, void *arg)
{
	struct doc_check *d = arg;
	char md[300], man[300];
	snprintf(md, sizeof md, "`%s`", k->path);
	snprintf(man, sizeof man, ".B %s\n", k->path);
	d->keys++;
	if (!strstr(d->md, md)) {
		fprintf(stderr, "docs/configuration.md does not describe %s\n", md);
		d->missing++;
	}
	if (!strstr(d->man, man)) {
		fprintf(stderr, "slicedeck.conf.5 does not describe %s\n", k->path);
		d->missing++;
	}
	assert_non_null(k->help);
	assert_non_null(k->type);
	/* the reload mark: a restart-only key says so on its row here and in
	 * its man page entry; no live key claims it */
	{
		char row[300];
		const char *r, *end, *b;
		snprintf(row, sizeof row, "| `%s` |", k->path);
		r = strstr(d->md, row);
		end = r ? strchr(r, '\n') : NULL;
		if (r && end) {
			const char *mark = sd_memmem(r, (size_t)(end - r), "| restart |");
			if (k->restart != (mark != NULL)) {
				fprintf(stderr, "docs/configuration.md: %s should be marked %s\n",
					k->path, k->restart ? "restart" : "live");
				d->missing++;
			}
		}
		b = strstr(d->man, man);
		end = b ? strstr(b + strlen(man), ".TP") : NULL;
		if (b && k->restart && (!end || !sd_memmem(b, (size_t)(end - b), "Restart\\-only"))) {
			fprintf(stderr, "slicedeck.conf.5: %s is not marked restart-only\n", k->path);
			d->missing++;
		}
	}
}

static void test_docs_cover_every_key(void **state)
{
	struct doc_check d = { slurp("docs/configuration.md"),
			       slurp("packaging/man/slicedeck.conf.5"), 0, 0 };
	sd_config_describe(doc_key, &d);
	assert_true(d.keys > 90);
	assert_int_equal(d.missing, 0);
	free(d.md);
	free(d.man);
}

/* ---- reload: restart-only keys ---------------------------------------- */

struct named {
	char keys[16][64];
	int n;
};

static void name_key(const char *key, void *arg)
{
	struct named *nm = arg;
	if (nm->n < 16)
		sd_strlcpy(nm->keys[nm->n++], key, sizeof nm->keys[0]);
}

/* min.conf with text appended, loaded from the temporary directory */
static struct sd_config *load_min_plus(const char *name, const char *extra)
{
	char *min = slurp(DATA "min.conf");
	char *text = sd_printf("%s%s", min, extra);
	struct sd_config *c = load_ok(put(name, 0644, text));
	free(text);
	free(min);
	return c;
}

static void test_restart_changes(void **state)
{
	struct sd_config *run = load_min_plus("run.conf", "");
	struct sd_config *same = load_min_plus("same.conf", "");
	struct sd_config *live, *restart;
	struct named nm = { .n = 0 };

	/* the same file: nothing to name */
	assert_int_equal(sd_config_restart_changes(run, same, name_key, &nm), 0);
	assert_int_equal(nm.n, 0);

	/* live keys only (log level, SBI timeout, an inventory change, a
	 * tariff, a monitor key left at its default value): nothing named */
	{
		char *min = slurp(DATA "min.conf"), *p, *text;
		p = strstr(min, "sbi = {");
		assert_non_null(p);
		memset(p, ' ', strcspn(p, "\n"));
		text = sd_printf("%s\nengine = { log_level = \"debug\"; };\n"
				 "sbi = { nrf = \"http://127.0.0.2:7777\"; timeout_ms = 500; };\n"
				 "monitor = { sla = { window = 5; }; };\n", min);
		p = strstr(text, "Factory one");
		assert_non_null(p);
		memcpy(p, "Factory ONE", 11);
		live = load_ok(put("live.conf", 0644, text));
		free(text);
		free(min);
	}
	assert_int_equal(sd_config_restart_changes(run, live, name_key, &nm), 0);
	assert_int_equal(nm.n, 0);

	/* restart-only keys changed: each one named, in table order */
	{
		char *min = slurp(DATA "min.conf"), *p, *text;
		p = strstr(min, "sbi = {");
		memset(p, ' ', strcspn(p, "\n"));
		text = sd_printf("%s\nengine = { socket = \"/tmp/other.sock\"; "
				 "state_dir = \"/tmp/other-state\"; log_level = \"debug\"; };\n"
				 "sbi = { nrf = \"http://127.0.0.1:7777\"; "
				 "notify = { listen = \"127.0.0.1:9999\"; }; };\n"
				 "monitor = { sla = { window = 10; }; coverage = { grid = 5.0; }; };\n",
				 min);
		restart = load_ok(put("restart.conf", 0644, text));
		free(text);
		free(min);
	}
	assert_int_equal(sd_config_restart_changes(run, restart, name_key, &nm), 5);
	assert_int_equal(nm.n, 5);
	assert_string_equal(nm.keys[0], "engine.socket");
	assert_string_equal(nm.keys[1], "engine.state_dir");
	assert_string_equal(nm.keys[2], "sbi.notify.listen");
	assert_string_equal(nm.keys[3], "monitor.sla.window");
	assert_string_equal(nm.keys[4], "monitor.coverage.grid");
	/* counting only, and the other direction */
	assert_int_equal(sd_config_restart_changes(restart, run, NULL, NULL), 5);
	/* a section the running configuration lacks compares with its defaults */
	{
		struct sd_config *bare = sd_config_load_schema(put("bare.conf", 0644,
			"zone = { name = \"z\"; plmn = { mcc = \"001\"; mnc = \"01\"; }; };\n"),
			NULL, &(struct sd_errlist){ 0 });
		assert_non_null(bare);
		assert_int_equal(bare->nsections, 0);
		nm.n = 0;
		assert_int_equal(sd_config_restart_changes(bare, restart, name_key, &nm), 5);
		assert_string_equal(nm.keys[nm.n - 1], "monitor.coverage.grid");
		sd_config_free(bare);
	}
	sd_config_free(restart);
	sd_config_free(live);
	sd_config_free(same);
	sd_config_free(run);
}

/* Every restart-only key the brief and the engine's reload name is marked. */
struct restart_check {
	int restart, total;
	bool socket, state_dir, listen, log_level_live, monitor_all;
};

static void restart_key(const struct sd_config_key_info *k, void *arg)
{
	struct restart_check *r = arg;
	if (strcmp(k->type, "group") == 0 || strcmp(k->type, "list") == 0)
		return;
	r->total++;
	r->restart += k->restart;
	if (strcmp(k->path, "engine.socket") == 0)
		r->socket = k->restart;
	if (strcmp(k->path, "engine.state_dir") == 0)
		r->state_dir = k->restart;
	if (strcmp(k->path, "sbi.notify.listen") == 0)
		r->listen = k->restart;
	if (strcmp(k->path, "engine.log_level") == 0)
		r->log_level_live = !k->restart;
	if (strncmp(k->path, "monitor.", 8) == 0 && !k->restart)
		r->monitor_all = false;
}

static void test_restart_flags(void **state)
{
	struct restart_check r = { .monitor_all = true };
	sd_config_describe(restart_key, &r);
	assert_true(r.socket && r.state_dir && r.listen && r.log_level_live && r.monitor_all);
	assert_true(r.restart >= 20 && r.restart < r.total);
}

/* A hand-built configuration (tests, tools) without sections: the
 * monitor accessor still answers, with the defaults; attached data is
 * borrowed. */
static void test_section_accessors(void **state)
{
	struct sd_config *c = calloc(1, sizeof *c);
	struct sd_monitor_conf mine = { .sla_window_min = 7 };
	assert_int_equal(sd_monitor_conf_get(c)->sla_window_min, 5);
	assert_int_equal(sd_monitor_conf_get(c)->kpi_retention_1day_days, 400);
	assert_null(sd_snmp_conf_get(c));
	assert_null(sd_tariff_conf_get(c));
	sd_monitor_conf_set(c, &mine);
	assert_ptr_equal(sd_monitor_conf_get(c), &mine);
	c->model = calloc(1, sizeof *c->model);
	sd_config_free(c);          /* frees neither mine nor anything it did not own */
}

/* ---- scenario catalog -------------------------------------------------- */

static void test_scenarios(void **state)
{
	static const char *const ids[] = {
		"collab-rd", "remote-control", "equipment-coop", "flexible-mfg",
		"assembly-assist", "machine-vision-qc", "fault-diagnosis", "factory-logistics",
		"inspection", "site-monitoring", "unit-simulation", "precise-ops",
		"energy-mgmt", "process-compliance", "traceability", "predictive-maint",
		"smart-tally", "logistics-monitoring", "virtual-service", "enterprise-collab",
	};
	size_t i;
	assert_int_equal(sd_scenario_count(), 20);
	for (i = 0; i < SD_ARRAY_LEN(ids); i++) {
		const struct sd_scenario *s = sd_scenario_at(i);
		assert_non_null(s);
		assert_string_equal(s->id, ids[i]);
		assert_int_equal(s->number, (int)i + 1);
		assert_ptr_equal(sd_scenario_find(ids[i]), s);
		assert_true(s->sst >= 1 && s->sst <= 3);
		assert_true(s->sla.latency_us > 0);
		assert_true(s->sla.availability_pct > 90 && s->sla.availability_pct <= 100);
		assert_true(s->sla.latency_pct == s->sla.reliability_pct);
		assert_true(!s->sla.gbr_ul_kbps || s->sla.gbr_ul_kbps <= s->sla.mbr_ul_kbps);
		assert_true(!s->sla.gbr_dl_kbps || s->sla.gbr_dl_kbps <= s->sla.mbr_dl_kbps);
		assert_true(s->modes != 0 && s->modes < (1u << SD_MODE_COUNT));
		assert_true(s->name && s->name_zh && s->sources && *s->sources);
		/* a template needing a local UPF is never offered to virtual networks */
		if (s->needs_local_upf || s->sla.latency_us <= 10000)
			assert_false(sd_scenario_suits(s, SD_MODE_VIRTUAL));
	}
	assert_null(sd_scenario_at(20));
	assert_null(sd_scenario_find("nope"));
	assert_null(sd_scenario_find(NULL));
	assert_int_equal(sd_scenario_find("equipment-coop")->sla.latency_us, 1000);
	assert_string_equal(sd_scenario_find("machine-vision-qc")->name_zh, "机器视觉质检");
	assert_true(sd_scenario_suits(sd_scenario_find("enterprise-collab"), SD_MODE_VIRTUAL));
	assert_false(sd_scenario_suits(sd_scenario_find("logistics-monitoring"),
				       SD_MODE_INDEPENDENT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sample_loads, mk_tmp, rm_tmp),
		cmocka_unit_test_setup_teardown(test_secrets_world_readable, mk_tmp, rm_tmp),
		cmocka_unit_test_setup_teardown(test_secrets_foreign_owner, mk_tmp, rm_tmp),
		cmocka_unit_test_setup_teardown(test_nrf_validated, mk_tmp, rm_tmp),
		cmocka_unit_test_setup_teardown(test_access_conflicts, mk_tmp, rm_tmp),
		cmocka_unit_test_setup_teardown(test_errors_escape_control_bytes, mk_tmp, rm_tmp),
		cmocka_unit_test_setup_teardown(test_secrets_in_include, mk_tmp, rm_tmp),
		cmocka_unit_test_setup_teardown(test_world_writable, mk_tmp, rm_tmp),
		cmocka_unit_test(test_min_defaults),
		cmocka_unit_test_setup_teardown(test_group_defaults, mk_tmp, rm_tmp),
		cmocka_unit_test(test_bad_configs),
		cmocka_unit_test(test_multi_errors),
		cmocka_unit_test_setup_teardown(test_snmp_errors, mk_tmp, rm_tmp),
		cmocka_unit_test_setup_teardown(test_include_ok, mk_tmp, rm_tmp),
		cmocka_unit_test_setup_teardown(test_include_confined, mk_tmp, rm_tmp),
		cmocka_unit_test_setup_teardown(test_include_odd_names_and_control_bytes, mk_tmp, rm_tmp),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test_setup_teardown(test_overflow, mk_tmp, rm_tmp),
		cmocka_unit_test(test_roles),
		cmocka_unit_test_setup_teardown(test_roles_override_and_unknown, mk_tmp, rm_tmp),
		cmocka_unit_test_setup_teardown(test_roles_supplementary, mk_tmp, rm_tmp),
		cmocka_unit_test(test_errlist),
		cmocka_unit_test(test_scenarios),
		cmocka_unit_test(test_docs_cover_every_key),
		cmocka_unit_test_setup_teardown(test_restart_changes, mk_tmp, rm_tmp),
		cmocka_unit_test(test_restart_flags),
		cmocka_unit_test(test_section_accessors),
	};
	umask(022);
	sd_config_set_schema(&sd_slicedeck_schema);
	sd_log_open("test_config", 0, SD_LOG_ERR);   /* keep expected warnings quiet */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
