/* attachments.c - files on tickets, checked and kept by content (see
 * attachments.h). */
#include "itsm/attachments.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/file.h"
#include "core/time.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "core/yaml.h"

extern const char *const vg__content_attachments;

#define ORIGIN "content/attachments.yaml"
#define MAGIC_MAX 64 /* bytes of one signature */
#define CHARSET_MAX 32
#define SOURCE_MAX 32 /* bytes of a source name */

#define fail(err, at, ...) vg_yaml_fail(err, ORIGIN, at, __VA_ARGS__)

/* ---- the list ---- */

typedef struct signature {
	unsigned char bytes[MAGIC_MAX];
	size_t len;
} signature;

enum text_rule {
	TEXT_NONE, /* binary: the magic says */
	TEXT_UTF8, /* valid UTF-8 without NUL bytes */
	TEXT_8BIT, /* no NUL bytes */
};

/* A type taken: magic set (nmagic > 0) or a text rule, never both. */
typedef struct att_type {
	char *type;   /* "image/png" */
	char *like;   /* "a PNG"; NULL for text */
	char *served; /* the Content-Type its bytes are answered with */
	enum text_rule text;
	signature *magic;
	size_t nmagic;
	char **aliases;
	size_t naliases;
} att_type;

typedef struct refusal {
	char *what; /* "an ELF executable" */
	signature *magic;
	size_t nmagic;
} refusal;

typedef struct att_list {
	att_type *types;
	size_t ntypes;
	refusal *refused;
	size_t nrefused;
} att_list;

static att_list shipped;
static vg_error shipped_err;
static int shipped_rc;
static pthread_once_t shipped_once = PTHREAD_ONCE_INIT;

/* A media type as RFC 6838 names them, in lower case: type/subtype of
 * letters, digits and !#$&-^_.+ */
static bool media_type_ok(const char *s)
{
	size_t i, slash = 0, n = strlen(s);

	if (n == 0 || n > VG_ATTACHMENT_TYPE_MAX)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] == '/') {
			if (slash || i == 0)
				return false;
			slash = i;
		} else if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
			     strchr("!#$&-^_.+", s[i]))) {
			return false;
		}
	}
	return slash && slash + 1 < n;
}

static const att_type *find_type(const att_list *l, const char *type)
{
	size_t i, j;

	for (i = 0; i < l->ntypes; i++) {
		if (strcmp(l->types[i].type, type) == 0)
			return &l->types[i];
		for (j = 0; j < l->types[i].naliases; j++)
			if (strcmp(l->types[i].aliases[j], type) == 0)
				return &l->types[i];
	}
	return NULL;
}

static int hex_value(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int read_signatures(vg_error *err, struct fy_node *v, signature **out, size_t *n)
{
	struct fy_node *e;
	void *iter = NULL;

	if (!v || !fy_node_is_sequence(v) || fy_node_sequence_is_empty(v))
		return fail(err, v, "expected a list of signatures in hex");
	while ((e = fy_node_sequence_iterate(v, &iter)) != NULL) {
		const char *hex = vg_yaml_cstr(e);
		size_t len = strlen(hex), i;
		signature *s;

		if (!fy_node_is_scalar(e) || len == 0 || len % 2 || len / 2 > MAGIC_MAX)
			return fail(err, e, "a signature is 1 to %d bytes in lower-case hex",
				    MAGIC_MAX);
		*out = vg_xrealloc(*out, (*n + 1) * sizeof(**out));
		s = &(*out)[(*n)++];
		s->len = len / 2;
		for (i = 0; i < s->len; i++) {
			int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);

			if (hi < 0 || lo < 0)
				return fail(err, e,
					    "a signature is 1 to %d bytes in lower-case hex",
					    MAGIC_MAX);
			s->bytes[i] = (unsigned char)(hi * 16 + lo);
		}
	}
	return VG_OK;
}

