/* service.c - the pipeline's threads in the server (see service.h). */
#include "pipeline/service.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "core/log.h"
#include "core/time.h"
#include "core/tz.h"
#include "core/xalloc.h"
#include "ingest/sources.h"
#include "itsm/attachments.h"
#include "itsm/sla.h"
#include "itsm/tickets.h"
#include "itsm/workflow.h"
#include "mail/poll.h"
#include "notify/queue.h"
#include "pipeline/listener.h"
#include "pipeline/pipeline.h"
#include "report/schedule.h"

#define TICK_MS 5000
#define AUTO_CLOSE_BATCH 200 /* tickets closed a tick at most */
#define SLA_SCAN_BATCH 256   /* open tickets whose clocks are read a tick */
#define NOTIFY_TICK_MS 1000
#define NOTIFY_BATCH 100
#define RETENTION_EVERY_MS (3600 * 1000)
#define MAIL_BATCH 100 /* mails read from one mailbox a turn */
#define REPORT_BATCH 8 /* reports rendered, and mails of them sent, a turn */

struct vg_service {
	vg_app *app;
	vg_pipeline *p;
	vg_listeners *listeners;
	pthread_t clock, notifier, mail, reports;
	bool clock_started, notifier_started, mail_started, reports_started;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;
};

/* The notification worker: every second, new alerts are routed into
 * deliveries and the due deliveries sent. Its own thread, because a send
 * can wait seconds on a vendor. */
static vg_notify_settings notify_settings_of(const vg_app *app)
{
	const vg_config *cfg = &app->config;

	return (vg_notify_settings){
		.key = &app->master_key,
		.public_url = cfg->public_url,
		.timezone = cfg->notify_timezone,
		.public_only = !cfg->notify_allow_private_targets,
		.retry_base_ms = cfg->notify_retry_base_seconds * 1000,
		.max_attempts = (int)cfg->notify_max_attempts,
	};
}

static void *run_notifier(void *arg)
{
	vg_service *s = arg;
	vg_notify_settings settings = notify_settings_of(s->app);
	vg_notify_sender *sender = vg_notify_sender_new();

	pthread_mutex_lock(&s->lock);
	while (!s->stop && sender) {
		struct timespec until;
		vg_error err = { 0 };
		size_t seen, queued, sent, events;

		pthread_mutex_unlock(&s->lock);
		if (vg_notify_route_alerts(s->app->store, &settings, vg_time_now_ms(), NOTIFY_BATCH,
					   &seen, &queued, &err))
			vg_err("notify", "routing alerts: %s", err.msg);
		if (vg_notify_route_ticket_events(s->app->store, &settings, vg_time_now_ms(),
						  NOTIFY_BATCH, &events, &queued, &err))
			vg_err("notify", "routing ticket events: %s", err.msg);
		if (vg_notify_queue_replies(s->app->store, vg_time_now_ms(), NOTIFY_BATCH, &events,
					    &queued, &err))
			vg_err("notify", "replies to tickets' contacts: %s", err.msg);
		if (vg_notify_send_due(sender, s->app->store, &settings, vg_time_now_ms(),
				       NOTIFY_BATCH, &sent, &err))
			vg_err("notify", "sending: %s", err.msg);
		pthread_mutex_lock(&s->lock);
		/* A full batch means more is waiting: go again at once. */
		if (seen == NOTIFY_BATCH || sent == NOTIFY_BATCH || s->stop)
			continue;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += (long)NOTIFY_TICK_MS * 1000000;
		until.tv_sec += until.tv_nsec / 1000000000;
		until.tv_nsec %= 1000000000;
		pthread_cond_timedwait(&s->wake, &s->lock, &until);
	}
	pthread_mutex_unlock(&s->lock);
	vg_notify_sender_free(sender);
	return NULL;
}

/* The mail reader: every mail.poll_seconds, each mailbox's new mail into
 * tickets. Its own thread, because a mail server can take its time. */
