/*
 * test_notify.c - the requests each channel type builds (body, URL,
 * headers, signature with a fixed clock; the signatures' expected values
 * computed independently with Python's hmac module), the judging of vendor
 * answers, and the text helpers: cutting at character boundaries, Slack's
 * mrkdwn and HTML for email.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/crypto.h"
#include "notify/internal.h"

#define NOW_MS 1796150899123LL /* 2026-12-01T18:48:19.123Z */

static const char *header(const vg__notify_request *req, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < req->nheaders; i++)
		if (strncmp(req->headers[i], name, n) == 0 && req->headers[i][n] == ':')
			return req->headers[i] + n + 2;
	return NULL;
}

static void dingtalk_signs_the_url(void **state)
{
	vg_notify_channel ch = { .type = VG_NOTIFY_DINGTALK,
				 .url = "https://oapi.dingtalk.com/robot/send?access_token=T",
				 .secret = "SECabc" };
	vg_notify_message m = { .title = "T", .text = "x" };
	vg__notify_request req;
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(vg__notify_build(&ch, &m, NOW_MS, &req, &err), VG_OK);
	assert_string_equal(vg_buf_cstr(&req.url),
			    "https://oapi.dingtalk.com/robot/send?access_token=T"
			    "&timestamp=1796150899123&sign=uvrKCSFTaO1hmTATc9%2BOp5AR7W96Ez%2BGGHlEyUHMXVo%3D");
	assert_string_equal(vg_buf_cstr(&req.body),
			    "{\"msgtype\":\"markdown\",\"markdown\":{\"title\":\"T\",\"text\":\"## "
			    "T\\n\\nx\"},\"at\":{\"atMobiles\":[],\"isAtAll\":false}}");
	assert_string_equal(header(&req, "Content-Type"), "application/json");
	vg__notify_request_release(&req);
	/* Without a secret (a keyword or IP list guards the robot) no signature. */
	ch.secret = NULL;
	assert_int_equal(vg__notify_build(&ch, &m, NOW_MS, &req, &err), VG_OK);
	assert_string_equal(vg_buf_cstr(&req.url),
			    "https://oapi.dingtalk.com/robot/send?access_token=T");
	vg__notify_request_release(&req);
}

static void feishu_signs_the_body(void **state)
{
	vg_notify_channel ch = { .type = VG_NOTIFY_FEISHU,
				 .url = "https://open.feishu.cn/open-apis/bot/v2/hook/X",
				 .secret = "secret" };
	vg_notify_message m = { .title = "T", .text = "a\nb" };
	vg__notify_request req;
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(vg__notify_build(&ch, &m, NOW_MS, &req, &err), VG_OK);
	assert_string_equal(vg_buf_cstr(&req.body),
			    "{\"msg_type\":\"post\",\"content\":{\"post\":{\"zh_cn\":{\"title\":\"T\","
			    "\"content\":[[{\"tag\":\"text\",\"text\":\"a\"}],[{\"tag\":\"text\","
			    "\"text\":\"b\"}]]}}},\"timestamp\":\"1796150899\",\"sign\":"
			    "\"GJ6nYiUZVwEN7eUjoEtFoDZo5p5xbXTOOEAlv//+5a8=\"}");
	vg__notify_request_release(&req);
}

static void webhook_follows_standard_webhooks(void **state)
{
	vg_notify_channel ch = { .type = VG_NOTIFY_WEBHOOK, .url = "https://h.example/in",
				 .secret = "whsec_a2V5" };
	vg_notify_message m = { .title = "T", .text = "x", .event = "test", .id = "msg_1" };
	vg__notify_request req;
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(vg__notify_build(&ch, &m, NOW_MS, &req, &err), VG_OK);
	assert_string_equal(vg_buf_cstr(&req.body),
			    "{\"type\":\"test\",\"timestamp\":\"2026-12-01T18:48:19.123Z\",\"data\":"
			    "{\"title\":\"T\",\"text\":\"x\"}}");
	assert_string_equal(header(&req, "webhook-id"), "msg_1");
	assert_string_equal(header(&req, "webhook-timestamp"), "1796150899");
	assert_string_equal(header(&req, "webhook-signature"),
			    "v1,R+Au9V0d27sqnNm9sJQQqQQj6xyUrEGkY06qpdUZopg=");
	vg__notify_request_release(&req);
	ch.secret = "whsec_";
	assert_int_equal(vg__notify_build(&ch, &m, NOW_MS, &req, &err), VG_EINVAL);
	assert_string_equal(err.msg, "webhook: webhook secret: the key is empty");
}

