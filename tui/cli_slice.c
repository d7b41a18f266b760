/* tui/cli_slice.c — see cli_slice.h. */
#include "tui/cli_slice.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "tui/client.h"

/* Text from the engine reaches the terminal sanitised. */
static void put_clean(const char *prefix, const char *s)
{
	char buf[512];
	sd_sanitize(buf, sizeof buf, s ? s : "", s ? strlen(s) : 0);
	printf("%s%s\n", prefix, buf);
}

void sd_cli_scenarios_after(const struct sd_cli_args *a, const json_t *res, const json_t *rows)
{
	const json_t *f = json_object_get(res, "factory"), *row, *why;
	size_t i, k;
	int off = 0;
	if (!json_is_string(f))
		return;
	json_array_foreach(rows, i, row) {
		char line[128];
		if (json_is_true(json_object_get(row, "offered")))
			continue;
		if (!off++)
			put_clean("\nnot offered to ", json_string_value(f));
		snprintf(line, sizeof line, "  %s:", json_string_value(json_object_get(row, "id")));
		put_clean(line, "");
		json_array_foreach(json_object_get(row, "reasons"), k, why)
			put_clean("    - ", json_string_value(why));
	}
	if (!off) {
		printf("\nevery template is offered to ");
		put_clean("", json_string_value(f));
	}
	json_array_foreach(rows, i, row) {
		const json_t *note = json_object_get(row, "note");
		char line[128];
		if (!json_is_string(note) || !json_is_true(json_object_get(row, "offered")))
			continue;
		snprintf(line, sizeof line, "note %s: ", json_string_value(json_object_get(row, "id")));
		put_clean(line, json_string_value(note));
	}
}

/* --- the lifecycle's commands ------------------------------------------------------ */

#define CALL_TIMEOUT_MS 5000

int sd_cli_slice_status(const char *code)
{
	if (!code || !*code)
		return SD_CLI_ENGINE;
	if (strcmp(code, "rejected") == 0)
		return SD_CLI_REJECTED;
	if (strcmp(code, "forbidden") == 0)
		return SD_CLI_NOT_ALLOWED;
	if (strcmp(code, "failed") == 0)
		return SD_CLI_FAILED;
	if (strcmp(code, "bad_request") == 0)
		return SD_CLI_USAGE;
	return SD_CLI_ENGINE;
}

/* "20.001" Mbit/s -> 20001 kbit/s exactly (no floating point), or -1. */
static long long mbps_to_kbps(const char *s)
{
	long long whole = 0, frac = 0;
	int digits = 0;
	const char *p = s;
	if (!*p)
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		whole = whole * 10 + (*p - '0');
		if (whole > 100000000)
			return -1;
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (++digits > 3)
				return -1;   /* finer than a kbit/s */
			frac = frac * 10 + (*p - '0');
		}
		while (digits < 3) {
			frac *= 10;
			digits++;
		}
	}
	return *p || p == s ? -1 : whole * 1000 + frac;
}

json_t *sd_cli_spec_params(const struct sd_cli_args *a, char *err, size_t errsz)
{
	static const struct { const char *opt, *param, *member; int kind; } map[] = {
		{ "gbr-ul", "gbr_ul_mbps", "gbr_ul_kbps", 0 }, { "gbr-dl", "gbr_dl_mbps", "gbr_dl_kbps", 0 },
		{ "mbr-ul", "mbr_ul_mbps", "mbr_ul_kbps", 0 }, { "mbr-dl", "mbr_dl_mbps", "mbr_dl_kbps", 0 },
		{ "latency", "latency_ms", "latency_ms", 1 },
		{ "availability", "availability_pct", "availability_pct", 1 },
		{ "max-ues", "max_ues", "max_ues", 2 },
	};
	json_t *p = json_deep_copy(a->params), *sla = json_object(), *v;
	size_t i;
	for (i = 0; i < SD_ARRAY_LEN(map); i++) {
		v = json_object_get(p, map[i].param);
		if (!v)
			continue;
		if (map[i].kind == 0) {
			long long k = mbps_to_kbps(json_string_value(v));
			if (k < 0) {
				snprintf(err, errsz, "--%s: \"%s\" is not a rate in Mbit/s (e.g. 20 or 0.5, "
					 "to the kbit/s)", map[i].opt, json_string_value(v));
				goto bad;
			}
			json_object_set_new(sla, map[i].member, json_integer(k));
		} else if (map[i].kind == 1) {
			char *end;
			double d = strtod(json_string_value(v), &end);
			if (*end || end == json_string_value(v) || !(d > 0)) {
				snprintf(err, errsz, "--%s: \"%s\" is not a positive number", map[i].opt,
					 json_string_value(v));
				goto bad;
			}
			json_object_set_new(sla, map[i].member, json_real(d));
		} else {
			json_object_set(sla, map[i].member, v);
		}
		json_object_del(p, map[i].param);
	}
	if (json_object_size(sla))
		json_object_set(p, "sla", sla);
	json_decref(sla);
	v = json_object_get(p, "sites");
	if (json_is_string(v)) {
		json_t *arr = json_array();
		const char *s = json_string_value(v);
		while (*s) {
			size_t n = strcspn(s, ",");
			if (n == 0 || n >= 64) {
				snprintf(err, errsz, "--sites: write site ids separated by commas");
				json_decref(arr);
				json_decref(p);
				return NULL;
			}
			json_array_append_new(arr, json_stringn(s, n));
			s += n;
			s += *s == ',';
		}
		json_object_set_new(p, "sites", arr);
	}
	return p;
bad:
	json_decref(sla);
	json_decref(p);
	return NULL;
}

