/* SPDX-License-Identifier: MIT */
/* Read every configuration key the platform offers and log what is refused. */
#include <hvmfw/config.h>
#include <hvmfw/console.h>
#include <hvmfw/platform.h>

static void refuse(const char *key, const char *value, const char *why)
{
	log_warn("config: refused %s value \"%s\": %s", key, value, why);
}

void config_load(struct config *c)
{
	static char value[1024];

	config_defaults(c);
	if (!platform->config_get)
		return;
	for (unsigned i = 0; config_keys[i]; i++) {
		int n = platform->config_get(config_keys[i], value, sizeof(value));
		if (n < 0)
			continue;
		if (n >= (int)sizeof(value)) {
			refuse(config_keys[i], "...", "value longer than 1023 bytes");
			continue;
		}
		log_info("config: %s = \"%s\"", config_keys[i], value);
		config_apply(c, config_keys[i], value, refuse);
	}
	if (c->log_level >= 0)
		console_set_level((enum log_level)c->log_level);
}
