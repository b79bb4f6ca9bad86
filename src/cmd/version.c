/* version.c - `vigil version`. */
#include "cmd/cmd.h"

#include "store/store.h"

static const char usage[] = "usage: vigil version\n\nPrints the version and the schema version this binary writes.\n";

int cmd_version(int argc, char **argv)
{
	int status;

	if (!cmd_parse_flags(argc, argv, (const cmd_flag[]){ { 0 } }, NULL, 0, NULL, usage, &status))
		return status;
	printf("vigil %s (schema %d)\n", VIGIL_VERSION, vg_store_schema_latest());
	return VG_EXIT_OK;
}
