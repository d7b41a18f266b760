/* tests/unit/test_sbi_decode.c — the SBI JSON decoders against every
 * real Open5GS capture in tests/data/open5gs/ (read at run time,
 * cwd = repo root), against spec-shaped synthetic documents and against
 * hand-made bad ones in tests/data/sbi_decode/ (each with its exact error).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>

#include <jansson.h>

#include "core/loop.h"
#include "core/model.h"
#include "core/sbi_server.h"
#include "core/util.h"
#include "monitor/sbi_decode.h"
#include "sim/sim.h"

#define FIX "tests/data/open5gs/"
#define DATA "tests/data/sbi_decode/"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		fail_msg("cannot open %s (run from the repo root)", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = sd_malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static const char *fmt_snssai(const struct sd_snssai *s, char *b)
{
	return sd_snssai_format(s, b, SD_SNSSAI_STRLEN);
}

/* ---- one entry point per document type, for table-driven tests ------- */

enum kind { K_URILIST, K_PROFILE, K_SEARCH, K_NRF_NOTIF, K_NSSF_SLICE,
	    K_NSSAI_AVAIL, K_NSSF_NOTIF, K_NWDAF, K_NWDAF_NOTIF, K_AMF, K_SMF,
	    K_COUNT };

/* Run decoder k on body; release its output; return its result. */
static int run_kind(enum kind k, const char *body, size_t len,
		    struct sd_decode_diag *d)
{
	int r = -1;
	switch (k) {
	case K_URILIST: {
		struct sd_nrf_urilist o;
		r = sd_decode_nrf_urilist(body, len, &o, d);
		sd_nrf_urilist_done(&o);
		break;
	}
	case K_PROFILE: {
		struct sd_nf_profile o;
		r = sd_decode_nf_profile(body, len, &o, d);
		sd_nf_profile_done(&o);
		break;
	}
	case K_SEARCH: {
		struct sd_nrf_search o;
		r = sd_decode_nrf_search(body, len, &o, d);
		sd_nrf_search_done(&o);
		break;
	}
	case K_NRF_NOTIF: {
		struct sd_nrf_notification o;
		r = sd_decode_nrf_notification(body, len, &o, d);
		sd_nrf_notification_done(&o);
		break;
	}
	case K_NSSF_SLICE: {
		struct sd_nssf_slice_info o;
		r = sd_decode_nssf_slice_info(body, len, &o, d);
		break;
	}
	case K_NSSAI_AVAIL: {
		struct sd_nssai_avail o;
		r = sd_decode_nssai_avail_info(body, len, &o, d);
		sd_nssai_avail_done(&o);
		break;
	}
	case K_NSSF_NOTIF: {
		struct sd_nssai_avail o;
		r = sd_decode_nssf_event_notification(body, len, &o, d);
		sd_nssai_avail_done(&o);
		break;
	}
	case K_NWDAF: {
		struct sd_nwdaf_analytics o;
		r = sd_decode_nwdaf_analytics(body, len, &o, d);
		sd_nwdaf_analytics_done(&o);
		break;
	}
	case K_NWDAF_NOTIF: {
		struct sd_nwdaf_notification o;
		r = sd_decode_nwdaf_notification(body, len, &o, d);
		sd_nwdaf_notification_done(&o);
		break;
	}
	case K_AMF: {
		struct sd_amf_notification o;
		r = sd_decode_amf_notification(body, len, &o, d);
		sd_amf_notification_done(&o);
		break;
	}
	case K_SMF: {
		struct sd_smf_notification o;
		r = sd_decode_smf_notification(body, len, &o, d);
		sd_smf_notification_done(&o);
		break;
	}
	case K_COUNT:
		break;
	}
	return r;
}

/* ---- the Open5GS captures ---------------------------------------------- */

