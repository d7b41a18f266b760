/* core/snssai.c — see snssai.h. */
#include "core/snssai.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static bool parse_hex(const char *s, size_t n, uint32_t *out)
{
	uint32_t v = 0;
	size_t i;
	for (i = 0; i < n; i++) {
		int h = hexval((unsigned char)s[i]);
		if (h < 0)
			return false;
		v = (v << 4) | (uint32_t)h;
	}
	*out = v;
	return true;
}

bool sd_sd_parse(const char *s, uint32_t *out)
{
	return s && strlen(s) == 6 && parse_hex(s, 6, out);
}

static void set_sd(struct sd_snssai *n, uint32_t sd)
{
	n->has_sd = sd != 0xffffff;
	n->sd = n->has_sd ? sd : 0;
}

#define FAIL(msg) do { if (why) *why = (msg); return false; } while (0)

bool sd_snssai_parse(const char *s, struct sd_snssai *out, const char **why)
{
	struct sd_snssai n = { 0 };
	size_t len, i;
	unsigned sst = 0;
	uint32_t v;

	if (!s || !*s)
		FAIL("empty S-NSSAI");
	len = strlen(s);
	if (len == 8 && strspn(s, "0123456789abcdefABCDEF") == 8 &&
	    strpbrk(s, "abcdefABCDEF") != NULL) {
		/* unambiguous hex form (contains a hex letter) */
		parse_hex(s, 8, &v);
		n.sst = (uint8_t)(v >> 24);
		set_sd(&n, v & 0xffffff);
		*out = n;
		return true;
	}
	if (len == 8 && strspn(s, "0123456789") == 8) {
		/* 8 decimal digits can only be the hex form: no SST has 8 digits */
		parse_hex(s, 8, &v);
		n.sst = (uint8_t)(v >> 24);
		set_sd(&n, v & 0xffffff);
		*out = n;
		return true;
	}
	for (i = 0; i < len && isdigit((unsigned char)s[i]); i++) {
		sst = sst * 10 + (unsigned)(s[i] - '0');
		if (sst > 255 || i >= 3)
			FAIL("SST must be an integer 0-255");
	}
	if (i == 0)
		FAIL("S-NSSAI must start with a decimal SST (e.g. 1 or 1-000001)");
	n.sst = (uint8_t)sst;
	if (i == len) {
		*out = n;
		return true;
	}
	if (s[i] != '-' && s[i] != ':')
		FAIL("expected SST or SST-SD (e.g. 1-000001)");
	if (!sd_sd_parse(s + i + 1, &v))
		FAIL("SD must be exactly 6 hex digits");
	set_sd(&n, v);
	*out = n;
	return true;
}

char *sd_snssai_format(const struct sd_snssai *n, char *buf, size_t bufsz)
{
	if (n->has_sd)
		snprintf(buf, bufsz, "%u-%06x", n->sst, n->sd);
	else
		snprintf(buf, bufsz, "%u", n->sst);
	return buf;
}

char *sd_snssai_format_hex(const struct sd_snssai *n, char *buf, size_t bufsz)
{
	if (n->has_sd)
		snprintf(buf, bufsz, "%02x%06x", n->sst, n->sd);
	else
		snprintf(buf, bufsz, "%02x", n->sst);
	return buf;
}

bool sd_snssai_equal(const struct sd_snssai *a, const struct sd_snssai *b)
{
	return a->sst == b->sst && a->has_sd == b->has_sd && (!a->has_sd || a->sd == b->sd);
}

bool sd_snssai_from_json(const json_t *j, struct sd_snssai *out, const char **why)
{
	const json_t *sst, *sd;
	struct sd_snssai n = { 0 };
	uint32_t v;
	json_int_t x;

	if (!json_is_object(j))
		FAIL("Snssai must be an object");
	sst = json_object_get(j, "sst");
	if (!sst)
		FAIL("Snssai.sst is missing");
	if (!json_is_integer(sst))
		FAIL("Snssai.sst must be an integer");
	x = json_integer_value(sst);
	if (x < 0 || x > 255)
		FAIL("Snssai.sst out of range 0-255");
	n.sst = (uint8_t)x;
	sd = json_object_get(j, "sd");
	if (sd) {
		if (!json_is_string(sd))
			FAIL("Snssai.sd must be a string");
		if (!sd_sd_parse(json_string_value(sd), &v))
			FAIL("Snssai.sd must be 6 hex digits");
		set_sd(&n, v);
	}
	*out = n;
	return true;
}

json_t *sd_snssai_to_json(const struct sd_snssai *n)
{
	json_t *j = json_object();
	json_object_set_new(j, "sst", json_integer(n->sst));
	if (n->has_sd) {
		char sd[8];
		snprintf(sd, sizeof sd, "%06x", n->sd);
		json_object_set_new(j, "sd", json_string(sd));
	}
	return j;
}
