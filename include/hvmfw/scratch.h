/* SPDX-License-Identifier: MIT */
/* A shared work buffer for one job at a time (src/mem/scratch.c). */
#ifndef HVMFW_SCRATCH_H
#define HVMFW_SCRATCH_H

#include <hvmfw/compiler.h>

#define SCRATCH_BYTES (192 * 1024)

void *scratch_take(const char *who);
void scratch_give(void);

#endif
