/* monitor/nfwatch.h — NF loss and slices left without a needed NF, as
 * alarms (issue 9, item 1).
 *
 * A real NRF (Open5GS) deletes a dead NF within one heartbeat instead of
 * marking it SUSPENDED, and the restarted NF registers under a new
 * instance id: the row just disappears. Once a second the watcher compares
 * the model's NF rows with the previous second's:
 *
 *   NF lost     an id present before and gone now (deleted or deregistered,
 *               not merely stale) raises "nf-lost" on the object
 *               "nf=TYPE/NAME" (TYPE/ID when the core gives no names),
 *               communicationsSubsystemFailure, severity per type from the
 *               alarm policy. A new id of the same type (and, when both
 *               have names, the same name) clears it; a loss and its
 *               replacement seen in the same second raise nothing.
 *   slice       for each active slice and each of AMF, SMF and UPF, when
 *               the type is known (sd_sla_usable_serve says MISSING: none
 *               serving the slice's S-NSSAI is registered, reachable and
 *               fresh), "no-serving-SMF" etc. on "slice=ID", critical;
 *               cleared when one serves it again. Unknown (a stale
 *               inventory) changes nothing. Judged only when the NF rows
 *               or the slices changed, and every 30 s.
 *
 * Active alarms of both kinds found in the manager at creation (a restart)
 * are taken over, so they clear when their condition ends.
 */
#ifndef SD_NFWATCH_H
#define SD_NFWATCH_H

#include <stdint.h>

#include "core/model.h"
#include "monitor/alarm.h"
#include "monitor/sla.h"

struct sd_nfwatch;

struct sd_nfwatch *sd_nfwatch_new(struct sd_alarms *am);
void sd_nfwatch_free(struct sd_nfwatch *w);
/* Once a second, after sd_sla_usable_build(u, m). */
void sd_nfwatch_tick(struct sd_nfwatch *w, const struct sd_model *m,
		     const struct sd_sla_usable *u, int64_t now_ms);
/* Active "nf-lost" alarms the watcher holds, for tests. */
int sd_nfwatch_lost_count(const struct sd_nfwatch *w);

#endif