static int read_aliases(vg_error *err, const att_list *l, struct fy_node *v, att_type *t)
{
	struct fy_node *e;
	void *iter = NULL;

	if (!v || !fy_node_is_sequence(v))
		return fail(err, v, "aliases must be a list of media types");
	while ((e = fy_node_sequence_iterate(v, &iter)) != NULL) {
		const char *name = vg_yaml_cstr(e);

		if (!fy_node_is_scalar(e) || !media_type_ok(name))
			return fail(err, e, "an alias is a media type in lower case");
		if (find_type(l, name))
			return fail(err, e, "%s is listed twice", name);
		t->aliases = vg_xrealloc(t->aliases, (t->naliases + 1) * sizeof(*t->aliases));
		t->aliases[t->naliases++] = vg_yaml_text_dup(e);
	}
	return VG_OK;
}

static int read_type(vg_error *err, att_list *l, struct fy_node_pair *p)
{
	struct fy_node *key = fy_node_pair_key(p), *v = fy_node_pair_value(p);
	struct fy_node_pair *q;
	void *iter = NULL;
	att_type *t;
	size_t n;
	int rc = VG_OK;

	if (!media_type_ok(vg_yaml_cstr(key)))
		return fail(err, key, "a type is a media type in lower case, without parameters");
	if (find_type(l, vg_yaml_cstr(key)))
		return fail(err, key, "%s is listed twice", vg_yaml_cstr(key));
	if (!v || !fy_node_is_mapping(v))
		return fail(err, key, "%s: expected {like, magic} or {text}", vg_yaml_cstr(key));
	l->types = vg_xrealloc(l->types, (l->ntypes + 1) * sizeof(*l->types));
	t = &l->types[l->ntypes++];
	memset(t, 0, sizeof(*t));
	t->type = vg_yaml_text_dup(key);
	while (rc == VG_OK && (q = fy_node_mapping_iterate(v, &iter)) != NULL) {
		struct fy_node *x = fy_node_pair_value(q);
		const char *text = vg_yaml_cstr(x);

		if (vg_yaml_key_is(q, "like") && x && fy_node_is_scalar(x) && *text)
			t->like = vg_yaml_text_dup(x);
		else if (vg_yaml_key_is(q, "magic"))
			rc = read_signatures(err, x, &t->magic, &t->nmagic);
		else if (vg_yaml_key_is(q, "text") && x && fy_node_is_scalar(x) &&
			 (strcmp(text, "utf8") == 0 || strcmp(text, "8bit") == 0))
			t->text = strcmp(text, "utf8") == 0 ? TEXT_UTF8 : TEXT_8BIT;
		else if (vg_yaml_key_is(q, "aliases"))
			rc = read_aliases(err, l, x, t);
		else
			rc = fail(err, fy_node_pair_key(q),
				  "%s: %s is not like (text), magic (hex), text (utf8 or 8bit) "
				  "or aliases",
				  t->type, vg_yaml_cstr(fy_node_pair_key(q)));
	}
	if (rc)
		return rc;
	if (!t->nmagic == !t->text)
		return fail(err, key, "%s: give magic or text, not both", t->type);
	if (t->nmagic && !t->like)
		return fail(err, key, "%s: magic needs like, what the type is called", t->type);
	n = strlen(t->type) + sizeof("; charset=utf-8");
	t->served = vg_xmalloc(n);
	snprintf(t->served, n, "%s%s", t->type, t->text == TEXT_UTF8 ? "; charset=utf-8" : "");
	return VG_OK;
}

static int read_refused(vg_error *err, att_list *l, struct fy_node_pair *p)
{
	refusal *r;

	l->refused = vg_xrealloc(l->refused, (l->nrefused + 1) * sizeof(*l->refused));
	r = &l->refused[l->nrefused++];
	memset(r, 0, sizeof(*r));
	r->what = vg_yaml_text_dup(fy_node_pair_key(p));
	if (!*r->what)
		return fail(err, fy_node_pair_key(p), "name what is refused");
	return read_signatures(err, fy_node_pair_value(p), &r->magic, &r->nmagic);
}

