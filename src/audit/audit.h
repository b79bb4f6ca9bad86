/*
 * audit.h - the append-only, hash-chained audit trail.
 *
 * Each row holds hash = SHA-256(prev_hash || canonical content of the row)
 * in lower-case hex, prev_hash being the previous row's hash (64 zeros for
 * the first). The canonical content is the fields id, at, actor, actor_id,
 * tenant_id, action, object, source, outcome, detail in that order, each
 * written as "<byte length>:<bytes>", integers in decimal and a NULL id as
 * the empty string ("1:7" "13:1764036112123" "5:alice" "1:3" "0:" ...), so no
 * two different rows have the same content. Any change, insertion or
 * deletion of a row breaks the chain at that row, and vg_audit_verify names
 * it; only removing the newest rows leaves no trace in the chain itself.
 * Rows are appended inside the caller's write transaction, so an action and
 * its audit row commit together or not at all.
 */
#ifndef VG_AUDIT_AUDIT_H
#define VG_AUDIT_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "core/error.h"
#include "store/ctx.h"
#include "store/store.h"

typedef struct vg_audit_entry {
	const char *action;  /* "tenant.create", "auth.login", ... */
	const char *object;  /* "tenant:12", "user:alice", "" */
	const char *outcome; /* "ok", "denied", "failed: 404", ... */
	const char *detail;  /* free text, never a secret; may be NULL */
	int64_t tenant_id;   /* tenant the action concerns; 0 for none */
} vg_audit_entry;

/* Appends a row for ctx's action, chained to the newest row read in the
 * same transaction. tx must be a write transaction. The actor, actor id and
 * source come from ctx; the tenant is entry->tenant_id, else ctx's.
 * VG_EINVAL when entry lacks an action or outcome. */
int vg_audit_append(vg_tx *tx, const vg_ctx *ctx, const vg_audit_entry *entry,
		    vg_error *err);

/*
 * Walks the whole chain in id order in one read transaction. VG_OK with
 * *rows_checked set when intact. Otherwise VG_ECORRUPT naming the first
 * broken row, with *first_bad set to its id (and *rows_checked 0):
 *   "audit row 17: content does not match its hash (row changed)"
 *   "audit row 18: chain broken before this row (a row was inserted or deleted)"
 */
int vg_audit_verify(vg_store *s, int64_t *rows_checked, int64_t *first_bad, vg_error *err);

typedef struct vg_audit_filter {
	int64_t tenant_id;  /* 0: any */
	const char *actor;  /* NULL: any */
	const char *action; /* NULL: any */
	int64_t before_id;  /* 0: from the newest; else rows with id < before_id */
	int limit;
} vg_audit_filter;

/*
 * Lists rows newest first as a JSON array (new reference in *out), each
 * {"id", "at", "actor", "actor_id", "tenant_id", "action", "object",
 * "source", "outcome", "detail", "prev_hash", "hash"} (at in ISO 8601 UTC,
 * absent ids null). A tenant-scoped ctx sees only its tenant's rows, and a
 * filter naming another tenant is VG_ENOTFOUND "no such tenant". *last_id
 * is the id of the last row listed (0 when none): the next page's
 * before_id.
 */
int vg_audit_list(vg_tx *tx, const vg_ctx *ctx, const vg_audit_filter *filter, json_t **out,
		  int64_t *last_id, vg_error *err);

#endif