static bool starts(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static bool ends(const char *s, const char *p)
{
	size_t a = strlen(s), b = strlen(p);
	return a >= b && strcmp(s + a - b, p) == 0;
}

static void check_list(const char *name, const char *body, size_t len)
{
	struct sd_nrf_urilist l;
	struct sd_decode_diag d;
	int i;

	assert_int_equal(sd_decode_nrf_urilist(body, len, &l, &d), 0);
	assert_string_equal(d.error, "");
	assert_int_equal(d.skipped, 0);
	/* Open5GS puts totalItemCount inside _links; it must be found */
	assert_true(l.total_in_links);
	assert_int_equal(l.total, l.nids);
	for (i = 0; i < l.nids; i++)
		assert_true(sd_is_uuid(l.ids[i]));
	if (strcmp(name, "nrf-nf-instances.json") == 0) {
		assert_int_equal(l.nids, 9);
		assert_string_equal(l.ids[0], "0fe87624-e76f-41f1-ad81-61bb417868f1");
		assert_string_equal(l.ids[8], "2399a31e-e76f-41f1-baca-7b66dd15b8b6");
	} else if (strcmp(name, "nrf-nf-instances-nf-type-udr.json") == 0) {
		assert_int_equal(l.nids, 0);
	} else if (strcmp(name, "nrf-nf-instances-nf-type-amf-limit-1.json") == 0) {
		assert_int_equal(l.nids, 1);
		assert_string_equal(l.ids[0], "11212856-e76f-41f1-8efc-99050a84742e");
	} else {
		assert_int_equal(l.nids, 1);
	}
	sd_nrf_urilist_done(&l);
}

static void check_profile(const char *name, const char *body, size_t len)
{
	struct sd_nf_profile p;
	struct sd_decode_diag d;
	char type[16], b[SD_SNSSAI_STRLEN];
	size_t i;

	assert_int_equal(sd_decode_nf_profile(body, len, &p, &d), 0);
	assert_string_equal(d.error, "");
	/* nrf-nf-profile-<type>.json */
	sd_strlcpy(type, name + strlen("nrf-nf-profile-"), sizeof type);
	type[strlen(type) - strlen(".json")] = '\0';
	for (i = 0; type[i]; i++)
		type[i] = (char)(type[i] - 'a' + 'A');
	assert_string_equal(p.nf.type, type);
	assert_int_equal(p.nf.status, SD_NF_REGISTERED);
	assert_string_equal(p.status_text, "REGISTERED");
	assert_int_equal(p.nf.heartbeat_s, 10);
	assert_int_equal(p.nf.load, 0);
	assert_int_equal(p.priority, 0);
	assert_int_equal(p.capacity, 100);
	assert_true(sd_is_uuid(p.nf.id));
	assert_true(starts(p.nf.addr, "127.0."));
	assert_int_equal(p.nplmns, 1);
	assert_string_equal(p.plmns[0].mcc, "001");
	assert_string_equal(p.plmns[0].mnc, "01");

	if (strcmp(type, "AMF") == 0) {
		assert_string_equal(p.nf.id, "11212856-e76f-41f1-8efc-99050a84742e");
		assert_string_equal(p.nf.addr, "127.0.0.5");
		assert_int_equal(p.nf.nservices, 1);
		assert_string_equal(p.nf.services[0], "namf-comm");
		assert_int_equal(p.nservices, 1);
		assert_string_equal(p.services[0].instance_id,
				    "1121809e-e76f-41f1-8efc-99050a84742e");
		assert_string_equal(p.services[0].scheme, "http");
		assert_int_equal(p.services[0].status, SD_NF_REGISTERED);
		assert_int_equal(p.services[0].nversions, 1);
		assert_string_equal(p.services[0].versions[0], "v1");
		assert_string_equal(p.services[0].full_version, "1.0.0");
		assert_int_equal(p.services[0].neps, 1);
		assert_string_equal(p.services[0].eps[0].addr, "127.0.0.5");
		assert_int_equal(p.services[0].eps[0].port, 7777);
		assert_int_equal(p.services[0].load, 0);
		/* the AMF profile carries amfInfo but no sNssais */
		assert_int_equal(p.nf.nsnssais, 0);
	} else if (strcmp(type, "SMF") == 0) {
		assert_int_equal(p.nf.nsnssais, 3);
		assert_string_equal(fmt_snssai(&p.nf.snssais[0], b), "1-000001");
		assert_string_equal(fmt_snssai(&p.nf.snssais[1], b), "2-000002");
		assert_string_equal(fmt_snssai(&p.nf.snssais[2], b), "1-0000a1");
		assert_string_equal(p.nf.services[0], "nsmf-pdusession");
	} else if (strcmp(type, "UDM") == 0) {
		assert_int_equal(p.nservices, 3);
		assert_string_equal(p.nf.services[0], "nudm-ueau");
		assert_string_equal(p.nf.services[1], "nudm-uecm");
		assert_string_equal(p.nf.services[2], "nudm-sdm");
		assert_string_equal(p.services[2].versions[0], "v2");
	} else if (strcmp(type, "NSSF") == 0) {
		assert_string_equal(p.nf.services[0], "nnssf-nsselection");
		assert_string_equal(p.services[0].versions[0], "v2");
	} else if (strcmp(type, "SCP") == 0) {
		/* scpInfo only, no services */
		assert_int_equal(p.nservices, 0);
		assert_string_equal(p.nf.addr, "127.0.0.200");
	} else if (strcmp(type, "PCF") == 0) {
		assert_int_equal(p.nservices, 3);
	} else if (strcmp(type, "NRF") == 0) {
		assert_int_equal(p.nservices, 2);
		assert_string_equal(p.nf.services[1], "nnrf-disc");
	}
	sd_nf_profile_done(&p);
}

static void check_search(const char *name, const char *body, size_t len)
{
	struct sd_nrf_search s;
	struct sd_decode_diag d;
	char b[SD_SNSSAI_STRLEN];

	assert_int_equal(sd_decode_nrf_search(body, len, &s, &d), 0);
	assert_string_equal(d.error, "");
	assert_int_equal(d.skipped, 0);
	assert_int_equal(s.validity_s, 30);
	if (strcmp(name, "nrf-disc-udr-from-udm-none-registered.json") == 0) {
		assert_int_equal(s.nprofiles, 0);
	} else if (strcmp(name, "nrf-disc-ausf-from-amf.json") == 0) {
		assert_int_equal(s.nprofiles, 1);
		assert_string_equal(s.profiles[0].nf.type, "AUSF");
		assert_string_equal(s.profiles[0].nf.services[0], "nausf-auth");
	} else {
		/* SMF discovery: services come as the nfServices ARRAY here */
		assert_int_equal(s.nprofiles, 1);
		assert_string_equal(s.profiles[0].nf.type, "SMF");
		assert_int_equal(s.profiles[0].nservices, 1);
		assert_string_equal(s.profiles[0].services[0].name, "nsmf-pdusession");
		assert_int_equal(s.profiles[0].services[0].eps[0].port, 7777);
		assert_int_equal(s.profiles[0].nf.nsnssais, 3);
		assert_string_equal(fmt_snssai(&s.profiles[0].nf.snssais[2], b), "1-0000a1");
	}
	sd_nrf_search_done(&s);
}

static void check_nssf(const char *name, const char *body, size_t len)
{
	struct sd_nssf_slice_info n;
	struct sd_decode_diag d;

	assert_int_equal(sd_decode_nssf_slice_info(body, len, &n, &d), 0);
	assert_string_equal(d.error, "");
	assert_true(n.has_nsi);
	assert_string_equal(n.nrf_id, "http://127.0.0.10:7777/nnrf-disc/v1/nf-instances");
	assert_int_equal(n.nallowed, 0);
	if (strstr(name, "sst1-sd000001"))
		assert_string_equal(n.nsi_id, "1");
	assert_true(n.nsi_id[0] != '\0');
}

/* Error captures (problem+json) and Open5GS's own metrics-port JSON are not
 * NRF documents: the NRF decoders must refuse them with a clear reason. */
static void check_not_nrf(const char *name, const char *body, size_t len)
{
	struct sd_decode_diag d;

	assert_int_equal(run_kind(K_PROFILE, body, len, &d), -1);
	assert_string_equal(d.error, "nfInstanceId: missing (mandatory)");
	assert_int_equal(run_kind(K_URILIST, body, len, &d), -1);
	assert_string_equal(d.error, "_links: missing (mandatory)");
	assert_int_equal(run_kind(K_SEARCH, body, len, &d), -1);
	assert_string_equal(d.error, "validityPeriod: missing (mandatory)");
	assert_int_equal(run_kind(K_NRF_NOTIF, body, len, &d), -1);
	assert_string_equal(d.error, "event: missing (mandatory)");
	assert_int_equal(run_kind(K_SMF, body, len, &d), -1);
	assert_string_equal(d.error, "notifId: missing (mandatory)");
	assert_int_equal(run_kind(K_NWDAF_NOTIF, body, len, &d), -1);
	assert_string_equal(d.error, "(document): must be a JSON array");
	(void)name;
}

static void test_open5gs_fixtures(void **state)
{
	DIR *dir = opendir(FIX);
	struct dirent *e;
	int njson = 0, nlist = 0, nprof = 0, nsearch = 0, nnssf = 0, nother = 0;

	(void)state;
	if (!dir)
		fail_msg("cannot open %s (run from the repo root)", FIX);
	while ((e = readdir(dir)) != NULL) {
		char path[512];
		const char *n = e->d_name;
		size_t len;
		char *body;

		if (!ends(n, ".json"))
			continue;
		snprintf(path, sizeof path, FIX "%s", n);
		body = slurp(path, &len);
		njson++;
		if (ends(n, "-error.json") || starts(n, "amf-gnb-info") ||
		    starts(n, "amf-ue-info") || starts(n, "smf-pdu-info")) {
			check_not_nrf(n, body, len);
			nother++;
		} else if (starts(n, "nrf-nf-instances")) {
			check_list(n, body, len);
			nlist++;
		} else if (starts(n, "nrf-nf-profile-")) {
			check_profile(n, body, len);
			nprof++;
		} else if (starts(n, "nrf-disc-")) {
			check_search(n, body, len);
			nsearch++;
		} else if (starts(n, "nssf-nsselection-pdu-session-")) {
			check_nssf(n, body, len);
			nnssf++;
		} else {
			fail_msg("fixture %s is not classified by this test", n);
		}
		sd_free(body);
	}
	closedir(dir);
	assert_int_equal(njson, 39);
	assert_int_equal(nlist, 12);
	assert_int_equal(nprof, 9);
	assert_int_equal(nsearch, 5);
	assert_int_equal(nnssf, 3);
	assert_int_equal(nother, 10);
}

/* ---- synthetic valid documents ----------------------------------------- */

static void test_profile_rich(void **state)
{
	struct sd_nf_profile p;
	struct sd_decode_diag d;
	char b[SD_SNSSAI_STRLEN];
	size_t len;
	char *body = slurp(DATA "nrf-profile-rich.json", &len);

	(void)state;
	assert_int_equal(sd_decode_nf_profile(body, len, &p, &d), 0);
	assert_string_equal(p.nf.type, "NWDAF");
	assert_string_equal(p.nf.name, "nwdaf-zone-east");
	/* an nfStatus this build does not know is kept, not an error */
	assert_int_equal(p.nf.status, SD_NF_STATUS_OTHER);
	assert_string_equal(p.status_text, "CANARY_RELEASE");
	assert_int_equal(p.nf.heartbeat_s, 30);
	assert_int_equal(p.nf.load, 37);
	assert_int_equal(p.priority, 5);
	assert_int_equal(p.capacity, 200);
	assert_true(p.load_ts_ms == INT64_C(1795428000000));
	assert_string_equal(p.locality, "east-park");
	assert_string_equal(p.fqdn, "nwdaf.zone-east.example.org");
	assert_string_equal(p.nf.addr, "2001:db8::10");
	assert_int_equal(p.nplmns, 2);
	assert_string_equal(p.plmns[0].mnc, "001");
	/* sNssais + perPlmnSnssaiList + smfInfo, deduplicated */
	assert_int_equal(p.nf.nsnssais, 3);
	assert_string_equal(fmt_snssai(&p.nf.snssais[0], b), "1-000001");
	assert_string_equal(fmt_snssai(&p.nf.snssais[1], b), "2");
	assert_string_equal(fmt_snssai(&p.nf.snssais[2], b), "128-abcdef");
	/* nfServiceList and nfServices merged by serviceInstanceId */
	assert_int_equal(p.nservices, 2);
	assert_string_equal(p.services[0].name, "nnwdaf-analyticsinfo");
	assert_string_equal(p.services[0].scheme, "https");
	assert_string_equal(p.services[0].api_prefix, "/pfx");
	assert_string_equal(p.services[0].eps[0].addr, "2001:db8::10");
	assert_string_equal(p.services[0].eps[0].transport, "TCP");
	assert_int_equal(p.services[0].eps[0].port, 443);
	assert_int_equal(p.services[0].load, 20);
	assert_int_equal(p.services[0].priority, -1);
	assert_string_equal(p.services[1].name, "nnwdaf-eventssubscription");
	assert_int_equal(p.services[1].status, SD_NF_SUSPENDED);
	assert_int_equal(p.services[1].nversions, 2);
	assert_string_equal(p.services[1].versions[1], "v2");
	assert_string_equal(p.services[1].full_version, "1.2.3");
	assert_string_equal(p.services[1].eps[0].addr, "192.0.2.7");
	assert_int_equal(p.nf.nservices, 2);
	assert_int_equal(d.nnotes, 0);
	sd_nf_profile_done(&p);
	sd_free(body);
}

/* A profile with n1 S-NSSAIs in sNssais and n2 in smfInfo (the second
 * list starting at sd = start2, so the two may overlap), as text. */
static char *big_profile(int n1, int n2, int start2, size_t *len)
{
	struct sd_buf b;
	int i;
	sd_buf_init(&b, 16u << 20);
	sd_buf_addstr(&b, "{\"nfInstanceId\":\"11212856-e76f-41f1-8efc-99050a84742e\","
		      "\"nfType\":\"SMF\",\"nfStatus\":\"REGISTERED\","
		      "\"ipv4Addresses\":[\"127.0.0.4\"],\"sNssais\":[");
	for (i = 0; i < n1; i++)
		sd_buf_addf(&b, "%s{\"sst\":1,\"sd\":\"%06x\"}", i ? "," : "", i);
	sd_buf_addstr(&b, "],\"smfInfo\":{\"sNssaiSmfInfoList\":[");
	for (i = 0; i < n2; i++)
		sd_buf_addf(&b, "%s{\"sNssai\":{\"sst\":1,\"sd\":\"%06x\"},"
			    "\"dnnSmfInfoList\":[{\"dnn\":\"x\"}]}", i ? "," : "", start2 + i);
	sd_buf_addstr(&b, "]}}");
	*len = b.len;
	return b.data;
}

/* A UPF profile serving n S-NSSAIs, listed in sNssais and again, each with
 * its DNN, in upfInfo.sNssaiUpfInfoList (TS 29.510 UpfInfo). */
static char *upf_profile(int n, size_t *len)
{
	struct sd_buf b;
	int i;
	sd_buf_init(&b, 16u << 20);
	sd_buf_addstr(&b, "{\"nfInstanceId\":\"5b0f4ac2-7c1e-4f58-9d0b-2d6f2c1e9a01\","
		      "\"nfType\":\"UPF\",\"nfStatus\":\"REGISTERED\","
		      "\"ipv4Addresses\":[\"127.0.0.7\"],\"sNssais\":[");
	for (i = 0; i < n; i++)
		sd_buf_addf(&b, "%s{\"sst\":1,\"sd\":\"%06x\"}", i ? "," : "", i);
	sd_buf_addstr(&b, "],\"upfInfo\":{\"sNssaiUpfInfoList\":[");
	for (i = 0; i < n; i++)
		sd_buf_addf(&b, "%s{\"sNssai\":{\"sst\":1,\"sd\":\"%06x\"},"
			    "\"dnnUpfInfoList\":[{\"dnn\":\"internet\"}]}", i ? "," : "", i);
	sd_buf_addstr(&b, "]}}");
	*len = b.len;
	return b.data;
}

/* The scale zone's NFs: a UPF serving 33,350 slices (its upfInfo list was
 * refused at 4,096 items, and every slice raised no-serving-UPF), and an
 * SMF serving 131,072 S-NSSAIs, listed twice, over 8 MiB. */
static void test_profile_scale_zone_nfs(void **state)
{
	struct sd_nf_profile p;
	struct sd_decode_diag d;
	size_t len;
	char *body;

	(void)state;
	body = upf_profile(33350, &len);
	if (sd_decode_nf_profile(body, len, &p, &d) != 0)
		fail_msg("UPF profile refused: %s", d.error);
	assert_int_equal(p.nf.nsnssais, 33350);
	assert_int_equal(d.nnotes, 0);
	sd_nf_profile_done(&p);
	sd_free(body);

	body = big_profile(SD_MAX_NF_SNSSAI, SD_MAX_NF_SNSSAI, 0, &len);
	assert_true(len > (8u << 20));
	assert_true(len <= SD_DECODE_MAX_BODY);
	assert_int_equal(sd_decode_nf_profile(body, len, &p, &d), 0);
	assert_int_equal(p.nf.nsnssais, SD_MAX_NF_SNSSAI);
	assert_int_equal(d.nnotes, 0);
	sd_nf_profile_done(&p);
	sd_free(body);
}

/* One SMF of a 100,000-slice zone serves thousands of S-NSSAIs: up to
 * SD_MAX_NF_SNSSAI (131,072) distinct ones are kept, duplicates across the
 * lists counted once, more noted; one list is bounded by
 * SD_DECODE_MAX_LIST. Linear: the whole test decodes ~200,000 entries. */
static void test_profile_snssai_cap(void **state)
{
	struct sd_nf_profile p;
	struct sd_decode_diag d;
	size_t len;
	char *body, note[128];

	(void)state;
	/* 10,000 + 10,000 of which 5,000 repeat: 15,000 kept, in order */
	body = big_profile(10000, 10000, 5000, &len);
	assert_int_equal(sd_decode_nf_profile(body, len, &p, &d), 0);
	assert_int_equal(p.nf.nsnssais, 15000);
	assert_int_equal(p.nf.snssais[0].sd, 0);
	assert_int_equal(p.nf.snssais[14999].sd, 14999);
	assert_int_equal(d.nnotes, 0);
	sd_nf_profile_done(&p);
	sd_free(body);

	/* 80,000 + 60,000 distinct: the first 131,072 kept and one note at the
	 * entry that crossed the cap */
	body = big_profile(80000, 60000, 80000, &len);
	assert_true(len <= SD_DECODE_MAX_BODY);
	assert_int_equal(sd_decode_nf_profile(body, len, &p, &d), 0);
	assert_int_equal(p.nf.nsnssais, SD_MAX_NF_SNSSAI);
	assert_int_equal(p.nf.snssais[SD_MAX_NF_SNSSAI - 1].sd, SD_MAX_NF_SNSSAI - 1);
	assert_int_equal(d.nnotes, 1);
	snprintf(note, sizeof note, "smfInfo.sNssaiSmfInfoList[%d].sNssai: more than %d "
		 "distinct S-NSSAIs, kept the first %d", SD_MAX_NF_SNSSAI - 80000,
		 SD_MAX_NF_SNSSAI, SD_MAX_NF_SNSSAI);
	assert_string_equal(d.notes[0], note);
	sd_nf_profile_done(&p);
	sd_free(body);

	/* one list longer than SD_DECODE_MAX_LIST: the document is refused */
	body = big_profile(SD_DECODE_MAX_LIST + 1, 0, 0, &len);
	assert_int_equal(sd_decode_nf_profile(body, len, &p, &d), -1);
	snprintf(note, sizeof note, "sNssais: array of %d items, over the limit of %d",
		 SD_DECODE_MAX_LIST + 1, SD_DECODE_MAX_LIST);
	assert_string_equal(d.error, note);
	sd_nf_profile_done(&p);
	sd_free(body);
}

static void test_profile_sanitise_and_caps(void **state)
{
	struct sd_nf_profile p;
	struct sd_decode_diag d;
	size_t len;
	char *body = slurp(DATA "profile-ctrl-name.json", &len);

	(void)state;
	assert_int_equal(sd_decode_nf_profile(body, len, &p, &d), 0);
	/* ESC, BEL and DEL never reach the model */
	assert_string_equal(p.nf.name, "amf?[2J?-one?");
	sd_nf_profile_done(&p);
	sd_free(body);

	/* 1,100 distinct S-NSSAIs: all kept (the cap is SD_MAX_NF_SNSSAI,
	 * test_profile_snssai_cap) */
	body = slurp(DATA "profile-many-snssais.json", &len);
	assert_int_equal(sd_decode_nf_profile(body, len, &p, &d), 0);
	assert_int_equal(p.nf.nsnssais, 1100);
	assert_int_equal(d.nnotes, 0);
	sd_nf_profile_done(&p);
	sd_free(body);

	/* services beyond 32 are dropped with a note; the names in the
	 * model stop at 8 */
	body = slurp(DATA "profile-many-services.json", &len);
	assert_int_equal(sd_decode_nf_profile(body, len, &p, &d), 0);
	assert_int_equal(p.nservices, SD_NF_MAX_SERVICES);
	assert_string_equal(p.services[31].name, "namf-x31");
	assert_int_equal(p.nf.nservices, 8);
	assert_string_equal(p.nf.services[7], "namf-x07");
	assert_int_equal(d.nnotes, 1);
	assert_string_equal(d.notes[0], "nfServiceList.svc-32: more than 32 services, "
			    "kept the first 32");
	sd_nf_profile_done(&p);
	sd_free(body);

	/* an explicit null on an optional member reads as absent */
	body = slurp(DATA "profile-null-optionals.json", &len);
	assert_int_equal(sd_decode_nf_profile(body, len, &p, &d), 0);
	assert_string_equal(p.nf.name, "");
	assert_int_equal(p.nf.load, -1);
	assert_int_equal(p.nf.nsnssais, 0);
	assert_int_equal(p.nservices, 1);
	sd_nf_profile_done(&p);
	sd_free(body);

	body = slurp(DATA "profile-unknown-enums.json", &len);
	assert_int_equal(sd_decode_nf_profile(body, len, &p, &d), 0);
	assert_string_equal(p.nf.type, "FUTURE_NF");
	assert_int_equal(p.nf.status, SD_NF_STATUS_OTHER);
	assert_string_equal(p.status_text, "DRAINING");
	sd_nf_profile_done(&p);
	sd_free(body);
}

static void test_urilist_spec(void **state)
{
	struct sd_nrf_urilist l;
	struct sd_decode_diag d;
	size_t len;
	char *body = slurp(DATA "nrf-urilist-spec.json", &len);
	static const char single[] = "{\"_links\":{\"item\":{\"href\":"
		"\"http://n/nnrf-nfm/v1/nf-instances/6c5a3e2b-4f1d-4c8e-9a7b-0123456789ab\"}}}";

	(void)state;
	assert_int_equal(sd_decode_nrf_urilist(body, len, &l, &d), 0);
	assert_int_equal(l.total, 3);
	assert_false(l.total_in_links);
	/* the bad href is skipped and reported; the query string is ignored */
	assert_int_equal(l.nids, 2);
	assert_string_equal(l.ids[0], "6c5a3e2b-4f1d-4c8e-9a7b-0123456789ab");
	assert_string_equal(l.ids[1], "11212856-e76f-41f1-8efc-99050a84742e");
	assert_int_equal(d.skipped, 1);
	assert_string_equal(d.notes[0], "_links.item[1].href: last path segment "
			    "is not an nfInstanceId (UUID)");
	sd_nrf_urilist_done(&l);
	sd_free(body);

	/* a single Link instead of an array (LinksValueSchema allows it) */
	assert_int_equal(sd_decode_nrf_urilist(single, strlen(single), &l, NULL), 0);
	assert_int_equal(l.nids, 1);
	assert_int_equal(l.total, -1);
	sd_nrf_urilist_done(&l);
}

static void test_search_mixed(void **state)
{
	struct sd_nrf_search s;
	struct sd_decode_diag d;
	size_t len;
	char *body = slurp(DATA "disc-mixed.json", &len);

	(void)state;
	assert_int_equal(sd_decode_nrf_search(body, len, &s, &d), 0);
	assert_int_equal(s.validity_s, 60);
	assert_int_equal(s.nprofiles, 1);
	assert_string_equal(s.profiles[0].nf.id, "1129b14c-e76f-41f1-9bf2-310211e63305");
	assert_int_equal(d.skipped, 2);
	assert_int_equal(d.nnotes, 2);
	assert_string_equal(d.notes[0], "nfInstances[0].load: must be 0-100");
	assert_string_equal(d.notes[1], "nfInstances[2].nfInstanceId: missing (mandatory)");
	sd_nrf_search_done(&s);
	sd_free(body);
}

static void test_nrf_notifications(void **state)
{
	struct sd_nrf_notification n;
	struct sd_decode_diag d;
	size_t len;
	char *body;
	static const char mismatch[] = "{\"event\":\"NF_REGISTERED\",\"nfInstanceUri\":"
		"\"http://n/nnrf-nfm/v1/nf-instances/11212856-e76f-41f1-8efc-99050a84742e\","
		"\"nfProfile\":{\"nfInstanceId\":\"1129b14c-e76f-41f1-9bf2-310211e63305\","
		"\"nfType\":\"SMF\",\"nfStatus\":\"REGISTERED\",\"fqdn\":\"smf.lab\"}}";
	static const char noprof[] = "{\"event\":\"NF_REGISTERED\",\"nfInstanceUri\":"
		"\"http://n/nnrf-nfm/v1/nf-instances/11212856-e76f-41f1-8efc-99050a84742e\"}";

	(void)state;
	body = slurp(DATA "nrf-notification-registered.json", &len);
	assert_int_equal(sd_decode_nrf_notification(body, len, &n, &d), 0);
	assert_int_equal(n.event, SD_NRF_EV_REGISTERED);
	assert_string_equal(n.nf_id, "1129b14c-e76f-41f1-9bf2-310211e63305");
	assert_true(n.has_profile);
	assert_string_equal(n.profile.nf.type, "SMF");
	assert_int_equal(n.profile.nf.nsnssais, 1);
	sd_nrf_notification_done(&n);
	sd_free(body);

	body = slurp(DATA "nrf-notification-deregistered.json", &len);
	assert_int_equal(sd_decode_nrf_notification(body, len, &n, &d), 0);
	assert_int_equal(n.event, SD_NRF_EV_DEREGISTERED);
	assert_string_equal(n.event_text, "NF_DEREGISTERED");
	assert_string_equal(n.nf_id, "11212856-e76f-41f1-8efc-99050a84742e");
	assert_false(n.has_profile);
	sd_nrf_notification_done(&n);
	sd_free(body);

	/* profileChanges is ignored; a trailing '/' on the URI is tolerated */
	body = slurp(DATA "nrf-notification-changed.json", &len);
	assert_int_equal(sd_decode_nrf_notification(body, len, &n, &d), 0);
	assert_int_equal(n.event, SD_NRF_EV_PROFILE_CHANGED);
	assert_string_equal(n.nf_id, "11212856-e76f-41f1-8efc-99050a84742e");
	assert_false(n.has_profile);
	sd_nrf_notification_done(&n);
	sd_free(body);

	assert_int_equal(sd_decode_nrf_notification(mismatch, strlen(mismatch), &n, &d), -1);
	assert_string_equal(d.error, "nfProfile.nfInstanceId: does not match nfInstanceUri");
	assert_int_equal(sd_decode_nrf_notification(noprof, strlen(noprof), &n, &d), -1);
	assert_string_equal(d.error, "(document): NF_REGISTERED without nfProfile");
}

static void test_nssf(void **state)
{
	struct sd_nssf_slice_info s;
	struct sd_nssai_avail a;
	struct sd_decode_diag d;
	char b[SD_SNSSAI_STRLEN];
	size_t len;
	char *body;

	(void)state;
	body = slurp(DATA "nssf-slice-info-full.json", &len);
	assert_int_equal(sd_decode_nssf_slice_info(body, len, &s, &d), 0);
	assert_int_equal(s.nallowed, 2);     /* 1-000001 listed twice */
	assert_string_equal(fmt_snssai(&s.allowed[0], b), "1-000001");
	assert_string_equal(fmt_snssai(&s.allowed[1], b), "2-000002");
	assert_int_equal(s.nrejected_ta, 1);
	assert_string_equal(fmt_snssai(&s.rejected_ta[0], b), "3-000003");
	assert_int_equal(s.nrejected_plmn, 0);
	assert_string_equal(s.nsi_id, "1");
	sd_free(body);

	body = slurp(DATA "nssf-avail-info.json", &len);
	assert_int_equal(sd_decode_nssai_avail_info(body, len, &a, &d), 0);
	/* TAI 1 x 2 slices, then (TAI 2 + taiList TAI 3) x 1 slice */
	assert_int_equal(a.nitems, 4);
	assert_int_equal(a.items[0].tac, 1);
	assert_string_equal(fmt_snssai(&a.items[1].snssai, b), "2-000002");
	assert_int_equal(a.items[2].tac, 2);
	assert_int_equal(a.items[3].tac, 3);
	assert_string_equal(fmt_snssai(&a.items[3].snssai, b), "1-0000a1");
	assert_string_equal(a.items[3].plmn.mcc, "001");
	assert_string_equal(a.subscription_id, "");
	sd_nssai_avail_done(&a);
	sd_free(body);

	/* the second entry has TAC "zz": skipped with its reason */
	body = slurp(DATA "nssf-event-notification.json", &len);
	assert_int_equal(sd_decode_nssf_event_notification(body, len, &a, &d), 0);
	assert_string_equal(a.subscription_id, "nssf-sub-7");
	assert_int_equal(a.nitems, 1);
	assert_int_equal(a.items[0].tac, 1);
	assert_int_equal(d.skipped, 1);
	assert_string_equal(d.notes[0], "authorizedNssaiAvailabilityData[1].tai.tac: "
			    "must be 4 or 6 hex digits");
	sd_nssai_avail_done(&a);
	sd_free(body);
}

static void test_nwdaf_analytics(void **state)
{
	struct sd_nwdaf_analytics a;
	struct sd_decode_diag d;
	char b[SD_SNSSAI_STRLEN];
	size_t len;
	char *body = slurp(DATA "nwdaf-analytics.json", &len);

	(void)state;
	assert_int_equal(sd_decode_nwdaf_analytics(body, len, &a, &d), 0);
	assert_string_equal(d.error, "");
	assert_int_equal(d.skipped, 0);
	assert_true(a.start_ms == INT64_C(1795428000000));
	/* +08:00 offset and a fraction */
	assert_true(a.expiry_ms == INT64_C(1795428000000) - 8 * 3600000 + 300500);
	assert_true(a.ts_gen_ms == INT64_C(1795427999123));
	assert_int_equal(a.nslice_loads, 3);
	assert_string_equal(fmt_snssai(&a.slice_loads[0].snssai, b), "1-000001");
	assert_int_equal(a.slice_loads[0].load_level, 42);
	assert_string_equal(fmt_snssai(&a.slice_loads[1].snssai, b), "2-000002");
	assert_int_equal(a.slice_loads[1].load_level, 42);
	assert_string_equal(fmt_snssai(&a.slice_loads[2].snssai, b), "1-0000a1");
	assert_int_equal(a.slice_loads[2].load_level, 87);

	assert_int_equal(a.nnw_perfs, 3);
	assert_string_equal(a.nw_perfs[0].type, "GNB_ACTIVE_RATIO");
	assert_true(a.nw_perfs[0].is_ratio);
	assert_int_equal(a.nw_perfs[0].value, 95);
	assert_int_equal(a.nw_perfs[0].confidence, 80);
	assert_int_equal(a.nw_perfs[0].area.ntacs, 2);
	assert_int_equal(a.nw_perfs[0].area.tacs[1], 0xa2);
	assert_false(a.nw_perfs[1].is_ratio);
	assert_int_equal(a.nw_perfs[1].value, 1234);
	assert_int_equal(a.nw_perfs[1].area.nncis, 1);
	assert_int_equal(a.nw_perfs[1].area.ncis[0], 0xabc);
	assert_int_equal(a.nw_perfs[1].confidence, -1);

	assert_int_equal(a.nqos, 2);
	assert_true(a.qos[0].has_ret_thd);
	assert_int_equal(a.qos[0].rel_flow_num, 3);
	assert_string_equal(a.qos[0].rel_time_unit, "HOUR");
	assert_int_equal(a.qos[0].rel_flow_ratio, -1);
	assert_true(a.qos[0].end_ms - a.qos[0].start_ms == 3600000);
	assert_string_equal(fmt_snssai(&a.qos[0].snssai, b), "2-000002");
	assert_false(a.qos[1].has_ret_thd);
	assert_true(a.qos[1].ran_ue_thrpt_bps == 12500000);

	assert_int_equal(a.nnf_loads, 2);
	assert_string_equal(a.nf_loads[0].nf_type, "SMF");
	assert_int_equal(a.nf_loads[0].cpu, 35);
	assert_int_equal(a.nf_loads[0].load_peak, 75);
	assert_int_equal(a.nf_loads[0].status_registered, 100);
	assert_int_equal(a.nf_loads[0].status_unregistered, -1);
	/* the schema's required-list spelling nfLoadLevelPeak is accepted too */
	assert_int_equal(a.nf_loads[1].load_peak, 20);
	assert_int_equal(a.nf_loads[1].cpu, -1);
	sd_nwdaf_analytics_done(&a);
	sd_free(body);

	body = slurp(DATA "nwdaf-analytics-mixed.json", &len);
	assert_int_equal(sd_decode_nwdaf_analytics(body, len, &a, &d), 0);
	assert_int_equal(a.nnw_perfs, 1);
	assert_int_equal(a.nslice_loads, 0);
	assert_int_equal(d.skipped, 4);
	assert_string_equal(d.notes[0], "sliceLoadLevelInfos[0].loadLevelInformation: "
			    "must be 0-2147483647");
	assert_string_equal(d.notes[1], "sliceLoadLevelInfos[1].snssais: must not be empty");
	assert_string_equal(d.notes[2], "nwPerfs[0]: relativeRatio and absoluteNum "
			    "are exclusive");
	assert_string_equal(d.notes[3], "nwPerfs[2]: one of relativeRatio, absoluteNum "
			    "is mandatory");
	sd_nwdaf_analytics_done(&a);
	sd_free(body);
}

/* The vendor RSRP_MEAN / SINR_MEAN nwPerfTypes (docs/wire-compat.md):
 * the TS 38.133 index in absoluteNum becomes dBm / dB for the cell in
 * ncgis[0]; a bad one is skipped with a note, other types are untouched. */
static void test_nwdaf_cell_radio(void **state)
{
	struct sd_nwdaf_analytics a;
	struct sd_decode_diag d;
	size_t len;
	char *body = slurp(DATA "nwdaf-cell-radio.json", &len);
	(void)state;

	assert_int_equal(sd_decode_nwdaf_analytics(body, len, &a, &d), 0);
	assert_int_equal(a.nnw_perfs, 5);
	assert_int_equal(a.nw_perfs[0].radio, SD_NWDAF_RADIO_RSRP);
	assert_true(a.nw_perfs[0].area.ncis[0] == 0x101);
	assert_true(a.nw_perfs[0].radio_value == -89.5);   /* [-90, -89) dBm */
	assert_int_equal(a.nw_perfs[1].radio, SD_NWDAF_RADIO_SINR);
	assert_true(a.nw_perfs[1].radio_value == 16.75);   /* [16.5, 17) dB */
	/* the open ends read as their edge */
	assert_int_equal(a.nw_perfs[2].radio, SD_NWDAF_RADIO_RSRP);
	assert_true(a.nw_perfs[2].area.ncis[0] == 0x102);
	assert_true(a.nw_perfs[2].radio_value == -156.0);
	assert_int_equal(a.nw_perfs[3].radio, SD_NWDAF_RADIO_SINR);
	assert_true(a.nw_perfs[3].radio_value == 40.0);
	/* a standard type is not radio */
	assert_string_equal(a.nw_perfs[4].type, "NUM_OF_UE");
	assert_int_equal(a.nw_perfs[4].radio, SD_NWDAF_RADIO_NONE);
	assert_int_equal(a.nw_perfs[4].value, 12);
	assert_int_equal(d.skipped, 3);
	assert_string_equal(d.notes[0], "nwPerfs[5]: RSRP_MEAN absoluteNum must be a report "
			    "index 0-126");
	assert_string_equal(d.notes[1], "nwPerfs[6]: SINR_MEAN needs its cell in "
			    "networkArea.ncgis");
	assert_string_equal(d.notes[2], "nwPerfs[7]: SINR_MEAN carries absoluteNum, not "
			    "relativeRatio");
	sd_nwdaf_analytics_done(&a);
	sd_free(body);
}

static void test_nwdaf_notification(void **state)
{
	struct sd_nwdaf_notification n;
	struct sd_decode_diag d;
	char b[SD_SNSSAI_STRLEN];
	size_t len;
	char *body = slurp(DATA "nwdaf-notification.json", &len);

	(void)state;
	assert_int_equal(sd_decode_nwdaf_notification(body, len, &n, &d), 0);
	assert_int_equal(d.skipped, 0);
	assert_int_equal(n.nevents, 4);
	assert_int_equal(n.events[0].event, SD_NWDAF_EV_SLICE_LOAD_LEVEL);
	assert_string_equal(n.events[0].subscription_id, "sub-slice-1");
	/* sliceLoadLevelInfo is a single object in EventNotification */
	assert_int_equal(n.events[0].data.nslice_loads, 1);
	assert_int_equal(n.events[0].data.slice_loads[0].load_level, 64);
	assert_string_equal(fmt_snssai(&n.events[0].data.slice_loads[0].snssai, b), "1-000001");
	assert_int_equal(n.events[1].event, SD_NWDAF_EV_NF_LOAD);
	assert_int_equal(n.events[1].data.nf_loads[0].load_peak, 40);
	assert_int_equal(n.events[2].event, SD_NWDAF_EV_NETWORK_PERFORMANCE);
	assert_string_equal(n.events[2].subscription_id, "sub-perf-2");
	assert_int_equal(n.events[2].data.nw_perfs[0].value, 99);
	assert_int_equal(n.events[3].event, SD_NWDAF_EV_OTHER);
	assert_string_equal(n.events[3].event_text, "FUTURE_EVENT_X");
	assert_string_equal(n.events[3].fail_code, "UNAVAILABLE_DATA");
	sd_nwdaf_notification_done(&n);
	sd_free(body);
}

static void test_amf_smf(void **state)
{
	struct sd_amf_notification a;
	struct sd_smf_notification s;
	struct sd_decode_diag d;
	char b[SD_SNSSAI_STRLEN];
	size_t len;
	char *body = slurp(DATA "amf-notification.json", &len);

	(void)state;
	assert_int_equal(sd_decode_amf_notification(body, len, &a, &d), 0);
	assert_string_equal(a.correlation_id, "slicedeck-amf-1");
	assert_int_equal(a.nreports, 2);
	assert_int_equal(a.reports[0].type, SD_AMF_EV_UES_IN_AREA);
	assert_true(a.reports[0].active);
	assert_true(a.reports[0].any_ue);
	assert_int_equal(a.reports[0].number_of_ues, 17);
	assert_int_equal(a.reports[0].ntacs, 2);
	assert_int_equal(a.reports[0].tacs[1], 2);
	assert_true(a.reports[0].has_snssai);
	assert_string_equal(fmt_snssai(&a.reports[0].snssai, b), "1-000001");
	assert_true(a.reports[0].ts_ms == INT64_C(1795428000000));
	assert_int_equal(a.reports[1].type, SD_AMF_EV_OTHER);
	assert_string_equal(a.reports[1].type_text, "REGISTRATION_STATE_REPORT");
	assert_false(a.reports[1].active);
	assert_int_equal(a.reports[1].number_of_ues, -1);
	assert_true(a.reports[1].ts_ms == INT64_C(1795428001250));
	sd_amf_notification_done(&a);
	sd_free(body);

	body = slurp(DATA "smf-notification.json", &len);
	assert_int_equal(sd_decode_smf_notification(body, len, &s, &d), 0);
	assert_string_equal(s.notif_id, "slicedeck-smf-1");
	assert_int_equal(s.nevents, 5);
	assert_int_equal(s.n_pdu_est, 2);
	assert_int_equal(s.n_pdu_rel, 1);
	assert_int_equal(s.n_qos_mon, 1);
	assert_int_equal(s.events[0].pdu_session_id, 5);
	assert_string_equal(s.events[0].dnn, "internet");
	assert_string_equal(s.events[0].supi, "imsi-001010000000001");
	assert_string_equal(fmt_snssai(&s.events[0].snssai, b), "1-000001");
	assert_int_equal(s.events[3].event, SD_SMF_EV_QOS_MON);
	assert_int_equal(s.events[3].nul, 2);
	assert_int_equal(s.events[3].ul_delays[1], 6);
	assert_int_equal(s.events[3].ndl, 1);
	assert_int_equal(s.events[3].dl_delays[0], 5);
	assert_int_equal(s.events[3].rt_delays[0], 9);
	assert_int_equal(s.events[4].event, SD_SMF_EV_OTHER);
	assert_string_equal(s.events[4].event_text, "UP_PATH_CH");
	assert_false(s.events[4].has_snssai);
	sd_smf_notification_done(&s);
	sd_free(body);
}

/* ---- bad documents: each with its exact error --------------------------- */

static const struct bad_case {
	const char *file;
	enum kind kind;
	const char *error;
} bad_cases[] = {
	{ "bad-profile-type.json", K_PROFILE, "nfType: must be a string" },
	{ "bad-profile-missing-id.json", K_PROFILE, "nfInstanceId: missing (mandatory)" },
	{ "bad-profile-uuid.json", K_PROFILE,
	  "nfInstanceId: must be a UUID (8-4-4-4-12 hex digits)" },
	{ "bad-profile-sst256.json", K_PROFILE,
	  "smfInfo.sNssaiSmfInfoList[1].sNssai: Snssai.sst out of range 0-255" },
	{ "bad-profile-sd5.json", K_PROFILE,
	  "sNssais[0]: Snssai.sd must be 6 hex digits" },
	{ "bad-profile-load101.json", K_PROFILE, "load: must be 0-100" },
	{ "bad-profile-port.json", K_PROFILE,
	  "nfServiceList.1121809e-e76f-41f1-8efc-99050a84742e.ipEndPoints[0].port: "
	  "must be 0-65535" },
	{ "bad-profile-heartbeat-string.json", K_PROFILE,
	  "heartBeatTimer: must be an integer" },
	{ "bad-profile-no-address.json", K_PROFILE,
	  "(document): one of fqdn, ipv4Addresses, ipv6Addresses is mandatory" },
	{ "bad-profile-long-type.json", K_PROFILE,
	  "nfType: longer than 15 characters" },
	{ "bad-depth100.json", K_PROFILE,
	  "x[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]"
	  "[0][0][0][0][0][0][0][0][0]: nested deeper than 32 levels" },
	{ "bad-huge-array.json", K_PROFILE,
	  "allowedNssais: array of 5000 items, over the limit of 4096" },
	{ "bad-duplicate-keys.json", K_PROFILE,
	  "(document): invalid JSON at line 1 column 78: duplicate object key "
	  "near '\"nfType\"'" },
	{ "bad-trailing-garbage.json", K_SEARCH,
	  "(document): invalid JSON at line 1 column 40: end of file expected near 'x'" },
	{ "bad-nwdaf-not-array.json", K_NWDAF_NOTIF, "(document): must be a JSON array" },
	{ "bad-smf-no-eventnotifs.json", K_SMF, "eventNotifs: missing (mandatory)" },
	{ "bad-nssf-nrfid.json", K_NSSF_SLICE,
	  "nsiInformation.nrfId: URI holds characters RFC 3986 does not allow" },
	{ "bad-nssf-access-type.json", K_NSSF_SLICE,
	  "allowedNssaiList[0].accessType: must be 3GPP_ACCESS or NON_3GPP_ACCESS" },
};

static void test_bad_documents(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < SD_ARRAY_LEN(bad_cases); i++) {
		struct sd_decode_diag d;
		char path[256];
		size_t len;
		char *body;

		snprintf(path, sizeof path, DATA "%s", bad_cases[i].file);
		body = slurp(path, &len);
		if (run_kind(bad_cases[i].kind, body, len, &d) != -1)
			fail_msg("%s: decoded, expected an error", bad_cases[i].file);
		if (strcmp(d.error, bad_cases[i].error) != 0)
			fail_msg("%s:\n  got      \"%s\"\n  expected \"%s\"",
				 bad_cases[i].file, d.error, bad_cases[i].error);
		sd_free(body);
	}
}

