/*
 * file.h - reading a whole file of bounded size, or a stream in chunks;
 * writing one whole or not at all; making a directory's entries durable.
 */
#ifndef VG_CORE_FILE_H
#define VG_CORE_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

/*
 * Appends the contents of the file at path to out (which stays
 * NUL-terminated). VG_ENOTFOUND "PATH does not exist", VG_ETOOBIG "PATH:
 * larger than MAX bytes", VG_EIO with the system's reason; out is left as
 * it was on failure.
 */
int vg_file_read(const char *path, size_t max, vg_buf *out, vg_error *err);

/*
 * Reads fd to its end in chunks of up to chunk_size bytes and hands each to
 * fn, then calls fn once more with len 0 and last true. Stops at the first
 * error fn returns and returns it; VG_EIO "reading WHAT: reason" when a
 * read fails.
 */
typedef int (*vg_chunk_fn)(void *arg, const char *data, size_t len, bool last, vg_error *err);
int vg_fd_read_chunks(int fd, size_t chunk_size, const char *what, vg_chunk_fn fn, void *arg,
		      vg_error *err);

/*
 * Writes len bytes as the file at path (mode mode) whole or not at all: into
 * a temporary file beside it, fsync'd, renamed over path, and the directory
 * fsync'd, so path holds either what it held before or all of data.
 * VG_EIO "cannot write PATH: reason" on failure, with nothing left behind.
 */
int vg_file_write_atomic(const char *path, const void *data, size_t len, unsigned mode,
			 vg_error *err);

/* fsyncs directory path, so the names made or removed in it last: 0, or
 * -1 with errno. */
int vg_fsync_dir(const char *path);

#endif
