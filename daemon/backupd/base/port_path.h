/* SPDX-License-Identifier: ISC */
/* The longest kernel USB port path backupd keeps ("1-2.3.4.5.6.7" and then some): shared by
 * the [Hub]/[Slot] sections of the config and the phone's slot record. */
#ifndef BACKUPD_PORT_PATH_H
#define BACKUPD_PORT_PATH_H

#define PORT_PATH_MAX 32

#endif
