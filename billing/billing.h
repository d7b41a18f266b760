/* billing/billing.h — the billing module as the engine starts it: the
 * usage ledger (state_dir/ledger.db, see ledger.h), the CHF endpoint on the
 * engine's SBI server when there is one (chf.h), and the IPC ops over the
 * ledger:
 *
 *   usage         [factory, period]  totals per factory, slice and period;
 *                 a factory caller sees its own factory only
 *   usage.held    the records held for review (no slice in service matched
 *                 them), newest first; operators and viewers
 *   usage.upload  {upload, file, part, text, last}  a usage CSV in parts
 *                 (IPC lines are 64 KiB); the last part checks it whole
 *                 (usage_csv.h) and returns every problem; operators
 *   usage.import  {upload}  stores a checked upload, all or nothing, keyed
 *                 by the file's SHA-256 and line; answered after the
 *                 commit; audited; operators
 */
#ifndef SD_BILLING_H
#define SD_BILLING_H

#include <stddef.h>

#include "core/host.h"

struct sd_billing;

/* NULL with err when the ledger cannot be opened or the ops registered. */
struct sd_billing *sd_billing_new(const struct sd_host *host, char *err, size_t errsz);
/* Answers what waits for a commit, unregisters, closes the ledger. */
void sd_billing_free(struct sd_billing *b);

#endif
