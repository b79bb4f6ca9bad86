/*
 * alert_text.c - what an alert, or a digest of alerts, says in a message,
 * in Chinese (the default) or English.
 */
#include "notify/internal.h"

#include <string.h>

static const char *const severity_zh[] = { "未知", "信息", "低危", "中危", "高危", "严重", "致命" };
static const char *const severity_en[] = { "Unknown", "Informational", "Low", "Medium",
					   "High", "Critical", "Fatal" };

static const char *severity_word(json_int_t id, bool en)
{
	if (id < 0 || id > 6)
		id = 0;
	return en ? severity_en[id] : severity_zh[id];
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* Values from events may hold Markdown: they go inside `code`, where
 * nothing is special, with backticks and line breaks made harmless. */
static int put_literal(vg_buf *out, const char *s)
{
	int rc = vg_buf_puts(out, "`");

	for (; !rc && *s; s++)
		rc = vg_buf_append(out, *s == '`' ? "'" : (*s == '\n' || *s == '\r') ? " " : s, 1);
	return rc ? rc : vg_buf_puts(out, "`");
}

int vg__notify_alert_title(const json_t *alert, const char *language, vg_buf *out)
{
	bool en = strcmp(language, "en") == 0;
	const json_t *rule = json_object_get(alert, "rule");
	json_int_t sev = json_integer_value(json_object_get(alert, "severity_id"));

	return vg_buf_printf(out, en ? "[%s] %s" : "【%s】%s", severity_word(sev, en),
			     str(rule, "title"));
}

int vg__notify_alert_text(const json_t *alert, const char *tenant, const char *language,
			  const char *public_url, vg_buf *out)
{
	bool en = strcmp(language, "en") == 0;
	const json_t *group = json_object_get(alert, "group");
	json_int_t sev = json_integer_value(json_object_get(alert, "severity_id"));
	const char *key;
	json_t *v;
	int rc;

	rc = vg_buf_printf(out, en ? "- **Customer** %s\n- **Severity** %s\n- **Rule** %s\n"
				   : "- **客户** %s\n- **严重程度** %s\n- **规则** %s\n",
			   tenant, severity_word(sev, en), str(json_object_get(alert, "rule"), "title"));
	if (!rc)
		rc = vg_buf_printf(out, en ? "- **Count** %lld, first %s, last %s\n"
					   : "- **次数** %lld，首次 %s，最近 %s\n",
				   (long long)json_integer_value(json_object_get(alert, "count")),
				   str(alert, "first_seen"), str(alert, "last_seen"));
	json_object_foreach((json_t *)group, key, v)
	{
		const char *text = json_string_value(v);
		char number[32];

		if (rc)
			break;
		if (!text) {
			snprintf(number, sizeof(number), "%lld", (long long)json_integer_value(v));
			text = number;
		}
		rc = vg_buf_printf(out, "- **%s** ", key);
		if (!rc)
			rc = put_literal(out, text);
		if (!rc)
			rc = vg_buf_puts(out, "\n");
	}
	if (!rc && public_url && *public_url)
		rc = vg_buf_printf(out, en ? "\n[Open in Vigil](%s/alerts/%lld)\n"
					   : "\n[在 Vigil 中查看](%s/alerts/%lld)\n",
				   public_url, (long long)json_integer_value(json_object_get(alert, "id")));
	return rc;
}

int vg__notify_digest_title(size_t alerts, int window_minutes, const char *language, vg_buf *out)
{
	bool en = strcmp(language, "en") == 0;

	if (en)
		return vg_buf_printf(out, "[Vigil] %zu more alerts in %d minutes", alerts,
				     window_minutes);
	return vg_buf_printf(out, "【Vigil】%d 分钟内另有 %zu 条告警", window_minutes, alerts);
}

int vg__notify_digest_line(const json_t *alert, const char *tenant, const char *language,
			   vg_buf *out)
{
	bool en = strcmp(language, "en") == 0;
	json_int_t sev = json_integer_value(json_object_get(alert, "severity_id"));

	return vg_buf_printf(out, "- %s%s%s %s — %s\n", en ? "[" : "【", severity_word(sev, en),
			     en ? "]" : "】", str(json_object_get(alert, "rule"), "title"), tenant);
}

int vg__notify_escalation_title(const json_t *alert, const char *language, vg_buf *out)
{
	int rc = vg_buf_puts(out, strcmp(language, "en") == 0 ? "[Escalated] " : "【升级】");

	return rc ? rc : vg__notify_alert_title(alert, language, out);
}

int vg__notify_escalation_note(int minutes, const char *language, vg_buf *out)
{
	if (strcmp(language, "en") == 0)
		return vg_buf_printf(out, "**Not acknowledged within %d minutes.**\n\n", minutes);
	return vg_buf_printf(out, "**%d 分钟内无人确认。**\n\n", minutes);
}

/* ---- ticket events ---- */

static const char *event_word(const char *kind, const char *clock, bool en)
{
	bool response = strcmp(clock, "response") == 0;

	if (strcmp(kind, "escalated") == 0)
		return en ? (response ? "Escalated: response SLA" : "Escalated: resolution SLA")
			  : (response ? "升级：响应时限" : "升级：解决时限");
	if (strcmp(kind, "sla_breach") == 0)
		return en ? (response ? "Response SLA breached" : "Resolution SLA breached")
			  : (response ? "响应超时" : "解决超时");
	if (strcmp(kind, "sla_warning") == 0)
		return en ? (response ? "Response SLA at risk" : "Resolution SLA at risk")
			  : (response ? "响应即将超时" : "解决即将超时");
	if (strcmp(kind, "quota_warning") == 0)
		return en ? "Service hours nearly used up" : "服务时长即将用尽";
	if (strcmp(kind, "quota_exceeded") == 0)
		return en ? "Service hours exceeded" : "服务时长已超出";
	return en ? "New ticket" : "新工单";
}

/* "- **For** tk.manager (manager), tk.analyst (assignee)\n" */
static int put_recipients(vg_buf *out, const json_t *recipients, bool en)
{
	size_t i;
	json_t *x;
	int rc = vg_buf_puts(out, en ? "- **For** " : "- **通知** ");

	json_array_foreach(recipients, i, x)
	{
		if (!rc && i)
			rc = vg_buf_puts(out, en ? ", " : "、");
		if (!rc)
			rc = put_literal(out, str(x, "username"));
		if (!rc)
			rc = vg_buf_printf(out, " (%s)", str(x, "as"));
	}
	return rc ? rc : vg_buf_puts(out, "\n");
}

int vg__notify_ticket_title(const json_t *event, const char *language, vg_buf *out)
{
	bool en = strcmp(language, "en") == 0;

	return vg_buf_printf(out, en ? "[%s] %s %s" : "【%s】%s %s",
			     event_word(str(event, "kind"), str(event, "clock"), en),
			     str(event, "ref"), str(event, "title"));
}

int vg__notify_ticket_text(const json_t *event, const char *tenant, const char *language,
			   const char *public_url, vg_buf *out)
{
	bool en = strcmp(language, "en") == 0;
	int rc = vg_buf_printf(out,
			       en ? "- **Customer** %s\n- **Ticket** %s (%s, %s)\n- **State** %s\n"
				  : "- **客户** %s\n- **工单** %s（%s，%s）\n- **状态** %s\n",
			       tenant, str(event, "ref"), str(event, "type"), str(event, "priority"),
			       str(event, "state"));

	if (!rc)
		rc = vg_buf_puts(out, en ? "- **Title** " : "- **标题** ");
	if (!rc)
		rc = put_literal(out, str(event, "title"));
	if (!rc)
		rc = vg_buf_puts(out, "\n");
	if (!rc && *str(event, "text")) {
		rc = vg_buf_puts(out, en ? "- **Why** " : "- **原因** ");
		if (!rc)
			rc = put_literal(out, str(event, "text"));
		if (!rc)
			rc = vg_buf_puts(out, "\n");
	}
	if (!rc && json_array_size(json_object_get(event, "recipients")))
		rc = put_recipients(out, json_object_get(event, "recipients"), en);
	if (!rc && public_url && *public_url)
		rc = vg_buf_printf(out, en ? "\n[Open in Vigil](%s/tickets/%lld)\n"
					   : "\n[在 Vigil 中查看](%s/tickets/%lld)\n",
				   public_url,
				   (long long)json_integer_value(json_object_get(event, "ticket_id")));
	return rc;
}