static int read_root(void *arg, struct fy_node *root, vg_error *err)
{
	att_list *l = arg;
	struct fy_node_pair *p, *q;
	void *iter = NULL, *it2;
	int rc = VG_OK;

	if (!root || !fy_node_is_mapping(root))
		return fail(err, root, "expected version, types and refused");
	while (rc == VG_OK && (p = fy_node_mapping_iterate(root, &iter)) != NULL) {
		struct fy_node *v = fy_node_pair_value(p);

		it2 = NULL;
		if (vg_yaml_key_is(p, "version")) {
			if (strcmp(vg_yaml_cstr(v), "1") != 0)
				rc = fail(err, v, "version must be 1");
		} else if (vg_yaml_key_is(p, "types") && v && fy_node_is_mapping(v)) {
			while (rc == VG_OK && (q = fy_node_mapping_iterate(v, &it2)) != NULL)
				rc = read_type(err, l, q);
		} else if (vg_yaml_key_is(p, "refused") && v && fy_node_is_mapping(v)) {
			while (rc == VG_OK && (q = fy_node_mapping_iterate(v, &it2)) != NULL)
				rc = read_refused(err, l, q);
		} else {
			rc = fail(err, fy_node_pair_key(p), "expected version, types and refused");
		}
	}
	if (rc == VG_OK && l->ntypes == 0)
		rc = fail(err, root, "no types listed");
	return rc;
}

static void load(void)
{
	shipped_rc = vg_yaml_each_document(vg__content_attachments, strlen(vg__content_attachments),
					   ORIGIN, read_root, &shipped, &shipped_err);
}

/* The shipped list, or NULL with err set. */
static const att_list *types_list(vg_error *err)
{
	pthread_once(&shipped_once, load);
	if (shipped_rc) {
		vg_error_set(err, shipped_rc, "%s", shipped_err.msg);
		return NULL;
	}
	return &shipped;
}

int vg_attachment_types_check(vg_error *err)
{
	return types_list(err) ? VG_OK : err->code;
}

const char *vg_attachment_served_type(const char *type)
{
	const att_list *l = types_list(NULL);
	const att_type *t = l && type ? find_type(l, type) : NULL;

	return t ? t->served : "application/octet-stream";
}

/* ---- the checks ---- */

static int check_filename(const char *name, vg_error *err)
{
	size_t len = name ? strlen(name) : 0, i;

	if (len == 0)
		return vg_error_set(err, VG_EINVAL, "filename must not be empty");
	if (len > VG_ATTACHMENT_NAME_MAX)
		return vg_error_set(err, VG_EINVAL, "filename is longer than %d bytes",
				    VG_ATTACHMENT_NAME_MAX);
	if (!vg_utf8_valid(name, len, false))
		return vg_error_set(err, VG_EINVAL, "filename must be UTF-8 text");
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return vg_error_set(err, VG_EINVAL, "filename must not be . or ..");
	/* Valid UTF-8: a lead byte's sequence is all there. */
	for (i = 0; i < len; i++) {
		const unsigned char *c = (const unsigned char *)name + i;

		if (*c == '/' || *c == '\\')
			return vg_error_set(err, VG_EINVAL,
					    "filename must be a name without a path (no / or \\)");
		/* C0 and DEL; C1 (U+0080-U+009F); U+061C, U+200E, U+200F,
		 * U+202A-U+202E, U+2066-U+2069, which can make "gpj.exe" read
		 * as "exe.jpg". */
		if (*c < 0x20 || *c == 0x7f || (c[0] == 0xc2 && c[1] <= 0x9f) ||
		    (c[0] == 0xd8 && c[1] == 0x9c) ||
		    (c[0] == 0xe2 && c[1] == 0x80 &&
		     (c[2] == 0x8e || c[2] == 0x8f || (c[2] >= 0xaa && c[2] <= 0xae))) ||
		    (c[0] == 0xe2 && c[1] == 0x81 && c[2] >= 0xa6 && c[2] <= 0xa9))
			return vg_error_set(err, VG_EINVAL,
					    "filename must not hold control or "
					    "bidirectional-override characters");
	}
	return VG_OK;
}

/* The declared Content-Type's media type, lower-cased, into type, and its
 * charset parameter's value, lower-cased, into charset ("" when none):
 * false when it is not a media type. */
