/*
 * crypto.h - hashing, randomness and sealed secrets.
 *
 * Sealed secrets: values such as cloud keys and TOTP seeds are stored
 * encrypted with XSalsa20-Poly1305 (libsodium secretbox) under a 32-byte
 * master key kept in a file of mode 0600 beside the database, never in it.
 * vg_crypto_init must run once before any other call here.
 */
#ifndef VG_CORE_CRYPTO_H
#define VG_CORE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define VG_SHA256_LEN 32
#define VG_SHA256_HEX_LEN 65 /* 64 hex digits and NUL */
#define VG_MASTER_KEY_LEN 32

int vg_crypto_init(vg_error *err);

void vg_sha256(const void *data, size_t len, uint8_t out[VG_SHA256_LEN]);
void vg_sha256_hex(const void *data, size_t len, char out[VG_SHA256_HEX_LEN]);
void vg_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
		    uint8_t out[VG_SHA256_LEN]);

/* Lower-case hex of len bytes into out, which holds 2 * len + 1 bytes. */
void vg_hex_encode(const uint8_t *data, size_t len, char *out);

void vg_random_bytes(void *out, size_t len);

/* A random token of `bytes` bytes as URL-safe base64 without padding into
 * out (which holds at least 4 * bytes / 3 + 2 bytes). */
void vg_random_token(size_t bytes, char *out, size_t out_size);

/* Constant-time comparison of two equal-length buffers. */
bool vg_ct_equal(const void *a, const void *b, size_t len);

typedef struct vg_master_key {
	uint8_t key[VG_MASTER_KEY_LEN];
} vg_master_key;

/* Creates path with a fresh random key, mode 0600; VG_EEXIST if it exists. */
int vg_master_key_create(const char *path, vg_error *err);

/* Loads the key; refuses a file readable by group or others (VG_EPERM). */
int vg_master_key_load(const char *path, vg_master_key *out, vg_error *err);

/* Wipes the key from memory. */
void vg_master_key_wipe(vg_master_key *key);

/* Seals plaintext into *out (malloc'd; free it) of *out_len bytes. */
int vg_seal(const vg_master_key *key, const void *plain, size_t len, uint8_t **out,
	    size_t *out_len, vg_error *err);

/* Opens a sealed value; VG_ECORRUPT when it was altered or the key differs.
 * *out is NUL-terminated for convenience (not counted in *out_len). */
int vg_unseal(const vg_master_key *key, const uint8_t *sealed, size_t len, uint8_t **out,
	      size_t *out_len, vg_error *err);

#endif
