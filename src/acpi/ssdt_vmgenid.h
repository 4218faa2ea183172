/* SPDX-License-Identifier: MIT */
/* SSDT part: the device that tells the guest where its VM generation ID is. */
#ifndef HVMFW_SSDT_VMGENID_H
#define HVMFW_SSDT_VMGENID_H

#include <hvmfw/aml.h>

/*
 * At the top level of a definition block: Scope (\_SB) { Device (VGID) }
 * for a generation ID at guest-physical address addr. Writes nothing when
 * addr is 0.
 */
void ssdt_vmgenid(struct aml *a, uint64_t addr);

#endif
