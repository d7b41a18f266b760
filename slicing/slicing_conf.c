/* slicing/slicing_conf.c — the `slicing` section's key table; see
 * slicing_conf.h. */
#include "slicing/slicing_conf.h"

#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <libconfig.h>

#include "core/util.h"

#define OF(field) SD_CONFIG_OF(struct sd_slicing_conf, field)
#define SD_RANGE_DEFAULT "f00000-f0ffff"

static bool hex6(const char *s, uint32_t *out)
{
	uint32_t v = 0;
	int i;
	for (i = 0; i < 6; i++) {
		int c = (unsigned char)s[i];
		if (!isxdigit(c))
			return false;
		v = v * 16 + (uint32_t)(isdigit(c) ? c - '0' : tolower(c) - 'a' + 10);
	}
	*out = v;
	return true;
}

const char *sd_sd_range_parse(const char *s, uint32_t *lo, uint32_t *hi)
{
	uint32_t a, b;
	if (strlen(s) != 13 || s[6] != '-' || !hex6(s, &a) || !hex6(s + 7, &b))
		return "write it as two 6-hex-digit SDs, \"f00000-f0ffff\"";
	if (a > b)
		return "the first SD is above the last";
	/* FFFFFF means "no SD" (TS 23.003 28.4.2): never allocated */
	if (b == 0xffffff)
		return "ffffff is reserved (it means no SD); end the range below it";
	*lo = a;
	*hi = b;
	return NULL;
}

static void store_sd_range(struct sd_config_ctx *x, const struct sd_config_key *k,
			   struct config_setting_t *s, void *obj, const char *path)
{
	struct sd_slicing_conf *c = obj;
	const char *v = config_setting_get_string(s), *why;
	if (!v)
		return;
	why = sd_sd_range_parse(v, &c->sd_lo, &c->sd_hi);
	if (why) {
		sd_config_err(x, s, path, "\"%s\": %s", v, why);
		return;
	}
	sd_strlcpy(c->sd_range, v, sizeof c->sd_range);
}

static const struct sd_config_key slicing_keys[] = {
	{ .name = "sd_range", .type = SD_K_STR, OF(sd_range), .def = SD_RANGE_DEFAULT,
	  .store = store_sd_range,
	  .help = "the SDs admission allocates from when a slice names none (inclusive)" },
	{ .name = "capacity_share_pct", .type = SD_K_INT, OF(capacity_share_pct), .min = 1,
	  .max = 100, .def = "80", .unit = "%",
	  .help = "share of each cell's UL (and DL) capacity the guaranteed rates of its "
		  "admitted and active slices may take" },
	{ .name = "cell_ul_capacity_mbps", .type = SD_K_SCALED, OF(cell_ul_kbps), .fmin = 0.001,
	  .fmax = 100000, .scale = 1000, .def = "100", .unit = "Mbit/s",
	  .help = "a cell's uplink capacity when it states none" },
	{ .name = "cell_dl_capacity_mbps", .type = SD_K_SCALED, OF(cell_dl_kbps), .fmin = 0.001,
	  .fmax = 100000, .scale = 1000, .def = "500", .unit = "Mbit/s",
	  .help = "a cell's downlink capacity when it states none" },
	{ 0 }
};

/* A key with its own store gets no default from the table: the range's is
 * set here when the file gives none. */
static void range_default(struct sd_slicing_conf *c)
{
	if (c->sd_range[0])
		return;
	sd_strlcpy(c->sd_range, SD_RANGE_DEFAULT, sizeof c->sd_range);
	sd_sd_range_parse(c->sd_range, &c->sd_lo, &c->sd_hi);
}

static void check_slicing(struct sd_config_ctx *x, void *data)
{
	range_default(data);
}

const struct sd_config_section sd_slicing_section = {
	.key = { .name = "slicing", .type = SD_K_GROUP, .sub = slicing_keys,
		 .help = "slice admission: SD allocation, cell capacity shares" },
	.data_size = sizeof(struct sd_slicing_conf),
	.check = check_slicing,
};

const struct sd_slicing_conf *sd_slicing_conf_get(const struct sd_config *c)
{
	static struct sd_slicing_conf defaults;
	static bool have_defaults;
	const struct sd_slicing_conf *m = c ? sd_config_section_data(c, &sd_slicing_section) : NULL;
	if (m)
		return m;
	if (!have_defaults) {
		sd_config_section_defaults(&sd_slicing_section, &defaults);
		range_default(&defaults);
		have_defaults = true;
	}
	return &defaults;
}