static bool parse_declared(const char *s, char type[VG_ATTACHMENT_TYPE_MAX + 1],
			   char charset[CHARSET_MAX])
{
	size_t n = 0;

	charset[0] = '\0';
	s += strspn(s, " \t");
	while (*s && *s != ';' && *s != ' ' && *s != '\t') {
		if (n == VG_ATTACHMENT_TYPE_MAX)
			return false;
		type[n++] = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;
		s++;
	}
	type[n] = '\0';
	s += strspn(s, " \t");
	if (!media_type_ok(type) || (*s && *s != ';'))
		return false;
	while (*s == ';') {
		size_t v;

		s++;
		s += strspn(s, " \t");
		if (strncasecmp(s, "charset=", 8) == 0) {
			const char *value = s + 8;
			size_t len = strcspn(value, ";");

			if (len && value[0] == '"') {
				value++;
				len--;
			}
			while (len && (value[len - 1] == ' ' || value[len - 1] == '\t' ||
				       value[len - 1] == '"'))
				len--;
			for (v = 0; v < len && v < CHARSET_MAX - 1; v++)
				charset[v] = value[v] >= 'A' && value[v] <= 'Z'
						 ? (char)(value[v] - 'A' + 'a')
						 : value[v];
			charset[v] = '\0';
		}
		s += strcspn(s, ";");
	}
	return true;
}

static bool starts_with_one(const unsigned char *data, size_t len, const signature *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (len >= s[i].len && memcmp(data, s[i].bytes, s[i].len) == 0)
			return true;
	return false;
}

/* The bytes as t says they must be. */
static int check_bytes(const att_type *t, const unsigned char *data, size_t len, vg_error *err)
{
	const unsigned char *nul;
	size_t at;

	if (t->nmagic) {
		if (!starts_with_one(data, len, t->magic, t->nmagic))
			return vg_error_set(err, VG_EINVAL,
					    "the file is declared %s but does not start like %s",
					    t->type, t->like);
		return VG_OK;
	}
	if (t->text == TEXT_UTF8) {
		at = vg_utf8_invalid_at((const char *)data, len, false);
		if (at < len && data[at] != '\0')
			return vg_error_set(err, VG_EINVAL,
					    "the file is declared %s but is not UTF-8 text "
					    "(at byte %zu)",
					    t->type, at);
	}
	nul = memchr(data, '\0', len);
	if (nul)
		return vg_error_set(err, VG_EINVAL,
				    "the file is declared %s but holds a NUL byte (at byte %zu)",
				    t->type, (size_t)(nul - data));
	return VG_OK;
}

int vg_attachment_check(const char *filename, const char *content_type, const void *data,
			size_t len, int64_t max_bytes, char type[VG_ATTACHMENT_TYPE_MAX + 1],
			vg_error *err)
{
	const att_list *l = types_list(err);
	const att_type *t;
	char declared[VG_ATTACHMENT_TYPE_MAX + 1], charset[CHARSET_MAX];
	size_t i;
	int rc;

	type[0] = '\0';
	if (!l)
		return err ? err->code : VG_EFAIL;
	if (max_bytes <= 0)
		max_bytes = VG_ATTACHMENT_MAX_DEFAULT;
	rc = check_filename(filename, err);
	if (rc)
		return rc;
	if (len == 0)
		return vg_error_set(err, VG_EINVAL, "the file is empty");
	if ((uint64_t)len > (uint64_t)max_bytes)
		return vg_error_set(err, VG_ETOOBIG,
				    "the file is larger than %lld bytes (attachments.max_bytes)",
				    (long long)max_bytes);
	if (!content_type || !*content_type)
		return vg_error_set(err, VG_EINVAL,
				    "the file's content type must be named (image/png, "
				    "text/plain, ...)");
	if (!parse_declared(content_type, declared, charset))
		return vg_error_set(err, VG_EINVAL,
				    "content type must be a media type such as image/png");
	t = find_type(l, declared);
	if (!t)
		return vg_error_set(err, VG_EINVAL,
				    "content type %s is not taken for attachments (see "
				    "content/attachments.yaml)",
				    declared);
	if (t->text == TEXT_UTF8 && charset[0] && strcmp(charset, "utf-8") != 0 &&
	    strcmp(charset, "us-ascii") != 0)
		return vg_error_set(err, VG_EINVAL,
				    "the file is declared %s in charset %s; text is taken as "
				    "UTF-8 only",
				    t->type, charset);
	for (i = 0; i < l->nrefused; i++)
		if (starts_with_one(data, len, l->refused[i].magic, l->refused[i].nmagic))
			return vg_error_set(err, VG_EINVAL,
					    "the file is %s; executables are not taken as "
					    "attachments",
					    l->refused[i].what);
	rc = check_bytes(t, data, len, err);
	if (rc)
		return rc;
	snprintf(type, VG_ATTACHMENT_TYPE_MAX + 1, "%s", t->type);
	return VG_OK;
}

