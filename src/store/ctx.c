/* ctx.c - request context helpers. */
#include "store/ctx.h"

#include <string.h>

vg_ctx vg_ctx_system(void)
{
	vg_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	memcpy(ctx.username, "system", sizeof("system"));
	memcpy(ctx.source, "cli", sizeof("cli"));
	ctx.role = VG_ROLE_SYSTEM;
	ctx.scopes = VG_SCOPE_ALL;
	return ctx;
}

bool vg_ctx_sees_tenant(const vg_ctx *ctx, int64_t tenant_id)
{
	return ctx->tenant_id == 0 || ctx->tenant_id == tenant_id;
}

bool vg_role_is_customer(vg_role role)
{
	return role == VG_ROLE_CUSTOMER_ADMIN || role == VG_ROLE_CUSTOMER_USER;
}
