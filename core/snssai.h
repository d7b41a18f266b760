/* core/snssai.h — S-NSSAI (TS 23.003 §28.4.2, TS 29.571 Snssai).
 *
 * An S-NSSAI is an SST (0..255; 1 eMBB, 2 URLLC, 3 MIoT, 4 V2X, 5 HMTC,
 * 128..255 operator-specific) and an optional 24-bit SD. The SD value
 * FFFFFF means "no SD" (TS 23.003) and is normalised to has_sd = false.
 *
 * Textual forms accepted by sd_snssai_parse:
 *   "1"          SST only (decimal 0..255)
 *   "1-000001"   SST, dash, 6 hex SD (Open5GS metrics labels, our config)
 *   "1:000001"   the same with a colon
 *   "01000001"   8 hex digits, SST then SD (3GPP / free5GC configs)
 * JSON: {"sst": 1, "sd": "000001"} (sd optional, exactly 6 hex digits).
 */
#ifndef SD_SNSSAI_H
#define SD_SNSSAI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct sd_snssai {
	uint8_t  sst;
	bool     has_sd;
	uint32_t sd;      /* 0..0xfffffe when has_sd */
};

#define SD_SNSSAI_STRLEN 16   /* "255-ffffff" + NUL, with room */

/* Parse any textual form above. On failure returns false and, if why is not
 * NULL, points it at a static message ("SST must be 0-255", ...). */
bool sd_snssai_parse(const char *s, struct sd_snssai *out, const char **why);
/* "1" or "1-000001" (lower-case hex). */
char *sd_snssai_format(const struct sd_snssai *n, char *buf, size_t bufsz);
/* "01000001" / "01" — the 3GPP hex form. */
char *sd_snssai_format_hex(const struct sd_snssai *n, char *buf, size_t bufsz);
/* Exactly 6 hex digits. */
bool sd_sd_parse(const char *s, uint32_t *out);

bool sd_snssai_equal(const struct sd_snssai *a, const struct sd_snssai *b);

/* JSON Snssai; unknown members are ignored, as 3GPP requires. */
bool    sd_snssai_from_json(const json_t *j, struct sd_snssai *out, const char **why);
json_t *sd_snssai_to_json(const struct sd_snssai *n);

#endif