/* ---- the files ---- */

static int io_error(vg_error *err, const char *what, const char *path)
{
	return vg_error_set(err, VG_EIO, "attachments: %s %s: %s", what, path, strerror(errno));
}

/* Makes directory path (mode 0700) unless it is there; a new one is made
 * durable in its parent. */
static int make_dir(const char *path, const char *parent, vg_error *err)
{
	struct stat st;

	if (mkdir(path, 0700) == 0)
		return vg_fsync_dir(parent) == 0 ? VG_OK : io_error(err, "fsync", parent);
	if (errno != EEXIST)
		return io_error(err, "mkdir", path);
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return vg_error_set(err, VG_EIO, "attachments: %s is not a directory", path);
	return VG_OK;
}

/* True when the file at path holds exactly the len bytes at data. */
static bool same_file(const char *path, const unsigned char *data, size_t len)
{
	unsigned char chunk[65536];
	size_t at = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (size_t)n > len - at || memcmp(chunk, data + at, (size_t)n) != 0)
			break;
		at += (size_t)n;
	}
	close(fd);
	return n == 0 && at == len;
}

static int file_path(const char *data_dir, const char *sha, char *out, size_t size, vg_error *err)
{
	int n = snprintf(out, size, "%s/attachments/%.2s/%s", data_dir, sha, sha);

	if (n < 0 || (size_t)n >= size)
		return vg_error_set(err, VG_EIO,
				    "attachments: the data directory's path is too long");
	return VG_OK;
}

/* Keeps len bytes as DATA/attachments/<sha:2>/<sha>: reused when that file
 * holds them already, else written whole over it (so a damaged one is put
 * right). */
static int store_file(const char *data_dir, const char *sha, const void *data, size_t len,
		      vg_error *err)
{
	char top[PATH_MAX], dir[PATH_MAX], path[PATH_MAX];
	struct stat st;
	int rc;

	rc = file_path(data_dir, sha, path, sizeof(path), err);
	if (rc)
		return rc;
	/* DATA/attachments/ab/abcd...: its directory, and that one's. */
	memcpy(dir, path, strlen(path) + 1);
	*strrchr(dir, '/') = '\0';
	memcpy(top, dir, strlen(dir) + 1);
	*strrchr(top, '/') = '\0';
	rc = make_dir(top, data_dir, err);
	if (!rc)
		rc = make_dir(dir, top, err);
	if (rc)
		return rc;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == len &&
	    same_file(path, data, len))
		return VG_OK;
	rc = vg_file_write_atomic(path, data, len, 0600, err);
	if (rc)
		vg_error_prefix(err, "attachments");
	return rc;
}

