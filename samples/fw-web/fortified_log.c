/*
 * Logging code as glibc's FORTIFY_SOURCE (with clang) expands it: the
 * printf family becomes __builtin___X_chk with a flag and the object size
 * before the format (bits/stdio2.h).  Findings must follow the format, not
 * the flag (sample input).
 */
#include <stdarg.h>
#include <stddef.h>

void log_port(char *out, size_t len, unsigned port)
{
	/* safe: literal format after the flag and the size */
	__builtin___snprintf_chk(out, len, 1, __builtin_object_size(out, 1), "%u", port);
}

void log_user_text(char *out, size_t len, const char *user_text)
{
	/* expect@+1: format.non-literal */
	__builtin___snprintf_chk(out, len, 1, __builtin_object_size(out, 1), user_text);
}

void log_name(char *out, const char *name)
{
	/* expect@+1: strings.unsafe-copy */
	__builtin___sprintf_chk(out, 1, __builtin_object_size(out, 1), "name=%s", name);
}

void log_code(char out[24], int code)
{
	/* safe: bounded conversion (at most 17 bytes) that fits 24 */
	__builtin___sprintf_chk(out, 1, __builtin_object_size(out, 1), "code=%d", code);
}

void log_va(char *out, size_t len, const char *fmt, va_list ap)
{
	/* a wrapper passing a parameter on: reported as for plain vsnprintf
	 * (declare the wrapper with __attribute__((format))) */
	/* expect@+1: format.non-literal */
	__builtin___vsnprintf_chk(out, len, 1, __builtin_object_size(out, 1), fmt, ap);
}
