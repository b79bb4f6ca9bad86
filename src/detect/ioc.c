/* ioc.c - indicator sets and their lookups (see ioc.h). */
#include "detect/ioc.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/map.h"
#include "core/xalloc.h"

static const char *const type_names[VG_IOC_NTYPES] = { "ip", "domain", "url", "hash" };

int vg_ioc_type_parse(const char *name)
{
	int i;

	for (i = 0; i < VG_IOC_NTYPES; i++)
		if (strcmp(name, type_names[i]) == 0)
			return i;
	return -1;
}

const char *vg_ioc_type_name(enum vg_ioc_type t)
{
	return (unsigned)t < VG_IOC_NTYPES ? type_names[t] : "?";
}

/* ---- normal forms ------------------------------------------------- */

typedef struct address {
	int family; /* AF_INET or AF_INET6 */
	unsigned char b[16];
} address;

/* An address, with an IPv4-mapped IPv6 address read as the IPv4 one. */
static bool parse_address(const char *s, size_t len, address *a)
{
	char buf[64];
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, buf, a->b) == 1) {
		a->family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, buf, a->b) != 1)
		return false;
	a->family = AF_INET6;
	if (memcmp(a->b, mapped, 12) == 0) {
		memmove(a->b, a->b + 12, 4);
		memset(a->b + 4, 0, 12);
		a->family = AF_INET;
	}
	return true;
}

static int family_bits(int family)
{
	return family == AF_INET ? 32 : 128;
}

/* "ADDR" or "ADDR/PREFIX". */
static bool parse_network(const char *s, size_t len, address *a, int *prefix)
{
	const char *slash = memchr(s, '/', len);
	long bits;
	char *end, num[8];

	if (!parse_address(s, slash ? (size_t)(slash - s) : len, a))
		return false;
	*prefix = family_bits(a->family);
	if (!slash)
		return true;
	if (len - (size_t)(slash + 1 - s) == 0 || len - (size_t)(slash + 1 - s) >= sizeof(num))
		return false;
	memcpy(num, slash + 1, len - (size_t)(slash + 1 - s));
	num[len - (size_t)(slash + 1 - s)] = '\0';
	bits = strtol(num, &end, 10);
	if (*end || bits < 0 || bits > family_bits(a->family))
		return false;
	*prefix = (int)bits;
	return true;
}

static bool is_hex_hash(const char *s, size_t len)
{
	size_t i;

	if (len != 32 && len != 40 && len != 64)
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return true;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* A host name: labels of letters, digits, '-' and '_' (or UTF-8), joined
 * by dots, at least two. A final dot goes. */
static bool normal_host(const char *s, size_t len, char *out, size_t *outlen)
{
	size_t i, label = 0, dots = 0;

	if (len && s[len - 1] == '.')
		len--;
	if (len == 0 || len > 253)
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
			dots++;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			   c == '-' || c == '_' || (unsigned char)c >= 0x80) {
			if (++label > 63)
				return false;
		} else {
			return false;
		}
		out[i] = lower(c);
	}
	if (label == 0 || dots == 0)
		return false;
	out[len] = '\0';
	*outlen = len;
	return true;
}

/* scheme://host[:port]/path?query: *host_at and *host_len locate the host
 * in out. */
