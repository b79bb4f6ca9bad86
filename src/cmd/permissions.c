/* permissions.c - `vigil permissions`: the role and permission table. */
#include "cmd/cmd.h"

#include "identity/role.h"

static const char usage[] =
	"usage: vigil permissions [--markdown]\n\n"
	"Prints which role holds which permission (the table in docs/security.md).\n";

int cmd_permissions(int argc, char **argv)
{
	const char *markdown = NULL;
	cmd_flag flags[] = { { "markdown", false, &markdown, NULL }, { 0 } };
	vg_buf out = VG_BUF_INIT(1 << 16);
	int status;

	if (!cmd_parse_flags(argc, argv, flags, NULL, 0, NULL, usage, &status))
		return status;
	if (vg_perm_render_markdown(&out)) {
		vg_buf_release(&out);
		return VG_EXIT_FAIL;
	}
	fputs(vg_buf_cstr(&out), stdout);
	vg_buf_release(&out);
	return VG_EXIT_OK;
}
