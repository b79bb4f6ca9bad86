/* app.c - opening and creating a data directory (see app.h). */
#include "app/app.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"
#include "core/log.h"
#include "core/xalloc.h"

extern char **environ;

/* Variables Vigil reads for purposes other than configuration keys. */
static const char *const non_config_env[] = { "VIGIL_DATA", "VIGIL_ADMIN_PASSWORD", NULL };

static int data_path(const char *data_dir, const char *file, char out[PATH_MAX], vg_error *err)
{
	int n = snprintf(out, PATH_MAX, "%s/%s", data_dir, file);

	if (n < 0 || n >= PATH_MAX)
		return vg_error_set(err, VG_EINVAL, "data directory path too long: %s", data_dir);
	return VG_OK;
}

/* The store URL: store.url when configured, else the SQLite file in data_dir. */
static int store_url(const char *data_dir, const vg_config *cfg, char out[PATH_MAX + 8],
		     vg_error *err)
{
	int n;

	if (cfg->store_url)
		n = snprintf(out, PATH_MAX + 8, "%s", cfg->store_url);
	else
		n = snprintf(out, PATH_MAX + 8, "sqlite:%s/%s", data_dir, VG_APP_DB_FILE);
	if (n < 0 || n >= PATH_MAX + 8)
		return vg_error_set(err, VG_EINVAL, "store URL too long");
	return VG_OK;
}

int vg_app_load_config(const char *data_dir, vg_config *cfg, vg_error *err)
{
	char path[PATH_MAX];
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	rc = vg_conf_defaults(vg_config_keys, cfg, err);
	if (rc)
		goto fail;
	rc = data_path(data_dir, VG_APP_CONFIG_FILE, path, err);
	if (rc)
		goto fail;
	rc = vg_conf_apply_file(vg_config_keys, cfg, path, err);
	if (rc == VG_ENOTFOUND)
		rc = VG_OK;
	if (rc)
		goto fail;
	rc = vg_conf_apply_env(vg_config_keys, cfg, VG_ENV_PREFIX, environ, non_config_env, err);
	if (rc)
		goto fail;
	if (vg_log_level_parse(cfg->log_level) < 0) {
		rc = vg_error_set(err, VG_EINVAL,
				  "log.level: must be debug, info, warn or error, not \"%s\"",
				  cfg->log_level);
		goto fail;
	}
	if (!cfg->tls_cert != !cfg->tls_key) {
		rc = vg_error_set(err, VG_EINVAL, "tls.cert and tls.key must be set together");
		goto fail;
	}
	return VG_OK;
fail:
	vg_conf_release(vg_config_keys, cfg);
	return rc;
}

int vg_app_create(const char *data_dir, vg_error *err)
{
	char key_path[PATH_MAX], db_path[PATH_MAX], url[PATH_MAX + 8];
	vg_store *store = NULL;
	vg_config cfg;
	struct stat st;
	int rc;

	rc = vg_crypto_init(err);
	if (rc)
		return rc;
	if (mkdir(data_dir, 0700) != 0 && errno != EEXIST)
		return vg_error_set(err, VG_EIO, "cannot create %s: %s", data_dir, strerror(errno));
	rc = data_path(data_dir, VG_APP_KEY_FILE, key_path, err);
	if (!rc)
		rc = data_path(data_dir, VG_APP_DB_FILE, db_path, err);
	if (rc)
		return rc;
	if (stat(db_path, &st) == 0 || stat(key_path, &st) == 0)
		return vg_error_set(err, VG_EEXIST, "%s already holds a Vigil store", data_dir);
	rc = vg_app_load_config(data_dir, &cfg, err);
	if (rc)
		return rc;
	rc = store_url(data_dir, &cfg, url, err);
	if (rc)
		goto out;
	rc = vg_master_key_create(key_path, err);
	if (rc)
		goto out;
	rc = vg_store_open(url, NULL, true, &store, err);
	if (rc)
		goto out;
	rc = vg_store_migrate(store, NULL, NULL, err);
out:
	vg_store_close(store);
	vg_conf_release(vg_config_keys, &cfg);
	return rc;
}