static bool normal_url(const char *s, size_t len, char *out, size_t *host_at, size_t *host_len)
{
	const char *p = s, *end = s + len, *host, *host_end, *rest, *hash;
	size_t n = 0, hl, plen;
	bool https;

	while (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		p++;
	if (p == s || end - p < 4 || memcmp(p, "://", 3) != 0 || (size_t)(p - s) > 16)
		return false;
	for (; s < p; s++)
		out[n++] = lower(*s);
	https = n == 5 && memcmp(out, "https", 5) == 0;
	memcpy(out + n, "://", 3);
	n += 3;
	host = p + 3;
	for (host_end = host; host_end < end && *host_end != '/' && *host_end != '?' &&
			      *host_end != '#';
	     host_end++)
		;
	rest = host_end;
	/* userinfo@ is not part of the host. */
	for (p = host_end; p > host; p--)
		if (p[-1] == '@') {
			host = p;
			break;
		}
	hl = (size_t)(host_end - host);
	if (hl == 0 || n + hl >= VG_IOC_VALUE_MAX - 2)
		return false;
	*host_at = n;
	for (p = host; p < host_end; p++)
		out[n++] = lower(*p);
	*host_len = hl;
	/* A default port says nothing. */
	if (n - *host_at > 3 && memcmp(out + n - 3, ":80", 3) == 0 && !https && out[n - 4] != ']')
		n -= 3, *host_len -= 3;
	else if (n - *host_at > 4 && memcmp(out + n - 4, ":443", 4) == 0 && https)
		n -= 4, *host_len -= 4;
	if (rest < end && *rest == '#')
		rest = end;
	hash = memchr(rest, '#', (size_t)(end - rest));
	plen = (size_t)((hash ? hash : end) - rest);
	if (n + plen + 2 >= VG_IOC_VALUE_MAX)
		return false;
	if (plen == 0 || *rest != '/')
		out[n++] = '/';
	memcpy(out + n, rest, plen);
	n += plen;
	out[n] = '\0';
	return true;
}

int vg_ioc_normalise(enum vg_ioc_type t, const char *value, size_t len, char *out,
		     vg_error *err)
{
	address a;
	size_t i, n, at;
	int prefix;

	while (len && (*value == ' ' || *value == '\t')) {
		value++;
		len--;
	}
	while (len && (value[len - 1] == ' ' || value[len - 1] == '\t'))
		len--;
	switch (t) {
	case VG_IOC_IP:
		if (!parse_network(value, len, &a, &prefix))
			return vg_error_set(err, VG_EINVAL, "not an IP address or network: \"%.*s\"",
					    (int)(len > 64 ? 64 : len), value);
		inet_ntop(a.family, a.b, out, VG_IOC_VALUE_MAX);
		if (prefix != family_bits(a.family))
			snprintf(out + strlen(out), 8, "/%d", prefix);
		return VG_OK;
	case VG_IOC_HASH:
		if (!is_hex_hash(value, len))
			return vg_error_set(err, VG_EINVAL,
					    "not an MD5, SHA-1 or SHA-256 in hex: \"%.*s\"",
					    (int)(len > 80 ? 80 : len), value);
		for (i = 0; i < len; i++)
			out[i] = lower(value[i]);
		out[len] = '\0';
		return VG_OK;
	case VG_IOC_DOMAIN:
		if (len >= VG_IOC_VALUE_MAX || !normal_host(value, len, out, &n))
			return vg_error_set(err, VG_EINVAL, "not a domain name: \"%.*s\"",
					    (int)(len > 80 ? 80 : len), value);
		return VG_OK;
	default:
		if (len >= VG_IOC_VALUE_MAX || !normal_url(value, len, out, &at, &n))
			return vg_error_set(err, VG_EINVAL, "not a URL (scheme://host/...): \"%.*s\"",
					    (int)(len > 80 ? 80 : len), value);
		return VG_OK;
	}
}

/* ---- the set ------------------------------------------------------ */

typedef struct network {
	int64_t tenant_id;
	int family;
	unsigned char lo[16], hi[16];
	unsigned char max_hi[16]; /* the greatest hi of this and the networks before it */
	const vg_ioc *ioc;
} network;

struct vg_ioc_set {
	vg_ioc **all;
	size_t n;
	vg_map exact; /* tenant, type and value -> indicator */
	network *nets;
	size_t nnets;
};

vg_ioc_set *vg_ioc_set_new(void)
{
	return vg_xcalloc(1, sizeof(vg_ioc_set));
}

void vg_ioc_set_free(vg_ioc_set *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->all[i]->value);
		free(s->all[i]->level);
		free(s->all[i]->description);
		free(s->all[i]);
	}
	free(s->all);
	vg_map_release(&s->exact);
	free(s->nets);
	free(s);
}

size_t vg_ioc_set_count(const vg_ioc_set *s)
{
	return s->n;
}

/* The exact-match key: tenant, a type letter, the value's bytes. */
static size_t make_key(char *key, int64_t tenant_id, char kind, const void *v, size_t len)
{
	memcpy(key, &tenant_id, sizeof(tenant_id));
	key[sizeof(tenant_id)] = kind;
	memcpy(key + sizeof(tenant_id) + 1, v, len);
	return sizeof(tenant_id) + 1 + len;
}

#define KEY_MAX (sizeof(int64_t) + 1 + VG_IOC_VALUE_MAX + 17)

