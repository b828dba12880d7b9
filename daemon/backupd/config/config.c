/* SPDX-License-Identifier: ISC */
/* Loading backupd.conf: the main file, then drop-ins in strcmp order, line by line into a
 * temporary that replaces the caller's config only when every line was good. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "config_keys.h"
#include "config_open.h"
#include "utf8.h"

#define LINE_BYTES_MAX  4096
#define DEVICES_MAX     4096
#define SHOWN_TEXT_MAX  80 /* longer values are cut in error messages */
#define UDID_LEGACY_HEX 40
#define UDID_PREFIX_HEX 8
#define UDID_SUFFIX_HEX 16

void config_free(struct backupd_config *config)
{
	free(config->devices);
	config->devices = NULL;
	config->n_devices = 0;
	slot_config_free(&config->port_names);
}

/* UDIDs are compared without case: usbmuxd reports them in one case, admins type another. */
static struct device_override *find_device(const struct backupd_config *config, const char *udid)
{
	for (int i = 0; i < config->n_devices; i++)
		if (strcasecmp(config->devices[i].udid, udid) == 0)
			return &config->devices[i];
	return NULL;
}

struct rule_limits config_limits_for(const struct backupd_config *config, const char *udid)
{
	struct rule_limits limits = config->limits;
	const struct device_override *device = udid ? find_device(config, udid) : NULL;

	for (int p = 0; device != NULL && p < PRECOND_COUNT; p++)
		for (int k = 0; k < PRECOND_KEYS_MAX; k++)
			if (device->set[p][k])
				limits.value[p][k] = device->limits.value[p][k];
	return limits;
}

/* ---- one file ------------------------------------------------------------------------- */

struct parser {
	struct backupd_config *config; /* the temporary being filled */
	const char *path;
	unsigned line_no;
	enum config_section section;
	int device; /* index into config->devices in a [Device] section, port_names in [Hub] */
	char *err;
	size_t err_size;
};

__attribute__((format(printf, 2, 3))) static int fail(struct parser *p, const char *fmt, ...)
{
	char message[512];
	va_list args;

	va_start(args, fmt);
	vsnprintf(message, sizeof(message), fmt, args);
	va_end(args);
	if (p->line_no > 0)
		snprintf(p->err, p->err_size, "%s:%u: %s", p->path, p->line_no, message);
	else
		snprintf(p->err, p->err_size, "%s: %s", p->path, message);
	return -1;
}

/* text for an error message: cut at SHOWN_TEXT_MAX bytes on a character boundary. */
static const char *shown(const char *text, char *buf, size_t size)
{
	size_t length = strlen(text);

	if (length <= SHOWN_TEXT_MAX || size < SHOWN_TEXT_MAX + 4)
		return text;
	length = SHOWN_TEXT_MAX;
	while (length > 0 && ((unsigned char)text[length] & 0xC0) == 0x80)
		length--;
	memcpy(buf, text, length);
	memcpy(buf + length, "...", 4);
	return buf;
}

/* Rejects what no valid line holds: bad UTF-8 and control characters other than tab. */
static int check_bytes(struct parser *p, const char *line)
{
	const unsigned char *s = (const unsigned char *)line;

	while (*s != '\0') {
		size_t length = utf8_sequence(s);

		if (length == 0)
			return fail(p, "line is not valid UTF-8 (byte 0x%02x at column %zu)", *s,
			            (size_t)(s - (const unsigned char *)line) + 1);
		if (*s < ' ' && *s != '\t')
			return fail(p, "line holds a control character (byte 0x%02x at column %zu)",
			            *s, (size_t)(s - (const unsigned char *)line) + 1);
		if (*s == 0x7f)
			return fail(p, "line holds a control character (byte 0x7f at column %zu)",
			            (size_t)(s - (const unsigned char *)line) + 1);
		s += length;
	}
	return 0;
}

