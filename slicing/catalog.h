/* slicing/catalog.h — the scenario catalog as a factory sees it: which of
 * the 20 templates are offered to a factory, and why the others are not,
 * and the `scenarios` IPC op that lists them.
 *
 * The rules (docs/slicing.md, "Which templates a factory is offered"):
 *
 *   mode      the template names the private-network modes it suits; a
 *             factory whose mode is not among them is not offered it (a
 *             bound of 10 ms or less, a bound below what the standard 5QI
 *             offers, or data that must stay on site needs a local UPF:
 *             hybrid or independent only; service beyond the fence over
 *             public coverage is not for an independent network);
 *   security  a factory of security grade 3 on a virtual network is not
 *             offered line- or workshop-level templates (shop-floor data
 *             does not cross a shared core at that grade).
 */
#ifndef SD_CATALOG_H
#define SD_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/model.h"
#include "core/ops.h"

/* One reason a template is not offered, a sentence without a final stop. */
#define SD_OFFER_REASON_MAX 200
#define SD_OFFER_MAX_REASONS 4

enum sd_offer_rule {
	SD_OFFER_MODE,
	SD_OFFER_SECURITY,
};

struct sd_offer {
	int nreasons;                       /* 0: offered */
	enum sd_offer_rule rule[SD_OFFER_MAX_REASONS];
	char reason[SD_OFFER_MAX_REASONS][SD_OFFER_REASON_MAX];
	/* a remark that does not refuse, e.g. a dynamic 5QI is needed; "" none */
	char note[SD_OFFER_REASON_MAX];
};

/* Whether scenario s is offered to factory f, with every reason it is not.
 * Returns true when offered. Pure: reads s and f only. */
bool sd_scenario_offer(const struct sd_scenario *s, const struct sd_factory *f,
		       struct sd_offer *out);
/* true when a template of level tl suits a deployment of level fl (the
 * catalog's "levels": information, not a refusal — wide-area templates of
 * the factory level ride public coverage, and the sample zone runs them on
 * workshop- and line-level factories). */
bool sd_level_suits(enum sd_factory_level tl, enum sd_factory_level fl);

/* The template as JSON (every catalog field); with f, also "offered",
 * "reasons" and "note" for that factory. */
json_t *sd_scenario_json(const struct sd_scenario *s, const struct sd_factory *f);

/* The `scenarios` op (read; optional "factory": whose offer to judge; a
 * factory caller always gets its own). */
int sd_catalog_register_ops(struct sd_ops *ops);
void sd_catalog_unregister_ops(struct sd_ops *ops);

#endif
