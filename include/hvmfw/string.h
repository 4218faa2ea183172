/* SPDX-License-Identifier: MIT */
/* String and memory functions: libc's on the host, our own in the firmware. */
#ifndef HVMFW_STRING_H
#define HVMFW_STRING_H

#include <hvmfw/compiler.h>
#include <stdarg.h>

#ifdef HVMFW_HOST
#include <string.h>
#include <stdio.h>
#else
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
void *memchr(const void *s, int c, size_t n);
char *strstr(const char *haystack, const char *needle);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
#endif

#endif
