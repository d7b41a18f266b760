/* billing/usage_csv.h — the usage CSV of `slicedeck usage import FILE`:
 * backfill and corrections as usage records, checked whole before anything
 * is stored.
 *
 * The first line names the columns, in any order:
 *   time         required  RFC 3339 instant of the usage (its period)
 *   slice        required  slice id
 *   ul_bytes     required  uplink octets, integer >= 0
 *   dl_bytes     required  downlink octets, integer >= 0
 *   total_bytes  optional  must be ul_bytes + dl_bytes when given
 *   seconds      optional  seconds of usage, integer >= 0 (default 0)
 *   rating_group optional  0..4294967295 (default 0)
 *   note         optional  free text, kept out of the ledger
 * Fields are separated by commas; a field may be double-quoted ("" for a
 * quote inside), which a note with commas needs. Blank lines are skipped,
 * CRLF is taken, a UTF-8 byte order mark at the start is ignored.
 *
 * Every problem is reported as "FILE:LINE: field: problem" (at most
 * SD_USAGE_CSV_MAX_ERRORS, then one line saying how many more), and a file
 * with any problem yields no rows. Each row's key in the ledger is the
 * file's SHA-256 and the line number, so importing the same file twice
 * stores it once.
 *
 * Pure: no store, no model (the caller says which slices exist). Fuzzed
 * by tests/fuzz/fuzz_usage_csv.c.
 */
#ifndef SD_USAGE_CSV_H
#define SD_USAGE_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SD_USAGE_CSV_MAX_ROWS   200000
#define SD_USAGE_CSV_MAX_BYTES  (32 * 1024 * 1024)
#define SD_USAGE_CSV_MAX_ERRORS 50

struct sd_usage_row {
	int line;                /* 1-based line in the file */
	int64_t time_ms;
	char slice[64];
	uint32_t rating_group;
	int64_t ul, dl, total, seconds;
};

struct sd_usage_csv {
	struct sd_usage_row *rows;   /* heap; NULL when none */
	size_t nrows;
	char digest[65];             /* SHA-256 of the bytes, lower-case hex */
	char **errors;               /* heap strings, at most MAX_ERRORS + 1 (the
				      * last then says more were not shown) */
	size_t nerrors;              /* in errors[] */
	size_t problems;             /* found, shown or not */
};

/* Whether a slice id names a slice (the caller's model); NULL = any. */
typedef bool (*sd_usage_slice_fn)(void *arg, const char *slice);

/* Parse len bytes of text, naming the file name in messages; each row's
 * slice is asked of known (an unknown one is a problem of its line). 0 with
 * rows (possibly none: a header alone), or -1 with errors and no rows. Free
 * with sd_usage_csv_done either way. */
int sd_usage_csv_parse(const char *name, const char *text, size_t len,
		       sd_usage_slice_fn known, void *known_arg, struct sd_usage_csv *out);
void sd_usage_csv_done(struct sd_usage_csv *c);
/* Add an error in the same shape ("FILE:LINE: field: problem"), honouring
 * the cap; for the caller's own checks (an unknown slice). */
void sd_usage_csv_error(struct sd_usage_csv *c, const char *name, int line, const char *field,
			const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
