/*
 * totp.h - time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second
 * steps, 6 digits), as every authenticator app speaks them.
 */
#ifndef VG_IDENTITY_TOTP_H
#define VG_IDENTITY_TOTP_H

#include <stdint.h>

#include "core/error.h"

#define VG_TOTP_SECRET_LEN 32 /* base32 characters for 20 random bytes */
#define VG_TOTP_STEP 30

/* A new random secret, base32 without padding, NUL-terminated. */
void vg_totp_secret_new(char out[VG_TOTP_SECRET_LEN + 1]);

/* The 6-digit code of secret at Unix time now. */
int vg_totp_code(const char *secret, int64_t now, char out[7], vg_error *err);

/*
 * Accepts code when it is the code of the step before, at or after now
 * (clock drift) and that step is later than last_step (a used code is never
 * accepted twice). *step_out is the matching step. VG_EAUTH "invalid totp
 * code" otherwise.
 */
int vg_totp_verify(const char *secret, const char *code, int64_t now, int64_t last_step,
		   int64_t *step_out, vg_error *err);

/* The otpauth:// URI an authenticator app scans, in *out (free() it). */
int vg_totp_uri(const char *account, const char *secret, char **out, vg_error *err);

#endif
