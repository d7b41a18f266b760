/* tests/fuzz/fuzz_slice_spec.c — a slice as an IPC client describes it
 * (slicing/spec.c: the parameters of slice.check, slice.request,
 * slice.create and slice.modify) on bytes as a client could send them, for
 * an operator and a factory user, then admission control on what parsed.
 * The parameters first pass the op registry's type check, as they do in
 * the engine (sd_op_check_params with the ops' own SD_SPEC_PARAMS).
 *
 * Aborts when:
 *   - a refusal has no error code, or a message that is unterminated or
 *     holds a control character;
 *   - a factory caller's accepted spec is another factory's, names another
 *     factory's site, or carries an S-NSSAI it chose;
 *   - an admission failure text is empty or unterminated, or more
 *     failures are recorded than the cap.
 *
 * Build and run: tests/fuzz/README.md. -DSD_FUZZ_MAIN replays files.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/ops.h"
#include "core/util.h"
#include "slicing/admission.h"
#include "slicing/slicing_conf.h"
#include "slicing/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Two factories, f1 (hybrid) with site s1 (cell c1) and slice sl1, f2
 * (virtual) with site s2 (cell c2). */
static struct sd_model *zone(void)
{
	static struct sd_model *m;
	struct sd_slice s;
	char err[128];
	int site = 0;
	if (m)
		return m;
	m = sd_model_new();
	memcpy(m->plmn.mcc, "460", 4);
	memcpy(m->plmn.mnc, "00", 3);
	m->nfactories = 2;
	m->factories = sd_calloc(2, sizeof *m->factories);
	sd_strlcpy(m->factories[0].id, "f1", SD_ID_MAX);
	m->factories[0].mode = SD_MODE_HYBRID;
	m->factories[0].security_grade = 2;
	m->factories[0].max_ues = 100;
	m->factories[0].ndnns = 1;
	sd_strlcpy(m->factories[0].dnns[0], "f1.mec", 64);
	sd_strlcpy(m->factories[1].id, "f2", SD_ID_MAX);
	m->factories[1].mode = SD_MODE_VIRTUAL;
	m->factories[1].security_grade = 3;
	m->nsites = 2;
	m->sites = sd_calloc(2, sizeof *m->sites);
	sd_strlcpy(m->sites[0].id, "s1", SD_ID_MAX);
	sd_strlcpy(m->sites[1].id, "s2", SD_ID_MAX);
	m->sites[1].factory = 1;
	m->ncells = 2;
	m->cells = sd_calloc(2, sizeof *m->cells);
	sd_strlcpy(m->cells[0].id, "c1", SD_ID_MAX);
	sd_strlcpy(m->cells[1].id, "c2", SD_ID_MAX);
	m->cells[1].site = 1;
	m->cells[0].nci = 1;
	m->cells[1].nci = 2;
	sd_model_reindex(m);
	memset(&s, 0, sizeof s);
	sd_strlcpy(s.id, "sl1", sizeof s.id);
	s.snssai.sst = 1;
	s.snssai.has_sd = true;
	s.snssai.sd = 1;
	s.state = SD_SLICE_ACTIVE;
	s.origin = SD_ORIGIN_RUNTIME;
	s.sla.gbr_ul_kbps = 20000;
	s.sites = &site;
	s.nsites = 1;
	if (sd_model_add_slice(m, &s, err, sizeof err) < 0)
		abort();
	return m;
}

static void check_text(const char *s, size_t cap)
{
	if (!memchr(s, '\0', cap))
		abort();
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			abort();
}

/* slice.check's parameters, as lifecycle.c declares them */
static const struct sd_param check_params[] = {
	SD_SPEC_PARAMS,
	{ "slice", SD_PT_ID, false, "a change to this slice" },
	SD_PARAMS_END
};
static const struct sd_op check_op = { "slice.check", NULL, 0, 0, check_params, NULL };

static void one(json_t *params, const struct sd_ipc_caller *c, bool modify)
{
	struct sd_model *m = zone();
	struct sd_op_call call;
	struct sd_slice_spec sp;
	memset(&call, 0, sizeof call);
	call.caller = c;
	call.op = &check_op;
	call.params = params;
	call.model = m;
	if (!sd_op_check_params(&call)) {
		if (!call.err_code)
			abort();
		check_text(call.err_msg, sizeof call.err_msg);
		return;
	}
	if (!sd_spec_parse(&call, modify, &sp)) {
		if (!call.err_code)
			abort();
		check_text(call.err_msg, sizeof call.err_msg);
		sd_spec_done(&sp);
		return;
	}
	if (c->role == SD_ROLE_FACTORY) {
		int i;
		if (sp.slice.factory != c->factory)
			abort();
		for (i = 0; i < sp.slice.nsites; i++)
			if (m->sites[sp.slice.sites[i]].factory != c->factory)
				abort();
		if (json_object_get(params, "snssai"))
			abort();
	}
	{
		struct sd_adm_result r;
		int i;
		sd_admission_check(m, sd_slicing_conf_get(NULL), &sp.adm, &r);
		if (r.nfail > SD_ADM_MAX_FAIL || r.nfail < 0)
			abort();
		for (i = 0; i < r.nfail; i++) {
			check_text(r.fail[i].text, sizeof r.fail[i].text);
			if (!r.fail[i].text[0])
				abort();
		}
	}
	sd_spec_done(&sp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct sd_ipc_caller op = { .user = "root", .role = SD_ROLE_OPERATOR,
						 .factory = -1 };
	static const struct sd_ipc_caller fac = { .user = "f1-it", .role = SD_ROLE_FACTORY,
						  .factory = 0, .factory_id = "f1" };
	json_error_t e;
	json_t *p = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &e);
	if (!json_is_object(p)) {
		json_decref(p);
		return 0;
	}
	one(p, &op, json_object_get(p, "slice") != NULL);
	one(p, &fac, json_object_get(p, "slice") != NULL);
	json_decref(p);
	return 0;
}

#ifdef SD_FUZZ_MAIN
int main(int argc, char **argv)
{
	static uint8_t buf[1 << 20];
	int i;
	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		size_t n;
		if (!f) {
			perror(argv[i]);
			return 1;
		}
		n = fread(buf, 1, sizeof buf, f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("%d inputs ok\n", argc - 1);
	return 0;
}
#endif
