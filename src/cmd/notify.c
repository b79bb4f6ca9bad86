/* notify.c - `vigil notify test`: one message through a channel type. */
#include "cmd/cmd.h"

#include <string.h>

#include "core/crypto.h"
#include "core/time.h"
#include "notify/notify.h"

static const char usage[] =
	"usage: vigil notify test --type TYPE --url URL [--secret S | --secret-stdin]\n"
	"                         [--title TITLE] --text TEXT\n"
	"                         [--from ADDRESS --to ADDRESS... [--user NAME]]\n\n"
	"Sends one message exactly as a channel of TYPE would (wecom, dingtalk,\n"
	"feishu, slack, webhook, email), prints the vendor's answer and exits\n"
	"non-zero when the message was not delivered.\n"
	"  --secret      DingTalk's SEC... signing secret, Feishu's signing secret,\n"
	"                the webhook's whsec_... key, the SMTP password\n"
	"  --url         for email: smtps://HOST:PORT or smtp://HOST:PORT\n"
	"  --text        the body, in Markdown (# headings, - items, **bold**,\n"
	"                `code`, [text](url))\n";

int cmd_notify(int argc, char **argv)
{
	const char *type = NULL, *url = NULL, *secret = NULL, *secret_stdin = NULL;
	const char *title = "Vigil test message", *text = NULL, *from = NULL, *user = NULL;
	const char *pos[1];
	char secret_line[1024];
	cmd_list to = { 0 };
	cmd_flag flags[] = { { "type", true, &type, NULL },
			     { "url", true, &url, NULL },
			     { "secret", true, &secret, NULL },
			     { "secret-stdin", false, &secret_stdin, NULL },
			     { "title", true, &title, NULL },
			     { "text", true, &text, NULL },
			     { "from", true, &from, NULL },
			     { "to", true, NULL, &to },
			     { "user", true, &user, NULL },
			     { 0 } };
	vg_notify_channel ch = { 0 };
	vg_notify_message m = { .event = "test" };
	vg_notify_result res;
	vg_error err = { 0 };
	int status, npos, rc;

	if (!cmd_parse_flags(argc, argv, flags, pos, 1, &npos, usage, &status))
		return status;
	if (npos != 1 || strcmp(pos[0], "test") != 0)
		return cmd_usage_error(usage, "give test");
	if (!type || !url || !text)
		return cmd_usage_error(usage, "test needs --type, --url and --text");
	if (secret && secret_stdin)
		return cmd_usage_error(usage, "give --secret or --secret-stdin, not both");
	if (vg_notify_type_parse(type, &ch.type, &err) || vg_crypto_init(&err))
		return cmd_fail(&err);
	if (secret_stdin) {
		if (cmd_read_secret_line(secret_line, sizeof(secret_line), &err))
			return cmd_fail(&err);
		secret = secret_line;
	}
	if ((from || to.n || user) && ch.type != VG_NOTIFY_EMAIL)
		return cmd_usage_error(usage, "--from, --to and --user are for email");
	ch.url = url;
	ch.secret = secret;
	ch.username = user;
	ch.from = from;
	for (int i = 0; i < to.n && i < VG_NOTIFY_TO_MAX; i++)
		ch.to[ch.nto++] = to.v[i];
	m.title = title;
	m.text = text;
	rc = vg_notify_send(&ch, &m, vg_time_now_ms(), &res, &err);
	memset(secret_line, 0, sizeof(secret_line));
	if (res.status || res.answer[0])
		printf("answer: %s %ld: %s\n", ch.type == VG_NOTIFY_EMAIL ? "SMTP" : "HTTP", res.status,
		       res.answer);
	if (rc) {
		if (rc != VG_EINVAL)
			printf("retry: %s\n", res.retry ? "worth it" : "no, refused for good");
		return cmd_fail(&err);
	}
	printf("delivered\n");
	return VG_EXIT_OK;
}
