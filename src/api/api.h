/*
 * api.h - the REST handlers behind the route table (routes.c), one file per
 * resource. Each follows http.h's contract: read the request, work through
 * vg_req_tx, answer with vg_resp_* or return an error.
 *
 * JSON conventions: ids are integers; instants are ISO 8601 UTC strings
 * ("2026-11-25T02:01:52.123Z"); absent optional values are null; lists
 * answer {"items": [...], "next": cursor-or-null}. Secrets (password hashes,
 * TOTP seeds, token hashes) never appear in an answer.
 */
#ifndef VG_API_API_H
#define VG_API_API_H

#include "http/http.h"
#include "ingest/record.h"

/* read_one.c: answers 200 with what read finds (in the caller's view) for
 * the id in the path, or read's error (VG_ENOTFOUND outside that view). */
typedef int (*api_read_fn)(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out,
			   vg_error *err);
int api_read_one(vg_req *req, api_read_fn read, vg_error *err);

/* Answers status with what read finds for id in tx (after a create or an
 * update, the object as it now is). */
int api_answer_one(vg_req *req, vg_tx *tx, api_read_fn read, int64_t id, int status,
		   vg_error *err);

/* Answers 204 once remove deleted the id in the path, audited as kind (the
 * object's tenant from remove); remove's error otherwise. */
typedef int (*api_delete_fn)(vg_tx *tx, const vg_ctx *ctx, int64_t id, int64_t *tenant_id,
			     vg_error *err);
int api_delete_one(vg_req *req, const char *kind, api_delete_fn remove, vg_error *err);

/* system.c */
int api_health(vg_req *req, vg_error *err);
int api_metrics(vg_req *req, vg_error *err);

/* auth.c: login, logout and the caller's own account */
int api_auth_login(vg_req *req, vg_error *err);
int api_auth_logout(vg_req *req, vg_error *err);
int api_me_get(vg_req *req, vg_error *err);
int api_me_password(vg_req *req, vg_error *err);
int api_me_totp_enroll(vg_req *req, vg_error *err);
int api_me_totp_confirm(vg_req *req, vg_error *err);

/* catalog.c: the service catalog and a tenant's entitlements */
int api_catalog_get(vg_req *req, vg_error *err);
int api_tenants_entitlements(vg_req *req, vg_error *err);

/* tenants.c */
int api_tenants_list(vg_req *req, vg_error *err);
int api_tenants_create(vg_req *req, vg_error *err);
int api_tenants_get(vg_req *req, vg_error *err);
int api_tenants_update(vg_req *req, vg_error *err);

/* users.c */
int api_users_list(vg_req *req, vg_error *err);
int api_users_create(vg_req *req, vg_error *err);
int api_users_get(vg_req *req, vg_error *err);
int api_users_update(vg_req *req, vg_error *err);

/* tokens.c */
int api_tokens_list(vg_req *req, vg_error *err);
int api_tokens_create(vg_req *req, vg_error *err);
int api_tokens_revoke(vg_req *req, vg_error *err);

/* audit.c */
int api_audit_list(vg_req *req, vg_error *err);

/* sources.c: log sources, their ingest tokens and counters */
int api_sources_list(vg_req *req, vg_error *err);
int api_sources_create(vg_req *req, vg_error *err);
int api_sources_get(vg_req *req, vg_error *err);
int api_sources_update(vg_req *req, vg_error *err);
int api_sources_rotate(vg_req *req, vg_error *err);
int api_sources_stats(vg_req *req, vg_error *err);
int api_sources_rejects(vg_req *req, vg_error *err);
int api_sources_replay(vg_req *req, vg_error *err);

/* ingest.c: events in, authenticated by a source token */
int api_ingest(vg_req *req, vg_error *err);
/* Undoes gzip (one member or several, as `cat a.gz b.gz` makes) into out,
 * which holds at most its max: VG_EINVAL for bad gzip, VG_ETOOBIG past
 * out's max. */
int api_gunzip(const char *in, size_t len, vg_buf *out, vg_error *err);
/* What an ingest did, as its answer says it: accepted, rejected (by
 * reason, the first few with line and message), alerts. */