static void wecom_and_slack_bodies(void **state)
{
	vg_notify_channel wecom = { .type = VG_NOTIFY_WECOM, .url = "https://q.example/?key=K" };
	vg_notify_channel slack = { .type = VG_NOTIFY_SLACK, .url = "https://hooks.example/s" };
	vg_notify_message m = { .title = "Alert", .text = "**web-1** & [x](https://a/b)" };
	vg__notify_request req;
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(vg__notify_build(&wecom, &m, NOW_MS, &req, &err), VG_OK);
	assert_string_equal(vg_buf_cstr(&req.body),
			    "{\"msgtype\":\"markdown\",\"markdown\":{\"content\":\"## Alert\\n\\n"
			    "**web-1** & [x](https://a/b)\"}}");
	vg__notify_request_release(&req);
	assert_int_equal(vg__notify_build(&slack, &m, NOW_MS, &req, &err), VG_OK);
	assert_string_equal(vg_buf_cstr(&req.body),
			    "{\"text\":\"Alert\",\"blocks\":[{\"type\":\"header\",\"text\":{\"type\":"
			    "\"plain_text\",\"text\":\"Alert\"}},{\"type\":\"section\",\"text\":{"
			    "\"type\":\"mrkdwn\",\"text\":\"*web-1* &amp; <https://a/b|x>\"}}]}");
	vg__notify_request_release(&req);
	m.title = "two\nlines";
	assert_int_equal(vg__notify_build(&slack, &m, NOW_MS, &req, &err), VG_EINVAL);
	assert_string_equal(err.msg, "slack: a message needs a one-line title");
}

static vg_http_answer answer_of(long status, const char *body, long retry_after)
{
	vg_http_answer a = { .status = status, .retry_after_s = retry_after,
			     .body = VG_BUF_INIT(1 << 16) };

	vg_buf_puts(&a.body, body);
	return a;
}