int vg_app_open(const char *data_dir, bool migrate, vg_app **out, vg_error *err)
{
	char key_path[PATH_MAX], url[PATH_MAX + 8];
	vg_store_options opts = { 0 };
	int version, rc;
	vg_app *app;

	*out = NULL;
	rc = vg_crypto_init(err);
	if (rc)
		return rc;
	app = vg_xcalloc(1, sizeof(*app));
	app->data_dir = vg_xstrdup(data_dir);
	rc = vg_app_load_config(data_dir, &app->config, err);
	if (rc) {
		free(app->data_dir);
		free(app);
		return rc;
	}
	vg_log_set_level((enum vg_log_level)vg_log_level_parse(app->config.log_level));
	rc = data_path(data_dir, VG_APP_KEY_FILE, key_path, err);
	if (!rc && access(key_path, F_OK) != 0)
		rc = vg_error_set(err, VG_ENOTFOUND,
				  "%s is not a Vigil data directory (create one with "
				  "`vigil init --data %s`)", data_dir, data_dir);
	if (!rc)
		rc = vg_master_key_load(key_path, &app->master_key, err);
	if (!rc)
		rc = store_url(data_dir, &app->config, url, err);
	if (rc)
		goto fail;
	opts.readers = (int)app->config.store_readers;
	rc = vg_store_open(url, &opts, false, &app->store, err);
	if (rc)
		goto fail;
	if (migrate) {
		rc = vg_store_migrate(app->store, NULL, NULL, err);
		if (rc)
			goto fail;
	}
	rc = vg_store_schema_version(app->store, &version, err);
	if (rc)
		goto fail;
	if (version != vg_store_schema_latest()) {
		rc = vg_error_set(err, VG_EINVAL,
				  "the store is at schema version %d and this vigil needs %d; "
				  "run `vigil migrate --data %s`",
				  version, vg_store_schema_latest(), data_dir);
		goto fail;
	}
	*out = app;
	return VG_OK;
fail:
	vg_app_close(app);
	return rc;
}

void vg_app_close(vg_app *app)
{
	if (!app)
		return;
	vg_store_close(app->store);
	vg_master_key_wipe(&app->master_key);
	vg_conf_release(vg_config_keys, &app->config);
	free(app->data_dir);
	free(app);
}

int vg_app_migrate(const char *data_dir, int *from, int *to, vg_error *err)
{
	char url[PATH_MAX + 8], detail[64];
	vg_store *store = NULL;
	vg_ctx system = vg_ctx_system();
	vg_tx *tx = NULL;
	vg_config cfg;
	int rc;

	*from = *to = 0;
	rc = vg_app_load_config(data_dir, &cfg, err);
	if (rc)
		return rc;
	rc = store_url(data_dir, &cfg, url, err);
	vg_conf_release(vg_config_keys, &cfg);
	if (rc)
		return rc;
	rc = vg_store_open(url, NULL, false, &store, err);
	if (!rc)
		rc = vg_store_migrate(store, from, to, err);
	if (rc || *from == *to)
		goto out;
	snprintf(detail, sizeof(detail), "schema %d to %d", *from, *to);
	rc = vg_tx_begin(store, true, &tx, err);
	if (!rc)
		rc = vg_audit_append(tx, &system,
				     &(vg_audit_entry){ .action = "store.migrate", .object = "store",
							.outcome = "ok", .detail = detail },
				     err);
	if (!rc) {
		rc = vg_tx_commit(tx, err);
		tx = NULL;
	}
out:
	vg_tx_rollback(tx);
	vg_store_close(store);
	return rc;
}

int vg_app_lock(const char *data_dir, int *fd_out, vg_error *err)
{
	char path[PATH_MAX];
	int fd, rc;

	*fd_out = -1;
	rc = data_path(data_dir, VG_APP_LOCK_FILE, path, err);
	if (rc)
		return rc;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return vg_error_set(err, VG_EIO, "cannot open %s: %s", path, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		rc = errno == EWOULDBLOCK
			     ? vg_error_set(err, VG_ECONFLICT,
					    "%s is in use by a running vigil server; stop it first",
					    data_dir)
			     : vg_error_set(err, VG_EIO, "cannot lock %s: %s", path, strerror(errno));
		close(fd);
		return rc;
	}
	*fd_out = fd;
	return VG_OK;
}
