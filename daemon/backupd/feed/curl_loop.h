/* SPDX-License-Identifier: ISC */
/* Runs libcurl transfers on a libevent loop through the multi-socket API: curl tells us which
 * sockets and which timeout to watch, the loop tells curl what became ready. Nothing blocks. */
#ifndef BACKUPD_CURL_LOOP_H
#define BACKUPD_CURL_LOOP_H

#include <curl/curl.h>

struct event_base;
struct curl_loop;

/* A transfer finished (well or not); easy is already out of the loop and the caller's again.
 * The callback may add or remove transfers but must not free the loop. */
typedef void (*curl_loop_done_fn)(void *arg, CURL *easy, CURLcode result);

struct curl_loop *curl_loop_new(struct event_base *base, curl_loop_done_fn done, void *arg);

/* Starts easy on the loop; returns -1 if curl refuses it. */
int curl_loop_add(struct curl_loop *loop, CURL *easy);

/* Stops easy without calling done; it stays the caller's to clean up. */
void curl_loop_remove(struct curl_loop *loop, CURL *easy);

/* Remove every transfer first. */
void curl_loop_free(struct curl_loop *loop);

#endif
