/*
 * password.h - password hashing (argon2id) and policy.
 *
 * Hashes are libsodium's encoded argon2id strings, which carry their own
 * salt and cost parameters, so the parameters can be raised later without
 * invalidating stored hashes.
 */
#ifndef VG_IDENTITY_PASSWORD_H
#define VG_IDENTITY_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

#define VG_PASSWORD_HASH_MAX 128
#define VG_PASSWORD_MIN 12
#define VG_PASSWORD_MAX 1024
#define VG_PASSWORD_GENERATED_LEN 20

/* VG_EINVAL naming the rule a password breaks (length, UTF-8). */
int vg_password_check_policy(const char *password, vg_error *err);

/* Hashes password into out; checks the policy first. */
int vg_password_hash(const char *password, char out[VG_PASSWORD_HASH_MAX], vg_error *err);

/* True when password matches hash. */
bool vg_password_verify(const char *hash, const char *password);

/* A random password of VG_PASSWORD_GENERATED_LEN characters from an
 * alphabet without look-alikes; out holds at least that plus one. */
void vg_password_generate(char *out, size_t size);

#endif