static char *trim(char *text)
{
	char *end;

	while (*text == ' ' || *text == '\t')
		text++;
	end = text + strlen(text);
	while (end > text && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	return text;
}

static bool udid_valid(const char *udid)
{
	size_t length = strlen(udid);
	size_t hex = strspn(udid, "0123456789abcdefABCDEF");

	if (length == UDID_LEGACY_HEX)
		return hex == UDID_LEGACY_HEX;
	return length == UDID_PREFIX_HEX + 1 + UDID_SUFFIX_HEX && hex == UDID_PREFIX_HEX &&
	       udid[UDID_PREFIX_HEX] == '-' &&
	       strspn(udid + UDID_PREFIX_HEX + 1, "0123456789abcdefABCDEF") == UDID_SUFFIX_HEX;
}

static int enter_device(struct parser *p, const char *udid)
{
	struct backupd_config *config = p->config;
	struct device_override *grown;
	char buf[SHOWN_TEXT_MAX + 4];

	if (!udid_valid(udid))
		return fail(p,
		            "[Device %s]: expected a UDID of 40 hex digits, or 8 hex digits, '-' "
		            "and 16 hex digits",
		            shown(udid, buf, sizeof(buf)));
	p->section = SECTION_DEVICE;
	for (int i = 0; i < config->n_devices; i++) {
		if (strcasecmp(config->devices[i].udid, udid) == 0) {
			p->device = i; /* a second section for the same device adds to the first */
			return 0;
		}
	}
	if (config->n_devices >= DEVICES_MAX)
		return fail(p, "too many [Device] sections (at most %d)", DEVICES_MAX);
	grown = config->devices;
	/* Room doubles at 1, 2, 4, ...: a section per phone of a big fleet copies each override
	 * (a rule limit per key of the precondition table) a few times, not once per section. */
	if ((config->n_devices & (config->n_devices - 1)) == 0) {
		size_t room = config->n_devices ? 2 * (size_t)config->n_devices : 1;
		grown = realloc(config->devices, sizeof(*grown) * room);
		if (grown == NULL)
			return fail(p, "out of memory");
		config->devices = grown;
	}
	p->device = config->n_devices++;
	memset(&grown[p->device], 0, sizeof(grown[p->device]));
	strcpy(grown[p->device].udid, udid);
	grown[p->device].limits = config->limits;
	return 0;
}

static int enter_port(struct parser *p, bool hub, const char *path)
{
	char why[200];
	p->device = slot_config_enter(&p->config->port_names, hub, path, why, sizeof(why));
	if (p->device < 0)
		return fail(p, "%s", why);
	p->section = hub ? SECTION_HUB : SECTION_SLOT;
	return 0;
}

/* A section under its old name works as the new one; the first such use is noted. */
static int enter_old_name(struct parser *p, enum config_section section, const char *old)
{
	p->section = section;
	if (p->config->deprecated[0] == '\0')
		snprintf(
		    p->config->deprecated, sizeof(p->config->deprecated),
		    "%s:%u: [%s] is now called [%s] (it serves the cart pages too); [%s] still "
		    "works, rename it when convenient",
		    p->path, p->line_no, old, config_section_name(section), old);
	return 0;
}

static int parse_section(struct parser *p, char *line)
{
	char *close = strchr(line, ']');
	char buf[SHOWN_TEXT_MAX + 4];
	char *name;

	if (close == NULL)
		return fail(p, "missing ']' at the end of the section header %s",
		            shown(line, buf, sizeof(buf)));
	if (close[1] != '\0')
		return fail(p, "unexpected text after ']': %s",
		            shown(trim(close + 1), buf, sizeof(buf)));
	*close = '\0';
	name = trim(line + 1);
	if (strncmp(name, "Device", 6) == 0 &&
	    (name[6] == '\0' || name[6] == ' ' || name[6] == '\t'))
		return enter_device(p, trim(name + 6));
	if ((strncmp(name, "Hub", 3) == 0 || strncmp(name, "Slot", 4) == 0) &&
	    strchr(" \t", name[name[0] == 'H' ? 3 : 4]))
		return enter_port(p, name[0] == 'H', trim(name + (name[0] == 'H' ? 3 : 4)));
	if (strcmp(name, "Metrics") == 0)
		return enter_old_name(p, SECTION_HTTP, name);
	p->section = config_section_by_name(name);
	if (p->section == SECTION_NONE) {
		char expected[256];
		config_sections_list(expected, sizeof(expected));
		return fail(p, "unknown section [%s]: expected %s", shown(name, buf, sizeof(buf)),
		            expected);
	}
	return 0;
}

static int misplaced_key(struct parser *p, const char *name, const struct config_key *key)
{
	char buf[SHOWN_TEXT_MAX + 4], allowed[256];
	const char *home = key ? config_section_name(config_key_section(key)) : NULL;

	if (p->section == SECTION_NONE && key != NULL)
		return fail(p, "%s: key outside any section; it belongs in [%s]", name, home);
	if (p->section == SECTION_NONE)
		return fail(p, "%s: unknown key outside any section; expected a [Section] first",
		            shown(name, buf, sizeof(buf)));
	config_keys_of(p->section, allowed, sizeof(allowed));
	if (key == NULL)
		return fail(p, "%s: unknown key in [%s]; expected one of %s",
		            shown(name, buf, sizeof(buf)), config_section_name(p->section),
		            allowed);
	return fail(p, "%s: belongs in [%s], not [%s] (which takes %s)", name, home,
	            config_section_name(p->section), allowed);
}

static int parse_assignment(struct parser *p, char *line)
{
	char *equals = strchr(line, '=');
	struct config_key row;
	const struct config_key *key;
	char why[160], buf[SHOWN_TEXT_MAX + 4];
	char *name, *value;

	if (equals == NULL)
		return fail(p, "expected Key=Value, a [Section] header or a comment, got \"%s\"",
		            shown(line, buf, sizeof(buf)));
	*equals = '\0';
	name = trim(line);
	value = trim(equals + 1);
	if (name[0] == '\0')
		return fail(p, "empty key before '='");
	if (p->section == SECTION_HUB || p->section == SECTION_SLOT) {
		if (slot_config_apply(&p->config->port_names.names[p->device], name, value, why,
		                      sizeof(why)) < 0)
			return fail(p, "%s", why);
		return 0;
	}
	key = config_key_find(name, &row) ? &row : NULL;
	if (key == NULL || !config_key_allowed_in(key, p->section))
		return misplaced_key(p, name, key);
	if (config_key_apply(key, value, p->config,
	                     p->section == SECTION_DEVICE ? &p->config->devices[p->device] : NULL,
	                     why, sizeof(why)) < 0)
		return fail(p, "%s: %s, got \"%s\"", name, why, shown(value, buf, sizeof(buf)));
	return 0;
}

static int parse_line(struct parser *p, char *raw)
{
	char *line;

	if (check_bytes(p, raw) < 0)
		return -1;
	line = trim(raw);
	if (line[0] == '\0' || line[0] == '#' || line[0] == ';')
		return 0;
	if (line[0] == '[')
		return parse_section(p, line);
	return parse_assignment(p, line);
}

enum read_result { READ_LINE, READ_EOF, READ_TOO_LONG, READ_NUL, READ_ERROR };

/* Reads one line without its newline (and a CR before it) into buf[LINE_BYTES_MAX + 1]. */
static enum read_result read_line(FILE *file, char *buf)
{
	size_t length = 0;
	int c;

	while ((c = getc(file)) != EOF && c != '\n') {
		if (c == '\0')
			return READ_NUL;
		if (length == LINE_BYTES_MAX)
			return READ_TOO_LONG;
		buf[length++] = (char)c;
	}
	if (ferror(file))
		return READ_ERROR;
	if (c == EOF && length == 0)
		return READ_EOF;
	if (length > 0 && buf[length - 1] == '\r')
		length--;
	buf[length] = '\0';
	return READ_LINE;
}

static int parse_stream(struct parser *p, FILE *file)
{
	static const char bom[] = "\xEF\xBB\xBF";
	char line[LINE_BYTES_MAX + 1];

	for (;;) {
		enum read_result result = read_line(file, line);
		char *start = line;

		p->line_no++;
		switch (result) {
		case READ_EOF:
			return 0;
		case READ_TOO_LONG:
			return fail(p, "line longer than %d bytes", LINE_BYTES_MAX);
		case READ_NUL:
			return fail(p, "line holds a NUL byte");
		case READ_ERROR:
			p->line_no = 0;
			return fail(p, "cannot read: %s", strerror(errno));
		case READ_LINE:
			break;
		}
		if (p->line_no == 1 && strncmp(line, bom, 3) == 0)
			start += 3;
		if (parse_line(p, start) < 0)
			return -1;
	}
}

/* missing_ok: a missing main file means defaults; a listed drop-in that vanished does not. */
static int load_file(struct backupd_config *config, const char *path, bool missing_ok, char *err,
                     size_t err_size)
{
	struct parser p = {config, path, 0, SECTION_NONE, -1, err, err_size};
	char why[256];
	FILE *file = config_open_regular(path, why, sizeof(why));
	int result;

	if (file == NULL)
		return errno == ENOENT && missing_ok ? 0 : fail(&p, "%s", why);
	result = parse_stream(&p, file);
	fclose(file);
	return result;
}

/* ---- drop-ins ------------------------------------------------------------------------- */

static bool is_dropin_name(const char *name)
{
	size_t length = strlen(name);

	return name[0] != '.' && length > 5 && strcmp(name + length - 5, ".conf") == 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n_names)
{
	for (size_t i = 0; i < n_names; i++)
		free(names[i]);
	free(names);
}

/* The *.conf names in dir, sorted by strcmp; -1 with errno on failure. */
static int list_dropins(DIR *dir, char ***out_names, size_t *out_count)
{
	char **names = NULL;
	size_t count = 0;
	struct dirent *entry;

	errno = 0;
	while ((entry = readdir(dir)) != NULL) {
		char **grown;

		if (!is_dropin_name(entry->d_name))
			continue;
		grown = realloc(names, sizeof(*names) * (count + 1));
		if (grown == NULL || (grown[count] = strdup(entry->d_name)) == NULL) {
			free_names(grown ? grown : names, count);
			errno = ENOMEM;
			return -1;
		}
		names = grown;
		count++;
	}
	if (errno != 0) {
		free_names(names, count);
		return -1;
	}
	if (count > 0)
		qsort(names, count, sizeof(*names), compare_names);
	*out_names = names;
	*out_count = count;
	return 0;
}

static int load_dropins(struct backupd_config *config, const char *dir_path, char *err,
                        size_t err_size)
{
	struct parser p = {config, dir_path, 0, SECTION_NONE, -1, err, err_size};
	DIR *dir = opendir(dir_path);
	char **names;
	size_t count;
	int result = 0;

	if (dir == NULL)
		return errno == ENOENT ? 0 : fail(&p, "cannot open directory: %s", strerror(errno));
	if (list_dropins(dir, &names, &count) < 0) {
		int saved = errno;
		closedir(dir);
		return fail(&p, "cannot read directory: %s", strerror(saved));
	}
	closedir(dir);
	for (size_t i = 0; i < count && result == 0; i++) {
		char path[PATH_MAX];

		if (snprintf(path, sizeof(path), "%s/%s", dir_path, names[i]) >= (int)sizeof(path))
			result = fail(&p, "%s: path too long", names[i]);
		else
			result = load_file(config, path, false, err, err_size);
	}
	free_names(names, count);
	return result;
}

static int load_all(struct backupd_config *config, const char *path, bool main_required,
                    const char *dropin_dir, char *err, size_t err_size)
{
	struct backupd_config fresh;
	char scratch[1];

	if (err == NULL || err_size == 0) {
		err = scratch;
		err_size = sizeof(scratch);
	}
	err[0] = '\0';
	config_defaults(&fresh);
	if ((path != NULL && load_file(&fresh, path, !main_required, err, err_size) < 0) ||
	    (dropin_dir != NULL && load_dropins(&fresh, dropin_dir, err, err_size) < 0)) {
		config_free(&fresh);
		return -1;
	}
	config_free(config);
	*config = fresh;
	return 0;
}

int config_parse_file(struct backupd_config *config, FILE *file, const char *name, char *err,
                      size_t err_size)
{
	struct parser p = {config, name, 0, SECTION_NONE, -1, err, err_size};

	return parse_stream(&p, file);
}

int config_load(struct backupd_config *config, const char *path, const char *dropin_dir, char *err,
                size_t err_size)
{
	return load_all(config, path, false, dropin_dir, err, err_size);
}

int config_load_existing(struct backupd_config *config, const char *path, const char *dropin_dir,
                         char *err, size_t err_size)
{
	return load_all(config, path, true, dropin_dir, err, err_size);
}
