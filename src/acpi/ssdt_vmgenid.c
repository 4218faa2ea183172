/* SPDX-License-Identifier: MIT */
/*
 * VM generation ID device. What a guest looks for (Microsoft's "Virtual
 * Machine Generation ID" document):
 *   - _CID and _DDN "VM_Gen_Counter": Windows binds its driver on the
 *     compatible ID. ACPICA upper-cases string IDs when _HID/_CID are
 *     evaluated, so Linux (drivers/virt/vmgenid.c) sees "VM_GEN_COUNTER",
 *     one of the IDs it matches;
 *   - ADDR: a Package of two Integers, the low and the high 32 bits of the
 *     16-byte ID's guest-physical address.
 * _HID and _UID are the ones Xen's hvmloader gives its device, so a guest
 * that ran on hvmloader finds it under the same IDs.
 * The device only exists when there is an ID, so _STA is a constant.
 */
#include "ssdt_vmgenid.h"

#define VGID_HID "XEN0000"              /* EISA ID */
#define VGID_CID "VM_Gen_Counter"
#define STA_PRESENT 0x0F                /* present, enabled, shown, functioning */

void ssdt_vmgenid(struct aml *a, uint64_t addr)
{
	if (addr == 0)
		return;
	aml_scope_open(a, "\\_SB");
	aml_device_open(a, "VGID");
	aml_name_eisaid(a, "_HID", VGID_HID);
	aml_name_int(a, "_UID", 0);
	aml_name_string(a, "_CID", VGID_CID);
	aml_name_string(a, "_DDN", VGID_CID);
	aml_name_int(a, "_STA", STA_PRESENT);
	/* A method, as the document describes ADDR; it returns a fresh package. */
	aml_method_open(a, "ADDR", 0, false);
	aml_return(a);
	aml_package_open(a, 2);
	aml_int(a, addr & 0xFFFFFFFFu);
	aml_int(a, addr >> 32);
	aml_close(a);
	aml_close(a);
	aml_close(a);
	aml_close(a);
}