/* Connect, call, and report an engine error with its exit status. */
static json_t *call_op(const char *socket_path, const struct sd_cli_args *a, json_t *params,
		       int *rc)
{
	struct sd_client cl;
	json_t *res;
	if (sd_client_connect(&cl, socket_path, CALL_TIMEOUT_MS) < 0) {
		fprintf(stderr, "slicedeck: %s\n", cl.err);
		sd_client_close(&cl);
		*rc = SD_CLI_ENGINE;
		return NULL;
	}
	res = sd_client_call(&cl, a->op, params, CALL_TIMEOUT_MS);
	if (!res) {
		char clean[1200];
		sd_sanitize(clean, sizeof clean, cl.err, strlen(cl.err));
		fprintf(stderr, "slicedeck %s: %s\n", a->name, clean);
		*rc = sd_cli_slice_status(cl.err_code);
	} else {
		*rc = SD_CLI_OK;
	}
	sd_client_close(&cl);
	return res;
}

/* Each failed constraint, one a line. */
static void print_failures(FILE *f, const json_t *res)
{
	const json_t *x;
	size_t i;
	json_array_foreach(json_object_get(res, "failures"), i, x) {
		char clean[512];
		const char *t = json_string_value(json_object_get(x, "text"));
		sd_sanitize(clean, sizeof clean, t ? t : "", t ? strlen(t) : 0);
		fprintf(f, "  - %s\n", clean);
	}
	if (json_integer_value(json_object_get(res, "failures_not_listed")) > 0)
		fprintf(f, "  - and %lld more\n",
			(long long)json_integer_value(json_object_get(res, "failures_not_listed")));
}

int sd_cli_slice_check(const char *socket_path, const struct sd_cli_args *a)
{
	char err[256];
	json_t *params = sd_cli_spec_params(a, err, sizeof err), *res;
	int rc;
	bool ok;
	if (!params) {
		fprintf(stderr, "slicedeck %s: %s\n", a->name, err);
		return SD_CLI_USAGE;
	}
	res = call_op(socket_path, a, params, &rc);
	json_decref(params);
	if (!res)
		return rc;
	ok = json_is_true(json_object_get(res, "admitted"));
	if (a->fmt == SD_OUT_JSON) {
		json_dumpf(res, stdout, JSON_INDENT(2));
		putchar('\n');
	} else {
		char sn[64], fac[64];
		sd_cli_cell(res, "snssai", sn, sizeof sn);
		sd_cli_cell(res, "factory", fac, sizeof fac);
		if (ok)
			printf("admissible for %s: S-NSSAI %s%s, %lld cells checked\n", fac, sn,
			       json_is_true(json_object_get(res, "sd_allocated")) ? " (SD allocated)" : "",
			       (long long)json_integer_value(json_object_get(res, "cells_checked")));
		else
			printf("would be rejected for %s:\n", fac);
		print_failures(stdout, res);
	}
	json_decref(res);
	if (fflush(stdout) != 0)
		return SD_CLI_ENGINE;
	return ok ? SD_CLI_OK : SD_CLI_REJECTED;
}

