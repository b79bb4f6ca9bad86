/*
 * listener.h - syslog over UDP and TCP, for the sources that name a
 * listener ("udp://0.0.0.0:5514", "tcp://0.0.0.0:6514").
 *
 * UDP: each datagram is one message; datagrams arriving together (up to
 * 1,000, or within 100 ms) are committed as one batch, since UDP has no
 * acknowledgement to wait for. TCP: each connection is read in turn: the
 * complete frames of a read (RFC 6587 octet counting or line ends) are
 * committed before the next read, so the sender's data is taken off the
 * socket only once the events before it are durable (the kernel's receive
 * window then holds the sender back).
 */
#ifndef VG_PIPELINE_LISTENER_H
#define VG_PIPELINE_LISTENER_H

#include "core/error.h"
#include "ingest/sources.h"
#include "pipeline/pipeline.h"

typedef struct vg_listeners vg_listeners;

/* Opens a listener for each of the n sources (each must have listen set)
 * and starts serving them. VG_EIO naming the address when one cannot be
 * bound; nothing is left running then. */
int vg_listeners_start(vg_pipeline *p, vg_app *app, const vg_source *sources, size_t n,
		       vg_listeners **out, vg_error *err);

/*
 * Makes the set serve exactly the n sources: stops the listeners of sources
 * no longer among them or changed (address, type), starts those of new
 * ones, and leaves the rest, and their connections, alone. A listener that
 * cannot be bound is not tried again until its source changes; the first
 * such failure is returned (VG_EIO naming the address), after every other
 * source was served.
 */
int vg_listeners_sync(vg_listeners *ls, const vg_source *sources, size_t n, vg_error *err);

/* Stops accepting, ends the connections after their current batch, waits
 * for every thread. */
void vg_listeners_stop(vg_listeners *l);

#endif
