/* SPDX-License-Identifier: MIT */
/* Firmware log: every line goes to the debug port (0xE9) and to COM1. */
#ifndef HVMFW_CONSOLE_H
#define HVMFW_CONSOLE_H

#include <hvmfw/compiler.h>

enum log_level { LOG_ERR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

void console_init(void);
void console_set_level(enum log_level lvl);
/* Stop (or keep) copying lines to COM1: under Xen each UART access traps to the device model. */
void console_use_com1(bool on);
void log_printf(enum log_level lvl, const char *fmt, ...) __printf(2, 3);

/* Print the reason and stop the machine the way the platform prefers. */
__noreturn void panic(const char *fmt, ...) __printf(1, 2);

#define log_err(...)   log_printf(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  log_printf(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_printf(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_printf(LOG_DEBUG, __VA_ARGS__)

#endif
