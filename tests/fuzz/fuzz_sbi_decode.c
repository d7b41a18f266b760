/* tests/fuzz/fuzz_sbi_decode.c — one libFuzzer entry feeding the same
 * bytes to every SBI decoder in monitor/sbi_decode.h. A decoder may accept
 * or reject the input; it must never crash, leak, read out of bounds, or
 * leave an unterminated or unsanitised error/note string.
 *
 * Build: see tests/fuzz/README.md. With -DSD_FUZZ_MAIN the file also builds
 * without libFuzzer: each argument is a file run once through every decoder
 * (to replay a corpus or a crash under valgrind).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "monitor/sbi_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Error and notes: terminated, and no control characters survive. */
static void check_diag(const struct sd_decode_diag *d)
{
	unsigned i;
	const char *s;

	if (memchr(d->error, '\0', sizeof d->error) == NULL)
		abort();
	for (s = d->error; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			abort();
	if (d->nnotes > SD_DECODE_MAX_NOTES)
		abort();
	for (i = 0; i < d->nnotes; i++)
		for (s = d->notes[i]; *s; s++)
			if ((unsigned char)*s < 0x20 || *s == 0x7f)
				abort();
}

static void check_text(const char *s, size_t n)
{
	if (memchr(s, '\0', n) == NULL)
		abort();
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *b = (const char *)data;
	struct sd_decode_diag d;
	int i;

	{
		struct sd_nrf_urilist o;
		sd_decode_nrf_urilist(b, size, &o, &d);
		for (i = 0; i < o.nids; i++)
			if (!sd_is_uuid(o.ids[i]))
				abort();
		sd_nrf_urilist_done(&o);
		check_diag(&d);
	}
	{
		struct sd_nf_profile o;
		if (sd_decode_nf_profile(b, size, &o, &d) == 0) {
			check_text(o.nf.name, sizeof o.nf.name);
			check_text(o.nf.type, sizeof o.nf.type);
			if (o.nf.nsnssais > SD_MAX_NF_SNSSAI ||
			    o.nservices > SD_NF_MAX_SERVICES)
				abort();
		}
		sd_nf_profile_done(&o);
		check_diag(&d);
	}
	{
		struct sd_nrf_search o;
		sd_decode_nrf_search(b, size, &o, &d);
		sd_nrf_search_done(&o);
		check_diag(&d);
	}
	{
		struct sd_nrf_notification o;
		sd_decode_nrf_notification(b, size, &o, &d);
		sd_nrf_notification_done(&o);
		check_diag(&d);
	}
	{
		struct sd_nssf_slice_info o;
		sd_decode_nssf_slice_info(b, size, &o, &d);
		check_diag(&d);
	}
	{
		struct sd_nssai_avail o;
		sd_decode_nssai_avail_info(b, size, &o, &d);
		sd_nssai_avail_done(&o);
		sd_decode_nssf_event_notification(b, size, &o, &d);
		sd_nssai_avail_done(&o);
		check_diag(&d);
	}
	{
		struct sd_nwdaf_analytics o;
		sd_decode_nwdaf_analytics(b, size, &o, &d);
		sd_nwdaf_analytics_done(&o);
		check_diag(&d);
	}
	{
		struct sd_nwdaf_notification o;
		sd_decode_nwdaf_notification(b, size, &o, &d);
		sd_nwdaf_notification_done(&o);
		check_diag(&d);
	}
	{
		struct sd_amf_notification o;
		sd_decode_amf_notification(b, size, &o, &d);
		sd_amf_notification_done(&o);
		check_diag(&d);
	}
	{
		struct sd_smf_notification o;
		sd_decode_smf_notification(b, size, &o, &d);
		sd_smf_notification_done(&o);
		check_diag(&d);
	}
	return 0;
}

#ifdef SD_FUZZ_MAIN
int main(int argc, char **argv)
{
	int i;
	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		static char buf[SD_DECODE_MAX_BODY + 1];
		size_t n;
		if (!f) {
			perror(argv[i]);
			return 1;
		}
		n = fread(buf, 1, sizeof buf, f);
		fclose(f);
		LLVMFuzzerTestOneInput((const uint8_t *)buf, n);
	}
	printf("%d inputs ok\n", argc - 1);
	return 0;
}
#endif
