/* SPDX-License-Identifier: ISC */
/* The MESSAGE_ID table of everything but the preconditions (their entries hold their IDs).
 * IDs were generated once with /proc/sys/kernel/random/uuid and are fixed forever: never edit
 * one, only append new rows. */
#include <stddef.h>

#include "message_ids.h"

static const struct message_id_info table[MSG_COUNT] = {
    {MSG_UNREACHABLE_NOT_PAIRED, "unreachable.not_paired", "e84044d5cf3d440795416d58cb78420f"},
    {MSG_UNREACHABLE_TRUST_PENDING, "unreachable.trust_pending",
     "190133a30e3c497a85bd1138d69b34d8"},
    {MSG_UNREACHABLE_PAIRING_DENIED, "unreachable.pairing_denied",
     "a7cf411c26984279905477e689be63da"},
    {MSG_UNREACHABLE_LOCKED_SINCE_BOOT, "unreachable.locked_since_boot",
     "74351105c5224514ad42f5110437fc1a"},
    {MSG_UNREACHABLE_UNRESPONSIVE, "unreachable.unresponsive", "6655cd6c7fbc42fc9fecaf5540f4c23e"},
    {MSG_UNREACHABLE_VANISHED, "unreachable.vanished", "d70cd574a46b4c77b5645b7be640650d"},
    {MSG_UNREACHABLE_PROTOCOL_ERROR, "unreachable.protocol_error",
     "eba63e3d161241daaee48b15687bf566"},
    {MSG_DEVICE_ATTACHED, "device.attached", "d825402343c049cb9bc9448dec651724"},
    {MSG_DEVICE_DETACHED, "device.detached", "fc53a6fcc6094575ab5cf4ab038088ed"},
    {MSG_FEED_UNREACHABLE, "fleet.status_feed_unreachable", "b40e489f08b54b9cbe9287d84bdc5f10"},
    {MSG_USBMUXD_UNAVAILABLE, "fleet.usbmuxd_unavailable", "7e2a840478534167975b520bf8be64a7"},
    {MSG_PROBE_HELPERS_FAILING, "fleet.probe_helpers_failing", "7b241b581d6d44aca20aa7115698e8b3"},
    {MSG_DEVICE_FORGOTTEN, "device.forgotten", "0c0287bbe02e46c684e14b9f3b52e968"},
    {MSG_ACTION_REFUSED, "action.refused", "943cdc39b034484392b9b5b168ef905a"},
    {MSG_ACTION_RESTART_OVERDUE, "action.restart_overdue", "7b198df9a0a84151899284a0c8736d2a"},
    {MSG_SLOT_CANNOT_CHARGE, "slot.cannot_charge", "13ec75901be04d4ab679fc27699c2b9d"},
    {MSG_DEVICE_OFF_CART, "device.off_cart", "1e6c1d55177348d3bf8a693773633dc6"},
    {MSG_PAIRING_EXPIRED, "pairing.expired", "aaeee3ae22664e62bc6314916e65e3f7"},
    {MSG_IOS_CATALOG_UNUSABLE, "fleet.ios_catalog_unusable", "89067305a18d49149f0972ed77609000"},
/* The actions' rows, from their lines in ACTION_TABLE (base/action_names.h). */
#define ACTION_ROW(kind, name, op, done, message, id) {MSG_ACTION_##kind, message, id},
    ACTION_TABLE(ACTION_ROW)
#undef ACTION_ROW
};

/* Which probe statuses have their own "unreachable" message (MSG_COUNT: none). */
static const enum message_key unreachable_keys[PROBE_STATUS_COUNT] = {
    [PROBE_NOT_YET] = MSG_COUNT,
    [PROBE_OK] = MSG_COUNT,
    [PROBE_NOT_PAIRED] = MSG_UNREACHABLE_NOT_PAIRED,
    [PROBE_TRUST_PENDING] = MSG_UNREACHABLE_TRUST_PENDING,
    [PROBE_PAIRING_DENIED] = MSG_UNREACHABLE_PAIRING_DENIED,
    [PROBE_LOCKED_SINCE_BOOT] = MSG_UNREACHABLE_LOCKED_SINCE_BOOT,
    [PROBE_UNRESPONSIVE] = MSG_UNREACHABLE_UNRESPONSIVE,
    [PROBE_VANISHED] = MSG_UNREACHABLE_VANISHED,
    [PROBE_PROTOCOL_ERROR] = MSG_UNREACHABLE_PROTOCOL_ERROR,
};

const struct message_id_info *message_id_info(enum message_key key)
{
	if ((unsigned)key >= MSG_COUNT)
		return NULL;
	return &table[key];
}

const char *message_id(enum message_key key)
{
	const struct message_id_info *info = message_id_info(key);
	return info ? info->id : NULL;
}

const char *message_id_for_probe_status(enum probe_status status)
{
	if ((unsigned)status >= PROBE_STATUS_COUNT)
		return NULL;
	return message_id(unreachable_keys[status]);
}
