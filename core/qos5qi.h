/* core/qos5qi.h — the standardized 5QI table (TS 23.501 Table 5.7.4-1)
 * and the check of observed delay / loss against a 5QI's budget.
 *
 * The packet delay budget (PDB) is the bound the delay of 98 % of a flow's
 * packets should stay under (TS 23.501 5.7.3.4), so the check compares
 * the observed 98th percentile delay with the PDB; the packet error rate
 * (PER) is compared with the observed loss ratio.
 */
#ifndef SD_QOS5QI_H
#define SD_QOS5QI_H

#include <stdbool.h>
#include <stdint.h>

enum sd_5qi_type {
	SD_5QI_GBR,
	SD_5QI_NON_GBR,
	SD_5QI_DC_GBR,       /* delay-critical GBR */
};

struct sd_5qi {
	uint8_t fiveqi;
	enum sd_5qi_type type;
	uint8_t priority;    /* default priority level, lower = higher priority */
	uint16_t pdb_ms;     /* packet delay budget */
	double per;          /* packet error rate, e.g. 1e-6 */
	uint32_t mdbv;       /* default max data burst volume, bytes (DC GBR), else 0 */
	uint16_t avg_window_ms; /* default averaging window (GBR, DC GBR), else 0 */
	const char *services;   /* example services */
};

/* The delay percentile the PDB is held to. */
#define SD_5QI_PDB_PCT 98.0

/* The row for a 5QI, or NULL for a non-standard value (1..255 may be
 * operator specific; 75 is no longer used in 5GS and is not listed). */
const struct sd_5qi *sd_5qi_lookup(int fiveqi);
/* All rows, ascending by 5QI. */
const struct sd_5qi *sd_5qi_table(int *n);
/* "GBR", "Non-GBR", "Delay-critical GBR". */
const char *sd_5qi_type_name(enum sd_5qi_type t);
/* SBI spelling: "GBR" -> NON_CRITICAL_GBR, ... */
const char *sd_5qi_type_sbi(enum sd_5qi_type t);

/* Observed QoS of one flow (or a slice's aggregate) against its 5QI. */
struct sd_5qi_check {
	bool delay_known, delay_ok;   /* delay_p98_ms <= pdb */
	bool loss_known, loss_ok;     /* loss_ratio <= per */
	double delay_p98_ms, pdb_ms;
	double loss_ratio, per;
};

/* delay_p98_ms or loss_ratio < 0 (or NaN) means not observed. Returns
 * false when fiveqi is not in the table (c untouched). */
bool sd_5qi_check(int fiveqi, double delay_p98_ms, double loss_ratio,
		  struct sd_5qi_check *c);

#endif
