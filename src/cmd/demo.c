/* demo.c - `vigil demo`: a believable MSSP in a fresh store. */
#include "cmd/cmd.h"

#include <string.h>
#include <time.h>

#include "core/json.h"
#include "core/time.h"
#include "identity/role.h"
#include "identity/password.h"
#include "identity/user.h"
#include "ingest/sources.h"
#include "itsm/tickets.h"
#include "ops/ioc.h"
#include "ops/tenant.h"
#include "pipeline/pipeline.h"

static const char usage[] =
	"usage: vigil demo --data DIR\n\n"
	"Adds two customers (one Professional, one Enterprise), the MSSP's staff and\n"
	"each customer's users to a store that has no tenants yet, and prints every\n"
	"login as \"username role password\" lines. Each customer gets a log source\n"
	"whose last hour of events (an SSH password-guessing run, cloud API calls\n"
	"from an address on the MSSP's indicator list) goes through detection, so\n"
	"the archive and the alert queue have something in them.\n";

static const struct {
	const char *name;
	const char *edition;
	const char *contacts;
} demo_tenants[] = {
	{ "Hangzhou Lantern Retail", "professional",
	  "[{\"name\":\"Chen Jing\",\"email\":\"chen.jing@lantern-retail.example\","
	  "\"phone\":\"+86 571 5550 1201\",\"role\":\"IT manager\",\"reports\":true}]" },
	{ "Shenzhen Harbour Logistics", "enterprise",
	  "[{\"name\":\"Li Wei\",\"email\":\"li.wei@harbour-logistics.example\","
	  "\"phone\":\"+86 755 5550 8870\",\"role\":\"CISO\",\"reports\":true},"
	  "{\"name\":\"Zhao Min\",\"email\":\"soc@harbour-logistics.example\","
	  "\"phone\":\"+86 755 5550 8871\",\"role\":\"security on-call\"}]" },
};

static const struct {
	const char *username;
	const char *display_name;
	vg_role role;
	int tenant; /* index into demo_tenants + 1; 0 for staff */
} demo_users[] = {
	{ "wang.manager", "Wang Fang", VG_ROLE_MANAGER, 0 },
	{ "liu.analyst", "Liu Yang", VG_ROLE_ANALYST, 0 },
	{ "sun.analyst", "Sun Hao", VG_ROLE_ANALYST, 0 },
	{ "zhou.auditor", "Zhou Lin", VG_ROLE_AUDITOR, 0 },
	{ "lantern.admin", "Chen Jing", VG_ROLE_CUSTOMER_ADMIN, 1 },
	{ "lantern.user", "Xu Ming", VG_ROLE_CUSTOMER_USER, 1 },
	{ "harbour.admin", "Li Wei", VG_ROLE_CUSTOMER_ADMIN, 2 },
	{ "harbour.user", "Zhao Min", VG_ROLE_CUSTOMER_USER, 2 },
};

#define NTENANTS (sizeof(demo_tenants) / sizeof(demo_tenants[0]))
#define NUSERS (sizeof(demo_users) / sizeof(demo_users[0]))

/* The customers' sources: a host's syslog and Alibaba Cloud Security
 * Center's alerts for Lantern, CloudTrail for Harbour. */
static const struct {
	size_t tenant; /* index into demo_tenants */
	const char *name;
	const char *type;
} demo_sources[] = {
	{ 0, "web-01 syslog", "syslog" },
	{ 1, "aws-prod cloudtrail", "cloudtrail" },
	{ 0, "security center", "aliyun-sas" },
};
#define NSOURCES (sizeof(demo_sources) / sizeof(demo_sources[0]))

/* The customers' recent tickets, so the console, the SLA figures and the
 * monthly report have work to show: received minutes_ago, then taken
 * through steps (comma-separated workflow actions) by an analyst now,
 * so some meet their SLA and one, a day old, breaches it. */