/* Reads meta's file into data (new), checked against its size and sha256. */
static int read_back(const char *data_dir, const vg_attachment *meta, vg_buf *data, vg_error *err)
{
	char path[PATH_MAX], sha[VG_SHA256_HEX_LEN];
	int rc = file_path(data_dir, meta->sha256, path, sizeof(path), err);

	*data = (vg_buf)VG_BUF_INIT((size_t)meta->size);
	if (!rc)
		rc = vg_file_read(path, (size_t)meta->size, data, err);
	if (rc == VG_ENOTFOUND)
		rc = vg_error_set(err, VG_ECORRUPT, "attachment %lld: its file %s is missing",
				  (long long)meta->id, path);
	else if (rc == VG_ETOOBIG)
		rc = vg_error_set(err, VG_ECORRUPT,
				  "attachment %lld: its file %s is larger than recorded",
				  (long long)meta->id, path);
	if (!rc) {
		vg_sha256_hex(data->ptr, data->len, sha);
		if (data->len != (size_t)meta->size || strcmp(sha, meta->sha256) != 0)
			rc = vg_error_set(err, VG_ECORRUPT,
					  "attachment %lld: the bytes of %s are not the ones "
					  "recorded",
					  (long long)meta->id, path);
	}
	if (rc)
		vg_buf_release(data);
	return rc;
}

/* ---- the rows ---- */

#define ATTACHMENT_COLUMNS                                                                         \
	"id, ticket_id, tenant_id, filename, content_type, size, sha256, public, source, "         \
	"created_by, staff, created_at"

/* Rows ctx may see: of its tenant, and public ones for a customer. */
#define VISIBLE "(? = 0 OR tenant_id = ?) AND (public = 1 OR ?)"
#define VISIBLE_PARAMS(ctx)                                                                        \
	VG_P_INT((ctx)->tenant_id), VG_P_INT((ctx)->tenant_id),                                    \
	    VG_P_INT(!vg_role_is_customer((ctx)->role))

static json_t *row_json(vg_rows *r, void *unused)
{
	(void)unused;
	return json_pack("{s:I, s:I, s:I, s:s, s:s, s:I, s:s, s:b, s:o, s:s, s:b, s:o}", "id",
			 (json_int_t)vg_rows_int(r, 0), "ticket_id", (json_int_t)vg_rows_int(r, 1),
			 "tenant_id", (json_int_t)vg_rows_int(r, 2), "filename", vg_rows_text(r, 3),
			 "content_type", vg_rows_text(r, 4), "size", (json_int_t)vg_rows_int(r, 5),
			 "sha256", vg_rows_text(r, 6), "public", (int)vg_rows_int(r, 7), "source",
			 vg_rows_json_text(r, 8), "created_by", vg_rows_text(r, 9), "staff",
			 (int)vg_rows_int(r, 10), "created_at", vg_rows_json_time(r, 11));
}

/* The tenant of ticket id, when ctx sees it. */
static int ticket_tenant(vg_tx *tx, const vg_ctx *ctx, int64_t id, int64_t *tenant_id,
			 vg_error *err)
{
	int rc = vg_tx_query_int(tx,
				 "SELECT tenant_id FROM tickets WHERE id = ? AND (? = 0 OR "
				 "tenant_id = ?)",
				 VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id),
					   VG_P_INT(ctx->tenant_id)),
				 tenant_id, err);

	if (rc)
		*tenant_id = 0;
	return rc == VG_ENOTFOUND ? vg_error_set(err, VG_ENOTFOUND, "no such ticket") : rc;
}

