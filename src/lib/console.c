/* SPDX-License-Identifier: MIT */
/*
 * Firmware log. Each line is written whole to the debug port 0xE9 (Xen's
 * and QEMU's debugcon) and to COM1, prefixed with "[hvmfw] ".
 */
#include <hvmfw/console.h>
#include <hvmfw/io.h>
#include <hvmfw/platform.h>
#include <hvmfw/string.h>

#define DEBUG_PORT 0xE9
#define COM1 0x3F8

static enum log_level max_level = LOG_INFO;
static bool com1_ok;

void console_init(void)
{
	/* 115200 8N1, FIFOs on. A missing UART reads back 0xFF from the scratch register. */
	outb(COM1 + 7, 0x5A);
	com1_ok = inb(COM1 + 7) == 0x5A;
	if (!com1_ok)
		return;
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x80);
	outb(COM1 + 0, 0x01);
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);
	outb(COM1 + 2, 0x07);
	outb(COM1 + 4, 0x03);
}

void console_use_com1(bool on)
{
	com1_ok = on && com1_ok;
}

void console_set_level(enum log_level lvl)
{
	max_level = lvl;
}

static void com1_putc(char c)
{
	/* Bounded wait: a wedged UART must not hang the boot. */
	for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)
		cpu_relax();
	outb(COM1, (uint8_t)c);
}

static void emit(const char *s, size_t n)
{
	__asm__ volatile("rep outsb" : "+S"(s), "+c"(n) : "d"(DEBUG_PORT) : "memory");
}

static void write_line(const char *s)
{
	size_t n = strlen(s);

	emit(s, n);
	if (com1_ok)
		for (size_t i = 0; i < n; i++) {
			if (s[i] == '\n')
				com1_putc('\r');
			com1_putc(s[i]);
		}
}

static void vlog(enum log_level lvl, const char *fmt, va_list ap)
{
	static const char *const tag[] = { "ERROR: ", "WARN: ", "", "" };
	char line[256];
	int n = snprintf(line, sizeof(line), "[hvmfw] %s", tag[lvl]);

	n += vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	if (n == 0 || line[n - 1] != '\n') {
		line[n++] = '\n';
		line[n] = '\0';
	}
	write_line(line);
}

void log_printf(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	if (lvl > max_level)
		return;
	va_start(ap, fmt);
	vlog(lvl, fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	char msg[232];	/* what a log line holds after "[hvmfw] ERROR: PANIC: " */

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_printf(LOG_ERR, "PANIC: %s", msg);
	log_printf(LOG_ERR, "PANIC: stopping the guest");
	if (platform && platform->stop)
		platform->stop();
	for (;;)
		__asm__ volatile("cli; hlt");
}
