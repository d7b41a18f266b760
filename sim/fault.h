/* sim/fault.h — fault injection for slicedeck-sim.
 *
 * A fault is written KIND[:key=value[,key=value]...], on the command line
 * (--fault, repeatable) or through the control socket (sim/control.h):
 *
 *   nf-down        an NF stops heartbeating (the NRF suspends it, later
 *                  removes it) and its API fails once every instance of its
 *                  type is down; mode=503|drop|rst|hang (default 503)
 *   delay          answers are held ms=N milliseconds
 *   error          answers become problem+json with status=N (default 500)
 *   malformed      answers carry broken JSON
 *   truncated      answers carry the first half of their JSON
 *   drop-conn      the TCP connection is closed without an answer
 *   rst-stream     the stream is reset (RST_STREAM INTERNAL_ERROR)
 *   goaway         the answer is sent, then GOAWAY and close
 *   notify-flood   rate=N extra notifications per second per subscription
 *   slice-latency  a slice's latency median times factor=F (default 3),
 *                  plus add=MS
 *   slice-down     a slice carries nothing; the NSSF stops offering it
 *   cell-down      cell=ID stops radiating: its UEs fall back on the other
 *                  cells of the site and the NWDAF no longer reports its
 *                  RSRP/SINR (the cell key is required)
 *   slice-loss     a loss burst: pct=P percent packet loss added to a slice
 *                  (default 5; the NWDAF's reports carry it)
 *   ue-surge       a slice's registered UEs and load times factor=F
 *                  (default 3): latency grows like a queue, max UEs may be
 *                  exceeded
 *   session-storm  sessions=N extra PDU sessions on a slice (default 200):
 *                  the SMF reports them established, then released
 *   pad            a JSON answer grows to bytes=N (1..16777216) with a
 *                  vendor member "x-sim-pad" (an array of strings) that
 *                  decoders ignore: large answers on demand (a real NRF's
 *                  list of hundreds of NFs)
 *
 * Scope and timing keys, for every kind: nf=TYPE or instance name
 * ("AMF", "smf-2"), path=PREFIX (of the request path; PATH$ for that path
 * only), slice=ID, cell=ID,
 * prob=0..1 (per request; default 1), dur=SECONDS (default: until cleared).
 */
#ifndef SD_SIM_FAULT_H
#define SD_SIM_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/model.h"

#define SD_SIM_MAX_FAULTS 64

enum sd_sim_fault_kind {
	SD_FAULT_NF_DOWN,
	SD_FAULT_DELAY,
	SD_FAULT_ERROR,
	SD_FAULT_MALFORMED,
	SD_FAULT_TRUNCATED,
	SD_FAULT_DROP_CONN,
	SD_FAULT_RST_STREAM,
	SD_FAULT_GOAWAY,
	SD_FAULT_NOTIFY_FLOOD,
	SD_FAULT_SLICE_LATENCY,
	SD_FAULT_SLICE_DOWN,
	SD_FAULT_CELL_DOWN,
	SD_FAULT_SLICE_LOSS,
	SD_FAULT_UE_SURGE,
	SD_FAULT_SESSION_STORM,
	SD_FAULT_PAD,
	SD_FAULT_KIND_COUNT
};

enum sd_sim_down_mode { SD_DOWN_503, SD_DOWN_DROP, SD_DOWN_RST, SD_DOWN_HANG };

struct sd_sim_fault {
	int id;                      /* assigned when added, from 1 */
	enum sd_sim_fault_kind kind;
	char nf[48];                 /* NF type or instance name; "" = any */
	char path[128];              /* request path prefix; "" = any */
	char slice[SD_ID_MAX];       /* slice id; "" = any */
	char cell[SD_ID_MAX];        /* cell id (cell-down) */
	double prob;                 /* per-request probability, 0..1 */
	int64_t dur_ms;              /* 0 = until cleared */
	int64_t until_ms;            /* monotonic expiry, 0 = none (set on add) */
	int64_t delay_ms;            /* delay */
	int status;                  /* error: HTTP status */
	enum sd_sim_down_mode mode;  /* nf-down */
	double factor;               /* slice-latency: median multiplier */
	double add_ms;               /* slice-latency: offset */
	int rate;                    /* notify-flood: per second per subscription */
	double pct;                  /* slice-loss: packet loss added, percent */
	int sessions;                /* session-storm: extra PDU sessions */
	long long pad_bytes;         /* pad: the answer's size */
	char spec[256];              /* as written, for listings */
};

struct sd_sim_faults {
	struct sd_sim_fault f[SD_SIM_MAX_FAULTS];
	int n;
	int next_id;
};

const char *sd_sim_fault_kind_name(enum sd_sim_fault_kind k);

/* Parse a spec. On error returns -1 with a message in err naming the
 * offending part. */
int sd_sim_fault_parse(const char *spec, struct sd_sim_fault *out, char *err, size_t errsz);

void sd_sim_faults_init(struct sd_sim_faults *fs);
/* Add a parsed fault; returns its id, or -1 when the table is full. */
int  sd_sim_faults_add(struct sd_sim_faults *fs, const struct sd_sim_fault *f, int64_t now_ms);
/* Remove one fault by id (0: all); returns how many went. */
int  sd_sim_faults_clear(struct sd_sim_faults *fs, int id);
/* Drop faults whose duration has run out; returns how many went. */
int  sd_sim_faults_expire(struct sd_sim_faults *fs, int64_t now_ms);
/* [{"id":1,"kind":"delay","spec":"...","remaining_s":12}, ...] */
json_t *sd_sim_faults_json(const struct sd_sim_faults *fs, int64_t now_ms);

/* Scope tests. An empty scope matches anything. The NF scope matches the
 * type case-insensitively or the instance name exactly. */
bool sd_sim_fault_nf_match(const struct sd_sim_fault *f, const char *type, const char *name);
bool sd_sim_fault_path_match(const struct sd_sim_fault *f, const char *path);
bool sd_sim_fault_slice_match(const struct sd_sim_fault *f, const char *slice_id);

#endif