/* One line for a step's reply: "slice X: requested -> admitted (S-NSSAI ...)". */
static void print_step(const json_t *res)
{
	const json_t *s = json_object_get(res, "slice");
	char id[64], sn[64], from[32], to[32], fac[64];
	sd_cli_cell(s, "id", id, sizeof id);
	sd_cli_cell(s, "snssai", sn, sizeof sn);
	sd_cli_cell(s, "factory", fac, sizeof fac);
	sd_cli_cell(res, "from", from, sizeof from);
	sd_cli_cell(res, "to", to, sizeof to);
	if (json_object_get(res, "request")) {
		printf("request %lld (%s) for %s: %s, pending an operator's decision\n",
		       (long long)json_integer_value(json_object_get(res, "request")),
		       json_string_value(json_object_get(res, "kind")), id, fac);
		if (json_is_false(json_object_get(json_object_get(res, "admission_now"), "admitted"))) {
			printf("admission control would refuse it now:\n");
			print_failures(stdout, json_object_get(res, "admission_now"));
		}
		return;
	}
	if (!s) {
		printf("request %lld rejected\n",
		       (long long)json_integer_value(json_object_get(res, "request")));
		return;
	}
	printf("slice %s (%s): %s -> %s%s%s\n", id, fac, from, to, strcmp(sn, "-") && *sn ? ", S-NSSAI " : "",
	       strcmp(sn, "-") && *sn ? sn : "");
}

int sd_cli_slice_run(const char *socket_path, const struct sd_cli_args *a)
{
	char err[256];
	json_t *params, *res;
	int rc;
	bool by_request = strcmp(a->op, "slice.approve") == 0 || strcmp(a->op, "slice.reject") == 0;

	params = sd_cli_spec_params(a, err, sizeof err);
	if (!params) {
		fprintf(stderr, "slicedeck %s: %s\n", a->name, err);
		return SD_CLI_USAGE;
	}
	if (a->operand && by_request) {
		long long id;
		if (!sd_parse_ll(a->operand, 1, INT64_MAX, &id)) {
			fprintf(stderr, "slicedeck %s: %s is not a request number (slicedeck slice "
				"requests)\n", a->name, a->operand);
			json_decref(params);
			return SD_CLI_USAGE;
		}
		json_object_set_new(params, "request", json_integer((json_int_t)id));
	} else if (a->operand) {
		json_object_set_new(params, "slice", json_string(a->operand));
	}
	res = call_op(socket_path, a, params, &rc);
	json_decref(params);
	if (!res)
		return rc;
	if (a->fmt == SD_OUT_JSON) {
		json_dumpf(res, stdout, JSON_INDENT(2));
		putchar('\n');
	} else {
		print_step(res);
	}
	json_decref(res);
	return fflush(stdout) == 0 ? SD_CLI_OK : SD_CLI_ENGINE;
}

int sd_cli_slice_history(const char *socket_path, const struct sd_cli_args *a)
{
	json_t *p = json_deep_copy(a->params);
	int rc;
	json_object_set_new(p, "slice", json_string(a->operand));
	rc = sd_cli_listing(socket_path, a, p);
	json_decref(p);
	return rc;
}

/* "2026-12-04", "2026-12-04T13:05", "2026-12-04T13:05:10" (UTC) or ms. */
static bool parse_since(const char *s, long long *ms)
{
	struct tm tm;
	const char *end;
	if (sd_parse_ll(s, 0, INT64_MAX, ms))
		return true;
	memset(&tm, 0, sizeof tm);
	end = strptime(s, "%Y-%m-%d", &tm);
	if (end && *end == 'T') {
		const char *e2 = strptime(end + 1, "%H:%M", &tm);
		end = e2;
		if (end && *end == ':')
			end = strptime(end + 1, "%S", &tm);
	}
	if (!end || *end)
		return false;
	*ms = (long long)timegm(&tm) * 1000;
	return true;
}

int sd_cli_audit(const char *socket_path, const struct sd_cli_args *a)
{
	json_t *p = json_deep_copy(a->params), *since = json_object_get(p, "since");
	int rc;
	if (since) {
		long long ms;
		if (!parse_since(json_string_value(since), &ms)) {
			fprintf(stderr, "slicedeck audit: --since %s: write YYYY-MM-DD[THH:MM[:SS]] (UTC) "
				"or ms since the epoch\n", json_string_value(since));
			json_decref(p);
			return SD_CLI_USAGE;
		}
		json_object_set_new(p, "since", json_integer((json_int_t)ms));
	}
	rc = sd_cli_listing(socket_path, a, p);
	json_decref(p);
	return rc;
}
