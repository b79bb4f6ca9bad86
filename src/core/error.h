/*
 * error.h - Vigil's one status type.
 *
 * Every fallible function returns int: VG_OK (0) on success or a negative
 * VG_E* code, and fills an optional vg_error with a message a person can act
 * on ("tenants.yaml:12: unknown key \"editon\""). Only front-ends (src/cmd,
 * src/api) print errors or turn them into exit codes and HTTP statuses.
 */
#ifndef VG_CORE_ERROR_H
#define VG_CORE_ERROR_H

enum {
	VG_OK = 0,
	VG_EFAIL = -1,      /* unclassified failure */
	VG_ENOMEM = -2,     /* allocation failed or a memory cap was hit */
	VG_EINVAL = -3,     /* the input is malformed or a value is out of range */
	VG_ENOTFOUND = -4,  /* no such object, or not visible to the caller */
	VG_EEXIST = -5,     /* the object already exists (unique name taken) */
	VG_EPERM = -6,      /* authenticated but not allowed */
	VG_EAUTH = -7,      /* not authenticated, or bad credentials */
	VG_EIO = -8,        /* the operating system or a library failed */
	VG_ETOOBIG = -9,    /* input over a configured size limit */
	VG_ELIMIT = -10,    /* throttled or locked: try again later */
	VG_ECORRUPT = -11,  /* stored data failed an integrity check */
	VG_ECONFLICT = -12, /* the request conflicts with current state */
};

#define VG_ERROR_MSG_MAX 512

typedef struct vg_error {
	int code;
	char msg[VG_ERROR_MSG_MAX];
} vg_error;

/*
 * Records code and a printf-style message in err (which may be NULL) and
 * returns code, so callers can write `return vg_error_set(err, VG_EINVAL, ...)`.
 * A message already set is replaced.
 */
int vg_error_set(vg_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefixes the message in err with "prefix: " (context added while unwinding). */
void vg_error_prefix(vg_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A short constant name for a code: "not found", "invalid input", ... */
const char *vg_strerror(int code);

#endif
