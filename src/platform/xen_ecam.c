/* SPDX-License-Identifier: MIT */
/* The ECAM registration decision (pure; the hypercall is in xen_memory.c). */
#include <hvmfw/xen/ecam.h>
#include <hvmfw/xen/hypercall.h>

enum xen_ecam_action xen_ecam_decide(unsigned xen_major, unsigned xen_minor, uint64_t base,
				     uint64_t size, uint8_t start_bus, uint8_t end_bus)
{
	if (xen_major < 4 || (xen_major == 4 && xen_minor < 9))
		return XEN_ECAM_OLD_XEN;
	if (!base || start_bus != 0 || end_bus < start_bus ||
	    size != ((uint64_t)end_bus + 1) << 20 || (base & (size - 1)))
		return XEN_ECAM_BAD_WINDOW;
	return XEN_ECAM_CALL;
}

enum xen_ecam_outcome xen_ecam_outcome(long rc)
{
	if (!rc)
		return XEN_ECAM_REGISTERED;
	return rc == -XEN_ENOSYS ? XEN_ECAM_FROM_CHIPSET : XEN_ECAM_REFUSED;
}