static int put_exact(vg_ioc_set *s, const char *key, size_t klen, const vg_ioc *ioc,
		     vg_error *err)
{
	int created;
	vg_map_entry *e = vg_map_put(&s->exact, key, klen, &created);

	if (!e)
		return vg_error_set(err, VG_ENOMEM, "out of memory loading indicators");
	if (created)
		e->value = (void *)ioc;
	return VG_OK;
}

int vg_ioc_set_add(vg_ioc_set *s, const vg_ioc *in, vg_error *err)
{
	char norm[VG_IOC_VALUE_MAX], key[KEY_MAX];
	vg_ioc *ioc;
	address a;
	int prefix, rc, i;

	rc = vg_ioc_normalise(in->type, in->value, strlen(in->value), norm, err);
	if (rc)
		return rc;
	ioc = vg_xcalloc(1, sizeof(*ioc));
	*ioc = *in;
	ioc->value = vg_xstrdup(norm);
	ioc->level = vg_xstrdup(in->level ? in->level : "high");
	ioc->description = vg_xstrdup(in->description ? in->description : "");
	s->all = vg_xrealloc(s->all, (s->n + 1) * sizeof(*s->all));
	s->all[s->n++] = ioc;
	if (in->type != VG_IOC_IP) {
		char kind = "IDUH"[in->type];

		return put_exact(s, key, make_key(key, in->tenant_id, kind, norm, strlen(norm)), ioc,
				 err);
	}
	parse_network(norm, strlen(norm), &a, &prefix);
	if (prefix == family_bits(a.family))
		return put_exact(s, key, make_key(key, in->tenant_id, 'I', a.b, 16), ioc, err);
	s->nets = vg_xrealloc(s->nets, (s->nnets + 1) * sizeof(*s->nets));
	{
		network *n = &s->nets[s->nnets++];
		int bytes = family_bits(a.family) / 8;

		memset(n, 0, sizeof(*n));
		n->tenant_id = in->tenant_id;
		n->family = a.family;
		n->ioc = ioc;
		for (i = 0; i < bytes; i++) {
			int bits = prefix - 8 * i;
			unsigned char mask = bits >= 8 ? 0xff : bits <= 0 ? 0 : (unsigned char)(0xff << (8 - bits));

			n->lo[i] = a.b[i] & mask;
			n->hi[i] = (unsigned char)(a.b[i] | (unsigned char)~mask);
		}
	}
	return VG_OK;
}

static int compare_nets(const void *x, const void *y)
{
	const network *a = x, *b = y;

	if (a->tenant_id != b->tenant_id)
		return a->tenant_id < b->tenant_id ? -1 : 1;
	if (a->family != b->family)
		return a->family - b->family;
	return memcmp(a->lo, b->lo, 16);
}

void vg_ioc_set_seal(vg_ioc_set *s)
{
	size_t i;

	if (s->nnets)
		qsort(s->nets, s->nnets, sizeof(*s->nets), compare_nets);
	for (i = 0; i < s->nnets; i++) {
		network *n = &s->nets[i];

		memcpy(n->max_hi, n->hi, 16);
		if (i && n[-1].tenant_id == n->tenant_id && n[-1].family == n->family &&
		    memcmp(n[-1].max_hi, n->hi, 16) > 0)
			memcpy(n->max_hi, n[-1].max_hi, 16);
	}
}

/* A network of tenant_id holding a, found by binary search on the low
 * ends and a walk back while an earlier network could still reach it. */
static const vg_ioc *in_networks(const vg_ioc_set *s, int64_t tenant_id, const address *a)
{
	size_t lo = 0, hi = s->nnets;
	network probe = { .tenant_id = tenant_id, .family = a->family };

	memcpy(probe.lo, a->b, 16);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (compare_nets(&s->nets[mid], &probe) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo > 0) {
		const network *n = &s->nets[--lo];

		if (n->tenant_id != tenant_id || n->family != a->family ||
		    memcmp(n->max_hi, a->b, 16) < 0)
			break;
		if (memcmp(n->hi, a->b, 16) >= 0)
			return n->ioc;
	}
	return NULL;
}

static const vg_ioc *exact(const vg_ioc_set *s, int64_t tenant_id, char kind, const void *v,
			   size_t len)
{
	char key[KEY_MAX];
	const vg_ioc *ioc = NULL;

	if (len > VG_IOC_VALUE_MAX)
		return NULL;
	if (tenant_id)
		ioc = vg_map_get(&s->exact, key, make_key(key, tenant_id, kind, v, len));
	return ioc ? ioc : vg_map_get(&s->exact, key, make_key(key, 0, kind, v, len));
}

