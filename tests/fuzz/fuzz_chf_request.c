/* tests/fuzz/fuzz_chf_request.c — the CHF's ChargingDataRequest decoder
 * (sd_chf_decode, billing/chf_decode.c: every body an SMF POSTs to the
 * engine's Nchf_ConvergedCharging endpoint) and the ledger checks after it
 * (sd_chf_check_units).
 *
 * Aborts when:
 *   - a refusal is not a 400 with a cause, or leaves units behind;
 *   - an accepted request breaks the decoder's promises: more containers
 *     than SD_CHF_MAX_UNITS, an identifier with a byte outside printable
 *     ASCII, a PDU session id outside 0..255, a negative sequence number;
 *   - a request that passes the checks has a negative or absurd volume, or
 *     a total that is not what the checks say it is.
 *
 * Build and run: tests/fuzz/README.md.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "billing/chf_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_id(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);
	size_t i;
	if (n == cap)
		abort();
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sd_chf_request r;
	struct sd_chf_error e;
	size_t i;

	if (sd_chf_decode((const char *)data, size, &r, &e) < 0) {
		if (e.status != 400 || !e.cause[0] || r.units || r.nunits)
			abort();
		return 0;
	}
	if (r.nunits > SD_CHF_MAX_UNITS || (r.nunits && !r.units))
		abort();
	check_id(r.nf_name, sizeof r.nf_name);
	check_id(r.nf_addr, sizeof r.nf_addr);
	check_id(r.subscriber, sizeof r.subscriber);
	check_id(r.charging_id, sizeof r.charging_id);
	check_id(r.node_function, sizeof r.node_function);
	if (r.has_pdu) {
		check_id(r.dnn, sizeof r.dnn);
		if (r.pdu_session_id < 0 || r.pdu_session_id > 255 || !r.dnn[0])
			abort();
	}
	for (i = 0; i < r.nunits; i++) {
		check_id(r.units[i].upf_id, sizeof r.units[i].upf_id);
		if (r.units[i].seq < 0)
			abort();
	}
	if (sd_chf_check_units(&r, "fuzz", 0, &e) == 0) {
		for (i = 0; i < r.nunits; i++) {
			const struct sd_chf_unit *u = &r.units[i];
			if (u->ul < 0 || u->dl < 0 || u->total < 0 || u->time_s < 0 ||
			    u->ul > SD_CHF_MAX_VOLUME || u->dl > SD_CHF_MAX_VOLUME ||
			    u->total > SD_CHF_MAX_VOLUME)
				abort();
			if (!u->has_total && u->total != u->ul + u->dl)
				abort();
		}
	} else if (e.status != 400 || !strstr(e.detail, "record fuzz/")) {
		abort();
	}
	sd_chf_request_done(&r);
	return 0;
}
