/* sim/fault.c — see fault.h. */
#include "sim/fault.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"

static const char *const kind_names[SD_FAULT_KIND_COUNT] = {
	[SD_FAULT_NF_DOWN] = "nf-down",
	[SD_FAULT_DELAY] = "delay",
	[SD_FAULT_ERROR] = "error",
	[SD_FAULT_MALFORMED] = "malformed",
	[SD_FAULT_TRUNCATED] = "truncated",
	[SD_FAULT_DROP_CONN] = "drop-conn",
	[SD_FAULT_RST_STREAM] = "rst-stream",
	[SD_FAULT_GOAWAY] = "goaway",
	[SD_FAULT_NOTIFY_FLOOD] = "notify-flood",
	[SD_FAULT_SLICE_LATENCY] = "slice-latency",
	[SD_FAULT_SLICE_DOWN] = "slice-down",
	[SD_FAULT_CELL_DOWN] = "cell-down",
	[SD_FAULT_SLICE_LOSS] = "slice-loss",
	[SD_FAULT_UE_SURGE] = "ue-surge",
	[SD_FAULT_SESSION_STORM] = "session-storm",
	[SD_FAULT_PAD] = "pad",
};

const char *sd_sim_fault_kind_name(enum sd_sim_fault_kind k)
{
	return (unsigned)k < SD_FAULT_KIND_COUNT ? kind_names[k] : "?";
}

static bool parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;
	if (!*s)
		return false;
	v = strtod(s, &end);
	if (*end || !(v >= lo && v <= hi))
		return false;
	*out = v;
	return true;
}

/* One key=value of a spec; returns false with err filled. */
static bool apply_kv(struct sd_sim_fault *f, const char *key, const char *val,
		     char *err, size_t errsz)
{
	long long ll;
	double d;

	if (strcmp(key, "nf") == 0) {
		if (strlen(val) >= sizeof f->nf || !sd_id_valid(val))
			goto bad;
		sd_strlcpy(f->nf, val, sizeof f->nf);
	} else if (strcmp(key, "path") == 0) {
		if (val[0] != '/' || strlen(val) >= sizeof f->path)
			goto bad;
		sd_strlcpy(f->path, val, sizeof f->path);
		/* a trailing "*" (path=/nnwdaf-analyticsinfo*) means the bare prefix */
		if (f->path[strlen(f->path) - 1] == '*')
			f->path[strlen(f->path) - 1] = '\0';
	} else if (strcmp(key, "slice") == 0) {
		if (!sd_id_valid(val))
			goto bad;
		sd_strlcpy(f->slice, val, sizeof f->slice);
	} else if (strcmp(key, "cell") == 0) {
		if (!sd_id_valid(val) || strlen(val) >= sizeof f->cell)
			goto bad;
		sd_strlcpy(f->cell, val, sizeof f->cell);
	} else if (strcmp(key, "prob") == 0) {
		if (!parse_double(val, 0.0, 1.0, &f->prob))
			goto bad;
	} else if (strcmp(key, "dur") == 0) {
		if (!sd_parse_ll(val, 1, 7 * 86400, &ll))
			goto bad;
		f->dur_ms = ll * 1000;
	} else if (strcmp(key, "ms") == 0) {
		if (!sd_parse_ll(val, 0, 600000, &ll))
			goto bad;
		f->delay_ms = ll;
	} else if (strcmp(key, "status") == 0) {
		if (!sd_parse_ll(val, 400, 599, &ll))
			goto bad;
		f->status = (int)ll;
	} else if (strcmp(key, "mode") == 0) {
		if (strcmp(val, "503") == 0)
			f->mode = SD_DOWN_503;
		else if (strcmp(val, "drop") == 0)
			f->mode = SD_DOWN_DROP;
		else if (strcmp(val, "rst") == 0)
			f->mode = SD_DOWN_RST;
		else if (strcmp(val, "hang") == 0)
			f->mode = SD_DOWN_HANG;
		else
			goto bad;
	} else if (strcmp(key, "factor") == 0) {
		if (!parse_double(val, 0.01, 1000.0, &d))
			goto bad;
		f->factor = d;
	} else if (strcmp(key, "add") == 0) {
		if (!parse_double(val, 0.0, 600000.0, &d))
			goto bad;
		f->add_ms = d;
	} else if (strcmp(key, "rate") == 0) {
		if (!sd_parse_ll(val, 1, 1000, &ll))
			goto bad;
		f->rate = (int)ll;
	} else if (strcmp(key, "pct") == 0) {
		if (!parse_double(val, 0.0, 100.0, &d))
			goto bad;
		f->pct = d;
	} else if (strcmp(key, "sessions") == 0) {
		if (!sd_parse_ll(val, 1, 100000, &ll))
			goto bad;
		f->sessions = (int)ll;
	} else if (strcmp(key, "bytes") == 0) {
		if (!sd_parse_ll(val, 1, 16 << 20, &ll))
			goto bad;
		f->pad_bytes = ll;
	} else {
		char shown[64];
		sd_sanitize(shown, sizeof shown, key, strlen(key));
		snprintf(err, errsz, "unknown key \"%s\" (nf, path, slice, cell, prob, dur, ms, "
			 "status, mode, factor, add, rate, pct, sessions, bytes)", shown);
		return false;
	}
	return true;
bad:
	{
		char sk[64], sv[72];
		sd_sanitize(sk, sizeof sk, key, strlen(key));
		sd_sanitize(sv, sizeof sv, val, strlen(val));
		snprintf(err, errsz, "bad value for %s: \"%s\"", sk, sv);
	}
	return false;
}

