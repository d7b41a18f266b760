/* core/config_file.c — the configuration's files: reading them, confining
 * @include to the main file's directory, the integer-literal pre-scan that
 * undoes libconfig 1.5's silent 32-bit truncation, and the checks on each
 * file's permissions (secrets, world-writable). See config.c for the order
 * of the passes.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/config_impl.h"
#include "core/log.h"
#include "core/util.h"

/* libconfig numbers lines in config_setting_t.line: 16 bits in old
 * releases, 32 in Debian 12's 1.5. Past its range every line number (and
 * the literal matching, which goes by line) would be wrong. */
#define MAX_LINES (sizeof(((config_setting_t *)0)->line) >= 4 ? 0x7fffffffUL : 65535UL)


/* The whole file, NUL-terminated; the buffer is sized from fstat (a file
 * that grows while we read is cut at the size seen, and libconfig reads
 * it again anyway). */
static char *read_file(const char *path, size_t *len, int *err)
{
	FILE *f = fopen(path, "r");
	struct stat st;
	char *buf;
	size_t n, want;

	if (!f) {
		*err = errno;
		return NULL;
	}
	if (fstat(fileno(f), &st) < 0) {
		*err = errno;
		fclose(f);
		return NULL;
	}
	if (st.st_size > SD_CFG_MAX_FILE_BYTES) {
		*err = EFBIG;
		fclose(f);
		return NULL;
	}
	want = (size_t)st.st_size;
	buf = sd_malloc(want + 1);
	n = fread(buf, 1, want, f);
	*err = ferror(f) ? EIO : 0;
	fclose(f);
	if (*err) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void add_lit(struct sd_cfg_file *f, int line, const char *s, size_t n)
{
	struct sd_cfg_lit *l;
	char tmp[64];
	bool l64 = false, hex;
	long long v;
	char *end;

	if (f->nlits == f->litcap) {
		f->litcap = f->litcap ? f->litcap * 2 : 64;
		f->lits = sd_reallocarray(f->lits, (size_t)f->litcap, sizeof *f->lits);
	}
	l = &f->lits[f->nlits++];
	l->line = line;
	/* s points into the whole file: copy n bytes, never measure s (a
	 * strlcpy here made the pre-scan quadratic in the file size) */
	{
		size_t k = n < sizeof l->text - 1 ? n : sizeof l->text - 1;
		memcpy(l->text, s, k);
		l->text[k] = '\0';
	}
	if (n >= sizeof tmp) {
		l->overflow = true;
		return;
	}
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	while (n > 0 && (tmp[n - 1] == 'L' || tmp[n - 1] == 'l')) {
		tmp[--n] = '\0';
		l64 = true;
	}
	hex = strchr(tmp, 'x') || strchr(tmp, 'X');
	errno = 0;
	if (hex) {
		unsigned long long u = strtoull(tmp, &end, 16);
		l->overflow = errno == ERANGE || (l64 ? u > (unsigned long long)INT64_MAX : u > INT32_MAX);
		return;
	}
	v = strtoll(tmp, &end, 10);
	l->overflow = errno == ERANGE || (!l64 && (v > INT32_MAX || v < INT32_MIN));
}


/* Confine one @include to the config directory and scan it. */
static void scan_include(struct sd_config_ctx *x, int fi, int line, const char *name, int depth,
			 int *stack, int nstack)
{
	char *full, *real;
	const char *p;
	struct stat st;
	int i;

	if (!*name) {
		sd_cfg_add_err(x, fi, line, "@include: empty file name");
		return;
	}
	if (name[0] == '/') {
		sd_cfg_add_err(x, fi, line, "@include \"%s\": absolute paths are not allowed; "
			"includes are confined to the configuration's directory %s", name, x->dir);
		return;
	}
	for (p = name; *p; ) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			sd_cfg_add_err(x, fi, line, "@include \"%s\": \"..\" is not allowed; includes are "
				"confined to the configuration's directory %s", name, x->dir);
			return;
		}
		p += n;
		while (*p == '/')
			p++;
	}
	if (strcmp(x->dir, ".") == 0)
		full = sd_strdup(name);
	else if (strcmp(x->dir, "/") == 0)
		full = sd_printf("/%s", name);
	else
		full = sd_printf("%s/%s", x->dir, name);
	real = realpath(full, NULL);
	if (!real) {
		sd_cfg_add_err(x, fi, line, "@include \"%s\": cannot open %s: %s", name, full, strerror(errno));
		free(full);
		return;
	}
	if (strncmp(real, x->realdir, strlen(x->realdir)) != 0 ||
	    (real[strlen(x->realdir)] != '/' && strcmp(x->realdir, "/") != 0)) {
		sd_cfg_add_err(x, fi, line, "@include \"%s\": resolves to %s, outside the configuration's "
			"directory %s (symbolic link?); includes are confined to it", name, real, x->dir);
		goto out;
	}
	if (stat(real, &st) < 0 || !S_ISREG(st.st_mode)) {
		sd_cfg_add_err(x, fi, line, "@include \"%s\": not a regular file", name);
		goto out;
	}
	for (i = 0; i < nstack; i++) {
		if (strcmp(x->files[stack[i]].real, real) == 0) {
			sd_cfg_add_err(x, fi, line, "@include \"%s\": includes itself (cycle through %s)",
				name, x->files[stack[i]].display);
			goto out;
		}
	}
	if (depth >= SD_CFG_MAX_INCLUDE_DEPTH) {
		sd_cfg_add_err(x, fi, line, "@include \"%s\": includes nested more than %d deep",
			name, SD_CFG_MAX_INCLUDE_DEPTH);
		goto out;
	}
	for (i = 0; i < x->nfiles; i++)
		if (strcmp(x->files[i].name, name) == 0)
			goto out;            /* included twice: scanned already */
	if (x->nfiles == SD_CFG_MAX_FILES) {
		sd_cfg_add_err(x, fi, line, "@include \"%s\": more than %d files", name, SD_CFG_MAX_FILES - 1);
		goto out;
	}
	i = x->nfiles++;
	x->files[i].name = sd_strdup(name);
	x->files[i].display = full;
	x->files[i].real = real;
	sd_cfg_prescan(x, i, depth + 1, stack, nstack);
	return;