static void answers_are_judged_as_the_vendors_document(void **state)
{
	static const struct {
		enum vg_notify_type type;
		long status;
		const char *body;
		long retry_after;
		int rc;
		bool retry;
		long retry_after_s, vendor_code;
		const char *msg;
	} cases[] = {
		{ VG_NOTIFY_WECOM, 200, "{\"errcode\":0,\"errmsg\":\"ok\"}", -1, VG_OK, false, -1, 0, "" },
		{ VG_NOTIFY_WECOM, 200, "{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}", -1,
		  VG_EIO, true, 60, 45009, "wecom: errcode 45009: api freq out of limit" },
		{ VG_NOTIFY_WECOM, 200, "<html>proxy</html>", -1, VG_EIO, true, -1, 0,
		  "wecom: HTTP 200 but no errcode in the answer" },
		{ VG_NOTIFY_DINGTALK, 200, "{\"errcode\":130101,\"errmsg\":\"send too fast\"}", -1,
		  VG_EIO, true, 600, 130101, "dingtalk: errcode 130101: send too fast" },
		{ VG_NOTIFY_DINGTALK, 200, "{\"errcode\":310000,\"errmsg\":\"sign not match\"}", -1,
		  VG_EIO, false, -1, 310000, "dingtalk: errcode 310000: sign not match" },
		{ VG_NOTIFY_DINGTALK, 502, "bad gateway", -1, VG_EIO, true, -1, 0,
		  "dingtalk: HTTP 502" },
		{ VG_NOTIFY_FEISHU, 200, "{\"code\":0,\"msg\":\"success\"}", -1, VG_OK, false, -1, 0, "" },
		{ VG_NOTIFY_FEISHU, 200, "{\"StatusCode\":0,\"StatusMessage\":\"success\"}", -1, VG_OK,
		  false, -1, 0, "" },
		{ VG_NOTIFY_FEISHU, 200, "{\"code\":19021,\"msg\":\"sign match fail\"}", -1, VG_EIO,
		  false, -1, 19021, "feishu: code 19021: sign match fail" },
		{ VG_NOTIFY_SLACK, 200, "ok", -1, VG_OK, false, -1, 0, "" },
		{ VG_NOTIFY_SLACK, 429, "rate_limited", 30, VG_EIO, true, 30, 0,
		  "slack: HTTP 429: rate_limited" },
		{ VG_NOTIFY_SLACK, 400, "invalid_payload", -1, VG_EIO, false, -1, 0,
		  "slack: HTTP 400: invalid_payload" },
		{ VG_NOTIFY_WEBHOOK, 204, "", -1, VG_OK, false, -1, 0, "" },
		{ VG_NOTIFY_WEBHOOK, 410, "", -1, VG_EIO, false, -1, 0,
		  "webhook: HTTP 410 (the endpoint is gone)" },
		{ VG_NOTIFY_WEBHOOK, 400, "", -1, VG_EIO, true, -1, 0, "webhook: HTTP 400" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vg_http_answer a = answer_of(cases[i].status, cases[i].body, cases[i].retry_after);
		vg_notify_result res = { .retry_after_s = -1 };
		vg_error err = { 0 };

		assert_int_equal(vg__notify_judge(cases[i].type, &a, &res, &err), cases[i].rc);
		assert_int_equal(res.delivered, cases[i].rc == VG_OK);
		assert_int_equal(res.retry, cases[i].retry);
		assert_int_equal(res.retry_after_s, cases[i].retry_after_s);
		assert_int_equal(res.vendor_code, cases[i].vendor_code);
		assert_int_equal(res.status, cases[i].status);
		assert_string_equal(res.answer, cases[i].body);
		assert_string_equal(err.msg, cases[i].msg);
		vg_http_answer_release(&a);
	}
}

static void cuts_keep_characters_whole(void **state)
{
	vg_buf out = VG_BUF_INIT(1 << 16);

	(void)state;
	/* "告" is three bytes: a cut inside one backs off to its start. */
	assert_int_equal(vg__notify_cut("告警", 6, 6), 6);
	assert_int_equal(vg__notify_cut("告警", 6, 5), 3);
	assert_int_equal(vg__notify_cut("告警", 6, 2), 0);
	assert_int_equal(vg__notify_put_fitted(&out, "abcdef", 6), VG_OK);
	assert_string_equal(vg_buf_cstr(&out), "abcdef");
	vg_buf_reset(&out);
	assert_int_equal(vg__notify_put_fitted(&out, "abcdef", 5), VG_OK);
	assert_string_equal(vg_buf_cstr(&out), "ab\xe2\x80\xa6");
	vg_buf_reset(&out);
	assert_int_equal(vg__notify_put_fitted(&out, "告警告警", 10), VG_OK);
	assert_string_equal(vg_buf_cstr(&out), "告警\xe2\x80\xa6");
	vg_buf_release(&out);
}

static void markdown_for_slack_and_html(void **state)
{
	static const struct {
		const char *md, *mrkdwn, *html;
	} cases[] = {
		{ "plain", "plain", "<p>plain</p>\n" },
		{ "# Head **b**", "*Head *b**", "<h2>Head <strong>b</strong></h2>\n" },
		{ "- one\n- `two`", "\xe2\x80\xa2 one\n\xe2\x80\xa2 `two`",
		  "<ul>\n<li>one</li>\n<li><code>two</code></li>\n</ul>\n" },
		{ "a\nb\n\nc", "a\nb\n\nc", "<p>a<br>\nb</p>\n<p>c</p>\n" },
		{ "[t](https://x/?a=1&b=2)", "<https://x/?a=1&amp;b=2|t>",
		  "<p><a href=\"https://x/?a=1&amp;b=2\">t</a></p>\n" },
		/* Only web links become anchors. */
		{ "[t](javascript:alert(1))", "<javascript:alert(1|t>)", "<p>t)</p>\n" },
		{ "<b>&\"", "&lt;b&gt;&amp;\"", "<p>&lt;b&gt;&amp;&quot;</p>\n" },
		{ "**unclosed", "**unclosed", "<p>**unclosed</p>\n" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vg_buf out = VG_BUF_INIT(1 << 16);

		assert_int_equal(vg__notify_to_mrkdwn(cases[i].md, &out), VG_OK);
		assert_string_equal(vg_buf_cstr(&out), cases[i].mrkdwn);
		vg_buf_reset(&out);
		assert_int_equal(vg__notify_to_html(cases[i].md, &out), VG_OK);
		assert_string_equal(vg_buf_cstr(&out), cases[i].html);
		vg_buf_release(&out);
	}
}

static int setup(void **state)
{
	vg_error err = { 0 };

	(void)state;
	return vg_crypto_init(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dingtalk_signs_the_url),
		cmocka_unit_test(feishu_signs_the_body),
		cmocka_unit_test(webhook_follows_standard_webhooks),
		cmocka_unit_test(wecom_and_slack_bodies),
		cmocka_unit_test(answers_are_judged_as_the_vendors_document),
		cmocka_unit_test(cuts_keep_characters_whole),
		cmocka_unit_test(markdown_for_slack_and_html),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
