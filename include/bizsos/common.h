/* bizsos: one error type, returned everywhere and passed up unchanged. */
#ifndef BIZSOS_COMMON_H
#define BIZSOS_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum bz_rc {
	BZ_OK = 0,
	BZ_ERR_NOMEM,      /* allocation failed or a size cap was hit */
	BZ_ERR_IO,         /* file or socket error */
	BZ_ERR_DB,         /* SQLite failed (system failure) */
	BZ_ERR_CONSTRAINT, /* a constraint was hit: a normal, user-facing outcome */
	BZ_ERR_INVALID,    /* bad input (field error) */
	BZ_ERR_NOTFOUND,   /* no such record */
	BZ_ERR_CONFLICT,   /* stale version or state */
	BZ_ERR_FORBIDDEN,  /* not allowed for this user */
	BZ_ERR_TOOLARGE,   /* over a size limit */
	BZ_ERR_LOCKED,     /* account locked */
	BZ_ERR_SCHEMA,     /* database is from a newer version */
	BZ_ERR_BUSY,       /* no capacity now: try again shortly (503) */
	BZ_ERR_THROTTLED,  /* too many attempts from this client: wait (429) */
} bz_rc;

/* A static English name for an error code, for logs. */
const char *bz_strerror(bz_rc rc);

#define BZ_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define BZ_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define BZ_NODISCARD    __attribute__((warn_unused_result))
#else
#define BZ_PRINTF(f, a)
#define BZ_NODISCARD
#endif

/* Logging to stderr with a UTC timestamp, one line per call: every control
 * character (newlines included) and backslash in the message is escaped by
 * bz_log_escape, so no logged field — a URL, a login, a file name — can forge a
 * line or hide part of one. */
void bz_log(const char *level, const char *fmt, ...) BZ_PRINTF(2, 3);
/* Copies in to out (outlen bytes, always NUL-terminated), writing bytes below
 * 0x20 and 0x7f as \\xNN and a backslash as two; truncates at a whole escape.
 * Returns the length written. */
size_t bz_log_escape(const char *in, char *out, size_t outlen);
#define LOG_INFO(...)  bz_log("info", __VA_ARGS__)
#define LOG_WARN(...)  bz_log("warn", __VA_ARGS__)
#define LOG_ERROR(...) bz_log("error", __VA_ARGS__)

/* Bounded string copy: always NUL-terminates, returns false if truncated. */
bool bz_strlcpy(char *dst, const char *src, size_t dstsize);

/* Checks that s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, no NUL). */
bool bz_utf8_valid(const char *s, size_t n);

#endif
