/* plugins/syslog/rfc5424.h — RFC 5424 messages and RFC 6587 octet-counting
 * framing, as the syslog plugin sends them. Pure functions (unit tested).
 */
#ifndef SDP_RFC5424_H
#define SDP_RFC5424_H

#include <stddef.h>
#include <stdint.h>

/* our structured-data IDs carry the private enterprise number 32473,
 * which RFC 5612 reserves for documentation: an operator with a number
 * of their own sets sd_id_suffix ("alarm@NNNN") */
#define RFC5424_PEN_DEFAULT "32473"

struct rfc5424_param {
	const char *name;            /* 1..32 printable US-ASCII, no '=', ' ', ']', '"' */
	const char *value;           /* UTF-8; '"', '\\' and ']' are escaped */
};

struct rfc5424_msg {
	int facility;                /* 0..23 */
	int severity;                /* 0..7 */
	int64_t time_ms;             /* Unix ms, written in UTC with milliseconds */
	const char *hostname;        /* "" or NULL: "-" */
	const char *app_name;
	const char *procid;
	const char *msgid;
	const char *sd_id;           /* "alarm@32473"; NULL: no structured data ("-") */
	const struct rfc5424_param *params;
	int nparams;
	const char *msg;             /* free text, NULL: none */
};

/* Format m into buf (NUL-terminated). Returns the length, or -1 when it
 * does not fit or a field is invalid (header fields are clipped to their
 * RFC lengths and unprintable characters replaced by '?'). */
int rfc5424_format(const struct rfc5424_msg *m, char *buf, size_t bufsz);

/* RFC 6587 octet counting: "LEN SP MSG". Returns the framed length or -1. */
int rfc6587_frame(const char *msg, size_t len, char *buf, size_t bufsz);

#endif