static const struct {
	size_t tenant; /* index into demo_tenants */
	const char *type, *channel, *impact, *urgency, *title;
	int minutes_ago;
	const char *steps;
} demo_tickets[] = {
	{ 0, "request", "portal", "low", "medium", "开通 VPN 账号：新入职运维工程师", 40,
	  "start,resolve" },
	{ 0, "incident", "email", "high", "high", "官网访问缓慢，疑似 CC 攻击", 26 * 60,
	  "start,resolve" },
	{ 0, "request", "phone", "low", "low", "咨询：等保测评需要准备的材料", 120, "" },
	{ 0, "request", "im", "low", "low", "企业微信咨询：告警“反弹Shell”是什么意思", 60,
	  "start" },
	{ 1, "incident", "portal", "medium", "high", "仓储系统登录失败告警增多", 180, "start" },
	{ 1, "request", "email", "medium", "medium", "申请调整防火墙策略：向合作方开放 443",
	  50 * 60, "start,wait_customer" },
	{ 1, "incident", "phone", "high", "medium", "疑似勒索软件告警咨询", 30,
	  "start,resolve" },
};
#define NTICKETS (sizeof(demo_tickets) / sizeof(demo_tickets[0]))

/* On the MSSP's own list: a scanner address (documentation range). */
#define DEMO_IOC "198.51.100.23"

/* Who works the demo's tickets. */
#define DEMO_ANALYST "liu.analyst"

typedef struct demo_state {
	char passwords[NUSERS][VG_PASSWORD_GENERATED_LEN + 1];
	vg_source sources[NSOURCES];
	char tokens[NSOURCES][VG_SOURCE_TOKEN_MAX];
} demo_state;

/* The current year's contract, 1 January to 31 December. */
static void contract_year(char start[11], char end[11])
{
	char now[VG_TIME_ISO_LEN];

	vg_time_format_iso(vg_time_now_ms(), now);
	snprintf(start, 11, "%.4s-01-01", now);
	snprintf(end, 11, "%.4s-12-31", now);
}

/* Opens demo_tickets on the channels they came by, logged and worked by
 * the analyst. */
static int demo_open_tickets(vg_tx *tx, const vg_ctx *system, const int64_t *tenant_ids,
			     int64_t analyst_id, vg_error *err)
{
	vg_ctx analyst = *system;
	json_t *fields = json_pack("{s:s}", "resolution", "处理完成，已与客户确认");
	int64_t now = vg_time_now_ms();
	int rc = fields ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");

	analyst.role = VG_ROLE_ANALYST;
	analyst.user_id = analyst_id;
	snprintf(analyst.username, sizeof(analyst.username), DEMO_ANALYST);
	for (size_t i = 0; rc == VG_OK && i < NTICKETS; i++) {
		vg_ticket_fields in = {
			.tenant_id = tenant_ids[demo_tickets[i].tenant],
			.type = demo_tickets[i].type,
			.title = demo_tickets[i].title,
			.impact = demo_tickets[i].impact,
			.urgency = demo_tickets[i].urgency,
			.channel = demo_tickets[i].channel,
			.received_at = now - (int64_t)demo_tickets[i].minutes_ago * 60000,
			.caller = "Chen Jing",
			.caller_number = "+86 571 5550 1201",
		};
		char steps[64], *step, *save = NULL;
		int64_t id, tenant;

		if (strcmp(in.channel, "phone") != 0)
			in.caller = in.caller_number = NULL;
		rc = vg_ticket_create(tx, &analyst, &in, &id, &tenant, err);
		snprintf(steps, sizeof(steps), "%s", demo_tickets[i].steps);
		for (step = strtok_r(steps, ",", &save); rc == VG_OK && step;
		     step = strtok_r(NULL, ",", &save))
			rc = vg_ticket_step(tx, &analyst, id, step, fields, analyst_id, NULL, &tenant,
					    err);
	}
	json_decref(fields);
	return rc;
}

