/*
 * queue.h - the delivery queue: alerts routed into messages, and messages
 * sent, retried and logged.
 *
 * Routing reads the alerts opened since its cursor and, in the same write
 * transaction that moves the cursor, queues a delivery for each route an
 * alert matches (or adds the alert to the route's pending digest), so an
 * alert is routed exactly once, whatever crashes. Sending takes the due
 * deliveries, oldest first, keeps each channel within its vendor's rate
 * (WeCom and DingTalk 20 a minute, Feishu 100 a minute and 5 a second,
 * Slack one a second; Vigil's own caps: webhooks ten a second, email one),
 * and records every attempt with the vendor's answer. A delivery the vendor
 * refused for good, or still failing after the last attempt, is failed;
 * one worth retrying waits (the vendor's Retry-After, or base * 2^tries,
 * at most an hour) and goes again.
 */
#ifndef VG_NOTIFY_QUEUE_H
#define VG_NOTIFY_QUEUE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/crypto.h"
#include "core/error.h"
#include "notify/notify.h"
#include "store/ctx.h"
#include "store/store.h"

typedef struct vg_notify_settings {
	const vg_master_key *key;
	const char *public_url; /* links to the console in messages; NULL: none */
	bool public_only;       /* channels may reach public addresses only */
	int64_t retry_base_ms;  /* the first retry's wait */
	int max_attempts;
	const char *timezone;   /* of the MSSP's own routes' quiet hours; NULL: UTC */
} vg_notify_settings;

/* The wait after attempts failed tries of a message before the next:
 * retry_base_ms * 2^(attempts - 1), at most an hour, or longer when the
 * vendor's answer res (may be NULL) asked for it (Retry-After,
 * throttling). */
int64_t vg_notify_retry_wait(const vg_notify_settings *s, int attempts,
			     const vg_notify_result *res);

/* Routes the alerts opened since the last call (up to limit of them:
 * *seen says how many); *queued counts the deliveries queued or digests
 * grown. */
int vg_notify_route_alerts(vg_store *store, const vg_notify_settings *s, int64_t now, int limit,
			   size_t *seen, size_t *queued, vg_error *err);

/* Routes the ticket events raised since the last call (a ticket opened,
 * SLA warnings and breaches) to the routes that list their kind. */
int vg_notify_route_ticket_events(vg_store *store, const vg_notify_settings *s, int64_t now,
				  int limit, size_t *seen, size_t *queued, vg_error *err);

/* Queues the mails the contact of a ticket that came by mail is sent
 * (replies.c): for each step of the tickets' history since the last call
 * (up to limit: *seen), the acknowledgement of a new ticket, and the
 * public comments and the resolution of the MSSP's staff, through the
 * mailbox's reply channel to the contact's address, each with its own
 * Message-ID and In-Reply-To and References of the thread before it. */
int vg_notify_queue_replies(vg_store *store, int64_t now, int limit, size_t *seen,
			    size_t *queued, vg_error *err);

/* The sender's memory of what each channel sent lately, for rate limits. */
typedef struct vg_notify_sender vg_notify_sender;
vg_notify_sender *vg_notify_sender_new(void);
void vg_notify_sender_free(vg_notify_sender *q);

/* Sends the deliveries due at now, at most max; *sent counts attempts
 * made. A delivery whose channel is at its rate limit waits until a send
 * is allowed. */
int vg_notify_send_due(vg_notify_sender *q, vg_store *store, const vg_notify_settings *s,
		       int64_t now, size_t max, size_t *sent, vg_error *err);

/* Shaped as http.h's vg_list_fn: deliveries of tenant_id (0: all the
 * caller sees), oldest first: id, tenant_id, channel_id, channel, route_id,
 * kind, alert_id, alerts, title, state, attempts, next_at, last_status,
 * last_vendor_code, last_error, created_at, sent_at. */
int vg_delivery_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id,
		     int limit, json_t **items, int64_t *last_id, vg_error *err);

/* vg_delivery_list of the deliveries in state (pending, sent, failed,
 * cancelled; NULL: any): VG_EINVAL "state must be pending, sent, failed or
 * cancelled" for another. */
int vg_delivery_list_in(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, const char *state,
			int64_t after_id, int limit, json_t **items, int64_t *last_id,
			vg_error *err);

/* One delivery with its text and attempts [{at, delivered, retry, status,
 * vendor_code, answer, error}]. */
int vg_delivery_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err);

#endif
