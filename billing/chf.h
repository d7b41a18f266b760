/* billing/chf.h — the engine's Nchf_ConvergedCharging endpoint (TS 32.291,
 * offline charging of PDU-session usage), on the engine's SBI server:
 *
 *   POST {apiRoot}/nchf-convergedcharging/v3/chargingdata              create  201 + Location
 *   POST {apiRoot}/nchf-convergedcharging/v3/chargingdata/{ref}/update update  200
 *   POST {apiRoot}/nchf-convergedcharging/v3/chargingdata/{ref}/release release 204
 *
 * Every used unit container becomes one ledger record keyed by (ref,
 * ratingGroup, localSequenceNumber, uPFID); the answer is sent only after
 * the group commit that holds the request's records (sd_ledger_on_durable).
 * A malformed request is answered 400 problem+json (cause and
 * invalidParams) and stores nothing; a negative or absurd volume likewise,
 * naming the record's key. A record whose S-NSSAI and DNN name no slice in
 * service is stored held (not billed). See docs/billing.md.
 *
 * The ChargingDataRef is derived from the session's identity (the SMF's
 * nFName/address, the subscriber, the charging id and the PDU session id),
 * so a create the SMF resends after a lost answer or replays after an
 * outage gets the same ref, and an update or release for a ref the CHF
 * never handed out (an SMF that makes its own refs, a CHF that lost its
 * state) is taken under that ref.
 */
#ifndef SD_CHF_H
#define SD_CHF_H

#include <stddef.h>
#include <stdint.h>

#include "billing/chf_decode.h"
#include "billing/ledger.h"
#include "core/host.h"

struct sd_chf;

struct sd_chf_stats {
	uint64_t requests;       /* reached a handler */
	uint64_t refused;        /* answered 4xx: malformed or refused volumes */
	uint64_t answered;       /* answered 2xx after durability */
	uint64_t failed;         /* answered 500: the ledger could not store them */
	uint64_t records;        /* used unit containers taken (new or not) */
};

/* Routes on host->sbi (which must not be NULL); records go to l (kept,
 * not owned). max_volume 0 = SD_CHF_MAX_VOLUME. NULL with err. */
struct sd_chf *sd_chf_new(const struct sd_host *host, struct sd_ledger *l, int64_t max_volume,
			  char *err, size_t errsz);
/* Removes the routes and commits the ledger's open batch, so every answer
 * still waiting for durability goes out (or is dropped when its peer has
 * gone) before this returns. Free it before the ledger. */
void sd_chf_free(struct sd_chf *c);
void sd_chf_get_stats(const struct sd_chf *c, struct sd_chf_stats *st);

/* The ref of a create (32 hex digits); exposed for tests. */
void sd_chf_session_ref(const struct sd_chf_request *r, char out[33]);

#endif
