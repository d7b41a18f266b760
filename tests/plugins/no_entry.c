/* tests/plugins/no_entry.c — a shared object without slicedeck_plugin_entry. */
__attribute__((visibility("default"))) int some_other_symbol(void);
int some_other_symbol(void)
{
	return 1;
}
