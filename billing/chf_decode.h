/* billing/chf_decode.h — the Nchf_ConvergedCharging ChargingDataRequest
 * (TS 32.291) as an SMF sends it for PDU-session usage, decoded into what
 * the ledger keeps.
 *
 * Only the members the ledger needs are read; every other member is
 * ignored, as 3GPP asks of a receiver. What is read is checked against the
 * schema (types, ranges, the members the schema marks required); the first
 * problem is returned as a TS 29.500 ProblemDetails cause with a JSON
 * pointer to the member (invalidParams[0].param), so the handler answers
 * 400 and stores nothing. Values the schema allows but a ledger must not
 * take (negative or absurd volumes) are left to sd_chf_check_units, which
 * names the record's key.
 *
 * Pure: no loop, no store, no allocation beyond the request's own unit
 * array. The fuzz target tests/fuzz/fuzz_chf_request.c drives it.
 */
#ifndef SD_CHF_DECODE_H
#define SD_CHF_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/snssai.h"

#define SD_CHF_MAX_MUU    64     /* multipleUnitUsage entries per request */
#define SD_CHF_MAX_UUC    64     /* usedUnitContainer entries per entry */
#define SD_CHF_MAX_UNITS  1024   /* containers per request, all entries together */
#define SD_CHF_ID_MAX     96     /* identifiers kept (nFName, sMFchargingId, uPFID, ...) */

/* One used unit container: the unit of idempotency. */
struct sd_chf_unit {
	uint32_t rating_group;
	char upf_id[SD_CHF_ID_MAX];  /* multipleUnitUsage.uPFID, "" when absent */
	int64_t seq;                 /* localSequenceNumber */
	/* octets; the schema's Uint64 as JSON integers, negative kept for the
	 * check (a volume absent is 0 with has_* false) */
	int64_t ul, dl, total;
	bool has_ul, has_dl, has_total;
	int64_t time_s;              /* seconds of usage, 0 when absent */
	int64_t usage_ms;            /* timeofLastUsage, else triggerTimestamp, else
				      * the request's invocationTimeStamp */
};

struct sd_chf_request {
	/* nfConsumerIdentification */
	char nf_name[SD_CHF_ID_MAX];     /* nFName (NfInstanceId), "" when absent */
	char nf_addr[SD_CHF_ID_MAX];     /* nFIPv4Address or nFFqdn, "" when absent */
	char node_function[32];          /* nodeFunctionality: SMF, PGW_C_SMF, ... */
	char subscriber[SD_CHF_ID_MAX];  /* subscriberIdentifier (SUPI), "" */
	int64_t invocation_ms;           /* invocationTimeStamp */
	uint32_t invocation_seq;         /* invocationSequenceNumber */
	bool retransmission;             /* retransmissionIndicator */
	/* the charging id: sMFchargingId when sent, else chargingId in decimal */
	char charging_id[SD_CHF_ID_MAX];
	/* pDUSessionChargingInformation.pduSessionInformation */
	bool has_pdu;
	int pdu_session_id;              /* 0..255 */
	char dnn[64];                    /* dnnId */
	bool has_snssai;                 /* networkSlicingInfo.sNSSAI */
	struct sd_snssai snssai;
	/* every used unit container, in the order sent */
	struct sd_chf_unit *units;       /* heap, NULL when none */
	size_t nunits;
};

/* What is wrong with a request: the HTTP status (400), a TS 29.500
 * application error cause, the JSON pointer of the member and a sentence
 * for humans. */
struct sd_chf_error {
	int status;
	char cause[40];
	char param[128];
	char detail[256];
};

/* Decode body (len bytes, need not be NUL-terminated). 0 with *out filled
 * (free it with sd_chf_request_done), or -1 with *err filled and *out
 * empty (nothing to free, though calling done is harmless). */
int sd_chf_decode(const char *body, size_t len, struct sd_chf_request *out,
		  struct sd_chf_error *err);
void sd_chf_request_done(struct sd_chf_request *r);

/* The largest volume one container may report before it counts as
 * absurd: 10^13 octets (10 TB, a 100 Gbit/s link for over 13 minutes). */
#define SD_CHF_MAX_VOLUME 10000000000000LL

/* The checks a ledger adds to the schema's, on every unit of r: a
 * negative volume or time, a volume above max_volume (0 = the default
 * above), a totalVolume that is not uplink + downlink when all three are
 * sent. -1 on the first bad unit with *err (400, MANDATORY_IE_INCORRECT or
 * OPTIONAL_IE_INCORRECT) whose detail names the record's key, written
 * "session/ratingGroup/localSequenceNumber[/uPFID]"; 0 when all are fine.
 * Units without totalVolume get total = ul + dl here. */
int sd_chf_check_units(struct sd_chf_request *r, const char *session, int64_t max_volume,
		       struct sd_chf_error *err);

/* RFC 3339 date-time ("2026-11-23T19:14:06Z", fractions and offsets
 * allowed) to ms since the epoch. false when it is not one. */
bool sd_chf_parse_time(const char *s, int64_t *ms);

#endif
