/* file.c - whole-file and chunked reads, whole-file writes, and durable
 * directories (see file.h). */
#include "core/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

static int write_all(int fd, const unsigned char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int vg_file_write_atomic(const char *path, const void *data, size_t len, unsigned mode,
			 vg_error *err)
{
	char tmp[4096], dir[4096];
	const char *slash = strrchr(path, '/');
	int fd, saved;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= sizeof(tmp))
		return vg_error_set(err, VG_EIO, "cannot write %s: the path is too long", path);
	if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else if (slash)
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	else
		snprintf(dir, sizeof(dir), ".");
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return vg_error_set(err, VG_EIO, "cannot write %s: %s", path, strerror(errno));
	if (fchmod(fd, (mode_t)mode) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		saved = errno;
		close(fd);
		unlink(tmp);
		return vg_error_set(err, VG_EIO, "cannot write %s: %s", path, strerror(saved));
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		saved = errno;
		unlink(tmp);
		return vg_error_set(err, VG_EIO, "cannot write %s: %s", path, strerror(saved));
	}
	if (vg_fsync_dir(dir) != 0)
		return vg_error_set(err, VG_EIO, "cannot write %s: fsync %s: %s", path, dir,
				    strerror(errno));
	return VG_OK;
}
