/*
 * io.c - the archive's file helpers: whole reads and writes at an offset,
 * fsync of a directory, removal of a day directory, and copying a range of a
 * file aside (what recovery cuts off is kept).
 */
#include "archive/internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

ssize_t vg__arc_read_full(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

int vg__arc_write_full(int fd, const void *buf, size_t len, uint64_t off)
{
	struct iovec iov = { (void *)buf, len };

	return vg__arc_writev_full(fd, &iov, 1, off);
}

int vg__arc_writev_full(int fd, struct iovec *iov, int n, uint64_t off)
{
	int first = 0;

	while (first < n) {
		ssize_t done;

		if (iov[first].iov_len == 0) {
			first++;
			continue;
		}
		done = pwritev(fd, iov + first, n - first, (off_t)off);
		if (done < 0 && errno == EINTR)
			continue;
		if (done < 0)
			return -1;
		if (done == 0) {
			errno = EIO;
			return -1;
		}
		off += (uint64_t)done;
		while (done > 0 && first < n) {
			size_t take = (size_t)done < iov[first].iov_len ? (size_t)done
								       : iov[first].iov_len;

			iov[first].iov_base = (char *)iov[first].iov_base + take;
			iov[first].iov_len -= take;
			done -= (ssize_t)take;
			if (iov[first].iov_len == 0)
				first++;
		}
	}
	return 0;
}

int vg__arc_remove_dir(const char *path)
{
	char file[ARC_PATH_MAX];
	struct dirent *de;
	int rc = 0;
	DIR *d;

	d = opendir(path);
	if (!d)
		return errno == ENOENT ? 0 : -1;
	while ((de = readdir(d)) != NULL) {
		int n;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		n = snprintf(file, sizeof(file), "%s/%s", path, de->d_name);
		if (n < 0 || (size_t)n >= sizeof(file) || (unlink(file) != 0 && errno != ENOENT)) {
			rc = -1;
			break;
		}
	}
	closedir(d);
	if (rc == 0 && rmdir(path) != 0 && errno != ENOENT)
		rc = -1;
	return rc;
}

int vg__arc_copy_range(int fd, uint64_t off, uint64_t len, const char *path)
{
	enum { CHUNK = 1 << 20 };
	unsigned char *buf = NULL;
	uint64_t done = 0;
	int out = -1, rc = -1, saved;

	buf = malloc(CHUNK);
	if (!buf) {
		errno = ENOMEM;
		goto out;
	}
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0)
		goto out;
	while (done < len) {
		size_t want = len - done < CHUNK ? (size_t)(len - done) : CHUNK;
		ssize_t got = vg__arc_read_full(fd, buf, want, off + done);

		if (got <= 0) {
			if (got == 0)
				errno = EIO;
			goto out;
		}
		if (vg__arc_write_full(out, buf, (size_t)got, done) != 0)
			goto out;
		done += (uint64_t)got;
	}
	if (fsync(out) != 0)
		goto out;
	rc = 0;
out:
	saved = errno;
	if (out >= 0)
		close(out);
	free(buf);
	errno = saved;
	return rc;
}
