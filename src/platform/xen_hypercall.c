/* SPDX-License-Identifier: MIT */
/* Finding Xen, installing the hypercall page, and the 32-bit call gate into it. */
#include <hvmfw/xen/hypercall.h>
#include <hvmfw/xen/params.h>
#include <hvmfw/io.h>
#include <hvmfw/string.h>

#define XEN_CPUID_FIRST 0x40000000u
#define XEN_CPUID_LAST 0x40010000u
#define XEN_CPUID_STEP 0x100u
#define HYPERCALL_PAGE_SIZE 4096
#define HYPERCALL_STUB_SIZE 32

/* Xen writes one call stub per hypercall number into this page (part of our image). */
static uint8_t hypercall_page[HYPERCALL_PAGE_SIZE] __attribute__((aligned(HYPERCALL_PAGE_SIZE)));
static bool page_ready;

static bool is_xen_leaf(uint32_t base, uint32_t *max_leaf)
{
	uint32_t r[4];

	cpuid(base, 0, r);
	/* "XenVMMXenVMM" in EBX, ECX, EDX. */
	if (r[1] != 0x566e6558 || r[2] != 0x65584d4d || r[3] != 0x4d4d566e)
		return false;
	*max_leaf = r[0];
	return true;
}

bool xen_hypercall_init(struct xen_version *v)
{
	uint32_t r[4], max_leaf = 0, base;

	for (base = XEN_CPUID_FIRST; base < XEN_CPUID_LAST; base += XEN_CPUID_STEP)
		if (is_xen_leaf(base, &max_leaf))
			break;
	if (base >= XEN_CPUID_LAST || max_leaf < base + 2)
		return false;
	v->cpuid_base = base;
	cpuid(base + 1, 0, r);
	v->major = r[0] >> 16;
	v->minor = r[0] & 0xFFFF;
	cpuid(base + 2, 0, r);
	/* EAX: page count (1 in every Xen so far), EBX: the MSR that installs them. */
	if (r[0] < 1)
		return false;
	wrmsr(r[1], (uint32_t)(uintptr_t)hypercall_page);
	page_ready = true;
	return true;
}

bool xen_hypercall_ready(void)
{
	return page_ready;
}

long xen_hypercall(unsigned nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
	uint32_t stub = (uint32_t)(uintptr_t)hypercall_page + nr * HYPERCALL_STUB_SIZE;
	long ret;

	if (!page_ready || nr >= HYPERCALL_PAGE_SIZE / HYPERCALL_STUB_SIZE)
		return -XEN_ENOSYS;
	/* Debug Xens scribble on the argument registers: they are all outputs. */
	__asm__ volatile("call *%[stub]"
			 : "=a"(ret), "+b"(a1), "+c"(a2), "+d"(a3), "+S"(a4), "+D"(a5)
			 : [stub] "m"(stub)
			 : "memory", "cc");
	return ret;
}

int xen_param_get(uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = { .domid = XEN_DOMID_SELF, .index = index };
	long rc = xen_hc2(XEN_HC_HVM_OP, HVMOP_GET_PARAM, &p);

	if (!rc)
		*value = p.value;
	return (int)rc;
}

int xen_param_set(uint32_t index, uint64_t value)
{
	struct xen_hvm_param p = { .domid = XEN_DOMID_SELF, .index = index, .value = value };

	return (int)xen_hc2(XEN_HC_HVM_OP, HVMOP_SET_PARAM, &p);
}

uint64_t xen_time_ns(void)
{
	struct xen_hvm_get_time t = { 0 };

	return xen_hc2(XEN_HC_HVM_OP, HVMOP_GET_TIME, &t) ? 0 : t.now;
}
