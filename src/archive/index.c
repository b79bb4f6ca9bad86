/*
 * index.c - keeping a segment's index file in step with the segment: records
 * appended after their blocks are committed, and dropped when recovery cuts
 * the segment's tail. The index is a cache; any failure here only stops the
 * segment being indexed until recovery rebuilds it (scans then read block
 * headers instead).
 */
#include "archive/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void vg__arc_idx_append(const arc_tenant *t, int32_t day, arc_seg *seg, const uint64_t *offs,
			const unsigned char (*hdrs)[ARC_HDR_LEN], size_t n)
{
	char path[ARC_PATH_MAX];
	unsigned char *buf = NULL;
	size_t len = 0;
	uint64_t at;
	int fd = -1;

	if (!seg->idx_known || n == 0)
		return;
	if (vg__arc_seg_path(t, day, seg->num, ".idx", path))
		goto fail;
	buf = malloc(ARC_IDX_HDR_LEN + n * ARC_IDX_REC_LEN);
	if (!buf)
		goto fail;
	if (seg->idx_recs == 0) {
		vg__arc_idx_header(buf);
		len = ARC_IDX_HDR_LEN;
	}
	for (size_t i = 0; i < n; i++, len += ARC_IDX_REC_LEN)
		vg__arc_idx_record(offs[i], hdrs[i], buf + len);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (seg->idx_recs == 0 ? O_TRUNC : 0), 0600);
	at = seg->idx_recs == 0 ? 0 : ARC_IDX_HDR_LEN + (uint64_t)seg->idx_recs * ARC_IDX_REC_LEN;
	if (fd < 0 || vg__arc_write_full(fd, buf, len, at) != 0)
		goto fail;
	seg->idx_recs += (uint32_t)n;
	close(fd);
	free(buf);
	return;
fail:
	seg->idx_known = false;
	if (fd >= 0)
		close(fd);
	free(buf);
}

void vg__arc_idx_trim(const arc_tenant *t, int32_t day, arc_seg *seg, uint64_t len)
{
	char path[ARC_PATH_MAX];
	unsigned char rec[ARC_IDX_REC_LEN], h[ARC_IDX_HDR_LEN];
	uint64_t keep = 0, n, off = 0;
	struct stat st;
	arc_hdr hdr = { 0 };
	int fd = -1;

	if (vg__arc_seg_path(t, day, seg->num, ".idx", path))
		goto fail;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && len == 0) {
		seg->idx_recs = 0;
		seg->idx_known = true;
		return;
	}
	if (fd < 0 || fstat(fd, &st) != 0 || st.st_size < ARC_IDX_HDR_LEN ||
	    vg__arc_read_full(fd, h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    !vg__arc_idx_header_ok(h))
		goto fail;
	n = ((uint64_t)st.st_size - ARC_IDX_HDR_LEN) / ARC_IDX_REC_LEN;
	if (n > seg->idx_recs)
		n = seg->idx_recs;
	for (keep = n; keep > 0; keep--) {
		uint64_t at = ARC_IDX_HDR_LEN + (keep - 1) * ARC_IDX_REC_LEN;

		if (vg__arc_read_full(fd, rec, sizeof(rec), at) != (ssize_t)sizeof(rec) ||
		    vg__arc_idx_record_decode(rec, &off, &hdr))
			goto fail;
		if (off + ARC_HDR_LEN + hdr.comp_len <= len)
			break;
	}
	if (ftruncate(fd, (off_t)(ARC_IDX_HDR_LEN + keep * ARC_IDX_REC_LEN)) != 0)
		goto fail;
	close(fd);
	seg->idx_recs = (uint32_t)keep;
	/* The records left must cover the segment exactly for appends to extend them. */
	seg->idx_known = keep == 0 ? len == 0 : off + ARC_HDR_LEN + hdr.comp_len == len;
	return;
fail:
	if (fd >= 0)
		close(fd);
	if (vg__arc_seg_path(t, day, seg->num, ".idx", path) == VG_OK)
		unlink(path);
	seg->idx_recs = 0;
	seg->idx_known = len == 0;
}