struct vg_ingest_result;
json_t *api_ingest_result_json(const struct vg_ingest_result *r);

/* tickets.c */
int api_tickets_list(vg_req *req, vg_error *err);
int api_tickets_create(vg_req *req, vg_error *err);
int api_tickets_get(vg_req *req, vg_error *err);
int api_tickets_step(vg_req *req, vg_error *err);
int api_tickets_comment(vg_req *req, vg_error *err);
int api_tenants_sla(vg_req *req, vg_error *err);
int api_tickets_worklog(vg_req *req, vg_error *err);
int api_tickets_link(vg_req *req, vg_error *err);
int api_tickets_update(vg_req *req, vg_error *err);
int api_tenants_quotas(vg_req *req, vg_error *err);
int api_tickets_watch(vg_req *req, vg_error *err);
int api_tickets_unwatch(vg_req *req, vg_error *err);
/* GET /api/v1/workflows: the shipped workflows and priority matrix */
int api_workflows_get(vg_req *req, vg_error *err);

/* groups.c: staff groups tickets are assigned to */
int api_groups_list(vg_req *req, vg_error *err);
int api_groups_create(vg_req *req, vg_error *err);
int api_groups_get(vg_req *req, vg_error *err);
int api_groups_add_member(vg_req *req, vg_error *err);

/* attachments.c: files on tickets */
int api_tickets_attach(vg_req *req, vg_error *err);
int api_tickets_attachment(vg_req *req, vg_error *err);

/* assets.c */
int api_assets_list(vg_req *req, vg_error *err);
int api_assets_get(vg_req *req, vg_error *err);

/* hec.c: a Splunk HTTP Event Collector on the same pipeline, authenticated
 * by a source token ("Authorization: Splunk vgs_..."); answers Splunk's
 * {"text", "code"} whatever the outcome */
int api_hec_event(vg_req *req, vg_error *err);
int api_hec_raw(vg_req *req, vg_error *err);
int api_hec_health(vg_req *req, vg_error *err);

/* Splunk's codes for a refused /services/collector/event body. */
enum {
	API_HEC_NO_DATA = 5,
	API_HEC_INVALID_DATA = 6,
	API_HEC_EVENT_REQUIRED = 12,
	API_HEC_EVENT_BLANK = 13,
	API_HEC_INDEXED_FIELDS = 15,
};

typedef struct api_hec_fault {
	int code;                     /* API_HEC_* */
	size_t event;                 /* 0-based index of the first bad event */
	size_t line, offset;          /* where it starts in the body (line 1-based) */
	enum vg_reject_reason reason; /* how the source's counters take it */
	char msg[VG_REJECT_MSG_MAX];  /* "HEC event 2 (line 3): no \"event\" member" */
} api_hec_fault;

/* Takes one record; an error stops the reading with it. */
typedef int (*api_hec_emit)(void *arg, const char *record, size_t len, vg_error *err);

/*
 * Reads the body of POST /services/collector/event (len bytes: JSON objects
 * one after another) for a source of type t, turning each event into the
 * record the pipeline reads (hec.c says what a record holds): a JSON object
 * of at most max_event bytes for a type whose parser reads JSON, the event's
 * line for a text type. Every event is read and checked, by a dry run of
 * t's parser too, before the first record is handed to emit: emit gets
 * every record, in order, or none.
 * Returns VG_OK with *n records emitted; VG_EINVAL with *fault filled and
 * nothing emitted; emit's error (the records before it were emitted); or
 * VG_ENOMEM in err.
 */
struct vg_source_type;
int api_hec_read(const char *body, size_t len, const struct vg_source_type *t, size_t max_event,
		 api_hec_emit emit, void *arg, size_t *n, api_hec_fault *fault, vg_error *err);

/* alerts.c */
int api_alerts_list(vg_req *req, vg_error *err);
int api_alerts_get(vg_req *req, vg_error *err);
int api_alerts_acknowledge(vg_req *req, vg_error *err);
int api_alerts_assign(vg_req *req, vg_error *err);
int api_alerts_comment(vg_req *req, vg_error *err);
int api_alerts_close(vg_req *req, vg_error *err);
int api_alerts_reopen(vg_req *req, vg_error *err);
int api_alerts_bulk(vg_req *req, vg_error *err);
int api_alerts_metrics(vg_req *req, vg_error *err);