static int fill(vg_tx *tx, const vg_ctx *ctx, void *arg, vg_audit_entry *entry, vg_error *err)
{
	demo_state *st = arg;
	int64_t tenant_ids[NTENANTS], existing, id, analyst_id = 0;
	char start[11], end[11];
	int rc;

	rc = vg_tx_query_int(tx, "SELECT COUNT(*) FROM tenants", VG_NO_PARAMS, &existing, err);
	if (rc)
		return rc;
	if (existing)
		return vg_error_set(err, VG_ECONFLICT,
				    "the store already has tenants; demo data goes into a fresh store");
	contract_year(start, end);
	for (size_t i = 0; i < NTENANTS; i++) {
		json_t *contacts = json_loads(demo_tenants[i].contacts, 0, NULL);

		rc = vg_tenant_create(tx, ctx,
				      &(vg_tenant_fields){ .name = demo_tenants[i].name,
							   .edition = demo_tenants[i].edition,
							   .contract_start = start,
							   .contract_end = end,
							   .timezone = "Asia/Shanghai",
							   .contacts = contacts },
				      &tenant_ids[i], err);
		json_decref(contacts);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < NUSERS; i++) {
		vg_password_generate(st->passwords[i], sizeof(st->passwords[i]));
		rc = vg_user_create(
			tx, ctx,
			&(vg_user_new){ .username = demo_users[i].username,
					.password = st->passwords[i],
					.role = demo_users[i].role,
					.display_name = demo_users[i].display_name,
					.tenant_id = demo_users[i].tenant
							     ? tenant_ids[demo_users[i].tenant - 1]
							     : 0 },
			&id, err);
		if (rc)
			return rc;
		if (strcmp(demo_users[i].username, DEMO_ANALYST) == 0)
			analyst_id = id;
	}
	for (size_t i = 0; i < NSOURCES; i++) {
		rc = vg_source_create(tx, ctx, tenant_ids[demo_sources[i].tenant],
				      &(vg_source_fields){ .name = demo_sources[i].name,
							   .type = demo_sources[i].type, .enabled = 1 },
				      &st->sources[i], st->tokens[i], err);
		if (rc)
			return rc;
	}
	rc = demo_open_tickets(tx, ctx, tenant_ids, analyst_id, err);
	if (rc)
		return rc;
	rc = vg_ioc_create(tx, ctx,
			   &(vg_ioc_fields){ .type = "ip", .value = DEMO_IOC, .level = "high",
					     .description = "mass scanner seen across customers",
					     .source = "demo" },
			   &id, err);
	if (rc)
		return rc;
	entry->object = "store";
	entry->detail = "2 tenants, 8 users, 3 sources, 7 tickets, 1 indicator";
	return VG_OK;
}

/* The last hour of each source: sshd refusing twelve guessed passwords
 * from one address in two minutes (then letting the owner in), cloud API
 * calls, two of them from the listed scanner, and Security Center's alert
 * on the same host. */
