/* SPDX-License-Identifier: ISC */
/* See pair_liar.c. */
#ifndef BACKUPD_PAIR_LIAR_H
#define BACKUPD_PAIR_LIAR_H

int pair_liar_main(int fd, const char *mode, const char *log);

#endif