/* iocs.c: indicator lists */
int api_iocs_list(vg_req *req, vg_error *err);
int api_iocs_create(vg_req *req, vg_error *err);
int api_iocs_get(vg_req *req, vg_error *err);
int api_iocs_delete(vg_req *req, vg_error *err);

/* channels.c: notification channels */
int api_channels_list(vg_req *req, vg_error *err);
int api_channels_create(vg_req *req, vg_error *err);
int api_channels_get(vg_req *req, vg_error *err);
int api_channels_update(vg_req *req, vg_error *err);
int api_channels_delete(vg_req *req, vg_error *err);
int api_channels_test(vg_req *req, vg_error *err);

/* mailboxes.c: the mailboxes read for tickets, their mail and its triage */
int api_mailboxes_list(vg_req *req, vg_error *err);
int api_mailboxes_create(vg_req *req, vg_error *err);
int api_mailboxes_get(vg_req *req, vg_error *err);
int api_mailboxes_update(vg_req *req, vg_error *err);
int api_mailboxes_poll(vg_req *req, vg_error *err);
int api_mailboxes_mail(vg_req *req, vg_error *err);
int api_mailboxes_mail_get(vg_req *req, vg_error *err);
int api_mailboxes_mail_raw(vg_req *req, vg_error *err);
int api_mailboxes_triage(vg_req *req, vg_error *err);
int api_mailboxes_retry(vg_req *req, vg_error *err);

/* notify_routes.c: which alerts go to which channel */
int api_notify_routes_list(vg_req *req, vg_error *err);
int api_notify_routes_create(vg_req *req, vg_error *err);
int api_notify_routes_get(vg_req *req, vg_error *err);
int api_notify_routes_update(vg_req *req, vg_error *err);
int api_notify_routes_delete(vg_req *req, vg_error *err);

/* incidents.c: security incidents */
int api_incidents_list(vg_req *req, vg_error *err);
int api_incidents_create(vg_req *req, vg_error *err);
int api_incidents_get(vg_req *req, vg_error *err);
int api_incidents_phase(vg_req *req, vg_error *err);
int api_incidents_note(vg_req *req, vg_error *err);
int api_incidents_link(vg_req *req, vg_error *err);
int api_incidents_close(vg_req *req, vg_error *err);

/* suppressions.c: known noise, silenced for a while */
int api_suppressions_list(vg_req *req, vg_error *err);
int api_suppressions_create(vg_req *req, vg_error *err);
int api_suppressions_get(vg_req *req, vg_error *err);
int api_suppressions_delete(vg_req *req, vg_error *err);

/* deliveries.c: the notification log */
int api_deliveries_list(vg_req *req, vg_error *err);
int api_deliveries_get(vg_req *req, vg_error *err);

/* rules.c: the loaded Sigma rules, lint and trial runs, per-tenant switch */
int api_rules_list(vg_req *req, vg_error *err);
int api_rules_get(vg_req *req, vg_error *err);
int api_rules_lint(vg_req *req, vg_error *err);
int api_rules_test(vg_req *req, vg_error *err);
int api_rules_tenant_set(vg_req *req, vg_error *err);

/* events.c: hunting in the event archive */
int api_events_search(vg_req *req, vg_error *err);

/* reports.c: reports made, listed, downloaded; the tenant's report logo */
int api_reports_list(vg_req *req, vg_error *err);
int api_reports_generate(vg_req *req, vg_error *err);
int api_reports_get(vg_req *req, vg_error *err);
int api_reports_file(vg_req *req, vg_error *err);
int api_reports_retry(vg_req *req, vg_error *err);
int api_tenants_logo_get(vg_req *req, vg_error *err);
int api_tenants_logo_set(vg_req *req, vg_error *err);
int api_tenants_logo_delete(vg_req *req, vg_error *err);

#endif
