/*
 * service.h - the pipeline as the server runs it: opened with the app,
 * the engines of the sources' types compiled up front, a syslog listener
 * for each source that names one, and a clock that every five seconds
 * judges closed correlation windows and brings the listeners in line with
 * the sources (created, moved or disabled ones), and hourly applies
 * retention; and a notification worker that every second routes new alerts
 * to their channels and sends what is due (notify/queue.h).
 */
#ifndef VG_PIPELINE_SERVICE_H
#define VG_PIPELINE_SERVICE_H

#include "app/app.h"
#include "core/error.h"

typedef struct vg_service vg_service;

/* Starts it and sets app->pipeline; VG_OK or the first failure (nothing
 * is left running then). */
int vg_service_start(vg_app *app, vg_service **out, vg_error *err);

/* Stops the clock and the listeners, closes the pipeline and clears
 * app->pipeline. The HTTP server must be stopped first. */
void vg_service_stop(vg_service *s);

#endif
