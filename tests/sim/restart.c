/* SPDX-License-Identifier: ISC */
/* A phone restarting: diagnostics_relay's Restart is answered, the phone leaves the bus a
 * moment later (the reply must reach the host first) and comes back after its
 * restart_delay_ms (profile RestartDelayMs, control "restartdelay"); < 0: it never does. */
#include "sim.h"

#define DETACH_AFTER_MS 50 /* time for the Restart reply to be written out */

void sim_attach(struct sim *sim, struct sim_device *dev)
{
	if (dev->attached)
		return;
	dev->attached = true;
	/* The kernel enumerates the device before usbmuxd reports it. */
	sysfs_plug_device(sim, dev);
	mux_broadcast(sim, "Attached", dev);
}

void sim_detach(struct sim *sim, struct sim_device *dev)
{
	if (!dev->attached)
		return;
	dev->attached = false;
	pairing_detached(dev);
	mux_close_device_conns(sim, dev->id);
	sysfs_unplug_device(sim, dev);
	mux_broadcast(sim, "Detached", dev);
}

static void restart_step(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct sim_device *dev = arg;
	struct sim *sim = dev->restart_sim;
	if (dev->attached) {
		sim_detach(sim, dev);
		if (dev->restart_delay_ms >= 0) {
			struct timeval tv = {dev->restart_delay_ms / 1000,
			                     (long)(dev->restart_delay_ms % 1000) * 1000};
			evtimer_add(dev->restart_ev, &tv);
		}
		return;
	}
	sim_attach(sim, dev);
}

void restart_device(struct sim *sim, struct sim_device *dev)
{
	sim->stats.restarts++;
	if (!dev->restart_ev)
		dev->restart_ev = evtimer_new(sim->base, restart_step, dev);
	dev->restart_sim = sim;
	struct timeval tv = {0, DETACH_AFTER_MS * 1000};
	evtimer_add(dev->restart_ev, &tv);
}

void restart_cancel(struct sim_device *dev)
{
	if (dev->restart_ev)
		event_free(dev->restart_ev);
	dev->restart_ev = NULL;
}
