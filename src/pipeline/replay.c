/* replay.c - a source's kept refused records, read again (see pipeline.h). */
#include "pipeline/pipeline.h"

#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/buf.h"

/* Records replayed per transaction: their bytes are held in memory. */
#define REPLAY_CHUNK 64

typedef struct chunk {
	int64_t first, last; /* ids */
	size_t n;
	vg_buf raw;          /* the records, back to back */
	size_t off[REPLAY_CHUNK], len[REPLAY_CHUNK];
} chunk;

/* The next chunk of kept records after after_id, up to upto. */
static int read_chunk(vg_app *app, const vg_source *src, int64_t after_id, int64_t upto,
		      chunk *c, vg_error *err)
{
	vg_tx *tx = NULL;
	vg_rows *r = NULL;
	int rc = vg_tx_begin(app->store, false, &tx, err);

	c->n = 0;
	vg_buf_reset(&c->raw);
	if (rc == VG_OK)
		rc = vg_tx_query(tx,
				 "SELECT id, raw FROM rejected_records WHERE source_id = ? AND id > ? "
				 "AND id <= ? ORDER BY id LIMIT ?",
				 VG_PARAMS(VG_P_INT(src->id), VG_P_INT(after_id), VG_P_INT(upto),
					   VG_P_INT(REPLAY_CHUNK)),
				 &r, err);
	while (rc == VG_OK && (rc = vg_rows_next(r, err)) == 1) {
		size_t len;
		const void *raw = vg_rows_blob(r, 1, &len);

		if (!c->n)
			c->first = vg_rows_int(r, 0);
		c->last = vg_rows_int(r, 0);
		c->off[c->n] = c->raw.len;
		c->len[c->n] = len;
		rc = len ? vg_buf_append(&c->raw, raw, len) : VG_OK;
		if (rc)
			rc = vg_error_set(err, rc, "out of memory replaying records");
		else
			c->n++;
	}
	if (rc == 0)
		rc = VG_OK;
	if (r)
		vg_rows_free(r);
	vg_tx_rollback(tx);
	return rc;
}

static int remove_chunk(vg_app *app, const vg_source *src, const chunk *c, vg_error *err)
{
	vg_tx *tx;
	int rc = vg_tx_begin(app->store, true, &tx, err);

	if (rc == VG_OK)
		rc = vg_tx_exec(tx,
				"DELETE FROM rejected_records WHERE source_id = ? AND id BETWEEN ? AND ?",
				VG_PARAMS(VG_P_INT(src->id), VG_P_INT(c->first), VG_P_INT(c->last)),
				NULL, err);
	if (rc == VG_OK)
		return vg_tx_commit(tx, err);
	vg_tx_rollback(tx);
	return rc;
}

static void add_result(vg_ingest_result *to, const vg_ingest_result *r)
{
	size_t i;

	to->accepted += r->accepted;
	to->rejected += r->rejected;
	to->bytes += r->bytes;
	to->hits += r->hits;
	to->opened += r->opened;
	for (i = 0; i < VG_REJECT_NREASONS; i++)
		to->by_reason[i] += r->by_reason[i];
	for (i = 0; i < r->nrejects && to->nrejects < VG_INGEST_REJECTS_KEPT; i++)
		to->rejects[to->nrejects++] = r->rejects[i];
}

int vg_pipeline_replay(vg_pipeline *p, const vg_source *src, vg_ingest_result *res,
		       vg_error *err)
{
	vg_app *app = vg_pipeline_app(p);
	chunk c = { .raw = VG_BUF_INIT(SIZE_MAX) };
	int64_t upto = 0, after = 0;
	vg_tx *tx;
	int rc;

	memset(res, 0, sizeof(*res));
	/* Records refused again are kept under new ids, past upto. */
	rc = vg_tx_begin(app->store, false, &tx, err);
	if (rc == VG_OK) {
		rc = vg_tx_query_int(tx,
				     "SELECT COALESCE(MAX(id), 0) FROM rejected_records WHERE "
				     "source_id = ?",
				     VG_PARAMS(VG_P_INT(src->id)), &upto, err);
		vg_tx_rollback(tx);
	}
	while (rc == VG_OK) {
		vg_ingest *in = NULL;
		vg_ingest_result r;
		size_t i;

		rc = read_chunk(app, src, after, upto, &c, err);
		if (rc || !c.n)
			break;
		rc = vg_ingest_begin(p, src, NULL, &in, err);
		for (i = 0; i < c.n && rc == VG_OK; i++)
			rc = vg_ingest_add_record(in, c.raw.ptr + c.off[i], c.len[i], err);
		if (rc == VG_OK)
			rc = vg_ingest_commit(in, err);
		if (rc == VG_OK) {
			vg_ingest_result_get(in, &r);
			add_result(res, &r);
		}
		vg_ingest_end(in);
		if (rc == VG_OK)
			rc = remove_chunk(app, src, &c, err);
		after = c.last;
	}
	vg_buf_release(&c.raw);
	return rc;
}
