/* SPDX-License-Identifier: ISC */
/* The iOS release catalog: which iOS releases exist, when each came out, which iPhone
 * models (ProductType) each supports and which actively exploited vulnerabilities each
 * fixes. Built once per catalog download (ioscat_parse.c), read-only afterwards, and looked
 * up per phone (ioscat_target). */
#ifndef BACKUPD_IOSCAT_H
#define BACKUPD_IOSCAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IOS_VERSION_PARTS 4
#define IOS_VERSION_TEXT  24
#define IOS_TYPE_TEXT     32

struct ios_version {
	uint32_t part[IOS_VERSION_PARTS]; /* "17.5.1" = {17, 5, 1, 0} */
};

/* "17", "17.5.1" (1 to 4 numeric parts of at most 9 digits): 0; anything else -1. */
int ios_version_parse(const char *text, struct ios_version *out);
int ios_version_cmp(const struct ios_version *a, const struct ios_version *b);

struct ios_release {
	char version[IOS_VERSION_TEXT];
	struct ios_version v;
	int64_t released_unix;
	int n_exploited;       /* ActivelyExploitedCVEs it fixes */
	const char *exploited; /* their ids, ", "-separated ("" when none); in the catalog */
};

/* One iPhone model: its releases, newest version first, one entry per version. */
struct ios_model {
	char product_type[IOS_TYPE_TEXT];
	uint32_t first, count; /* in ios_catalog.model_releases */
};

struct ios_catalog {
	struct ios_release *releases;
	size_t n_releases;
	struct ios_model *models; /* sorted by product_type (strcmp) */
	size_t n_models;
	uint32_t *model_releases; /* indices into releases */
	char *strings;            /* the exploited lists */
	int64_t newest_unix;      /* the newest release date, to show the catalog's age */
};

void ios_catalog_free(struct ios_catalog *catalog);

/* What the catalog says of one phone. */
enum ios_standing {
	IOS_UNKNOWN_MODEL, /* no release supports this ProductType: no longer updated */
	IOS_UP_TO_DATE,    /* nothing newer that counts (its own train, or any with newest_major) */
	IOS_BEHIND,        /* a newer release that counts exists */
};

struct ios_target {
	enum ios_standing standing;
	const struct ios_release *target; /* IOS_BEHIND: the newest newer release to go to */
	const struct ios_release *latest; /* the newest release for the model (any train) */
	int64_t pending_since;            /* release date of the first release it lacks */
	int64_t exploited_since;          /* same, of the first that fixes exploited CVEs; 0 none */
	int n_exploited;                  /* exploited CVEs fixed by the releases it lacks */
};

/* Judges installed on product_type. Its own train is its major version; when the catalog
 * holds no release of that train for the model (the train has ended), or when newest_major
 * ([IOS] Target=latest), any newer release counts, so the target is the newest release the
 * model runs. target and latest point into the catalog. */
void ios_catalog_target(const struct ios_catalog *catalog, const char *product_type,
                        const struct ios_version *installed, bool newest_major,
                        struct ios_target *out);

/* Writes the exploited CVE ids the releases between installed (excluded) and target
 * (included) that count for it (as ios_catalog_target) fix, ", "-separated, into buf; an id
 * two trains both fix appears once per release. */
void ios_catalog_exploited_list(const struct ios_catalog *catalog, const char *product_type,
                                const struct ios_version *installed, bool newest_major, char *buf,
                                size_t size);

#endif
