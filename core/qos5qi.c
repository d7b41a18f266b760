/* monitor/qos5qi.c — see qos5qi.h. Values from TS 23.501 Table 5.7.4-1
 * (Rel-17), as summarised in the project's 5GC reference, section 10. */
#include "core/qos5qi.h"

#include <math.h>
#include <stddef.h>

#include "core/util.h"

#define GBR(q, prio, pdb, per, svc) \
	{ q, SD_5QI_GBR, prio, pdb, per, 0, 2000, svc }
#define NGBR(q, prio, pdb, per, svc) \
	{ q, SD_5QI_NON_GBR, prio, pdb, per, 0, 0, svc }
#define DCGBR(q, prio, pdb, per, mdbv, svc) \
	{ q, SD_5QI_DC_GBR, prio, pdb, per, mdbv, 2000, svc }

/* Ascending by 5QI (sd_5qi_lookup relies on it). */
static const struct sd_5qi table[] = {
	GBR(1, 20, 100, 1e-2, "Conversational voice"),
	GBR(2, 40, 150, 1e-3, "Conversational video (live streaming)"),
	GBR(3, 30, 50, 1e-3, "Real-time gaming, V2X, electricity distribution "
			     "(medium voltage), process automation monitoring"),
	GBR(4, 50, 300, 1e-6, "Non-conversational video (buffered streaming)"),
	NGBR(5, 10, 100, 1e-6, "IMS signalling"),
	NGBR(6, 60, 300, 1e-6, "Video (buffered streaming), TCP-based"),
	NGBR(7, 70, 100, 1e-3, "Voice, video (live streaming), interactive gaming"),
	NGBR(8, 80, 300, 1e-6, "Video (buffered streaming), TCP-based"),
	NGBR(9, 90, 300, 1e-6, "Video (buffered streaming), TCP-based (default)"),
	NGBR(10, 90, 1100, 1e-6, "As 6, 8, 9 over satellite access"),
	GBR(65, 7, 75, 1e-2, "Mission-critical push-to-talk voice"),
	GBR(66, 20, 100, 1e-2, "Non-mission-critical push-to-talk voice"),
	GBR(67, 15, 100, 1e-3, "Mission-critical video user plane"),
	NGBR(69, 5, 60, 1e-6, "Mission-critical delay-sensitive signalling"),
	NGBR(70, 55, 200, 1e-6, "Mission-critical data"),
	GBR(71, 56, 150, 1e-6, "\"Live\" uplink streaming"),
	GBR(72, 56, 300, 1e-4, "\"Live\" uplink streaming"),
	GBR(73, 56, 300, 1e-8, "\"Live\" uplink streaming"),
	GBR(74, 56, 500, 1e-8, "\"Live\" uplink streaming"),
	GBR(76, 56, 500, 1e-4, "\"Live\" uplink streaming"),
	NGBR(79, 65, 50, 1e-2, "V2X messages"),
	NGBR(80, 68, 10, 1e-6, "Low-latency eMBB, augmented reality"),
	DCGBR(82, 19, 10, 1e-4, 255, "Discrete automation (small packets)"),
	DCGBR(83, 22, 10, 1e-4, 1354, "Discrete automation (large packets), "
				      "V2X platooning"),
	DCGBR(84, 24, 30, 1e-5, 1354, "Intelligent transport systems"),
	DCGBR(85, 21, 5, 1e-5, 255, "Electricity distribution (high voltage), "
				    "V2X remote driving"),
	DCGBR(86, 18, 5, 1e-4, 1354, "V2X collision avoidance, platooning"),
	DCGBR(87, 25, 5, 1e-3, 500, "Interactive service: motion tracking data"),
	DCGBR(88, 25, 10, 1e-3, 1125, "Interactive service: motion tracking data"),
	DCGBR(89, 25, 15, 1e-4, 17000, "Visual content for cloud/edge/split rendering"),
	DCGBR(90, 25, 20, 1e-4, 63000, "Visual content for cloud/edge/split rendering"),
};

const struct sd_5qi *sd_5qi_lookup(int fiveqi)
{
	size_t lo = 0, hi = SD_ARRAY_LEN(table);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (table[mid].fiveqi == fiveqi)
			return &table[mid];
		if (table[mid].fiveqi < fiveqi)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct sd_5qi *sd_5qi_table(int *n)
{
	*n = (int)SD_ARRAY_LEN(table);
	return table;
}

const char *sd_5qi_type_name(enum sd_5qi_type t)
{
	switch (t) {
	case SD_5QI_GBR: return "GBR";
	case SD_5QI_NON_GBR: return "Non-GBR";
	case SD_5QI_DC_GBR: return "Delay-critical GBR";
	}
	return "?";
}

const char *sd_5qi_type_sbi(enum sd_5qi_type t)
{
	switch (t) {
	case SD_5QI_GBR: return "NON_CRITICAL_GBR";
	case SD_5QI_NON_GBR: return "NON_GBR";
	case SD_5QI_DC_GBR: return "CRITICAL_GBR";
	}
	return "?";
}

bool sd_5qi_check(int fiveqi, double delay_p98_ms, double loss_ratio,
		  struct sd_5qi_check *c)
{
	const struct sd_5qi *q = sd_5qi_lookup(fiveqi);
	if (!q)
		return false;
	c->pdb_ms = q->pdb_ms;
	c->per = q->per;
	c->delay_known = !isnan(delay_p98_ms) && delay_p98_ms >= 0;
	c->delay_p98_ms = c->delay_known ? delay_p98_ms : -1;
	c->delay_ok = c->delay_known && delay_p98_ms <= q->pdb_ms;
	c->loss_known = !isnan(loss_ratio) && loss_ratio >= 0;
	c->loss_ratio = c->loss_known ? loss_ratio : -1;
	c->loss_ok = c->loss_known && loss_ratio <= q->per;
	return true;
}