out:
	free(full);
	free(real);
}

/* Lex one file the way libconfig 1.5's scanner does, as far as comments,
 * strings, names, numbers and line-initial @include go. Returns -1 when
 * the file cannot be read (reported). */
int sd_cfg_prescan(struct sd_config_ctx *x, int fi, int depth, int *stack, int nstack)
{
	struct sd_cfg_file *f = &x->files[fi];
	size_t len, i = 0;
	int err, line = 1, stk[SD_CFG_MAX_INCLUDE_DEPTH + 2];
	bool bol = true;
	char *buf = read_file(f->display, &len, &err);

	if (!buf) {
		if (err == EFBIG)
			sd_cfg_add_err(x, fi, 0, "larger than %d bytes; not a configuration file?",
				SD_CFG_MAX_FILE_BYTES);
		else
			sd_cfg_add_err(x, fi, 0, "cannot read: %s", strerror(err));
		return -1;
	}
	if (nstack > 0)
		memcpy(stk, stack, sizeof *stack * (size_t)nstack);
	stk[nstack++] = fi;
	while (i < len) {
		char ch = buf[i];
		if (ch == '\n') {
			line++;
			bol = true;
			i++;
			continue;
		}
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f') {
			i++;
			continue;
		}
		if (bol && ch == '@' && strncmp(buf + i, "@include", 8) == 0 &&
		    (buf[i + 8] == ' ' || buf[i + 8] == '\t')) {
			size_t j = i + 8, k;
			while (buf[j] == ' ' || buf[j] == '\t')
				j++;
			if (buf[j] == '"') {
				/* libconfig's lexer lets the quoted name run over
				 * line ends and NUL bytes: read it the same way, and
				 * refuse any name that is not plain text, so that
				 * libconfig never opens a name we did not confine
				 * (a name starting with NUL would be the directory,
				 * on which flex calls exit) */
				char name[PATH_MAX];
				size_t n = 0;
				bool odd = false;
				int start = line;
				for (k = j + 1; k < len && buf[k] != '"'; k++) {
					if ((unsigned char)buf[k] < ' ' || buf[k] == 0x7f || buf[k] == '\\')
						odd = true;
					if (buf[k] == '\n')
						line++;
					if (n + 1 < sizeof name)
						name[n++] = buf[k];
				}
				name[n] = '\0';
				if (k >= len)
					sd_cfg_add_err(x, fi, start, "@include: the file name has no "
						       "closing quote");
				else if (odd)
					sd_cfg_add_err(x, fi, start, "@include: the file name holds a line "
						       "break, a control character or a backslash");
				else
					scan_include(x, fi, line, name, depth, stk, nstack);
				i = k < len ? k + 1 : k;
				bol = false;
				continue;
			}
		}
		bol = false;
		if (ch == '#' || (ch == '/' && buf[i + 1] == '/')) {
			while (i < len && buf[i] != '\n')
				i++;
		} else if (ch == '/' && buf[i + 1] == '*') {
			i += 2;
			while (i < len && !(buf[i] == '*' && buf[i + 1] == '/')) {
				if (buf[i] == '\n')
					line++;
				i++;
			}
			i = i < len ? i + 2 : len;
		} else if (ch == '"') {
			i++;
			while (i < len && buf[i] != '"') {
				if (buf[i] == '\\' && i + 1 < len)
					i++;
				if (buf[i] == '\n')
					line++;
				i++;
			}
			i++;
		} else if (isalpha((unsigned char)ch) || ch == '*') {
			while (i < len && (isalnum((unsigned char)buf[i]) || buf[i] == '-' ||
					   buf[i] == '_' || buf[i] == '*'))
				i++;
		} else if (isdigit((unsigned char)ch) ||
			   ((ch == '-' || ch == '+' || ch == '.') &&
			    (isdigit((unsigned char)buf[i + 1]) || buf[i + 1] == '.'))) {
			size_t s = i;
			bool isfloat = false;
			if (ch == '-' || ch == '+')
				i++;
			if (buf[i] == '0' && (buf[i + 1] == 'x' || buf[i + 1] == 'X')) {
				i += 2;
				while (isxdigit((unsigned char)buf[i]))
					i++;
			} else {
				while (isdigit((unsigned char)buf[i]))
					i++;
				if (buf[i] == '.') {
					isfloat = true;
					i++;
					while (isdigit((unsigned char)buf[i]))
						i++;
				}
				if ((buf[i] == 'e' || buf[i] == 'E') &&
				    (isdigit((unsigned char)buf[i + 1]) ||
				     ((buf[i + 1] == '-' || buf[i + 1] == '+') &&
				      isdigit((unsigned char)buf[i + 2])))) {
					isfloat = true;
					i += 2;
					while (isdigit((unsigned char)buf[i]))
						i++;
				}
			}
			if (!isfloat) {
				while (buf[i] == 'L')
					i++;
				add_lit(f, line, buf + s, i - s);
			}
		} else {
			i++;
		}
	}
	if ((unsigned long)line > MAX_LINES)
		sd_cfg_add_err(x, fi, 0, "more than %lu lines; libconfig cannot number them",
			       (unsigned long)MAX_LINES);
	free(buf);
	return 0;
}

