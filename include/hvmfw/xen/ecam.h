/* SPDX-License-Identifier: MIT */
/*
 * Whether and how to tell Xen about the Q35 ECAM window (HVMOP_set_ecam_space
 * from the posted Q35 series): a pure decision, so every branch is host-tested.
 */
#ifndef HVMFW_XEN_ECAM_H
#define HVMFW_XEN_ECAM_H

#include <hvmfw/compiler.h>

enum xen_ecam_action {
	XEN_ECAM_CALL,		/* issue HVMOP_set_ecam_space */
	XEN_ECAM_OLD_XEN,	/* op 16 meant HVMOP_inject_msi before 4.9: never send it */
	XEN_ECAM_BAD_WINDOW,	/* the v1 ABI describes buses 0..n at 1 MiB each, nothing else */
};

enum xen_ecam_action xen_ecam_decide(unsigned xen_major, unsigned xen_minor, uint64_t base,
				     uint64_t size, uint8_t start_bus, uint8_t end_bus);

enum xen_ecam_outcome {
	XEN_ECAM_REGISTERED,	/* Xen took the window */
	XEN_ECAM_FROM_CHIPSET,	/* -ENOSYS: this Xen decodes PCIEXBAR itself (or has no ECAM) */
	XEN_ECAM_REFUSED,	/* any other error: logged, the guest still boots */
};

enum xen_ecam_outcome xen_ecam_outcome(long rc);

#endif