/* A list whose elements are all bad still decodes, with every reason. */
static void test_bad_elements_reported(void **state)
{
	struct sd_decode_diag d;
	size_t len;
	char *body;

	(void)state;
	body = slurp(DATA "bad-smf-timestamp.json", &len);
	assert_int_equal(run_kind(K_SMF, body, len, &d), 0);
	assert_int_equal(d.skipped, 1);
	assert_string_equal(d.notes[0], "eventNotifs[0].timeStamp: must be an RFC 3339 "
			    "date-time (e.g. 2026-11-23T19:14:06Z)");
	sd_free(body);

	body = slurp(DATA "bad-amf-state.json", &len);
	assert_int_equal(run_kind(K_AMF, body, len, &d), 0);
	assert_int_equal(d.skipped, 1);
	assert_string_equal(d.notes[0], "reportList[0].state: missing (mandatory)");
	sd_free(body);
}

/* Limits and hostile input that need no data file. */
static void test_limits(void **state)
{
	struct sd_decode_diag d;
	size_t big = SD_DECODE_MAX_BODY + 1;
	char *body = sd_malloc(big);
	static const char nul[] = "{\"nfInstanceId\":\"a\\u0000b\"}";
	static const char longstr_head[] = "{\"nfInstanceName\":\"";
	char *ls;
	size_t n, k;
	int kind;

	(void)state;
	memset(body, ' ', big);
	for (kind = 0; kind < K_COUNT; kind++) {
		assert_int_equal(run_kind((enum kind)kind, body, big, &d), -1);
		assert_string_equal(d.error, "(document): body of 16777217 bytes, "
				    "over the limit of 16777216");
		/* and no body at all, and empty input: clean errors too */
		assert_int_equal(run_kind((enum kind)kind, NULL, 0, &d), -1);
		assert_string_equal(d.error, "(document): no body");
		assert_int_equal(run_kind((enum kind)kind, "", 0, &d), -1);
		assert_int_equal(strncmp(d.error, "(document): invalid JSON", 24), 0);
	}
	sd_free(body);

	assert_int_equal(run_kind(K_PROFILE, nul, strlen(nul), &d), -1);
	assert_int_equal(strncmp(d.error, "(document): invalid JSON", 24), 0);

	/* a string over SD_DECODE_MAX_STRING */
	n = strlen(longstr_head);
	ls = sd_malloc(n + SD_DECODE_MAX_STRING + 8);
	memcpy(ls, longstr_head, n);
	for (k = 0; k < SD_DECODE_MAX_STRING + 1; k++)
		ls[n + k] = 'a';
	memcpy(ls + n + k, "\"}", 3);
	assert_int_equal(run_kind(K_PROFILE, ls, strlen(ls), &d), -1);
	assert_string_equal(d.error, "nfInstanceName: string longer than 8192 bytes");
	sd_free(ls);
}