/* Match recorded literals to integer settings (both in document order per
 * file) and mark the ones libconfig truncated. */
void sd_cfg_mark_overflows(struct sd_config_ctx *x, config_setting_t *s)
{
	int t = config_setting_type(s), i, n;

	if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64) {
		struct sd_cfg_file *f = &x->files[sd_cfg_file_of(x, s)];
		if (f->broken)
			return;
		if (f->cursor < f->nlits &&
		    f->lits[f->cursor].line == (int)config_setting_source_line(s)) {
			if (f->lits[f->cursor].overflow)
				config_setting_set_hook(s, &f->lits[f->cursor]);
			f->cursor++;
		} else {
			/* our lexer and libconfig's disagree: stop marking this file */
			sd_debug("%s:%u: integer literal matching lost; overflow checks off for "
				 "this file", f->display, config_setting_source_line(s));
			f->broken = true;
		}
		return;
	}
	if (!config_setting_is_aggregate(s))
		return;
	n = config_setting_length(s);
	for (i = 0; i < n; i++)
		sd_cfg_mark_overflows(x, config_setting_get_elem(s, i));
}

/* Every setting must come from a file the prescan approved. */
void sd_cfg_check_sources(struct sd_config_ctx *x, config_setting_t *s, bool *bad)
{
	const char *f = config_setting_source_file(s);
	int i, n;

	if (*bad)
		return;
	if (f) {
		for (i = 0; i < x->nfiles; i++)
			if (strcmp(x->files[i].name, f) == 0)
				break;
		if (i == x->nfiles) {
			sd_cfg_add_err(x, 0, 0, "a setting came from %s, which the include check did not see; "
				"refusing the configuration", f);
			*bad = true;
			return;
		}
	}
	if (!config_setting_is_aggregate(s))
		return;
	n = config_setting_length(s);
	for (i = 0; i < n; i++)
		sd_cfg_check_sources(x, config_setting_get_elem(s, i), bad);
}

/* ------------------------------------------------------------------ */
/* Whole-file checks                                                   */

void sd_cfg_check_permissions(struct sd_config_ctx *x)
{
	int i;
	for (i = 0; i < x->nfiles; i++) {
		struct sd_cfg_file *f = &x->files[i];
		struct stat st;
		if (stat(f->display, &st) < 0)
			continue;
		if (f->secret && (st.st_mode & 007)) {
			sd_cfg_add_err(x, i, 0, "holds secrets (%s) but is %s by others (mode %04o); "
				"chmod 0640 or 0600", f->secret,
				(st.st_mode & S_IROTH) ? "readable" :
				(st.st_mode & S_IWOTH) ? "writable" : "accessible",
				(unsigned)(st.st_mode & 07777));
		} else if (f->secret && st.st_uid != 0 && st.st_uid != geteuid()) {
			/* its owner can chmod and rewrite it, and so make
			 * themselves operator or read the secrets */
			sd_cfg_add_err(x, i, 0, "holds secrets (%s) but belongs to uid %u, neither "
				"root nor the user reading it (uid %u); chown it", f->secret,
				(unsigned)st.st_uid, (unsigned)geteuid());
		} else if (st.st_mode & S_IWOTH) {
			sd_cfg_add_err(x, i, 0, "is writable by others (mode %04o): anyone could change "
				"the access rules; chmod o-w", (unsigned)(st.st_mode & 07777));
		}
	}
}

