/* tests/plugins/init_error.c — a plugin whose init fails with a reason. */
#include <stdio.h>

#include "plugins/slicedeck-plugin.h"

static int init(const struct sdp_host *h, struct sdp_ctx *c, void **state, char *err, size_t n)
{
	snprintf(err, n, "the test device /dev/nonexistent-probe is absent");
	return -1;
}

static const struct sdp_plugin reg = {
	SDP_PLUGIN_HEADER, .name = "init_error", .version = "0", .init = init,
};

__attribute__((visibility("default"))) const struct sdp_plugin *slicedeck_plugin_entry(void);
const struct sdp_plugin *slicedeck_plugin_entry(void)
{
	return &reg;
}
