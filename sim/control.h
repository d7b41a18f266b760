/* sim/control.h — the simulator's run-time control: a UNIX stream socket
 * (mode 0600, so only the user running the simulator can steer it).
 *
 * Protocol: one command per line, one JSON object per line back, always
 * with "ok": true or false (and "error" when false). Commands:
 *
 *   fault SPEC      add a fault (sim/fault.h syntax)  -> {"ok":true,"id":N}
 *   clear [ID]      remove one fault, or all          -> {"ok":true,"cleared":N}
 *   faults          list active faults                -> {"ok":true,"faults":[...]}
 *   status          NFs, slices' KPIs, subscriptions, counters
 *   cells           per-cell RSRP / SINR now
 *   report SUBID    the body the subscription's next notification would
 *                   carry (NSSF, NWDAF, AMF, SMF), without sending it
 *                   (note: for SMF PDU_SES_* it advances the session count)
 *   help
 *
 * `slicedeck-sim --control PATH --send 'CMD'` is a client for scripts.
 */
#ifndef SD_SIM_CONTROL_H
#define SD_SIM_CONTROL_H

#include <stddef.h>

#include <jansson.h>

struct sd_sim;
struct sd_sim_control;

struct sd_sim_control *sd_sim_control_new(struct sd_sim *sim, const char *path,
					  char *err, size_t errsz);
void sd_sim_control_free(struct sd_sim_control *c);

/* Run one command line; returns the JSON answer (caller decrefs). */
json_t *sd_sim_control_exec(struct sd_sim *sim, const char *line);

/* Client side: send one command, print the answer line on stdout.
 * Returns 0 when the answer has "ok": true. */
int sd_sim_control_send(const char *path, const char *cmd);

#endif
