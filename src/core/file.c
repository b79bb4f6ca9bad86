/* file.c - whole-file and chunked reads, and durable directories (see file.h). */
#include "core/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/xalloc.h"

int vg_file_read(const char *path, size_t max, vg_buf *out, vg_error *err)
{
	size_t mark = out->len, limit = out->max, n;
	char chunk[65536];
	FILE *f = fopen(path, "re");
	int rc = VG_OK;

	if (!f) {
		if (errno == ENOENT)
			return vg_error_set(err, VG_ENOTFOUND, "%s does not exist", path);
		return vg_error_set(err, VG_EIO, "cannot read %s: %s", path, strerror(errno));
	}
	if (max < limit - mark)
		out->max = mark + max;
	while (rc == VG_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rc = vg_buf_append(out, chunk, n);
	out->max = limit;
	if (rc == VG_ETOOBIG)
		rc = vg_error_set(err, VG_ETOOBIG, "%s: larger than %zu bytes", path, max);
	else if (rc)
		rc = vg_error_set(err, rc, "out of memory reading %s", path);
	else if (ferror(f))
		rc = vg_error_set(err, VG_EIO, "cannot read %s: %s", path, strerror(errno));
	fclose(f);
	if (rc) {
		out->len = mark;
		if (out->ptr)
			out->ptr[mark] = '\0';
	}
	return rc;
}

int vg_fd_read_chunks(int fd, size_t chunk_size, const char *what, vg_chunk_fn fn, void *arg,
		      vg_error *err)
{
	char *chunk = vg_xmalloc(chunk_size);
	int rc;

	for (;;) {
		ssize_t n = read(fd, chunk, chunk_size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = vg_error_set(err, VG_EIO, "reading %s: %s", what, strerror(errno));
			break;
		}
		rc = fn(arg, chunk, (size_t)n, n == 0, err);
		if (rc || n == 0)
			break;
	}
	free(chunk);
	return rc;
}

int vg_fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc, saved;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}
