/*
 * app.h - an opened data directory: configuration, store and master key.
 *
 * A data directory holds vigil.yaml (optional), vigil.db (the SQLite store
 * unless store.url says otherwise) and master.key (mode 0600, seals
 * secrets). Every command that works on data opens one vg_app; the server
 * shares one across its threads (everything in it is read-only after open,
 * and the store is thread-safe).
 */
#ifndef VG_APP_APP_H
#define VG_APP_APP_H

#include <stdbool.h>

#include "app/config.h"
#include "core/crypto.h"
#include "core/error.h"
#include "store/store.h"

struct vg_pipeline;

typedef struct vg_app {
	char *data_dir;
	vg_config config;
	vg_master_key master_key;
	vg_store *store;
	/* The detection pipeline, which the server opens and sets (src/pipeline);
	 * NULL in commands that run without one. */
	struct vg_pipeline *pipeline;
} vg_app;

#define VG_APP_DB_FILE "vigil.db"
#define VG_APP_KEY_FILE "master.key"
#define VG_APP_CONFIG_FILE "vigil.yaml"

/*
 * Creates data_dir (mode 0700) with a fresh master key and an empty store,
 * and migrates it. VG_EEXIST when the directory already holds a store.
 */
int vg_app_create(const char *data_dir, vg_error *err);

/* Loads configuration only (no store, no key): for commands that need
 * settings before or without the store. cfg is released by the caller with
 * vg_conf_release(vg_config_keys, cfg). A bad key is VG_EINVAL. */
int vg_app_load_config(const char *data_dir, vg_config *cfg, vg_error *err);

/*
 * Opens data_dir: configuration (file, then environment), master key and
 * store. With migrate, applies pending migrations; without, a store whose
 * schema is behind this binary is an error telling the operator to run
 * `vigil migrate`.
 */
int vg_app_open(const char *data_dir, bool migrate, vg_app **out, vg_error *err);

void vg_app_close(vg_app *app);

#define VG_APP_LOCK_FILE "vigil.lock"

/*
 * Takes the data directory's exclusive lock (DATA/vigil.lock) for as long
 * as the process lives or until *fd_out is closed. The server holds it while
 * serving; restore and migrate take it too, so neither runs under a live
 * server. VG_ECONFLICT when another process holds it.
 */
int vg_app_lock(const char *data_dir, int *fd_out, vg_error *err);

/* Applies pending migrations to data_dir's store (the server must not be
 * running on it) and records the upgrade in the audit trail. *from and *to
 * report the schema versions. */
int vg_app_migrate(const char *data_dir, int *from, int *to, vg_error *err);

#endif
