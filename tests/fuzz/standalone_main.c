/*
 * standalone_main.c - runs a fuzz target without libFuzzer: calls
 * LLVMFuzzerTestOneInput once for every file named on the command line or
 * found in a directory named there, and prints how many inputs ran.
 *
 * Built into <target>_replay when VIGIL_FUZZ is off, so `make check` runs
 * every seed corpus (and every crash input saved into one) under the
 * sanitizers. Fails when an argument cannot be read or names no input, so a
 * missing corpus cannot pass for a clean run.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* Reads path into a buffer of exactly its size, so that the sanitizers
 * catch a target reading past the end of its input. */
static int run_file(const char *path)
{
	uint8_t *data = NULL;
	size_t size = 0;
	struct stat st;
	int rc = -1;
	FILE *f;

	f = fopen(path, "rb");
	if (!f || fstat(fileno(f), &st) != 0) {
		fprintf(stderr, "replay: cannot read %s: %s\n", path, strerror(errno));
		goto out;
	}
	size = (size_t)st.st_size;
	data = malloc(size ? size : 1);
	if (!data || fread(data, 1, size, f) != size) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		goto out;
	}
	LLVMFuzzerTestOneInput(data, size);
	rc = 0;
out:
	free(data);
	if (f)
		fclose(f);
	return rc;
}

/* Runs every regular file in dir; returns how many, or -1. */
static long run_dir(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	long count = 0;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "replay: cannot open %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		int n = snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);

		if (n < 0 || (size_t)n >= sizeof(path) || stat(path, &st) != 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (run_file(path) != 0) {
			count = -1;
			break;
		}
		count++;
	}
	closedir(d);
	return count;
}

int main(int argc, char **argv)
{
	long total = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;
		long n;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: cannot read %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		n = S_ISDIR(st.st_mode) ? run_dir(argv[i]) : run_file(argv[i]) == 0 ? 1 : -1;
		if (n <= 0) {
			fprintf(stderr, "replay: no inputs run from %s\n", argv[i]);
			return 1;
		}
		total += n;
	}
	printf("%s: %ld inputs\n", argv[0], total);
	return 0;
}
