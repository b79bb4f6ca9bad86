/*
 * lsan_fuzz.c - the leak check of every fuzz target, told of the caches
 * fontconfig, cairo and pango keep for the life of the process once a
 * report was drawn (fuzz_report): never freed by design, and not Vigil's
 * to free. The server binary says the same (src/main.c).
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\nleak:libcairo.so\nleak:libpango\nleak:libharfbuzz.so\n"
	       "leak:libglib-2.0.so\nleak:libgobject-2.0.so\n";
}

const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}
