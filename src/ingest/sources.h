/*
 * sources.h - a tenant's log sources: what sends events, as which source
 * type, with which ingest token, and the counts of what it sent.
 *
 * Ingest authenticates with a token bound to one source, and through it to
 * one tenant: "Authorization: Bearer vgs_...". Only the token's SHA-256 is
 * stored; the token itself is shown once, when the source is created or its
 * token rotated. A syslog source may also name a listener the server opens
 * for it ("udp://0.0.0.0:5514", "tcp://0.0.0.0:6514"): everything arriving
 * there belongs to that source's tenant.
 *
 * Scoping is the store's usual: a customer-scoped context sees only its
 * tenant's sources; anything else is VG_ENOTFOUND "no such source".
 *
 * Validation, each failure VG_EINVAL with the message shown:
 *   name    1 to 200 characters of text ("name must be 1 to 200 characters")
 *   type    a source type of content/sources.yaml ("unknown source type
 *           \"x\" (types: json, cloudtrail, ...)")
 *   listen  "udp://HOST:PORT" or "tcp://HOST:PORT", syslog types only
 *           ("listen must be udp://HOST:PORT or tcp://HOST:PORT",
 *           "only syslog sources listen")
 * A name taken in the tenant, or a listener another source has, is
 * VG_EEXIST.
 */
#ifndef VG_INGEST_SOURCES_H
#define VG_INGEST_SOURCES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "ingest/record.h"
#include "store/ctx.h"
#include "store/store.h"

#define VG_SOURCE_NAME_MAX 200
#define VG_SOURCE_TOKEN_PREFIX "vgs_"
#define VG_SOURCE_TOKEN_MAX 64

typedef struct vg_source {
	int64_t id;
	int64_t tenant_id;
	char name[VG_SOURCE_NAME_MAX * 4 + 1];
	char type[32];
	char listen[128]; /* "" when it has no listener */
	char token_prefix[16];
	bool enabled;
	int64_t created_at, updated_at; /* Unix ms */
} vg_source;

/* The fields of a create or update; NULL (enabled: -1) leaves a field
 * unchanged or takes its default (create needs name and type; listen ""
 * removes a listener). */
typedef struct vg_source_fields {
	const char *name;
	const char *type;
	const char *listen;
	int enabled;
} vg_source_fields;

/* Creates a source of tenant_id and its ingest token (written to token,
 * shown once). tx must be a write transaction. */
int vg_source_create(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, const vg_source_fields *in,
		     vg_source *out, char token[VG_SOURCE_TOKEN_MAX], vg_error *err);

int vg_source_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, vg_source *out, vg_error *err);

/* By tenant and exact name. */
int vg_source_find(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, const char *name,
		   vg_source *out, vg_error *err);

/* Changes name, listen and enabled (a source's type cannot change: its
 * events are archived as that type). */
int vg_source_update(vg_tx *tx, const vg_ctx *ctx, int64_t id, const vg_source_fields *in,
		     vg_error *err);

/* Replaces the source's token; the old one stops working at once. */
int vg_source_rotate_token(vg_tx *tx, const vg_ctx *ctx, int64_t id,
			   char token[VG_SOURCE_TOKEN_MAX], vg_error *err);

/* Shaped as http.h's vg_list_fn. */
int vg_source_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id, int limit,
		   json_t **items, int64_t *last_id, vg_error *err);

/* The enabled source an ingest token belongs to. VG_EAUTH "invalid source
 * token" when none (or it is disabled), saying nothing about which. */
int vg_source_authenticate(vg_tx *tx, const char *token, vg_source *out, vg_error *err);

/* Every enabled source with a listener (for the server to open them):
 * a new array in *out (free it), *n entries. */
int vg_source_listeners(vg_tx *tx, vg_source **out, size_t *n, vg_error *err);

json_t *vg_source_to_json(const vg_source *s);

/* What one batch of a source added to its counters. */
typedef struct vg_source_counts {
	uint64_t events, bytes, rejected, alerts;
	uint64_t by_reason[VG_REJECT_NREASONS];
	char last_reject[VG_REJECT_MSG_MAX]; /* "" when none */
	int64_t last_event_at;               /* 0 when no event */
} vg_source_counts;

/* Adds c to the source's counters (write transaction). */
int vg_source_stats_add(vg_tx *tx, const vg_source *s, const vg_source_counts *c, int64_t now,
			vg_error *err);

/* {"source_id", "events", "bytes", "rejected", "rejected_by_reason": {...},
 * "last_reject", "last_reject_at", "last_event_at", "alerts"} */
int vg_source_stats_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err);

/* The refused records kept of a source ctx sees (ingest.rejects_kept of
 * them, the newest), oldest first after after_id, at most limit:
 * {"id", "source_id", "at", "reason", "message", "raw"} with raw_base64
 * in place of raw when the bytes are not UTF-8. */
int vg_source_rejects_list(vg_tx *tx, const vg_ctx *ctx, int64_t source_id, int64_t after_id,
			   int limit, json_t **items, int64_t *last_id, vg_error *err);

#endif
