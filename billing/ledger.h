/* billing/ledger.h — the usage ledger: every usage record exactly once, in
 * a SQLite database of its own (state_dir/ledger.db).
 *
 * Durability: WAL with synchronous=FULL (SD_DURABLE_FULL), so a COMMIT is
 * on the disk when it returns, power cut included; a CHF answer promises
 * the SMF that it may forget the usage, and NORMAL would let the last
 * commits vanish on a power loss after the answer left. The cost of FULL
 * (one fsync per COMMIT) is shared by group commit: writes join one open
 * transaction (core/store.h's batch) that commits every commit_ms or
 * after max_writes writes, and whoever needs durability asks to be called
 * after that commit (sd_ledger_on_durable). A crash loses at most the open
 * batch, whole, and nothing in it was answered yet.
 *
 * Exactly once: a usage record's key is (source, session, rating group,
 * sequence, UPF id): for CHF records the charging session (the
 * ChargingDataRef), the rating group, the used unit container's
 * localSequenceNumber and the uPFID ("" when absent); for imports the
 * file's SHA-256 and the line. The table has a UNIQUE constraint on it and
 * inserts say ON CONFLICT DO NOTHING, so a retransmission, a replay or a
 * re-import stores nothing new. A duplicate key with other volumes is a
 * conflict: the first record stands, the conflict is counted and logged.
 *
 * Held records: a record whose slice is unknown, ambiguous or not in
 * service is stored with a reason and no factory; it counts in no total
 * and appears in sd_ledger_held until an operator deals with it.
 *
 * Periods are UTC calendar months ("2026-11") of the usage time, as the SLA
 * reports'. Everything runs on the loop's thread.
 */
#ifndef SD_LEDGER_H
#define SD_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/loop.h"
#include "core/store.h"

struct sd_ledger;

struct sd_ledger_conf {
	int commit_ms;      /* group-commit interval, default 5 */
	int max_writes;     /* or this many writes, default 1000 */
};

/* A usage record. Strings are copied; "" for none. */
struct sd_usage_rec {
	const char *source;      /* "chf" or "import" */
	const char *session;     /* ChargingDataRef; the file digest for imports */
	uint32_t rating_group;
	int64_t seq;             /* localSequenceNumber; the line for imports */
	const char *upf;         /* uPFID, "" when absent */
	int64_t ul, dl, total;   /* octets, >= 0 */
	int64_t time_s;          /* seconds of usage */
	int64_t usage_ms;        /* when the usage happened (period) */
	const char *snssai;      /* "1-0a0002" */
	const char *dnn;
	const char *factory;     /* "" when held */
	const char *slice;       /* "" when held */
	const char *hold;        /* NULL: billable; else why it is held */
};

/* The ledger on st (taken: closed by sd_ledger_close, also on failure),
 * with a group-commit batch on loop. NULL with err. */
struct sd_ledger *sd_ledger_open(struct sd_store *st, struct sd_loop *loop,
				 const struct sd_ledger_conf *conf, char *err, size_t errsz);
/* Commits what is open, closes the store. */
void sd_ledger_close(struct sd_ledger *l);

/* The store's message for the last failure. */
const char *sd_ledger_errmsg(struct sd_ledger *l);

/* A logical write (several records stand or fall together). */
int sd_ledger_write_begin(struct sd_ledger *l);
int sd_ledger_write_end(struct sd_ledger *l, bool ok);
/* Insert one record inside a write: 1 stored, 0 its key was stored
 * already (nothing changed), -1 on a store error. */
int sd_ledger_put(struct sd_ledger *l, const struct sd_usage_rec *r);
/* A charging session's identity (inside a write): created or updated;
 * released_ms 0 = still open. */
int sd_ledger_session(struct sd_ledger *l, const char *ref, const char *nf,
		      const char *subscriber, const char *snssai, const char *dnn,
		      int pdu_session_id, int64_t now_ms, bool released);
/* The S-NSSAI and DNN a session was created with; 0, or -1 when the
 * ledger never saw the session (or it carried none). */
int sd_ledger_session_get(struct sd_ledger *l, const char *ref, char *snssai, size_t sn_sz,
			  char *dnn, size_t dnn_sz);

/* Group commit: fn(arg, 0) once everything written so far is durable, or
 * fn(arg, -1) when the transaction holding it was lost (then nothing of
 * it is stored, and the answer is an error). Called right away when
 * nothing is open. */
void sd_ledger_on_durable(struct sd_ledger *l, sd_store_commit_fn fn, void *arg);
/* Commit now (tests, shutdown); fn may be NULL. */
int sd_ledger_flush(struct sd_ledger *l, sd_store_commit_fn fn, void *arg);

struct sd_ledger_stats {
	uint64_t stored;       /* records stored since open */
	uint64_t duplicates;   /* records whose key was stored already */
	uint64_t conflicts;    /* of those, with other volumes */
	uint64_t held;         /* stored held */
	uint64_t commits;
	int64_t max_commit_us;
};
void sd_ledger_get_stats(const struct sd_ledger *l, struct sd_ledger_stats *st);

/* Totals per factory, slice and period of billable records. */
struct sd_usage_total {
	char factory[64];
	char slice[64];
	char period[8];          /* "2026-11" */
	int64_t ul, dl, total, time_s;
	int64_t records;
};
typedef void (*sd_ledger_total_fn)(void *arg, const struct sd_usage_total *t);
/* factory / period NULL = all; rows ordered by factory, slice, period.
 * 0, or -1 on a store error. */
int sd_ledger_totals(struct sd_ledger *l, const char *factory, const char *period,
		     sd_ledger_total_fn fn, void *arg);

/* Held records, newest first, at most limit. */
struct sd_usage_held {
	char key[320];           /* source:session/rg/seq[/upf] */
	char snssai[20], dnn[64], period[8];
	char reason[128];
	int64_t ul, dl, total, usage_ms;
};
typedef void (*sd_ledger_held_fn)(void *arg, const struct sd_usage_held *h);
int sd_ledger_held(struct sd_ledger *l, int limit, sd_ledger_held_fn fn, void *arg);
/* How many held records, -1 on error. */
int64_t sd_ledger_held_count(struct sd_ledger *l);

/* "2026-11" for a wall-clock instant (UTC). */
void sd_ledger_period_of(int64_t wall_ms, char *buf, size_t bufsz);

#endif
