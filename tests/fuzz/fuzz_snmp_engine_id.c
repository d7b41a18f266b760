/* tests/fuzz/fuzz_snmp_engine_id.c — the SNMPv3 engine ID reader
 * (sd_snmp_engine_id_parse, snmp/snmp_conf.c), which reads
 * snmp.engine_id and snmp.targets.engine_id from the configuration and the
 * engine_id line of STATE_DIR/snmp-engine-id.
 *
 * Aborts when an accepted ID is outside 5..32 octets, or when writing the
 * octets back as hex and reading that again does not give the same octets.
 *
 * Build and run: tests/fuzz/README.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snmp/snmp_conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char out[SD_SNMP_ENGINE_ID_MAX], again[SD_SNMP_ENGINE_ID_MAX];
	char *text = malloc(size + 1), hex[2 + 2 * SD_SNMP_ENGINE_ID_MAX + 1];
	int n, m, i;
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	n = sd_snmp_engine_id_parse(text, out, sizeof out);
	if (n >= 0) {
		if (n < 5 || n > SD_SNMP_ENGINE_ID_MAX)
			abort();
		snprintf(hex, sizeof hex, "0x");
		for (i = 0; i < n; i++)
			snprintf(hex + 2 + 2 * i, sizeof hex - 2 - 2 * (size_t)i, "%02x", out[i]);
		m = sd_snmp_engine_id_parse(hex, again, sizeof again);
		if (m != n || memcmp(out, again, (size_t)n) != 0)
			abort();
	}
	free(text);
	return 0;
}
