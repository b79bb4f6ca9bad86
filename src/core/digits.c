/* digits.c - decimal digit runs (see digits.h). */
#include "core/digits.h"

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool vg_digits_int(const char *s, size_t n, int *out)
{
	int v = 0;

	if (n == 0 || n > 9 || !all_digits(s, n))
		return false;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	*out = v;
	return true;
}

bool vg_digits_is_count(const char *s, size_t n)
{
	return n > 0 && n <= 18 && all_digits(s, n);
}
