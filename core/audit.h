/* core/audit.h — the audit log: one record per request of a mutating op
 * (who — the SO_PEERCRED user and role —, what op with which parameters,
 * about which factory, the outcome, when), appended to a SQLite database
 * of its own (state_dir/audit.db, synchronous=FULL: a record is on disk
 * before the reply leaves). The engine never updates or deletes a row.
 *
 * The op registry hands every record to sd_audit_record (its audit hook);
 * the `audit` op lists them, a factory caller seeing only the records
 * about its own factory.
 */
#ifndef SD_AUDIT_H
#define SD_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "core/bus.h"
#include "core/ops.h"

struct sd_audit;

/* NULL with err on failure. bus may be NULL (no SD_BUS_AUDIT events). */
struct sd_audit *sd_audit_open(const char *path, struct sd_bus *bus, char *err, size_t errsz);
void sd_audit_close(struct sd_audit *a);

/* The registry's audit hook (sd_ops_set_audit(ops, sd_audit_record, a)). A
 * write failure is logged (the request's outcome stands). */
void sd_audit_record(void *audit, const struct sd_op_audit *rec);

/* The `audit` op: [since (ms since the epoch), factory, limit]. */
int sd_audit_register_ops(struct sd_audit *a, struct sd_ops *ops);
void sd_audit_unregister_ops(struct sd_ops *ops);

/* Records written since open, and the last sequence number. */
int64_t sd_audit_last_seq(const struct sd_audit *a);

#endif
