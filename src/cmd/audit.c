/* audit.c - `vigil audit verify`: check the audit trail's hash chain. */
#include "cmd/cmd.h"

#include <string.h>

#include "audit/audit.h"

static const char usage[] =
	"usage: vigil audit verify --data DIR\n\n"
	"Recomputes the audit trail's hash chain. Exits 0 when intact; exits 1\n"
	"naming the first row that was changed, or before which rows were inserted\n"
	"or deleted.\n";

int cmd_audit(int argc, char **argv)
{
	const char *data = NULL, *dir, *sub[1];
	cmd_flag flags[] = { { "data", true, &data, NULL }, { 0 } };
	int64_t rows, bad;
	vg_error err = { 0 };
	vg_app *app = NULL;
	int status, npos;

	if (!cmd_parse_flags(argc, argv, flags, sub, 1, &npos, usage, &status))
		return status;
	if (npos != 1 || strcmp(sub[0], "verify") != 0)
		return cmd_usage_error(usage, "the audit command is `vigil audit verify`");
	dir = cmd_data_dir(data, usage);
	if (!dir)
		return VG_EXIT_USAGE;
	status = cmd_open_app(dir, false, &app);
	if (status)
		return status;
	if (vg_audit_verify(app->store, &rows, &bad, &err)) {
		fprintf(stderr, "vigil: %s\n", err.msg);
		status = VG_EXIT_FAIL;
	} else {
		printf("audit trail intact: %lld rows\n", (long long)rows);
	}
	vg_app_close(app);
	return status;
}
