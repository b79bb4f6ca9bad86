/* serve.c - `vigil serve`: run the HTTP server until SIGINT or SIGTERM. */
#include "cmd/cmd.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "http/http.h"
#include "ops/catalog.h"
#include "pipeline/service.h"

static const char usage[] =
	"usage: vigil serve --data DIR [--listen HOST:PORT] [--tls-cert FILE --tls-key FILE]\n\n"
	"Serves the API and console. Flags override vigil.yaml and VIGIL_* variables.\n"
	"Stops cleanly on SIGINT or SIGTERM.\n";

/* Replaces a configured string with a flag's value. */
static void override(char **setting, const char *value)
{
	if (!value)
		return;
	free(*setting);
	*setting = strdup(value);
}

int cmd_serve(int argc, char **argv)
{
	const char *data = NULL, *listen = NULL, *cert = NULL, *key = NULL, *dir;
	cmd_flag flags[] = { { "data", true, &data, NULL },
			     { "listen", true, &listen, NULL },
			     { "tls-cert", true, &cert, NULL },
			     { "tls-key", true, &key, NULL },
			     { 0 } };
	vg_server *srv = NULL;
	vg_service *detection = NULL;
	vg_error err = { 0 };
	vg_app *app = NULL;
	sigset_t signals;
	int status, sig, lock = -1;

	if (!cmd_parse_flags(argc, argv, flags, NULL, 0, NULL, usage, &status))
		return status;
	if (!cert != !key)
		return cmd_usage_error(usage, "--tls-cert and --tls-key go together");
	dir = cmd_data_dir(data, usage);
	if (!dir)
		return VG_EXIT_USAGE;
	/* Block the stop signals before any thread starts, so every thread
	 * inherits the mask and only sigwait below receives them. */
	sigemptyset(&signals);
	sigaddset(&signals, SIGINT);
	sigaddset(&signals, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &signals, NULL);
	signal(SIGPIPE, SIG_IGN);

	status = cmd_open_app(dir, false, &app);
	if (status)
		return status;
	override(&app->config.listen, listen);
	override(&app->config.tls_cert, cert);
	override(&app->config.tls_key, key);
	if (vg_app_lock(dir, &lock, &err) || !vg_catalog_builtin(&err) ||
	    vg_service_start(app, &detection, &err) || vg_server_start(app, &srv, &err)) {
		status = cmd_fail(&err);
		goto out;
	}
	vg_info("serve", "serving %s on %s://%s (port %d)", dir,
		app->config.tls_cert ? "https" : "http", app->config.listen, vg_server_port(srv));
	fprintf(stderr, "vigil: serving on %s://%s\n", app->config.tls_cert ? "https" : "http",
		app->config.listen);
	sigwait(&signals, &sig);
	vg_info("serve", "stopping on signal %d", sig);
	vg_server_stop(srv);
out:
	vg_service_stop(detection);
	if (lock >= 0)
		close(lock);
	vg_app_close(app);
	return status;
}