/* ---- our own emulator speaks what we read ------------------------------- */

/* One factory, two cells in two TAs, two active slices. */
static struct sd_model *sim_zone(void)
{
	struct sd_model *m = sd_calloc(1, sizeof *m);
	int i;

	strcpy(m->plmn.mcc, "001");
	strcpy(m->plmn.mnc, "01");
	m->nfactories = 1;
	m->factories = sd_calloc(1, sizeof *m->factories);
	strcpy(m->factories[0].id, "f1");
	m->factories[0].mode = SD_MODE_HYBRID;
	m->nsites = 1;
	m->sites = sd_calloc(1, sizeof *m->sites);
	strcpy(m->sites[0].id, "s1");
	m->ncells = 2;
	m->cells = sd_calloc(2, sizeof *m->cells);
	m->cells[0] = (struct sd_cell){ .id = "c1", .nci = 0x0a1001001, .tac = 0x101 };
	m->cells[1] = (struct sd_cell){ .id = "c2", .nci = 0x0a1001002, .tac = 0x102 };
	m->nslices = 2;
	m->slices = sd_calloc(2, sizeof *m->slices);
	strcpy(m->slices[0].id, "rc");
	m->slices[0].snssai = (struct sd_snssai){ .sst = 2, .has_sd = true, .sd = 1 };
	m->slices[0].sla.latency_us = 10000;
	m->slices[0].sla.max_ues = 20;
	strcpy(m->slices[0].dnn, "mec");
	strcpy(m->slices[1].id, "vision");
	m->slices[1].snssai = (struct sd_snssai){ .sst = 1, .has_sd = true, .sd = 2 };
	m->slices[1].sla.mbr_dl_kbps = 400000;
	strcpy(m->slices[1].dnn, "internet");
	for (i = 0; i < 2; i++) {
		m->slices[i].sites = sd_calloc(1, sizeof(int));
		m->slices[i].nsites = 1;
		m->slices[i].state = SD_SLICE_ACTIVE;
	}
	return m;
}

