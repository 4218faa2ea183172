/* SPDX-License-Identifier: MIT */
/*
 * Xen hypercall numbers, sub-op numbers and error codes as a 32-bit HVM guest
 * sees them (compat ABI: longs, pfns and guest handles are 4 bytes).
 */
#ifndef HVMFW_XEN_HYPERCALL_H
#define HVMFW_XEN_HYPERCALL_H

#include <hvmfw/compiler.h>

/* Hypercall numbers (one 32-byte stub each in the hypercall page). */
#define XEN_HC_MEMORY_OP 12
#define XEN_HC_XEN_VERSION 17
#define XEN_HC_SCHED_OP 29
#define XEN_HC_EVENT_CHANNEL_OP 32
#define XEN_HC_HVM_OP 34

/* xen_version sub-ops */
#define XENVER_VERSION 0
#define XENVER_EXTRAVERSION 1
#define XENVER_GUEST_HANDLE 8

/* sched_op sub-ops and shutdown reasons */
#define SCHEDOP_YIELD 0
#define SCHEDOP_SHUTDOWN 2
#define SCHEDOP_POLL 3
#define XEN_SHUTDOWN_POWEROFF 0
#define XEN_SHUTDOWN_CRASH 3

/* event_channel_op sub-op */
#define EVTCHNOP_SEND 4

#define XEN_DOMID_SELF 0x7FF0

/* Xen's errno numbering (negated in return values). */
#define XEN_EPERM 1
#define XEN_ENOENT 2
#define XEN_ESRCH 3
#define XEN_EIO 5
#define XEN_E2BIG 7
#define XEN_EAGAIN 11
#define XEN_ENOMEM 12
#define XEN_EACCES 13
#define XEN_EFAULT 14
#define XEN_EBUSY 16
#define XEN_EEXIST 17
#define XEN_EISDIR 21
#define XEN_EINVAL 22
#define XEN_ENOSPC 28
#define XEN_EROFS 30
#define XEN_ENOSYS 38
#define XEN_ENOTEMPTY 39
#define XEN_EOPNOTSUPP 95
#define XEN_ENOBUFS 105
#define XEN_ETIMEDOUT 110   /* used by hvmfw only, for its own bounded waits */

struct xen_sched_shutdown {
	uint32_t reason;
};

struct xen_sched_poll {
	uint32_t ports;         /* GPA of a u32 array */
	uint32_t nr_ports;
	uint64_t timeout;       /* absolute Xen system time in ns, 0 = none */
};
STATIC_ASSERT(sizeof(struct xen_sched_poll) == 16, "compat sched_poll is 16 bytes");

struct xen_evtchn_send {
	uint32_t port;
};

#ifdef HVMFW_FIRMWARE
/* Version from CPUID, set by xen_hypercall_init. */
struct xen_version {
	uint16_t major, minor;
	uint32_t cpuid_base;    /* 0x40000000, or 0x40000100 with Viridian */
};

/*
 * Find Xen through the CPUID hypervisor leaves and let it write the hypercall
 * page into firmware memory. false if this CPU is not a Xen HVM guest.
 */
bool xen_hypercall_init(struct xen_version *v);
bool xen_hypercall_ready(void);
/* Issue hypercall nr with up to five arguments; returns Xen's EAX (-errno on failure). */
long xen_hypercall(unsigned nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4,
		   uint32_t a5);

#define xen_hc2(nr, a, b) xen_hypercall(nr, (uint32_t)(a), (uint32_t)(uintptr_t)(b), 0, 0, 0)
#endif

#endif
