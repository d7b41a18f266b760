/* sim/charging.h — the simulator's SMFs as Nchf_ConvergedCharging clients:
 * offline charging of PDU-session usage towards a CHF (slicedeckd's
 * endpoint, docs/billing.md), with the volumes of the traffic model.
 *
 * Every tick (interval_ms of real time) each active slice keeps `sessions`
 * PDU sessions, each a charging session of one emulated SMF: a create
 * (pDUSessionChargingInformation with the slice's S-NSSAI and DNN), then
 * one update per tick with a used unit container per rating group (10 and
 * 20) holding the bytes the slice's modelled UL/DL throughput carried over
 * that model time, split among its sessions with seeded noise; on a hybrid
 * or independent network's slice the container's uPFID is the factory's own
 * UPF. A session lives 5 to 30 ticks, then a release carries its last
 * containers and a new session takes its place.
 *
 * Delivery is an SMF's: per session one request at a time, in order. A
 * request that gets no answer, a transport error or a 5xx is resent with
 * retransmissionIndicator true after a backoff (100 ms doubling to 1 s),
 * forever; while the CHF is down, the session's later messages wait in its
 * cache and are replayed in order when it is back, at most max_inflight
 * requests in flight over all sessions (the replay rate). A 4xx is a refusal:
 * the message is dropped and counted as rejected.
 *
 * Ground truth for tests (sd_sim_charging_json, the control command
 * `charging`): per slice what was generated and what the CHF acknowledged
 * (records, UL/DL/total bytes), what is still cached, what was refused.
 * `charging stop` stops making new usage (the cache is still delivered);
 * once pending is 0, acknowledged equals generated.
 */
#ifndef SD_SIM_CHARGING_H
#define SD_SIM_CHARGING_H

#include <stddef.h>

#include <jansson.h>

struct sd_sim;
struct sd_sim_charging;

struct sd_sim_charging_opts {
	const char *chf_root;   /* the CHF's apiRoot, "http://127.0.0.1:7778" */
	int interval_ms;        /* tick, default 1000 */
	int sessions;           /* PDU sessions per active slice, default 4 */
	int max_inflight;       /* requests in flight, default 64 */
};

/* Starts at once (the first creates go out on the next loop turn). NULL
 * with err for bad options. */
struct sd_sim_charging *sd_sim_charging_new(struct sd_sim *sim,
					    const struct sd_sim_charging_opts *o,
					    char *err, size_t errsz);
void sd_sim_charging_free(struct sd_sim_charging *c);

/* The control command: "" = status, "stop", "start". */
json_t *sd_sim_charging_control(struct sd_sim_charging *c, const char *arg);
json_t *sd_sim_charging_json(const struct sd_sim_charging *c);

#endif