int sd_sim_fault_parse(const char *spec, struct sd_sim_fault *f, char *err, size_t errsz)
{
	char buf[256], *kv, *save = NULL, *colon;
	int k;

	*f = (struct sd_sim_fault){ .prob = 1.0, .status = 500, .factor = 3.0, .rate = 20,
				    .delay_ms = 2000, .mode = SD_DOWN_503, .pct = 5.0,
				    .sessions = 200, .pad_bytes = 65536 };
	if (sd_strlcpy(buf, spec, sizeof buf) >= sizeof buf) {
		snprintf(err, errsz, "fault spec longer than %zu characters", sizeof buf - 1);
		return -1;
	}
	sd_strlcpy(f->spec, spec, sizeof f->spec);
	colon = strchr(buf, ':');
	if (colon)
		*colon = '\0';
	for (k = 0; k < SD_FAULT_KIND_COUNT; k++)
		if (strcmp(buf, kind_names[k]) == 0)
			break;
	if (k == SD_FAULT_KIND_COUNT) {
		char shown[64];
		sd_sanitize(shown, sizeof shown, buf, strlen(buf));
		snprintf(err, errsz, "unknown fault kind \"%s\" (nf-down, delay, error, malformed, "
			 "truncated, drop-conn, rst-stream, goaway, notify-flood, slice-latency, "
			 "slice-down, cell-down, slice-loss, ue-surge, session-storm, pad)", shown);
		return -1;
	}
	f->kind = (enum sd_sim_fault_kind)k;
	for (kv = colon ? strtok_r(colon + 1, ",", &save) : NULL; kv; kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '=');
		if (!eq || eq == kv) {
			char shown[64];
			sd_sanitize(shown, sizeof shown, kv, strlen(kv));
			snprintf(err, errsz, "expected key=value, got \"%s\"", shown);
			return -1;
		}
		*eq = '\0';
		if (!apply_kv(f, kv, eq + 1, err, errsz))
			return -1;
	}
	if (f->kind == SD_FAULT_CELL_DOWN && !f->cell[0]) {
		snprintf(err, errsz, "cell-down needs cell=ID");
		return -1;
	}
	return 0;
}

void sd_sim_faults_init(struct sd_sim_faults *fs)
{
	memset(fs, 0, sizeof *fs);
	fs->next_id = 1;
}

int sd_sim_faults_add(struct sd_sim_faults *fs, const struct sd_sim_fault *f, int64_t now_ms)
{
	struct sd_sim_fault *d;
	if (fs->n >= SD_SIM_MAX_FAULTS)
		return -1;
	d = &fs->f[fs->n++];
	*d = *f;
	d->id = fs->next_id++;
	d->until_ms = f->dur_ms ? now_ms + f->dur_ms : 0;
	return d->id;
}

int sd_sim_faults_clear(struct sd_sim_faults *fs, int id)
{
	int i, gone = 0;
	for (i = 0; i < fs->n;) {
		if (id == 0 || fs->f[i].id == id) {
			memmove(&fs->f[i], &fs->f[i + 1], (size_t)(fs->n - i - 1) * sizeof fs->f[0]);
			fs->n--;
			gone++;
		} else {
			i++;
		}
	}
	return gone;
}

int sd_sim_faults_expire(struct sd_sim_faults *fs, int64_t now_ms)
{
	int i, gone = 0;
	for (i = 0; i < fs->n;) {
		if (fs->f[i].until_ms && fs->f[i].until_ms <= now_ms) {
			memmove(&fs->f[i], &fs->f[i + 1], (size_t)(fs->n - i - 1) * sizeof fs->f[0]);
			fs->n--;
			gone++;
		} else {
			i++;
		}
	}
	return gone;
}

json_t *sd_sim_faults_json(const struct sd_sim_faults *fs, int64_t now_ms)
{
	json_t *a = json_array();
	int i;
	for (i = 0; i < fs->n; i++) {
		const struct sd_sim_fault *f = &fs->f[i];
		json_t *o = json_pack("{s:i, s:s, s:s}", "id", f->id,
				      "kind", sd_sim_fault_kind_name(f->kind), "spec", f->spec);
		if (f->until_ms)
			json_object_set_new(o, "remaining_s",
					    json_integer((f->until_ms - now_ms + 999) / 1000));
		json_array_append_new(a, o);
	}
	return a;
}

bool sd_sim_fault_nf_match(const struct sd_sim_fault *f, const char *type, const char *name)
{
	if (!f->nf[0])
		return true;
	return (type && strcasecmp(f->nf, type) == 0) || (name && strcmp(f->nf, name) == 0);
}

bool sd_sim_fault_path_match(const struct sd_sim_fault *f, const char *path)
{
	size_t n = strlen(f->path);
	if (!n)
		return true;
	if (f->path[n - 1] == '$')   /* path=/a/b$: that path only */
		return path && strlen(path) == n - 1 && strncmp(path, f->path, n - 1) == 0;
	return path && strncmp(path, f->path, n) == 0;
}

bool sd_sim_fault_slice_match(const struct sd_sim_fault *f, const char *slice_id)
{
	if (!f->slice[0])
		return true;
	return slice_id && strcmp(f->slice, slice_id) == 0;
}
