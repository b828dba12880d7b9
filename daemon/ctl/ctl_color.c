/* SPDX-License-Identifier: ISC */
/* Colour for people at a terminal; nothing for pipes, files, or anyone with NO_COLOR. */
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "ctl.h"

static bool enabled;

static const char *const sequences[] = {
    [CTL_COLOR_NONE] = "",          [CTL_COLOR_RESET] = "\033[0m",   [CTL_COLOR_GREEN] = "\033[32m",
    [CTL_COLOR_RED] = "\033[1;31m", [CTL_COLOR_YELLOW] = "\033[33m", [CTL_COLOR_GREY] = "\033[2m",
    [CTL_COLOR_BOLD] = "\033[1m",
};

void ctl_color_init(void)
{
	const char *no_color = getenv("NO_COLOR");
	enabled = isatty(STDOUT_FILENO) && (no_color == NULL || no_color[0] == '\0');
}

const char *ctl_color(enum ctl_color color)
{
	return enabled ? sequences[color] : "";
}
