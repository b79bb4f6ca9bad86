/*
 * ingest.c - POST /api/v1/ingest/{source}: events from a source, sent with
 * the source's token ("Authorization: Bearer vgs_...").
 *
 * The body is what the source type reads: one JSON object, a JSON array,
 * NDJSON, or log lines; "Content-Encoding: gzip" is undone first (the
 * undone body is held to ingest.max_body_bytes too). The answer comes only
 * after the accepted events are in the archive, and says what was accepted
 * and what was refused (the first few refusals with line and reason), so
 * a sender that gets 200 may drop its copy.
 */
#include "api/api.h"

#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "core/buf.h"
#include "ingest/sources.h"
#include "pipeline/pipeline.h"

int api_gunzip(const char *in, size_t len, vg_buf *out, vg_error *err)
{
	z_stream zs = { 0 };
	char chunk[65536];
	int zrc = Z_OK, rc = VG_OK;

	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return vg_error_set(err, VG_ENOMEM, "out of memory undoing gzip");
	zs.next_in = (Bytef *)in;
	zs.avail_in = (uInt)len;
	while (rc == VG_OK) {
		zs.next_out = (Bytef *)chunk;
		zs.avail_out = sizeof(chunk);
		zrc = inflate(&zs, Z_NO_FLUSH);
		if (zrc != Z_OK && zrc != Z_STREAM_END && zrc != Z_BUF_ERROR) {
			rc = vg_error_set(err, VG_EINVAL, "body is not valid gzip: %s",
					  zs.msg ? zs.msg : "corrupt data");
			break;
		}
		if (vg_buf_append(out, chunk, sizeof(chunk) - zs.avail_out)) {
			rc = vg_error_set(err, VG_ETOOBIG, "body is larger than %zu bytes once gunzipped",
					  out->max);
			break;
		}
		if (zrc == Z_STREAM_END) {
			if (!zs.avail_in)
				break;
			inflateReset(&zs);
		} else if (zrc == Z_BUF_ERROR && !zs.avail_in) {
			rc = vg_error_set(err, VG_EINVAL, "body is not valid gzip: it ends early");
		}
	}
	inflateEnd(&zs);
	return rc;
}

json_t *api_ingest_result_json(const vg_ingest_result *r)
{
	json_t *by = json_object(), *rejects = json_array();
	size_t i;

	for (i = 0; i < VG_REJECT_NREASONS; i++)
		if (r->by_reason[i])
			json_object_set_new(by, vg_reject_reason_name((enum vg_reject_reason)i),
					    json_integer((json_int_t)r->by_reason[i]));
	for (i = 0; i < r->nrejects; i++)
		json_array_append_new(rejects,
				      json_pack("{s:I, s:I, s:s, s:s}", "line",
						(json_int_t)r->rejects[i].line, "offset",
						(json_int_t)r->rejects[i].offset, "reason",
						vg_reject_reason_name(r->rejects[i].reason), "message",
						r->rejects[i].msg));
	return json_pack("{s:I, s:I, s:o, s:o, s:I, s:I}", "accepted", (json_int_t)r->accepted,
			 "rejected", (json_int_t)r->rejected, "rejected_by_reason", by, "rejects",
			 rejects, "alerts", (json_int_t)r->hits, "alerts_opened",
			 (json_int_t)r->opened);
}

int api_ingest(vg_req *req, vg_error *err)
{
	const char *authz = vg_req_header(req, "Authorization");
	const char *encoding = vg_req_header(req, "Content-Encoding");
	vg_app *app = vg_req_app(req);
	vg_buf plain = VG_BUF_INIT((size_t)app->config.ingest_max_body_bytes);
	vg_ingest_result res;
	vg_ingest *in = NULL;
	const char *body;
	size_t len;
	int64_t id;
	vg_source s;
	vg_tx *tx;
	int rc;

	if (!app->pipeline)
		return vg_error_set(err, VG_EFAIL, "this server runs no detection pipeline");
	rc = vg_req_param_id(req, 0, &id, err);
	if (rc)
		return rc;
	if (!authz || strncmp(authz, "Bearer ", 7) != 0)
		return vg_error_set(err, VG_EAUTH, "send the source's token: Authorization: Bearer vgs_...");
	rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = vg_source_authenticate(tx, authz + 7, &s, err);
	if (!rc && s.id != id)
		rc = vg_error_set(err, VG_EAUTH, "invalid source token");
	if (rc)
		return rc;
	body = vg_req_raw_body(req, &len);
	if (encoding && strcasecmp(encoding, "gzip") == 0) {
		rc = api_gunzip(body, len, &plain, err);
		body = vg_buf_cstr(&plain);
		len = plain.len;
	} else if (encoding && strcasecmp(encoding, "identity") != 0) {
		rc = vg_error_set(err, VG_EINVAL, "Content-Encoding must be gzip or identity, not %s",
				  encoding);
	}
	if (!rc)
		rc = vg_ingest_begin(app->pipeline, &s, NULL, &in, err);
	if (!rc)
		rc = vg_ingest_push(in, body ? body : "", len, true, err);
	if (!rc) {
		vg_ingest_result_get(in, &res);
		rc = vg_resp_json(req, 200, api_ingest_result_json(&res));
	}
	vg_ingest_end(in);
	vg_buf_release(&plain);
	return rc;
}
