/* SPDX-License-Identifier: ISC */
/* slot_rules: does a phone's charging fault follow the slot or the phone? A pure function of
 * every phone's charging observations (slot_record), so unit tests cover every branch. */
#ifndef BACKUPD_SLOT_RULES_H
#define BACKUPD_SLOT_RULES_H

#include <stddef.h>

#include "slot_record.h"

#define SLOT_RULES_NAMED 4 /* other phones / ports named in a judgement, at most */

struct slot_evidence {
	const char *udid;
	const struct slot_record *slot;
};

enum slot_blame {
	SLOT_BLAME_NONE = 0, /* too little evidence: the plain "cable or port" verdict stands */
	SLOT_BLAME_SLOT,     /* two or more phones could not charge here and charge elsewhere */
	SLOT_BLAME_PHONE,    /* this phone could not charge in two or more ports others charge in */
};

struct slot_judgement {
	enum slot_blame blame;
	char port_path[PORT_PATH_MAX];   /* SLOT: the port at fault */
	int n_others;                    /* SLOT: the other phones that could not charge there */
	size_t others[SLOT_RULES_NAMED]; /* indexes into the evidence */
	int n_ports;                     /* PHONE: the ports where it could not charge */
	char ports[SLOT_RULES_NAMED][PORT_PATH_MAX];
	/* SLOT: the slot-level entry was already written for this run of evidence */
	int already_told;
};

/* Judges evidence[self], whose newest observation must be "cannot charge" (else NONE). */
void slot_rules_judge(const struct slot_evidence *evidence, size_t n, size_t self,
                      struct slot_judgement *out);

#endif
