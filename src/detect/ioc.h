/*
 * ioc.h - indicators of compromise: IP addresses and networks, domains,
 * URLs and file hashes a tenant (or the MSSP, for every tenant) watches
 * for, looked up in the values an event's fields hold.
 *
 * A set is built once from the store's lists and then read by every thread
 * (rebuilt and swapped when the lists change). Values are normalised when
 * added and when looked up, so that what matches is what an analyst means:
 *   ip      an address or a CIDR network, v4 or v6 ("203.0.113.7",
 *           "198.51.100.0/24"); an event's address matches when a network
 *           holds it
 *   domain  a host name, lower-cased, without a final dot; it matches the
 *           name and every name under it (evil.example matches
 *           a.b.evil.example), and the host of a URL
 *   url     scheme://host[:port]/path?query, scheme and host lower-cased, a
 *           default port and the fragment dropped; it matches exactly
 *   hash    MD5, SHA-1 or SHA-256 in hex, lower-cased; in a list such as
 *           Sysmon's "SHA1=...,MD5=...", each hash is looked up
 * A value that is none of these is VG_EINVAL naming the type.
 */
#ifndef VG_DETECT_IOC_H
#define VG_DETECT_IOC_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

enum vg_ioc_type { VG_IOC_IP, VG_IOC_DOMAIN, VG_IOC_URL, VG_IOC_HASH, VG_IOC_NTYPES };

/* "ip", "domain", "url", "hash"; -1 for any other name. */
int vg_ioc_type_parse(const char *name);
const char *vg_ioc_type_name(enum vg_ioc_type t);

#define VG_IOC_VALUE_MAX 2048

/* The canonical form of value (len bytes) as a type-t indicator, into out
 * (VG_IOC_VALUE_MAX bytes). VG_EINVAL "not an IP address or network: ..." */
int vg_ioc_normalise(enum vg_ioc_type t, const char *value, size_t len, char *out,
		     vg_error *err);

/* One indicator, as the store holds it. */
typedef struct vg_ioc {
	int64_t id;
	int64_t tenant_id; /* 0: every tenant's */
	enum vg_ioc_type type;
	char *value;       /* normalised */
	char *level;       /* Sigma level of its alerts: "high" unless set */
	char *description;
} vg_ioc;

typedef struct vg_ioc_set vg_ioc_set;

vg_ioc_set *vg_ioc_set_new(void);
void vg_ioc_set_free(vg_ioc_set *s);

/* Adds an indicator (copied). VG_EINVAL for a value its type refuses. */
int vg_ioc_set_add(vg_ioc_set *s, const vg_ioc *ioc, vg_error *err);

/* Done adding: sorts the networks for lookup. */
void vg_ioc_set_seal(vg_ioc_set *s);

size_t vg_ioc_set_count(const vg_ioc_set *s);

/*
 * The indicator of tenant_id (or a global one) that a field's value (len
 * bytes) matches when read as type t, or NULL. Types an event field can
 * carry; with VG_IOC_NTYPES the value's shape decides (an address, a hash,
 * a URL or a host name), for fields no source type describes.
 */
const vg_ioc *vg_ioc_set_match(const vg_ioc_set *s, int64_t tenant_id, int t, const char *value,
			       size_t len);

#endif