static void demo_events(int64_t now, vg_buf out[NSOURCES])
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	static const char *const calls[][3] = {
		{ "s3.amazonaws.com", "ListBuckets", "203.0.113.10" },
		{ "iam.amazonaws.com", "ListUsers", DEMO_IOC },
		{ "ec2.amazonaws.com", "DescribeInstances", "203.0.113.10" },
		{ "sts.amazonaws.com", "GetCallerIdentity", DEMO_IOC },
		{ "s3.amazonaws.com", "GetObject", "203.0.113.11" },
	};
	char iso[VG_TIME_ISO_LEN];
	time_t t;
	struct tm tm;
	int i;

	for (i = 0; i < 13; i++) {
		t = (time_t)((now - 3600 * 1000) / 1000 + i * 10);
		gmtime_r(&t, &tm);
		vg_buf_printf(&out[0], "%s %2d %02d:%02d:%02d web-01 sshd[%d]: ", months[tm.tm_mon],
			      tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, 4100 + i / 6);
		if (i < 12)
			vg_buf_printf(&out[0], "Failed password for root from 203.0.113.45 port %d ssh2\n",
				      51000 + i);
		else
			vg_buf_printf(&out[0], "Accepted publickey for deploy from 192.0.2.8 port 50211 "
					       "ssh2: ED25519 SHA256:demo\n");
	}
	for (i = 0; i < (int)(sizeof(calls) / sizeof(calls[0])); i++) {
		vg_time_format_iso(now - 1800 * 1000 + i * 60000, iso);
		vg_buf_printf(&out[1],
			      "{\"eventVersion\":\"1.08\",\"eventTime\":\"%.19sZ\",\"eventSource\":"
			      "\"%s\",\"eventName\":\"%s\",\"awsRegion\":\"cn-north-1\","
			      "\"sourceIPAddress\":\"%s\",\"userAgent\":\"aws-cli/2.15.0\","
			      "\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":\"ops\"},"
			      "\"eventType\":\"AwsApiCall\",\"recipientAccountId\":\"123456789012\"}\n",
			      iso, calls[i][0], calls[i][1], calls[i][2]);
	}
	/* Security Center saw the shell web-01's attacker opened after getting in. */
	vg_buf_printf(&out[2],
		      "{\"Id\":3198201,\"AlarmUniqueInfo\":\"4e2ab4c2d1e0f9a8b7c6d5e4f3a2b1c0\","
		      "\"Name\":\"进程异常行为-反弹Shell\",\"AlarmEventType\":\"进程异常行为\","
		      "\"AlarmEventTypeDisplay\":\"进程异常行为\",\"Level\":\"serious\","
		      "\"EventStatus\":1,\"Desc\":\"检测到服务器上的进程建立了反弹Shell连接。\","
		      "\"InstanceId\":\"i-bp1a2b3c4d5e6f7g8h9i\",\"InstanceName\":\"web-01\","
		      "\"IntranetIp\":\"172.16.0.15\",\"LastTimeStamp\":%lld}\n",
		      (long long)(now - 3000 * 1000));
}

/* Runs the demo events through the pipeline as the server would. */
static int ingest_events(vg_app *app, demo_state *st, vg_error *err)
{
	vg_buf events[NSOURCES] = { VG_BUF_INIT(1u << 20), VG_BUF_INIT(1u << 20),
				    VG_BUF_INIT(1u << 20) };
	int64_t now = vg_time_now_ms();
	vg_pipeline *p = NULL;
	size_t i;
	int rc = vg_pipeline_open(app, &p, err);

	demo_events(now, events);
	for (i = 0; i < NSOURCES && rc == VG_OK; i++) {
		vg_ingest_options opts = { .now_ms = now };
		vg_ingest *in = NULL;

		rc = vg_ingest_begin(p, &st->sources[i], &opts, &in, err);
		if (rc == VG_OK)
			rc = vg_ingest_push(in, vg_buf_cstr(&events[i]), events[i].len, true, err);
		vg_ingest_end(in);
	}
	for (i = 0; i < NSOURCES; i++)
		vg_buf_release(&events[i]);
	vg_pipeline_close(p);
	return rc;
}

int cmd_demo(int argc, char **argv)
{
	const char *data = NULL, *dir;
	cmd_flag flags[] = { { "data", true, &data, NULL }, { 0 } };
	demo_state st;
	vg_error err = { 0 };
	vg_app *app = NULL;
	int status;

	if (!cmd_parse_flags(argc, argv, flags, NULL, 0, NULL, usage, &status))
		return status;
	dir = cmd_data_dir(data, usage);
	if (!dir)
		return VG_EXIT_USAGE;
	status = cmd_open_app(dir, false, &app);
	if (status)
		return status;
	if (cmd_write(app, "store.demo", fill, &st, &err) || ingest_events(app, &st, &err)) {
		status = cmd_fail(&err);
	} else {
		for (size_t i = 0; i < NUSERS; i++)
			printf("%-18s %-16s %s\n", demo_users[i].username,
			       vg_role_name(demo_users[i].role), st.passwords[i]);
		printf("\nIngest tokens (POST /api/v1/ingest/ID with Authorization: Bearer TOKEN):\n");
		for (size_t i = 0; i < NSOURCES; i++)
			printf("source %lld %-20s (%s) %s\n", (long long)st.sources[i].id,
			       st.sources[i].name, st.sources[i].type, st.tokens[i]);
	}
	memset(&st, 0, sizeof(st));
	vg_app_close(app);
	return status;
}
