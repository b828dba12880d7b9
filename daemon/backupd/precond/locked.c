/* SPDX-License-Identifier: ISC */
/* locked: the screen is locked (PasswordProtected true = locked now). */
#include "judge.h"
#include "precondition.h"

static void judge(const struct judge_input *in, struct verdict *out)
{
	tristate_verdict(in->facts->password_protected, out, "screen locked",
	                 "screen unlocked: backup waits for the screen to lock",
	                 "lock state not readable");
}

const struct precondition_info precondition_locked = {
    .id = PRECOND_LOCKED,
    .name = "locked",
    .message_id = "c66e7249a30a45c4b4fe141868790f01",
    .blocker = "unlocked",
    .fix = "Lock the screen: backup waits until the phone is locked",
    .title = "Screen locked",
    .reads = "PasswordProtected",
    .unknown_allows_ready = false,
    .scope = JUDGE_DEVICE,
    .judge = judge,
    .catalog =
        {
            .subject = "Screen lock on @DEVICE_NAME@: @STATE@",
            .explain = "An automatic iCloud backup only starts while the phone's screen is locked, "
                       "connected to "
                       "power and on Wi-Fi. @DEVICE_NAME@ (@DEVICE_UDID@) reports: @REASON@.",
            .fix_more = ". Press the side button and leave the phone locked. If the phone never "
                        "locks, check that a passcode is set (Settings > Face ID & Passcode) and "
                        "that nothing on the cart keeps the screen awake.",
        },
};
