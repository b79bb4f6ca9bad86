/*
 * schedule.h - the monthly report made and mailed without anyone asking.
 *
 * On the 1st of each month (in each tenant's zone), every tenant whose
 * contract includes the monthly report (catalog item reports.monthly) for
 * any day of the month just ended, and that was a tenant of Vigil before
 * it ended, gets that month's report: made once
 * (one scheduled report per tenant and month, whatever restarts) in the
 * tenant's report_language, kept, and mailed as a PDF attachment to each of the tenant's report
 * contacts (contacts with reports: true) through the MSSP's email channel named by
 * report.email_channel. A server that was down on the 1st catches up when
 * it starts. A report that fails to render, and a mail that fails to send,
 * are tried again after base * 2^tries (at most an hour) up to the notify
 * settings' max attempts, then marked failed with the reason: both are
 * visible through GET /api/v1/reports/{id}, and vg_report_retry hands them
 * back to the schedule.
 */
#ifndef VG_REPORT_SCHEDULE_H
#define VG_REPORT_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "notify/queue.h"
#include "report/model.h"
#include "store/store.h"

typedef struct vg_report_schedule {
	const vg_notify_settings *notify; /* key, retries, public_only */
	const char *issuer;		  /* the MSSP's name on covers */
	const char *email_channel;	  /* an MSSP email channel's name; NULL/"": none */
} vg_report_schedule;

/*
 * One pass at now: queues the reports due, renders up to limit of the due
 * ones, and sends up to limit due mails. *made counts reports rendered,
 * *mailed mails sent. Rendering reads in its own transaction and writes
 * the result in a short one, so a large report does not hold the store's
 * write lock while it is drawn.
 */
int vg_report_schedule_run(vg_store *store, const vg_report_schedule *s, int64_t now, int limit,
			   size_t *made, size_t *mailed, vg_error *err);

#endif
