/*
 * banned.h - libc functions Vigil does not use, made compile errors.
 *
 * Included into every translation unit by the build (-include). Each banned
 * function has a bounded or reentrant replacement: vg_buf_printf or snprintf
 * for sprintf, memcpy with a known length for strcpy, strtoll with end-pointer
 * checks for atoi, strtok_r for strtok, gmtime_r/localtime_r.
 */
#ifndef VG_CORE_BANNED_H
#define VG_CORE_BANNED_H

/* The headers that declare (and, when optimising, define inline) the banned
 * functions come first, so the macros below only rename later uses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define VG_BANNED(func) sorry_##func##_is_banned_in_vigil

#undef strcpy
#define strcpy(x, y) VG_BANNED(strcpy)
#undef strcat
#define strcat(x, y) VG_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) VG_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) VG_BANNED(strncat)
#undef sprintf
#define sprintf(...) VG_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) VG_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) VG_BANNED(strtok)
#undef atoi
#define atoi(x) VG_BANNED(atoi)
#undef atol
#define atol(x) VG_BANNED(atol)
#undef gets
#define gets(x) VG_BANNED(gets)
#undef gmtime
#define gmtime(x) VG_BANNED(gmtime)
#undef localtime
#define localtime(x) VG_BANNED(localtime)
#undef ctime
#define ctime(x) VG_BANNED(ctime)
#undef asctime
#define asctime(x) VG_BANNED(asctime)

#endif
