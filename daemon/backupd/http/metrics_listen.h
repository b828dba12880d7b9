/* SPDX-License-Identifier: ISC */
/* metrics_listen: the listening sockets of [Metrics] Listen=. */
#ifndef BACKUPD_METRICS_LISTEN_H
#define BACKUPD_METRICS_LISTEN_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

#define METRICS_LISTEN_BACKLOG 128 /* connections the kernel holds while the cap is reached */
/* The kernel hands over a connection once its first bytes arrived, or after this many
 * seconds of silence (TCP_DEFER_ACCEPT): a flood of connections that send nothing then
 * reaches backupd at most once a second each, and a scrape arrives with its request. */
#define METRICS_DEFER_ACCEPT_S 1

/* A non-blocking listening TCP socket bound to address; -1 with err ("cannot bind ...: ..."). */
int metrics_listen_open(const struct listen_address *address, char *err, size_t err_size);
/* "127.0.0.1:9816" or "[::1]:9816". */
void metrics_listen_format(const struct listen_address *address, char *buf, size_t size);
/* "127.0.0.1:9816, [::1]:9816", or "nothing" when n is 0. */
void metrics_listen_describe(const struct listen_address *const *addresses, int n, char *buf,
                             size_t size);
bool metrics_listen_same(const struct listen_address *a, const struct listen_address *b);

#endif
