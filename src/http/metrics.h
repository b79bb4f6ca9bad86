/*
 * metrics.h - the server's counters, rendered in Prometheus text format.
 * Counting is lock-free (atomics), so it costs requests nothing measurable.
 */
#ifndef VG_HTTP_METRICS_H
#define VG_HTTP_METRICS_H

#include "core/buf.h"

/* Records the server's start time. */
void vg_metrics_started(void);
/* Counts one answered request. */
void vg_metrics_request(const char *method, int status, double seconds);
void vg_metrics_in_flight(int delta);
/* Counts a login attempt: "ok", "failed" or "locked". */
void vg_metrics_login(const char *outcome);
/* Renders every metric. */
int vg_metrics_render(vg_buf *out);

#endif
