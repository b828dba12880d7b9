/* SPDX-License-Identifier: ISC */
/* Parsers for the value types of backupd.conf that other code also reads: time spans and sizes.
 * Both reject rather than guess: no signs, no fractions, no unknown units, no overflow. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "config_values.h"

struct unit {
	const char *name;
	int64_t factor;
};

/* systemd's spellings; a bare number is seconds. */
static const struct unit time_units[] = {
    {"ms", 1},          {"msec", 1},        {"s", 1000},         {"sec", 1000},
    {"second", 1000},   {"seconds", 1000},  {"m", 60000},        {"min", 60000},
    {"minute", 60000},  {"minutes", 60000}, {"h", 3600000},      {"hr", 3600000},
    {"hour", 3600000},  {"hours", 3600000}, {"d", 86400000},     {"day", 86400000},
    {"days", 86400000}, {"w", 604800000},   {"week", 604800000}, {"weeks", 604800000},
};

/* K, M, G, T are powers of 1000 as on Apple's storage plans; KiB.. are powers of 1024. */
static const struct unit size_units[] = {
    {"", 1},
    {"B", 1},
    {"K", 1000},
    {"KB", 1000},
    {"M", 1000000},
    {"MB", 1000000},
    {"G", 1000000000},
    {"GB", 1000000000},
    {"T", 1000000000000},
    {"TB", 1000000000000},
    {"KiB", 1024},
    {"MiB", 1048576},
    {"GiB", 1073741824},
    {"TiB", 1099511627776},
};

#define N_ELEMENTS(array) (sizeof(array) / sizeof((array)[0]))

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Reads a run of digits at *text into *value; -1 with errno set when absent or too large. */
static int read_number(const char **text, int64_t *value)
{
	int64_t number = 0;

	if (!is_digit(**text)) {
		errno = EINVAL;
		return -1;
	}
	for (; is_digit(**text); (*text)++) {
		if (__builtin_mul_overflow(number, 10, &number) ||
		    __builtin_add_overflow(number, **text - '0', &number)) {
			errno = ERANGE;
			return -1;
		}
	}
	*value = number;
	return 0;
}

/* Finds the unit spelled by the letters at *text (which may be none) and steps past them. */
static const struct unit *read_unit(const char **text, const struct unit *units, size_t n_units,
                                    bool ignore_case)
{
	const char *start = *text;
	size_t length;

	while (is_letter(**text))
		(*text)++;
	length = (size_t)(*text - start);
	for (size_t i = 0; i < n_units; i++) {
		const char *name = units[i].name;
		bool same = ignore_case ? strncasecmp(name, start, length) == 0
		                        : strncmp(name, start, length) == 0;
		if (strlen(name) == length && same)
			return &units[i];
	}
	errno = EINVAL;
	return NULL;
}

static int scaled(int64_t number, int64_t factor, int64_t *out)
{
	if (__builtin_mul_overflow(number, factor, out)) {
		errno = ERANGE;
		return -1;
	}
	return 0;
}

int config_parse_timespan_ms(const char *text, int64_t *out_ms)
{
	int64_t total = 0;
	bool first = true;

	while (is_space(*text))
		text++;
	do {
		const struct unit *unit;
		int64_t number, term;

		if (read_number(&text, &number) < 0)
			return -1;
		while (is_space(*text))
			text++;
		if (first && *text == '\0') /* a lone bare number: seconds */
			return scaled(number, 1000, out_ms);
		unit = read_unit(&text, time_units, N_ELEMENTS(time_units), false);
		if (unit == NULL || !(is_space(*text) || is_digit(*text) || *text == '\0')) {
			errno = EINVAL;
			return -1;
		}
		if (scaled(number, unit->factor, &term) < 0)
			return -1;
		if (__builtin_add_overflow(total, term, &total)) {
			errno = ERANGE;
			return -1;
		}
		while (is_space(*text))
			text++;
		first = false;
	} while (*text != '\0');
	*out_ms = total;
	return 0;
}

int config_parse_size_bytes(const char *text, int64_t *out_bytes)
{
	const struct unit *unit;
	int64_t number;

	if (read_number(&text, &number) < 0)
		return -1;
	while (is_space(*text))
		text++;
	unit = read_unit(&text, size_units, N_ELEMENTS(size_units), true);
	if (unit == NULL || *text != '\0') {
		errno = EINVAL;
		return -1;
	}
	return scaled(number, unit->factor, out_bytes);
}

/* ---- [Metrics] Listen= ---------------------------------------------------------------- */

#define LISTEN_TOKEN_MAX 64

static bool parse_port(const char *text, uint16_t *port)
{
	int64_t number;

	if (read_number(&text, &number) < 0 || *text != '\0' || number < 1 || number > 65535)
		return false;
	*port = (uint16_t)number;
	return true;
}

/* "127.0.0.1:9816" or "[::1]:9816" into one address; false when it is neither. */
static bool parse_listen_token(const char *token, struct listen_address *out)
{
	char host[LISTEN_TOKEN_MAX];
	const char *port_text;
	unsigned char binary[sizeof(struct in6_addr)];

	if (token[0] == '[') {
		const char *close = strchr(token, ']');
		if (close == NULL || close[1] != ':' || (size_t)(close - token - 1) >= sizeof(host))
			return false;
		memcpy(host, token + 1, (size_t)(close - token - 1));
		host[close - token - 1] = '\0';
		out->family = AF_INET6;
		port_text = close + 2;
	} else {
		const char *colon = strrchr(token, ':');
		if (colon == NULL || (size_t)(colon - token) >= sizeof(host))
			return false;
		memcpy(host, token, (size_t)(colon - token));
		host[colon - token] = '\0';
		out->family = AF_INET;
		port_text = colon + 1;
	}
	if (strlen(host) >= sizeof(out->host) || inet_pton(out->family, host, binary) != 1 ||
	    !parse_port(port_text, &out->port))
		return false;
	/* The canonical spelling, so that "[::0001]:1" and "[::1]:1" are one address. */
	inet_ntop(out->family, binary, out->host, sizeof(out->host));
	return true;
}

static bool same_address(const struct listen_address *a, const struct listen_address *b)
{
	return a->family == b->family && a->port == b->port && strcmp(a->host, b->host) == 0;
}

int config_parse_listen(const char *text, struct listen_list *out, char *why, size_t why_size)
{
	struct listen_list list = {0};

	while (*text != '\0') {
		char token[LISTEN_TOKEN_MAX];
		size_t length = strcspn(text, " \t");
		struct listen_address *address = &list.addresses[list.n];

		if (length == 0) {
			text++;
			continue;
		}
		if (list.n == LISTEN_MAX) {
			snprintf(why, why_size, "expected at most %d addresses", LISTEN_MAX);
			return -1;
		}
		if (length < sizeof(token)) {
			memcpy(token, text, length);
			token[length] = '\0';
		}
		if (length >= sizeof(token) || !parse_listen_token(token, address)) {
			snprintf(why, why_size,
			         "expected ADDRESS:PORT items such as 127.0.0.1:9816 or [::1]:9816 "
			         "(numeric addresses, ports 1 to 65535)");
			return -1;
		}
		for (int i = 0; i < list.n; i++) {
			if (same_address(&list.addresses[i], address)) {
				snprintf(why, why_size, "%s is listed twice", token);
				return -1;
			}
		}
		list.n++;
		text += length;
	}
	*out = list;
	return 0;
}