static void *run_mail(void *arg)
{
	vg_service *s = arg;
	vg_mail_settings settings = vg_mail_settings_of(s->app);

	pthread_mutex_lock(&s->lock);
	while (!s->stop) {
		struct timespec until;
		vg_error err = { 0 };
		size_t read;

		pthread_mutex_unlock(&s->lock);
		if (vg_mail_poll(s->app->store, &s->app->master_key, &settings, 0, MAIL_BATCH, &read,
				 &err))
			vg_err("mail", "reading the mailboxes: %s", err.msg);
		else if (read)
			vg_info("mail", "%zu new mails read", read);
		pthread_mutex_lock(&s->lock);
		if (s->stop)
			break;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += s->app->config.mail_poll_seconds;
		pthread_cond_timedwait(&s->wake, &s->lock, &until);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* The report schedule: every report.check_seconds, the monthly reports
 * due made and mailed. Its own thread, because a month of a large tenant
 * takes seconds to draw. */
static void *run_reports(void *arg)
{
	vg_service *s = arg;
	const vg_config *cfg = &s->app->config;
	vg_notify_settings notify = notify_settings_of(s->app);
	vg_report_schedule schedule = {
		.notify = &notify,
		.issuer = cfg->report_issuer,
		.email_channel = cfg->report_email_channel,
	};
	vg_error err = { 0 };

	pthread_mutex_lock(&s->lock);
	while (!s->stop) {
		struct timespec until;
		size_t made = 0, mailed = 0;

		pthread_mutex_unlock(&s->lock);
		if (vg_report_schedule_run(s->app->store, &schedule, vg_time_now_ms(), REPORT_BATCH,
					   &made, &mailed, &err))
			vg_err("report", "monthly reports: %s", err.msg);
		else if (made || mailed)
			vg_info("report", "%zu monthly reports made, %zu mailed", made, mailed);
		pthread_mutex_lock(&s->lock);
		if (s->stop)
			break;
		/* A full batch means more is waiting: go again at once. */
		if (made == REPORT_BATCH || mailed == REPORT_BATCH)
			continue;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += cfg->report_check_seconds;
		pthread_cond_timedwait(&s->wake, &s->lock, &until);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* The listeners of the sources as they are now in the store: a source
 * created, changed or disabled through the API is served within a tick. */
static void sync_listeners(vg_service *s)
{
	vg_source *listen = NULL;
	vg_error err = { 0 };
	size_t n = 0;
	vg_tx *tx;
	int rc = vg_tx_begin(s->app->store, false, &tx, &err);

	if (rc == VG_OK) {
		rc = vg_source_listeners(tx, &listen, &n, &err);
		vg_tx_rollback(tx);
	}
	if (rc == VG_OK)
		rc = vg_listeners_sync(s->listeners, listen, n, &err);
	if (rc)
		vg_err("syslog", "listeners: %s", err.msg);
	free(listen);
}

static void *run_clock(void *arg)
{
	vg_service *s = arg;
	int64_t last_retention = 0;

	pthread_mutex_lock(&s->lock);
	while (!s->stop) {
		struct timespec until;
		int64_t now;
		vg_error err = { 0 };
		size_t closed;
		int removed;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += TICK_MS / 1000;
		pthread_cond_timedwait(&s->wake, &s->lock, &until);
		if (s->stop)
			break;
		pthread_mutex_unlock(&s->lock);
		now = vg_time_now_ms();
		if (vg_pipeline_tick(s->p, now, &err))
			vg_err("detect", "correlation windows: %s", err.msg);
		if (vg_tickets_sla_scan(s->app->store, SLA_SCAN_BATCH, &closed, &err))
			vg_err("itsm", "SLA clocks: %s", err.msg);
		if (vg_tickets_auto_close(s->app->store, now, AUTO_CLOSE_BATCH, &closed, &err))
			vg_err("itsm", "closing tickets: %s", err.msg);
		else if (closed)
			vg_info("itsm", "closed %zu tickets nobody answered", closed);
		sync_listeners(s);
		if (now - last_retention >= RETENTION_EVERY_MS) {
			last_retention = now;
			if (vg_pipeline_expire(s->p, now, &removed, &err))
				vg_err("archive", "retention: %s", err.msg);
			else if (removed)
				vg_info("archive", "retention removed %d days of events", removed);
		}
		pthread_mutex_lock(&s->lock);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* The sources the server serves: their types compiled, their listeners
 * opened. */
static int open_sources(vg_service *s, vg_error *err)
{
	vg_source *listen = NULL;
	json_t *items = NULL;
	int64_t last;
	vg_ctx system = vg_ctx_system();
	size_t n = 0, i;
	vg_tx *tx;
	int rc = vg_tx_begin(s->app->store, false, &tx, err);

	if (rc == VG_OK)
		rc = vg_source_listeners(tx, &listen, &n, err);
	if (rc == VG_OK)
		rc = vg_source_list(tx, &system, 0, 0, 500, &items, &last, err);
	vg_tx_rollback(tx);
	for (i = 0; rc == VG_OK && i < json_array_size(items); i++)
		rc = vg_pipeline_prepare(s->p, json_string_value(json_object_get(
							  json_array_get(items, i), "type")),
					 err);
	json_decref(items);
	if (rc == VG_OK)
		rc = vg_listeners_start(s->p, s->app, listen, n, &s->listeners, err);
	free(listen);
	return rc;
}

int vg_service_start(vg_app *app, vg_service **out, vg_error *err)
{
	vg_service *s = vg_xcalloc(1, sizeof(*s));
	size_t detection, correlation, filters;
	int rc, offset;

	*out = NULL;
	s->app = app;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->wake, NULL);
	rc = vg_tz_offset(app->config.notify_timezone, 0, &offset, err);
	if (rc)
		vg_error_prefix(err, "notify.timezone");
	/* The shipped workflows, SLA policies and attachment types are read
	 * now, so that a defect in them stops the start rather than a ticket. */
	if (rc == VG_OK && !vg_workflows_builtin(err))
		rc = err->code;
	if (rc == VG_OK)
		rc = vg_sla_check(err);
	if (rc == VG_OK)
		rc = vg_attachment_types_check(err);
	if (rc == VG_OK)
		rc = vg_pipeline_open(app, &s->p, err);
	if (rc == VG_OK) {
		app->pipeline = s->p;
		vg_pipeline_rule_counts(s->p, &detection, &correlation, &filters);
		vg_info("detect", "%zu detection rules, %zu correlations, %zu filters", detection,
			correlation, filters);
		rc = open_sources(s, err);
	}
	if (rc == VG_OK) {
		if (pthread_create(&s->clock, NULL, run_clock, s) != 0)
			rc = vg_error_set(err, VG_EIO, "cannot start the detection clock");
		else
			s->clock_started = true;
	}
	if (rc == VG_OK) {
		if (pthread_create(&s->notifier, NULL, run_notifier, s) != 0)
			rc = vg_error_set(err, VG_EIO, "cannot start the notification worker");
		else
			s->notifier_started = true;
	}
	if (rc == VG_OK) {
		if (pthread_create(&s->mail, NULL, run_mail, s) != 0)
			rc = vg_error_set(err, VG_EIO, "cannot start the mail reader");
		else
			s->mail_started = true;
	}
	if (rc == VG_OK) {
		if (pthread_create(&s->reports, NULL, run_reports, s) != 0)
			rc = vg_error_set(err, VG_EIO, "cannot start the report schedule");
		else
			s->reports_started = true;
	}
	if (rc) {
		vg_service_stop(s);
		return rc;
	}
	*out = s;
	return VG_OK;
}

void vg_service_stop(vg_service *s)
{
	if (!s)
		return;
	/* The clock first: it syncs the listeners. */
	pthread_mutex_lock(&s->lock);
	s->stop = true;
	pthread_cond_broadcast(&s->wake);
	pthread_mutex_unlock(&s->lock);
	if (s->clock_started)
		pthread_join(s->clock, NULL);
	if (s->notifier_started)
		pthread_join(s->notifier, NULL);
	if (s->mail_started)
		pthread_join(s->mail, NULL);
	if (s->reports_started)
		pthread_join(s->reports, NULL);
	vg_listeners_stop(s->listeners);
	s->app->pipeline = NULL;
	vg_pipeline_close(s->p);
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