/* Serve one request through the sim's route table; returns the status and
 * leaves the body (owned by the caller) in *body. */
static int sim_call(struct sd_sim *sim, const char *method, const char *tmpl,
		    const char *query, const char *param, const char *reqbody,
		    char **body, size_t *len, char *location)
{
	struct sd_sbi_req req;
	struct sd_sbi_resp resp;
	int r = sd_sim_route_index(sim, method, tmpl);

	assert_true(r >= 0);
	memset(&req, 0, sizeof req);
	memset(&resp, 0, sizeof resp);
	req.method = method;
	req.path = "/x";
	req.query = query;
	req.body = reqbody;
	req.body_len = reqbody ? strlen(reqbody) : 0;
	req.content_type = reqbody ? "application/json" : NULL;
	if (param) {
		req.params[0] = param;
		req.nparams = 1;
	}
	resp.status = 200;
	sd_sim_serve(sim, r, &req, &resp);
	*body = resp.body;
	*len = resp.body_len;
	if (location)
		strcpy(location, resp.location);
	return resp.status;
}

static void expect_clean(const struct sd_decode_diag *d)
{
	if (d->error[0] || d->skipped || d->nnotes)
		fail_msg("sim document: error \"%s\", %u skipped, first note \"%s\"",
			 d->error, d->skipped, d->nnotes ? d->notes[0] : "");
}

