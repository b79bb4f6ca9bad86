/*
 * file.h - reading a whole file of bounded size.
 */
#ifndef VG_CORE_FILE_H
#define VG_CORE_FILE_H

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

#endif