static const vg_ioc *match_ip(const vg_ioc_set *s, int64_t tenant_id, const char *v, size_t len)
{
	const vg_ioc *ioc;
	address a;

	if (!parse_address(v, len, &a))
		return NULL;
	ioc = exact(s, tenant_id, 'I', a.b, 16);
	if (!ioc && tenant_id)
		ioc = in_networks(s, tenant_id, &a);
	return ioc ? ioc : in_networks(s, 0, &a);
}

/* The name and each name it is under. */
static const vg_ioc *match_host(const vg_ioc_set *s, int64_t tenant_id, const char *v,
				size_t len)
{
	char host[VG_IOC_VALUE_MAX];
	const vg_ioc *ioc;
	size_t n, i = 0;

	if (len >= sizeof(host) || !normal_host(v, len, host, &n))
		return NULL;
	for (;;) {
		ioc = exact(s, tenant_id, 'D', host + i, n - i);
		if (ioc)
			return ioc;
		while (i < n && host[i] != '.')
			i++;
		if (i++ >= n)
			return NULL;
	}
}

static const vg_ioc *match_url(const vg_ioc_set *s, int64_t tenant_id, const char *v, size_t len)
{
	char url[VG_IOC_VALUE_MAX];
	const vg_ioc *ioc;
	const char *host, *colon;
	size_t at, hl;

	if (len >= sizeof(url) || !normal_url(v, len, url, &at, &hl))
		return NULL;
	ioc = exact(s, tenant_id, 'U', url, strlen(url));
	if (ioc || !hl)
		return ioc;
	/* The host, without a port: "[v6]:port", "v4:port", "name:port". */
	host = url + at;
	if (host[0] == '[') {
		colon = memchr(host, ']', hl);
		return colon ? match_ip(s, tenant_id, host + 1, (size_t)(colon - host - 1)) : NULL;
	}
	colon = memchr(host, ':', hl);
	if (colon)
		hl = (size_t)(colon - host);
	ioc = match_ip(s, tenant_id, host, hl);
	return ioc ? ioc : match_host(s, tenant_id, host, hl);
}

/* Each hex hash in the value ("SHA1=..,MD5=..", or just one). */
static const vg_ioc *match_hashes(const vg_ioc_set *s, int64_t tenant_id, const char *v,
				  size_t len)
{
	char hash[65];
	size_t i = 0, j, k;

	while (i < len) {
		for (j = i; j < len && v[j] != ',' && v[j] != '=' && v[j] != ' ' && v[j] != ';'; j++)
			;
		if (is_hex_hash(v + i, j - i)) {
			const vg_ioc *ioc;

			for (k = 0; k < j - i; k++)
				hash[k] = lower(v[i + k]);
			ioc = exact(s, tenant_id, 'H', hash, j - i);
			if (ioc)
				return ioc;
		}
		i = j + 1;
	}
	return NULL;
}

const vg_ioc *vg_ioc_set_match(const vg_ioc_set *s, int64_t tenant_id, int t, const char *v,
			       size_t len)
{
	const vg_ioc *ioc;

	if (!s || !s->n || len == 0)
		return NULL;
	switch (t) {
	case VG_IOC_IP: return match_ip(s, tenant_id, v, len);
	case VG_IOC_DOMAIN:
		return memmem(v, len, "://", 3) ? match_url(s, tenant_id, v, len)
						: match_host(s, tenant_id, v, len);
	case VG_IOC_URL: return match_url(s, tenant_id, v, len);
	case VG_IOC_HASH: return match_hashes(s, tenant_id, v, len);
	default:
		/* By shape: cheap tests first, each value takes one path. */
		if ((v[0] >= '0' && v[0] <= '9') || v[0] == ':' || memchr(v, ':', len > 40 ? 40 : len)) {
			ioc = match_ip(s, tenant_id, v, len);
			if (ioc || memmem(v, len, "://", 3) == NULL)
				return ioc ? ioc : (is_hex_hash(v, len) ? match_hashes(s, tenant_id, v, len)
									 : match_host(s, tenant_id, v, len));
			return match_url(s, tenant_id, v, len);
		}
		if (is_hex_hash(v, len))
			return match_hashes(s, tenant_id, v, len);
		if (memchr(v, '.', len) && !memchr(v, ' ', len))
			return match_host(s, tenant_id, v, len);
		return NULL;
	}
}
