/* sim/timeline.h — a training timeline for slicedeck-sim: timed incidents
 * a NOC trainer scripts (slicedeck-sim --timeline FILE; docs/simulator.md
 * has the format with examples, etc/timeline-*.txt are samples).
 *
 * One directive per line; '#' starts a comment; blank lines are skipped:
 *
 *   seed N                        draws (jitter, random objects) use N
 *                                 instead of the simulator's --seed
 *   repeat DURATION               play the whole timeline again every
 *                                 DURATION (each round draws afresh)
 *   at TIME [jitter DURATION] for DURATION KIND [key=value ...]
 *
 * TIME and DURATION: 90, 90s, 2m, 1m30s, 1h, or M:SS (1:30); TIME counts
 * from the start of the round. KIND is a fault kind of sim/fault.h
 * (nf-down, slice-latency, slice-loss, cell-down, ue-surge, session-storm,
 * and the SBI misbehaviours); the keys are that fault's, except dur (the
 * event's "for" gives it). The object keys nf=, slice= and cell= may name
 * one object, several as A|B|C (one is drawn per round), or * (any
 * configured one, drawn per round); at most one of them per event is
 * drawn. jitter J moves the start by a draw in [-J, +J] (never before the
 * round starts).
 *
 * The parser is pure (no model, no clock: the fuzz target calls it);
 * sd_sim_timeline_check then resolves every name against the zone, and
 * the simulator's 1 s tick plays it by adding faults with a duration. */
#ifndef SD_SIM_TIMELINE_H
#define SD_SIM_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/model.h"

#define SD_TL_MAX_EVENTS   256
#define SD_TL_MAX_CHOICES  16
#define SD_TL_MAX_LINE     512
#define SD_TL_MAX_BYTES    (256 * 1024)

struct sd_sim;

enum sd_tl_pick { SD_TL_FIXED, SD_TL_LIST, SD_TL_ANY };

struct sd_tl_event {
	int line;                    /* in the file, from 1 */
	int64_t at_ms, dur_ms, jitter_ms;
	char kind[24];               /* a fault kind name */
	char params[256];            /* the fault's keys, "k=v,k=v", without the drawn one */
	char pick_key[8];            /* "nf", "slice", "cell" or "" (nothing drawn) */
	enum sd_tl_pick pick;
	int nchoices;
	char choices[SD_TL_MAX_CHOICES][SD_ID_MAX];
};

struct sd_sim_timeline {
	char name[256];              /* the file, for FILE:LINE messages */
	uint64_t seed;
	bool has_seed;
	int64_t repeat_ms;           /* 0: play once */
	struct sd_tl_event ev[SD_TL_MAX_EVENTS];
	int n;
	/* playing (sim/timeline.c) */
	int64_t t0_ms;               /* monotonic start of round 0, -1 not started */
	int64_t round;               /* the round being played */
	bool fired[SD_TL_MAX_EVENTS];
	char target[SD_TL_MAX_EVENTS][SD_ID_MAX];   /* what each fired event hit */
	int fault_id[SD_TL_MAX_EVENTS];
	bool finished;
	bool stepping;               /* a fired fault's tick must not step again */
};

/* Parse text (len bytes, need not be NUL-terminated) into tl. name is
 * used in messages. On error returns -1 with "NAME:LINE: what" in err;
 * nothing is allocated either way. */
int sd_sim_timeline_parse(const char *text, size_t len, const char *name,
			  struct sd_sim_timeline *tl, char *err, size_t errsz);
/* The fault spec event e makes with value v for its drawn key (NULL:
 * nothing drawn), "KIND:keys,dur=SECONDS". */
void sd_sim_timeline_spec(const struct sd_tl_event *e, const char *v, char *buf, size_t n);
/* "NAME:LINE: message" into err; returns -1. */
int sd_sim_timeline_err(char *err, size_t errsz, const char *name, int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Read and parse a file (at most SD_TL_MAX_BYTES). */
int sd_sim_timeline_load(const char *path, struct sd_sim_timeline *tl, char *err, size_t errsz);

/* Every named object exists in the simulator's zone and every event makes
 * a valid fault with each of its choices; -1 with "NAME:LINE: what". */
int sd_sim_timeline_check(struct sd_sim *sim, const struct sd_sim_timeline *tl,
			  char *err, size_t errsz);

/* What event i does in round r: its start (ms into the round, jitter
 * drawn) in *start_ms (may be NULL), and the object drawn for it (NULL
 * when nothing is drawn). A pure function of the seed, r and i. */
const char *sd_sim_timeline_draw(const struct sd_sim *sim, const struct sd_sim_timeline *tl,
				 int i, int64_t round, int64_t *start_ms);
/* Play from now (the sim keeps the pointer; tl must outlive it). */
void sd_sim_timeline_play(struct sd_sim *sim, struct sd_sim_timeline *tl);
/* One step at monotonic now_ms: fire what is due (called by the 1 s tick). */
void sd_sim_timeline_step(struct sd_sim *sim, int64_t now_ms);
/* {"file":..., "round":N, "elapsed_s":N, "events":[{line, kind, at_s,
 * for_s, state: pending|active|done, target}...]} for the control socket. */
json_t *sd_sim_timeline_json(const struct sd_sim *sim, int64_t now_ms);

#endif