/* Decode a report the sim would POST to a callback. */
static char *dump(json_t *j, size_t *len)
{
	char *s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	*len = strlen(s);
	return s;
}

static void test_sim_roundtrip(void **state)
{
	struct sd_sim_opts o = { .seed = 7, .hb_timer_s = 10, .utc_offset_min = 480 };
	struct sd_loop *loop = sd_loop_new();
	struct sd_model *m = sim_zone();
	struct sd_sim *sim = sd_sim_new(loop, m, &o);
	struct sd_decode_diag d;
	struct sd_nrf_urilist l;
	struct sd_nrf_search srch;
	struct sd_nwdaf_analytics a;
	struct sd_nssf_slice_info ns;
	char loc[512], *body;
	size_t len;
	int i, nsmf = 0;
	static const char *const events[] = { "LOAD_LEVEL_INFORMATION", "NF_LOAD",
		"NETWORK_PERFORMANCE", "QOS_SUSTAINABILITY" };

	(void)state;
	sim->fixed_time_ms = INT64_C(1795399200000);   /* Monday 10:00 CST */

	assert_int_equal(sim_call(sim, "GET", "/nnrf-nfm/v1/nf-instances", NULL, NULL,
				  NULL, &body, &len, NULL), 200);
	assert_int_equal(sd_decode_nrf_urilist(body, len, &l, &d), 0);
	expect_clean(&d);
	assert_true(l.nids > 3);
	free(body);
	for (i = 0; i < l.nids; i++) {
		struct sd_nf_profile p;
		assert_int_equal(sim_call(sim, "GET", "/nnrf-nfm/v1/nf-instances/{nfInstanceID}",
					  NULL, l.ids[i], NULL, &body, &len, NULL), 200);
		if (sd_decode_nf_profile(body, len, &p, &d) != 0)
			fail_msg("sim profile %s: %s", l.ids[i], d.error);
		expect_clean(&d);
		assert_string_equal(p.nf.id, l.ids[i]);
		assert_true(p.nservices > 0 || strcmp(p.nf.type, "UPF") == 0);
		nsmf += strcmp(p.nf.type, "SMF") == 0;
		sd_nf_profile_done(&p);
		free(body);
	}
	assert_true(nsmf >= 1);
	sd_nrf_urilist_done(&l);

	assert_int_equal(sim_call(sim, "GET", "/nnrf-disc/v1/nf-instances",
				  "target-nf-type=SMF&requester-nf-type=AF", NULL, NULL,
				  &body, &len, NULL), 200);
	assert_int_equal(sd_decode_nrf_search(body, len, &srch, &d), 0);
	expect_clean(&d);
	assert_int_equal(srch.nprofiles, nsmf);
	assert_true(srch.profiles[0].nf.nsnssais >= 1);
	sd_nrf_search_done(&srch);
	free(body);

	for (i = 0; i < (int)SD_ARRAY_LEN(events); i++) {
		char q[128];
		snprintf(q, sizeof q, "event-id=%s%s", events[i], i == 0 ?
			 "&event-filter=%7B%22anySlice%22%3Atrue%7D" : "");
		assert_int_equal(sim_call(sim, "GET", "/nnwdaf-analyticsinfo/v1/analytics",
					  q, NULL, NULL, &body, &len, NULL), 200);
		if (sd_decode_nwdaf_analytics(body, len, &a, &d) != 0)
			fail_msg("sim analytics %s: %s", events[i], d.error);
		expect_clean(&d);
		assert_true(a.nslice_loads + a.nnf_loads + a.nnw_perfs + a.nqos > 0);
		if (i == 0)
			assert_int_equal(a.nslice_loads, 2);
		sd_nwdaf_analytics_done(&a);
		free(body);
	}

	assert_int_equal(sim_call(sim, "GET", "/nnssf-nsselection/v2/network-slice-information",
		"nf-type=AMF&nf-id=11212856-e76f-41f1-8efc-99050a84742e&"
		"slice-info-request-for-pdu-session=%7B%22sNssai%22%3A%7B%22sst%22%3A2%2C"
		"%22sd%22%3A%22000001%22%7D%2C%22roamingIndication%22%3A%22NON_ROAMING%22%7D",
		NULL, NULL, &body, &len, NULL), 200);
	assert_int_equal(sd_decode_nssf_slice_info(body, len, &ns, &d), 0);
	expect_clean(&d);
	assert_true(ns.has_nsi);
	free(body);

	/* callback bodies */
	assert_int_equal(sim_call(sim, "POST", "/nnwdaf-eventssubscription/v1/subscriptions",
		NULL, NULL, "{\"eventSubscriptions\":[{\"event\":\"SLICE_LOAD_LEVEL\","
		"\"notificationMethod\":\"PERIODIC\",\"repetitionPeriod\":7,\"anySlice\":true},"
		"{\"event\":\"NF_LOAD\",\"notificationMethod\":\"PERIODIC\",\"repetitionPeriod\":7}],"
		"\"notificationURI\":\"http://127.0.0.1:9/n\"}", &body, &len, loc), 201);
	free(body);
	{
		struct sd_nwdaf_notification n;
		struct sd_sim_sub *sub = sd_sim_sub_find(sim, SD_SUB_NWDAF, strrchr(loc, '/') + 1);
		assert_non_null(sub);
		body = dump(sd_sim_nwdaf_report(sim, sub), &len);
		if (sd_decode_nwdaf_notification(body, len, &n, &d) != 0)
			fail_msg("sim NWDAF report: %s", d.error);
		expect_clean(&d);
		assert_true(n.nevents >= 2);
		assert_int_equal(n.events[0].event, SD_NWDAF_EV_SLICE_LOAD_LEVEL);
		assert_true(n.events[0].data.nslice_loads >= 1);
		sd_nwdaf_notification_done(&n);
		free(body);
	}

	assert_int_equal(sim_call(sim, "POST", "/namf-evts/v1/subscriptions", NULL, NULL,
		"{\"subscription\":{\"eventList\":[{\"type\":\"UES_IN_AREA_REPORT\"}],"
		"\"eventNotifyUri\":\"http://127.0.0.1:9/amf\",\"notifyCorrelationId\":\"c1\","
		"\"nfId\":\"11212856-e76f-41f1-8efc-99050a84742e\",\"anyUE\":true,"
		"\"options\":{\"trigger\":\"PERIODIC\",\"repPeriod\":5}}}", &body, &len, loc), 201);
	free(body);
	{
		struct sd_amf_notification n;
		struct sd_sim_sub *sub = sd_sim_sub_find(sim, SD_SUB_AMF, strrchr(loc, '/') + 1);
		assert_non_null(sub);
		body = dump(sd_sim_amf_report(sim, sub), &len);
		if (sd_decode_amf_notification(body, len, &n, &d) != 0)
			fail_msg("sim AMF report: %s", d.error);
		expect_clean(&d);
		assert_string_equal(n.correlation_id, "c1");
		assert_true(n.nreports >= 1);
		assert_int_equal(n.reports[0].type, SD_AMF_EV_UES_IN_AREA);
		assert_true(n.reports[0].number_of_ues >= 0);
		sd_amf_notification_done(&n);
		free(body);
	}

	assert_int_equal(sim_call(sim, "POST", "/nsmf-event-exposure/v1/subscriptions", NULL,
		NULL, "{\"notifId\":\"n\",\"notifUri\":\"http://127.0.0.1:9/smf\",\"anyUeInd\":true,"
		"\"eventSubs\":[{\"event\":\"QOS_MON\"},{\"event\":\"PDU_SES_EST\"},"
		"{\"event\":\"PDU_SES_REL\"}],\"notifMethod\":\"PERIODIC\",\"repPeriod\":5}",
		&body, &len, loc), 201);
	{
		struct sd_smf_notification n;
		json_t *j = json_loadb(body, len, 0, NULL);
		struct sd_sim_sub *sub = sd_sim_sub_find(sim, SD_SUB_SMF,
			json_string_value(json_object_get(j, "subId")));
		json_decref(j);
		free(body);
		assert_non_null(sub);
		body = dump(sd_sim_smf_report(sim, sub), &len);
		if (sd_decode_smf_notification(body, len, &n, &d) != 0)
			fail_msg("sim SMF report: %s", d.error);
		expect_clean(&d);
		assert_string_equal(n.notif_id, "n");
		assert_true(n.n_qos_mon >= 1);
		assert_true(n.nevents == n.n_qos_mon + n.n_pdu_est + n.n_pdu_rel);
		sd_smf_notification_done(&n);
		free(body);
	}

	assert_int_equal(sim_call(sim, "POST",
		"/nnssf-nssaiavailability/v1/nssai-availability/subscriptions", NULL, NULL,
		"{\"nfNssaiAvailabilityUri\":\"http://127.0.0.1:9/cb\",\"taiList\":[{\"plmnId\":"
		"{\"mcc\":\"001\",\"mnc\":\"01\"},\"tac\":\"000101\"}],"
		"\"event\":\"SNSSAI_STATUS_CHANGE_REPORT\"}", &body, &len, loc), 201);
	{
		struct sd_nssai_avail av;
		json_t *j = json_loadb(body, len, 0, NULL);
		struct sd_sim_sub *sub = sd_sim_sub_find(sim, SD_SUB_NSSF,
			json_string_value(json_object_get(j, "subscriptionId")));
		json_decref(j);
		free(body);
		assert_non_null(sub);
		body = dump(sd_sim_nssf_report(sim, sub), &len);
		if (sd_decode_nssf_event_notification(body, len, &av, &d) != 0)
			fail_msg("sim NSSF report: %s", d.error);
		expect_clean(&d);
		assert_true(av.nitems >= 1);
		assert_int_equal(av.items[0].tac, 0x101);
		sd_nssai_avail_done(&av);
		free(body);
	}

	sd_sim_free(sim);
	sd_model_free(m);
	sd_loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open5gs_fixtures),
		cmocka_unit_test(test_profile_rich),
		cmocka_unit_test(test_profile_sanitise_and_caps),
		cmocka_unit_test(test_profile_snssai_cap),
		cmocka_unit_test(test_profile_scale_zone_nfs),
		cmocka_unit_test(test_urilist_spec),
		cmocka_unit_test(test_search_mixed),
		cmocka_unit_test(test_nrf_notifications),
		cmocka_unit_test(test_nssf),
		cmocka_unit_test(test_nwdaf_analytics),
		cmocka_unit_test(test_nwdaf_cell_radio),
		cmocka_unit_test(test_nwdaf_notification),
		cmocka_unit_test(test_amf_smf),
		cmocka_unit_test(test_bad_documents),
		cmocka_unit_test(test_bad_elements_reported),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_sim_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