int vg_ticket_attach(vg_tx *tx, const vg_ctx *ctx, const char *data_dir, int64_t ticket_id,
		     const vg_attachment_in *in, int64_t *id, int64_t *tenant_id, vg_error *err)
{
	char type[VG_ATTACHMENT_TYPE_MAX + 1], sha[VG_SHA256_HEX_LEN];
	int64_t now = vg_time_now_ms();
	bool staff = ctx->role == VG_ROLE_ADMIN || ctx->role == VG_ROLE_MANAGER ||
		     ctx->role == VG_ROLE_ANALYST;
	int rc;

	*id = 0;
	rc = ticket_tenant(tx, ctx, ticket_id, tenant_id, err);
	if (rc)
		return rc;
	if (!in->public && vg_role_is_customer(ctx->role))
		return vg_error_set(err, VG_EPERM, "internal attachments are the MSSP's");
	rc = vg_attachment_check(in->filename, in->content_type, in->data, in->len, in->max_bytes,
				 type, err);
	if (!rc)
		rc = vg_text_check("source", in->source, SOURCE_MAX, false, err);
	if (rc)
		return rc;
	vg_sha256_hex(in->data, in->len, sha);
	rc = store_file(data_dir, sha, in->data, in->len, err);
	if (!rc)
		rc = vg_tx_query_int(
			tx,
			"INSERT INTO ticket_attachments (ticket_id, tenant_id, filename, "
			"content_type, size, sha256, public, created_by, staff, source, "
			"created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			VG_PARAMS(VG_P_INT(ticket_id), VG_P_INT(*tenant_id),
				  VG_P_TEXT(in->filename), VG_P_TEXT(type), VG_P_INT(in->len),
				  VG_P_TEXT(sha), VG_P_INT(in->public ? 1 : 0),
				  VG_P_TEXT(ctx->username), VG_P_INT(staff),
				  VG_P_TEXT_OR_NULL(in->source), VG_P_INT(now)),
			id, err);
	if (!rc)
		rc = vg_tx_exec(tx, "UPDATE tickets SET updated_at = ? WHERE id = ?",
				VG_PARAMS(VG_P_INT(now), VG_P_INT(ticket_id)), NULL, err);
	if (rc)
		*id = 0;
	return rc;
}

int vg_ticket_attachments_list(vg_tx *tx, const vg_ctx *ctx, int64_t ticket_id, json_t **items,
			       vg_error *err)
{
	int64_t last;

	return vg_tx_query_list(tx,
				"SELECT " ATTACHMENT_COLUMNS " FROM ticket_attachments WHERE "
				"ticket_id = ? AND " VISIBLE " ORDER BY id",
				VG_PARAMS(VG_P_INT(ticket_id), VISIBLE_PARAMS(ctx)), row_json, NULL,
				items, &last, err);
}

int vg_ticket_attachment_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err)
{
	return vg_tx_query_object(tx,
				  "SELECT " ATTACHMENT_COLUMNS " FROM ticket_attachments WHERE "
				  "id = ? AND " VISIBLE,
				  VG_PARAMS(VG_P_INT(id), VISIBLE_PARAMS(ctx)), row_json, NULL,
				  "attachment", out, err);
}

int vg_ticket_attachment_open(vg_tx *tx, const vg_ctx *ctx, const char *data_dir, int64_t ticket_id,
			      int64_t id, vg_attachment *meta, vg_buf *data, vg_error *err)
{
	vg_rows *r = NULL;
	int64_t tenant;
	int rc;

	memset(meta, 0, sizeof(*meta));
	if (data)
		*data = (vg_buf)VG_BUF_INIT(0);
	rc = ticket_tenant(tx, ctx, ticket_id, &tenant, err);
	if (!rc)
		rc = vg_tx_query(tx,
				 "SELECT id, ticket_id, tenant_id, filename, content_type, size, "
				 "sha256, public FROM ticket_attachments WHERE id = ? AND "
				 "ticket_id = ? AND " VISIBLE,
				 VG_PARAMS(VG_P_INT(id), VG_P_INT(ticket_id), VISIBLE_PARAMS(ctx)),
				 &r, err);
	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc == 1) {
		meta->id = vg_rows_int(r, 0);
		meta->ticket_id = vg_rows_int(r, 1);
		meta->tenant_id = vg_rows_int(r, 2);
		snprintf(meta->filename, sizeof(meta->filename), "%s", vg_rows_text(r, 3));
		snprintf(meta->content_type, sizeof(meta->content_type), "%s", vg_rows_text(r, 4));
		meta->size = vg_rows_int(r, 5);
		snprintf(meta->sha256, sizeof(meta->sha256), "%s", vg_rows_text(r, 6));
		meta->public = vg_rows_int(r, 7) != 0;
		rc = VG_OK;
	} else if (rc == 0) {
		rc = vg_error_set(err, VG_ENOTFOUND, "no such attachment");
	}
	vg_rows_free(r);
	if (!rc && data)
		rc = read_back(data_dir, meta, data, err);
	if (rc)
		memset(meta, 0, sizeof(*meta));
	return rc;
}
