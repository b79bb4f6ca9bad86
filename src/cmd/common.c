/* common.c - flag parsing, data-directory opening and error reporting
 * shared by the subcommands (see cmd.h). */
#include "cmd/cmd.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const cmd_flag *find_flag(const cmd_flag *flags, const char *name, size_t len)
{
	for (const cmd_flag *f = flags; f->name; f++)
		if (strlen(f->name) == len && memcmp(f->name, name, len) == 0)
			return f;
	return NULL;
}

bool cmd_parse_flags(int argc, char **argv, const cmd_flag *flags, const char **positional,
		     int max_positional, int *npositional, const char *usage, int *exit_now)
{
	int npos = 0;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char *eq, *name;
		const cmd_flag *f;
		size_t len;

		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			fputs(usage, stdout);
			*exit_now = VG_EXIT_OK;
			return false;
		}
		if (strcmp(arg, "--") == 0) {
			for (i++; i < argc; i++) {
				if (npos == max_positional)
					goto too_many;
				positional[npos++] = argv[i];
			}
			break;
		}
		/* "-o" is the flag named "o": one letter, one dash. */
		if (arg[0] == '-' && arg[1] && arg[1] != '-' && !arg[2] &&
		    find_flag(flags, arg + 1, 1)) {
			name = arg + 1;
		} else if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
			if (npos == max_positional)
				goto too_many;
			positional[npos++] = arg;
			continue;
		} else {
			name = arg + 2;
		}
		eq = strchr(name, '=');
		len = eq ? (size_t)(eq - name) : strlen(name);
		f = find_flag(flags, name, len);
		if (!f) {
			*exit_now = cmd_usage_error(usage, "unknown option --%.*s", (int)len, name);
			return false;
		}
		if (f->list && f->list->n == CMD_LIST_MAX) {
			*exit_now = cmd_usage_error(usage, "option --%s given more than %d times",
						    f->name, CMD_LIST_MAX);
			return false;
		}
		if (!f->takes_value) {
			if (eq) {
				*exit_now = cmd_usage_error(usage, "option --%s takes no value",
							    f->name);
				return false;
			}
			*f->value = "1";
		} else if (eq || i + 1 < argc) {
			const char *v = eq ? eq + 1 : argv[++i];

			if (f->list)
				f->list->v[f->list->n++] = v;
			else
				*f->value = v;
		} else {
			*exit_now = cmd_usage_error(usage, "option --%s needs a value", f->name);
			return false;
		}
	}
	if (npositional)
		*npositional = npos;
	return true;
too_many:
	*exit_now = cmd_usage_error(usage, "unexpected argument \"%s\"", argv[argc - 1]);
	return false;
}

int cmd_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	fputs("vigil: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n\n%s", usage);
	return VG_EXIT_USAGE;
}

const char *cmd_data_dir(const char *flag_value, const char *usage)
{
	const char *dir = flag_value ? flag_value : getenv("VIGIL_DATA");

	if (!dir || !*dir) {
		cmd_usage_error(usage, "no data directory: give --data DIR or set VIGIL_DATA");
		return NULL;
	}
	return dir;
}

int cmd_fail(const vg_error *err)
{
	fprintf(stderr, "vigil: %s\n", err->msg[0] ? err->msg : vg_strerror(err->code));
	return err->code == VG_EINVAL ? VG_EXIT_USAGE : VG_EXIT_FAIL;
}

int cmd_open_app(const char *data_dir, bool migrate, vg_app **out)
{
	vg_error err = { 0 };

	if (vg_app_open(data_dir, migrate, out, &err))
		return cmd_fail(&err);
	return VG_EXIT_OK;
}

int cmd_read_secret_line(char *buf, size_t size, vg_error *err)
{
	size_t len;

	if (!fgets(buf, (int)size, stdin))
		return vg_error_set(err, VG_EINVAL, "expected a line on standard input");
	len = strlen(buf);
	if (len == size - 1 && buf[len - 1] != '\n')
		return vg_error_set(err, VG_EINVAL, "line on standard input is too long");
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	if (!len)
		return vg_error_set(err, VG_EINVAL, "empty line on standard input");
	return VG_OK;
}

int cmd_finish_output(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("vigil: writing output");
		return status ? status : VG_EXIT_FAIL;
	}
	return status;
}

int cmd_write(vg_app *app, const char *action, cmd_change_fn change, void *arg, vg_error *err)
{
	vg_audit_entry entry = { .action = action, .object = "", .outcome = "ok" };
	vg_ctx system = vg_ctx_system();
	vg_tx *tx;
	int rc;

	rc = vg_tx_begin(app->store, true, &tx, err);
	if (rc)
		return rc;
	rc = change(tx, &system, arg, &entry, err);
	if (!rc)
		rc = vg_audit_append(tx, &system, &entry, err);
	if (rc) {
		vg_tx_rollback(tx);
		return rc;
	}
	return vg_tx_commit(tx, err);
}
