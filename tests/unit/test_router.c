/* test_router.c - route matching against a small table of its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "http/router.h"

static int noop(vg_req *req, vg_error *err)
{
	(void)req;
	(void)err;
	return VG_OK;
}

static const vg_route table[] = {
	{ "GET", "/api/v1/tenants", noop, VG_PERM_TENANT_READ, 0, NULL, NULL, "list" },
	{ "POST", "/api/v1/tenants", noop, VG_PERM_TENANT_WRITE, 0, "tenant.create", NULL, "add" },
	{ "GET", "/api/v1/tenants/{id}", noop, VG_PERM_TENANT_READ, 0, NULL, "tenant", "get" },
	{ "PATCH", "/api/v1/tenants/{id}", noop, VG_PERM_TENANT_WRITE, 0, "t", "tenant", "set" },
	{ "GET", "/api/v1/tenants/{id}/users/{user}", noop, VG_PERM_USER_READ, 0, NULL, "user",
	  "nested" },
	{ NULL, NULL, NULL, VG_PERM_NONE, 0, NULL, NULL, NULL },
};

static void matches_literal_and_parameter_routes(void **state)
{
	vg_str params[VG_ROUTE_MAX_PARAMS];
	bool known;
	const vg_route *r;

	(void)state;
	r = vg_router_match(table, "POST", "/api/v1/tenants", params, &known);
	assert_non_null(r);
	assert_string_equal(r->summary, "add");
	r = vg_router_match(table, "GET", "/api/v1/tenants/42", params, &known);
	assert_string_equal(r->summary, "get");
	assert_true(vg_str_eq_c(params[0], "42"));
	r = vg_router_match(table, "GET", "/api/v1/tenants/7/users/alice", params, &known);
	assert_string_equal(r->summary, "nested");
	assert_true(vg_str_eq_c(params[0], "7"));
	assert_true(vg_str_eq_c(params[1], "alice"));
	r = vg_router_match(table, "HEAD", "/api/v1/tenants", params, &known);
	assert_string_equal(r->summary, "list");
}

static void tells_wrong_method_from_unknown_path(void **state)
{
	vg_str params[VG_ROUTE_MAX_PARAMS];
	vg_buf allow = VG_BUF_INIT(256);
	bool known;

	(void)state;
	assert_null(vg_router_match(table, "DELETE", "/api/v1/tenants/3", params, &known));
	assert_true(known);
	assert_int_equal(vg_router_allow(table, "/api/v1/tenants/3", &allow), VG_OK);
	assert_string_equal(vg_buf_cstr(&allow), "GET, PATCH");
	vg_buf_release(&allow);
	static const char *const unknown[] = {
		"/api/v1/tenants/", "/api/v1/tenants//users/x", "/api/v1/tenant", "/api/v1/tenants/3/",
		"/api/v1/tenants/3/users", "", "/", "/api/v1/tenants/3/users/x/y",
	};
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		assert_null(vg_router_match(table, "GET", unknown[i], params, &known));
		assert_false(known);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(matches_literal_and_parameter_routes),
		cmocka_unit_test(tells_wrong_method_from_unknown_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
