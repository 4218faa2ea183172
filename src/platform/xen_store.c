/* SPDX-License-Identifier: MIT */
/*
 * Xenstore glue: the ring page and event channel from the HVM params, the
 * shared_info page (to clear our port's pending bit between polls), the
 * kick/wait hooks of the pure client, and the clean-up before hand-off.
 */
#include <hvmfw/xen/state.h>
#include <hvmfw/xen/hypercall.h>
#include <hvmfw/xen/memory.h>
#include <hvmfw/xen/memmap.h>
#include <hvmfw/xen/params.h>
#include <hvmfw/console.h>
#include <hvmfw/string.h>

/* 32-bit (compat) shared_info layout, latched when we installed the hypercall page. */
#define SHINFO_VCPU_INFO_LEN (32 * 64)
#define SHINFO_PENDING 2048
#define SHINFO_MASK 2176
#define SHINFO_BITMAP_LEN 128

#define REQUEST_TIMEOUT_NS 10000000000ull     /* 10 s: nested TCG hosts are slow */
#define POLL_SLICE_NS 10000000ull             /* 10 ms per SCHEDOP_poll */
#define POLLS_WITHOUT_CLOCK 100000

static struct xs_conn conn;
static uint32_t store_port;
static uint8_t *shinfo;
static uint64_t deadline;
static unsigned polls_left;
static bool store_up;

static void notify(void *ctx)
{
	struct xen_evtchn_send s = { .port = store_port };

	xen_hc2(XEN_HC_EVENT_CHANNEL_OP, EVTCHNOP_SEND, &s);
}

static bool test_and_clear_pending(void)
{
	uint8_t was;

	if (!shinfo)
		return false;
	__asm__ volatile("lock btrl %2, %1; setc %0"
			 : "=q"(was), "+m"(*(volatile uint32_t *)(shinfo + SHINFO_PENDING))
			 : "r"(store_port)
			 : "memory", "cc");
	return was;
}

static void start_deadline(void *ctx)
{
	uint64_t now = xen_time_ns();

	deadline = now ? now + REQUEST_TIMEOUT_NS : 0;
	polls_left = POLLS_WITHOUT_CLOCK;
}

/*
 * Sleep until the server kicks our port or a slice passes. The request's
 * deadline (or, without a clock, its budget of waits) is checked on every
 * call, before anything else: a server that keeps the event pending must
 * not keep us waiting past it.
 */
static int wait(void *ctx)
{
	uint64_t now = deadline ? xen_time_ns() : 0;
	uint32_t port = store_port;
	struct xen_sched_poll p = { .ports = (uint32_t)(uintptr_t)&port, .nr_ports = 1 };

	if (deadline ? now >= deadline : !polls_left--)
		return -XEN_ETIMEDOUT;
	if (test_and_clear_pending())
		return 0;
	if (deadline) {
		p.timeout = now + POLL_SLICE_NS;
		xen_hc2(XEN_HC_SCHED_OP, SCHEDOP_POLL, &p);
	} else {
		xen_hc2(XEN_HC_SCHED_OP, SCHEDOP_YIELD, 0);     /* no clock from Xen */
	}
	test_and_clear_pending();
	return 0;
}

static void map_shared_info(void)
{
	struct xen_add_to_physmap x = {
		.domid = XEN_DOMID_SELF,
		.space = XENMAPSPACE_SHARED_INFO,
		.idx = 0,
		.gpfn = XEN_SHARED_INFO_GPA >> 12,
	};
	long rc = xen_hc2(XEN_HC_MEMORY_OP, XENMEM_ADD_TO_PHYSMAP, &x);

	if (rc) {
		log_warn("xen: mapping shared_info at 0x%x failed (%ld): xenstore waits will yield "
			 "instead of sleeping", XEN_SHARED_INFO_GPA, rc);
		return;
	}
	shinfo = (uint8_t *)(uintptr_t)XEN_SHARED_INFO_GPA;
}

bool xen_store_init(void)
{
	uint64_t pfn = 0, port = 0;
	int rc;

	if ((rc = xen_param_get(HVM_PARAM_STORE_PFN, &pfn)) ||
	    (rc = xen_param_get(HVM_PARAM_STORE_EVTCHN, &port))) {
		log_warn("xen: no xenstore (HVM param read failed: %d); using defaults for every key",
			 rc);
		return false;
	}
	if (!pfn || pfn >= 0x100000 || !port) {
		log_warn("xen: no xenstore (ring pfn 0x%llx, port %llu); using defaults for every key",
			 (unsigned long long)pfn, (unsigned long long)port);
		return false;
	}
	map_shared_info();
	store_port = (uint32_t)port;
	conn = (struct xs_conn){
		.ring = (struct xs_ring *)(uintptr_t)(pfn << 12),
		.notify = notify,
		.wait = wait,
		.deadline = start_deadline,
	};
	store_up = true;
	log_info("xen: xenstore ring at 0x%llx, event channel %u, server features 0x%x",
		 (unsigned long long)(pfn << 12), store_port, conn.ring->server_features);
	return true;
}

int xen_store_read(const char *path, char *buf, size_t cap)
{
	int rc;

	if (!store_up)
		return -XEN_ENOSYS;
	rc = xs_read(&conn, path, buf, cap);
	if (rc == -XEN_ETIMEDOUT || rc == -XEN_EIO) {
		/* A server that stopped answering will not answer the next key either. */
		log_err("xen: xenstore read of %s failed (%s); no more xenstore reads", path,
			xs_error_name(rc));
		store_up = false;
	}
	return rc;
}

void xen_store_shutdown(void)
{
	if (conn.ring) {
		int rc = xs_reset(&conn);
		if (rc)
			log_err("xen: xenstore ring reset failed (%s); the OS may find a dirty ring",
				xs_error_name(rc));
		else
			log_info("xen: xenstore ring reset (%s)",
				 conn.ring->server_features & XS_FEATURE_RECONNECT ?
				 "reconnect handshake" : "indices zeroed");
	}
	store_up = false;
	if (shinfo) {
		/* The OS starts with no stale upcalls, events or masks. */
		memset(shinfo, 0, SHINFO_VCPU_INFO_LEN);
		memset(shinfo + SHINFO_PENDING, 0, SHINFO_BITMAP_LEN);
		memset(shinfo + SHINFO_MASK, 0, SHINFO_BITMAP_LEN);
	}
}
