/* tests/plugins/bad_abi.c — a plugin built for ABI 99: refused at load. */
#include "plugins/slicedeck-plugin.h"

static int init(const struct sdp_host *h, struct sdp_ctx *c, void **state, char *err, size_t n)
{
	return 0;
}

static const struct sdp_plugin reg = {
	.abi_major = 99, .abi_minor = 0, .size = sizeof(struct sdp_plugin),
	.name = "bad_abi", .version = "0", .init = init,
};

__attribute__((visibility("default"))) const struct sdp_plugin *slicedeck_plugin_entry(void);
const struct sdp_plugin *slicedeck_plugin_entry(void)
{
	return &reg;
}
