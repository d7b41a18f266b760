/* plugins/open5gs/promtext.h — a parser of the Prometheus text exposition
 * format (version 0.0.4, what Open5GS's NFs serve at /metrics).
 *
 * The whole format: "# HELP name text" (escapes \\ and \n) and
 * "# TYPE name counter|gauge|histogram|summary|untyped" lines or their
 * absence (a family without TYPE is untyped), any other "#" line a
 * comment, blank lines, and samples
 *
 *     name [{label="value",...[,]}] value [timestamp]
 *
 * with label value escapes \\ \" \n, values in Go's float syntax
 * (decimal, NaN, +Inf, -Inf, Inf), an optional integer timestamp in
 * milliseconds. A histogram's name_bucket/_sum/_count and a summary's
 * name/_sum/_count belong to the family "name".
 *
 * A malformed line refuses the whole text, with its line number:
 * "line 7: label value: unknown escape \q". Nothing is allocated on the
 * heap unless strict checking is asked for; samples are handed to a
 * callback one by one, their strings valid only during the call.
 *
 * Strict mode (PROM_STRICT), for checking an exposition we produce:
 * every family has HELP and TYPE before its samples; a family's samples
 * are contiguous; names follow the conventions (a counter's samples end
 * in _total, a gauge's do not; reserved "__" label names are refused);
 * histogram buckets have le in increasing order ending with +Inf and
 * _count equal to the +Inf bucket; no series appears twice.
 */
#ifndef SDP_PROMTEXT_H
#define SDP_PROMTEXT_H

#include <stddef.h>
#include <stdint.h>

enum prom_type { PROM_UNTYPED, PROM_COUNTER, PROM_GAUGE, PROM_HISTOGRAM, PROM_SUMMARY };

#define PROM_MAX_LABELS 32          /* per sample */
#define PROM_MAX_LINE   65536       /* bytes per line */

#define PROM_STRICT 1

struct prom_label {
	const char *name;
	const char *value;           /* unescaped */
};

struct prom_sample {
	const char *name;            /* as written: "x_bucket" */
	const char *family;          /* "x" */
	enum prom_type type;         /* the family's (PROM_UNTYPED without TYPE) */
	const struct prom_label *labels;
	int nlabels;
	double value;                /* may be NaN or infinite */
	int has_ts;
	int64_t ts_ms;
	int line;                    /* 1-based */
};

/* Return non-zero to stop the parse (prom_parse then returns 1). */
typedef int (*prom_sample_fn)(const struct prom_sample *s, void *arg);

/* Parse text[0..len) (NUL bytes are refused). 0 when every line was
 * good, 1 when the callback stopped it, -1 with "line N: ..." in err. */
int prom_parse(const char *text, size_t len, int flags, prom_sample_fn fn, void *arg,
	       char *err, size_t errsz);

const char *prom_type_name(enum prom_type t);

/* The value of label name in s, or NULL. */
const char *prom_label(const struct prom_sample *s, const char *name);

#endif
