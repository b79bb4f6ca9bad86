/*
 * console.c - the web console's built files (web/dist), served at "/".
 *
 * Any GET or HEAD that no API route takes is a path of the console: a file
 * of the build when there is one, else (a path whose last segment has no
 * extension: a page of the single-page app) its index.html, so a link into
 * a page works after a reload. Hashed assets (/assets/NAME-HASH.js) never
 * change under their name and are cached for a year; index.html is asked
 * again each time, so a new build is picked up at once. Every console
 * answer carries a Content-Security-Policy that allows only the console's
 * own scripts, styles and API.
 */
#include "http/internal.h"

#include <string.h>
#include <sys/stat.h>

#include "core/file.h"

#define CONSOLE_PATH_MAX 512
#define CONSOLE_FILE_MAX (32u << 20)

#ifndef VIGIL_CONSOLE_DIR
#define VIGIL_CONSOLE_DIR "web/dist"
#endif

static const char console_csp[] =
	"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
	"font-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; "
	"base-uri 'none'; form-action 'self'";

static const struct {
	const char *ext, *type;
} types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".json", "application/json" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".woff2", "font/woff2" },
	{ ".woff", "font/woff" },
	{ ".ttf", "font/ttf" },
	{ ".txt", "text/plain; charset=utf-8" },
};

/* The type of a file by its name, or NULL for a kind not served. */
static const char *type_of(const char *path)
{
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return NULL;
}

/* A path the console may have: "/" and segments of letters, digits and
 * "-_.~@", none starting with a dot (no "..", no hidden files). */
static bool safe_path(const char *path)
{
	size_t len = strlen(path);

	if (path[0] != '/' || len > CONSOLE_PATH_MAX)
		return false;
	for (const char *p = path; *p; p++) {
		bool word = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9') || strchr("-_.~@/", *p);

		if (!word || (*p == '/' && p[1] == '.') || (*p == '/' && p[1] == '/'))
			return false;
	}
	return true;
}

static const char *console_dir(const vg_req *req)
{
	const char *dir = req->app->config.console_dir;

	return dir && *dir ? dir : VIGIL_CONSOLE_DIR;
}

static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static void not_found(vg_req *req, const char *why)
{
	vg_error err = { 0 };

	vg_error_set(&err, VG_ENOTFOUND, "%s", why);
	vg__http_problem(req, VG_ENOTFOUND, &err);
}

bool vg__http_console(vg_req *req)
{
	char file[CONSOLE_PATH_MAX + 4096];
	const char *dir = console_dir(req), *last, *type;
	vg_buf body = VG_BUF_INIT(CONSOLE_FILE_MAX);
	vg_error err = { 0 };
	size_t len;
	bool page;

	if ((strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) ||
	    strncmp(req->path, "/api/", 5) == 0)
		return false;
	if (!safe_path(req->path)) {
		not_found(req, "no such resource");
		return true;
	}
	last = strrchr(req->path, '/') + 1;
	page = strchr(last, '.') == NULL;
	snprintf(file, sizeof(file), "%s%s", dir, page ? "/index.html" : req->path);
	if (page && !is_file(file)) {
		not_found(req, "the console is not built (web/dist has no index.html): run make");
		return true;
	}
	type = type_of(file);
	if (!type || !is_file(file)) {
		not_found(req, "no such resource");
		return true;
	}
	if (vg_file_read(file, CONSOLE_FILE_MAX, &body, &err)) {
		vg_buf_release(&body);
		vg__http_problem(req, err.code == VG_ENOTFOUND ? VG_ENOTFOUND : VG_EIO, &err);
		return true;
	}
	len = body.len;
	vg_resp_header(req, "Cache-Control",
		       strncmp(req->path, "/assets/", 8) == 0 ? "public, max-age=31536000, immutable"
							     : "no-cache");
	vg_resp_header(req, "Content-Security-Policy", console_csp);
	vg_resp_raw_take(req, 200, type, vg_buf_detach(&body), len);
	return true;
}
