/*
 * test_ioc.c - indicator normal forms and lookups: addresses and networks
 * (v4, v6, mapped, overlapping), names and the names under them, URLs, hash
 * lists, shapes, and tenant scoping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "detect/ioc.h"

static void test_normal_forms(void **state)
{
	static const struct {
		enum vg_ioc_type t;
		const char *in, *out;
	} ok[] = {
		{ VG_IOC_IP, "203.0.113.7", "203.0.113.7" },
		{ VG_IOC_IP, " 198.51.100.0/24 ", "198.51.100.0/24" },
		{ VG_IOC_IP, "2001:DB8::1", "2001:db8::1" },
		{ VG_IOC_IP, "::ffff:192.0.2.1", "192.0.2.1" },
		{ VG_IOC_IP, "2001:db8::/32", "2001:db8::/32" },
		{ VG_IOC_DOMAIN, "Evil.Example.", "evil.example" },
		{ VG_IOC_URL, "HTTP://Evil.Example:80/a?b=1#frag", "http://evil.example/a?b=1" },
		{ VG_IOC_URL, "https://user@x.example:443", "https://x.example/" },
		{ VG_IOC_URL, "https://x.example:8443/p", "https://x.example:8443/p" },
		{ VG_IOC_HASH, "D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e" },
	};
	static const struct {
		enum vg_ioc_type t;
		const char *in, *error;
	} bad[] = {
		{ VG_IOC_IP, "203.0.113.256", "not an IP address or network: \"203.0.113.256\"" },
		{ VG_IOC_IP, "10.0.0.0/33", "not an IP address or network: \"10.0.0.0/33\"" },
		{ VG_IOC_DOMAIN, "localhost", "not a domain name: \"localhost\"" },
		{ VG_IOC_DOMAIN, "a..b", "not a domain name: \"a..b\"" },
		{ VG_IOC_DOMAIN, "a b.c", "not a domain name: \"a b.c\"" },
		{ VG_IOC_URL, "evil.example/x", "not a URL (scheme://host/...): \"evil.example/x\"" },
		{ VG_IOC_HASH, "abc", "not an MD5, SHA-1 or SHA-256 in hex: \"abc\"" },
	};
	char out[VG_IOC_VALUE_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		vg_error err = { 0 };

		assert_int_equal(vg_ioc_normalise(ok[i].t, ok[i].in, strlen(ok[i].in), out, &err), VG_OK);
		assert_string_equal(out, ok[i].out);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vg_error err = { 0 };

		assert_int_equal(vg_ioc_normalise(bad[i].t, bad[i].in, strlen(bad[i].in), out, &err),
				 VG_EINVAL);
		assert_string_equal(err.msg, bad[i].error);
	}
}

static vg_ioc_set *build(void)
{
	static const struct {
		int64_t id, tenant;
		enum vg_ioc_type t;
		const char *v;
	} list[] = {
		{ 1, 0, VG_IOC_IP, "203.0.113.7" },
		{ 2, 0, VG_IOC_IP, "10.0.0.0/8" },
		{ 3, 0, VG_IOC_IP, "10.1.0.0/16" },
		{ 4, 7, VG_IOC_IP, "192.168.0.0/16" },
		{ 5, 0, VG_IOC_IP, "2001:db8::/32" },
		{ 6, 0, VG_IOC_DOMAIN, "evil.example" },
		{ 7, 0, VG_IOC_URL, "http://bad.example/payload.exe" },
		{ 8, 0, VG_IOC_HASH, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ 9, 7, VG_IOC_DOMAIN, "tenant-only.example" },
		{ 10, 0, VG_IOC_IP, "172.16.0.0/12" },
	};
	vg_ioc_set *s = vg_ioc_set_new();
	vg_error err = { 0 };
	size_t i;

	for (i = 0; i < sizeof(list) / sizeof(list[0]); i++) {
		vg_ioc ioc = { .id = list[i].id, .tenant_id = list[i].tenant, .type = list[i].t,
			       .value = (char *)list[i].v };

		assert_int_equal(vg_ioc_set_add(s, &ioc, &err), VG_OK);
	}
	vg_ioc_set_seal(s);
	return s;
}

static int64_t id_of(const vg_ioc_set *s, int64_t tenant, int t, const char *v)
{
	const vg_ioc *ioc = vg_ioc_set_match(s, tenant, t, v, strlen(v));

	return ioc ? ioc->id : 0;
}

static void test_lookups(void **state)
{
	vg_ioc_set *s = build();

	(void)state;
	assert_int_equal(vg_ioc_set_count(s), 10);
	assert_int_equal(id_of(s, 1, VG_IOC_IP, "203.0.113.7"), 1);
	assert_int_equal(id_of(s, 1, VG_IOC_IP, "203.0.113.8"), 0);
	assert_int_equal(id_of(s, 1, VG_IOC_IP, "::ffff:203.0.113.7"), 1);
	/* Overlapping networks: the walk back finds the wider one too. */
	assert_int_equal(id_of(s, 1, VG_IOC_IP, "10.1.2.3"), 3);
	assert_int_equal(id_of(s, 1, VG_IOC_IP, "10.200.0.1"), 2);
	assert_int_equal(id_of(s, 1, VG_IOC_IP, "11.0.0.0"), 0);
	assert_int_equal(id_of(s, 1, VG_IOC_IP, "172.31.255.255"), 10);
	assert_int_equal(id_of(s, 1, VG_IOC_IP, "172.32.0.0"), 0);
	assert_int_equal(id_of(s, 1, VG_IOC_IP, "2001:db8:ffff::1"), 5);
	assert_int_equal(id_of(s, 1, VG_IOC_IP, "2001:db9::1"), 0);
	/* A tenant's list holds for that tenant only. */
	assert_int_equal(id_of(s, 7, VG_IOC_IP, "192.168.1.1"), 4);
	assert_int_equal(id_of(s, 1, VG_IOC_IP, "192.168.1.1"), 0);
	assert_int_equal(id_of(s, 7, VG_IOC_DOMAIN, "x.tenant-only.example"), 9);
	assert_int_equal(id_of(s, 1, VG_IOC_DOMAIN, "x.tenant-only.example"), 0);
	/* Names under a listed name match; names that only end alike do not. */
	assert_int_equal(id_of(s, 1, VG_IOC_DOMAIN, "Evil.Example"), 6);
	assert_int_equal(id_of(s, 1, VG_IOC_DOMAIN, "a.b.evil.example."), 6);
	assert_int_equal(id_of(s, 1, VG_IOC_DOMAIN, "notevil.example"), 0);
	assert_int_equal(id_of(s, 1, VG_IOC_DOMAIN, "https://cdn.evil.example/x"), 6);
	/* URLs match exactly, after normalising; their host as a name. */
	assert_int_equal(id_of(s, 1, VG_IOC_URL, "HTTP://BAD.example:80/payload.exe#x"), 7);
	assert_int_equal(id_of(s, 1, VG_IOC_URL, "http://bad.example/other"), 0);
	assert_int_equal(id_of(s, 1, VG_IOC_URL, "http://www.evil.example/any"), 6);
	assert_int_equal(id_of(s, 1, VG_IOC_URL, "http://203.0.113.7:8080/x"), 1);
	assert_int_equal(id_of(s, 1, VG_IOC_URL, "http://[2001:db8::5]:8080/x"), 5);
	/* Hash lists as Sysmon writes them. */
	assert_int_equal(
		id_of(s, 1, VG_IOC_HASH,
		      "SHA1=DA39A3EE5E6B4B0D3255BFEF95601890AFD80709,MD5=D41D8CD98F00B204E9800998ECF8427E,"
		      "SHA256=E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"),
		8);
	/* By shape, for fields no source type describes. */
	assert_int_equal(id_of(s, 1, VG_IOC_NTYPES, "10.9.9.9"), 2);
	assert_int_equal(id_of(s, 1, VG_IOC_NTYPES, "sub.evil.example"), 6);
	assert_int_equal(id_of(s, 1, VG_IOC_NTYPES, "http://bad.example/payload.exe"), 7);
	assert_int_equal(
		id_of(s, 1, VG_IOC_NTYPES,
		      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
		8);
	assert_int_equal(id_of(s, 1, VG_IOC_NTYPES, "nothing to see"), 0);
	assert_int_equal(id_of(s, 1, VG_IOC_NTYPES, "2026-03-27T13:06:56Z"), 0);
	vg_ioc_set_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normal_forms),
		cmocka_unit_test(test_lookups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
