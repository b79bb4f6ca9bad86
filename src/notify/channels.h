/*
 * channels.h - notification channels kept in the store: where a tenant's
 * messages go (its WeCom group, its SOC mailbox), and the MSSP's own
 * (tenant 0, the duty group's robot).
 *
 * URLs and secrets are sealed with the master key: most vendors put the
 * credential in the URL itself (WeCom's key, Slack's hook, DingTalk's
 * token). What a channel shows is its URL's scheme and host ("url_hint")
 * and whether it has a secret; the values only leave the store unsealed
 * for sending (vg_channel_open). A channel is checked when it is created or
 * changed by building a message for it, so one that cannot work is refused
 * then, with the reason, rather than failing at its first alert.
 */
#ifndef VG_NOTIFY_CHANNELS_H
#define VG_NOTIFY_CHANNELS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/crypto.h"
#include "core/error.h"
#include "notify/notify.h"
#include "store/ctx.h"
#include "store/store.h"

/* A create, or an update of the fields that are set. */
typedef struct vg_channel_fields {
	int64_t tenant_id;      /* create: 0 is the MSSP's (staff only) */
	const char *name;       /* NULL: unchanged */
	const char *type;       /* create only */
	const char *url;        /* NULL: unchanged */
	const char *secret;     /* NULL: unchanged */
	bool clear_secret;      /* update: remove the secret */
	const char *username;   /* email; NULL: unchanged, "": none */
	const char *from;       /* email; NULL: unchanged */
	const char *to[VG_NOTIFY_TO_MAX]; /* email; used when set_to */
	size_t nto;
	bool set_to;
	int enabled;            /* 0, 1; -1: unchanged (create: enabled) */
} vg_channel_fields;

/* VG_EINVAL naming what is wrong (a bad type, URL or secret, email without
 * sender or recipients); VG_EPERM when a customer names the MSSP's
 * channels; VG_ENOTFOUND for a tenant the caller cannot see; VG_EEXIST
 * for a name the tenant uses already. */
int vg_channel_create(vg_tx *tx, const vg_ctx *ctx, const vg_master_key *key,
		      const vg_channel_fields *in, int64_t *id_out, vg_error *err);

/* *tenant_id gets the channel's tenant (for the audit trail). */
int vg_channel_update(vg_tx *tx, const vg_ctx *ctx, const vg_master_key *key, int64_t id,
		      const vg_channel_fields *in, int64_t *tenant_id, vg_error *err);
int vg_channel_delete(vg_tx *tx, const vg_ctx *ctx, int64_t id, int64_t *tenant_id,
		      vg_error *err);

/* The channel as the API shows it: id, tenant_id (null: the MSSP's),
 * name, type, url_hint, has_secret, username, from, to, enabled,
 * created_at, updated_at. */
int vg_channel_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err);

/* Shaped as http.h's vg_list_fn: tenant_id's channels (0: all the caller
 * sees; the MSSP's are tenant 0, seen only by staff). */
int vg_channel_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id,
		    int limit, json_t **items, int64_t *last_id, vg_error *err);

/* A channel unsealed for sending; ch points into it. */
typedef struct vg_channel_open {
	vg_notify_channel ch;
	int64_t id, tenant_id;
	bool enabled;
	char name[256];
	char *url, *secret, *username, *from;
	json_t *to;
} vg_channel_open;

int vg_channel_open_get(vg_tx *tx, const vg_ctx *ctx, const vg_master_key *key, int64_t id,
			vg_channel_open *out, vg_error *err);
/* Wipes the unsealed values. */
void vg_channel_open_release(vg_channel_open *c);

#endif
