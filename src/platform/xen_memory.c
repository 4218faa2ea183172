/* SPDX-License-Identifier: MIT */
/*
 * Guest-physical memory on Xen: the toolstack's map, moving low RAM above
 * 4 GiB for a bigger MMIO hole, backing pages in the hole, and telling Xen
 * where ECAM is.
 */
#include <hvmfw/xen/ecam.h>
#include <hvmfw/xen/xen.h>
#include <hvmfw/xen/hvm_info.h>
#include <hvmfw/xen/memmap.h>
#include <hvmfw/xen/memory.h>
#include <hvmfw/xen/params.h>
#include <hvmfw/xen/state.h>
#include <hvmfw/console.h>
#include <hvmfw/layout.h>
#include <hvmfw/string.h>

/*
 * Xen copies at most this many entries and says nothing of the rest: a map
 * that fills the buffer may have lost some, so it is refused as a whole.
 */
#define MAP_CAPACITY 1024

static void refuse(const char *what, const char *why)
{
	log_warn("xen: refused %s: %s", what, why);
}

static long memory_op(unsigned cmd, void *arg)
{
	return xen_hc2(XEN_HC_MEMORY_OP, cmd, arg);
}

int xen_memory_map_fetch(struct e820_map *out)
{
	static struct xen_e820_entry ent[MAP_CAPACITY];
	struct xen_memory_map mm = { .nr_entries = MAP_CAPACITY, .buffer = (uint32_t)(uintptr_t)ent };
	const char *src = "XENMEM_memory_map";
	long rc = memory_op(XENMEM_MEMORY_MAP, &mm);
	unsigned n = mm.nr_entries;

	if (!rc && n >= MAP_CAPACITY)
		panic("xen: XENMEM_memory_map filled all %u entries; the toolstack's map may "
		      "have more, and a reservation left out could be taken for RAM", MAP_CAPACITY);
	if (rc) {
		/* The start info carries the same map (version 1). */
		n = xen.boot.memmap_entries;
		if (!n)
			panic("xen: XENMEM_memory_map failed (%ld) and the start info has no memory "
			      "map: cannot tell where RAM is", rc);
		if (n > MAP_CAPACITY)
			panic("xen: the start info's memory map has %u entries, more than the %u "
			      "hvmfw reads; none is dropped silently", n, MAP_CAPACITY);
		xen_memmap_from_start_info((const void *)(uintptr_t)xen.boot.memmap_addr, n, ent);
		src = "the start info";
	}
	log_info("xen: memory map from %s, %u entries", src, n);
	for (unsigned i = 0; i < n; i++)
		log_info("xen: toolstack map 0x%llx+0x%llx type %u", (unsigned long long)ent[i].addr,
			 (unsigned long long)ent[i].size, ent[i].type);
	if (xen_memmap_build(out, ent, n, xen.hvm_info ? xen.hvm_info->reserved_mem_pgstart : 0,
			     refuse))
		panic("xen: the toolstack memory map does not fit in %u e820 entries", E820_MAX);
	return 0;
}

int xen_relocate_low_ram(uint32_t npages, struct e820_map *map)
{
	struct hvm_info_table *hi = xen.hvm_info;
	struct e820_map moved;
	uint32_t low, high, new_low;

	if (!npages)
		return 0;
	if (!xen.pi.allow_memory_relocate) {
		log_warn("xen: not moving %u pages of RAM above 4 GiB: hvmloader/"
			 "allow-memory-relocate is 0 (the device model keeps its own RAM map)", npages);
		return -XEN_EPERM;
	}
	low = hi->low_mem_pgend;
	high = hi->high_mem_pgend ? hi->high_mem_pgend : 0x100000;
	if (npages > low - 0x100 || low - npages < 0x1000) {
		log_err("xen: refusing to move %u pages: low RAM (to 0x%x) would drop below 16 MiB",
			npages, low << 12);
		return -XEN_EINVAL;
	}
	new_low = low - npages;
	/* The pages keep their contents but change address: nothing of ours may be on them. */
	if (layout_high_floor() && layout_high_floor() < ((uint64_t)low << 12)) {
		log_err("xen: refusing to move RAM from 0x%x: firmware data already lives there "
			"(from 0x%x)", new_low << 12, layout_high_floor());
		return -XEN_EBUSY;
	}
	moved = *map;
	if (xen_memmap_move(&moved, new_low, low, high)) {
		log_err("xen: refusing to move RAM 0x%x-0x%x: not all RAM in the map, or 0x%llx "
			"is taken", new_low << 12, low << 12, (unsigned long long)high << 12);
		return -XEN_EINVAL;
	}
	for (uint32_t done = 0; done < npages;) {
		uint32_t n = MIN(npages - done, (uint32_t)XEN_GMFN_RANGE_MAX);
		struct xen_add_to_physmap x = {
			.domid = XEN_DOMID_SELF,
			.size = (uint16_t)n,
			.space = XENMAPSPACE_GMFN_RANGE,
			.idx = new_low + done,
			.gpfn = high + done,
		};
		long rc = memory_op(XENMEM_ADD_TO_PHYSMAP, &x);
		if (rc)
			/* Part of RAM may have moved: no consistent map can be given to the OS. */
			panic("xen: XENMEM_add_to_physmap(gmfn_range 0x%x+%u -> 0x%x) failed (%ld)",
			      x.idx, n, x.gpfn, rc);
		done += n;
	}
	*map = moved;
	hi->low_mem_pgend = new_low;
	hi->high_mem_pgend = high + npages;
	xen_hvm_info_fix_checksum(hi);
	log_info("xen: moved RAM 0x%x-0x%x to 0x%llx (%u pages); low RAM now ends at 0x%x",
		 new_low << 12, low << 12, (unsigned long long)high << 12, npages, new_low << 12);
	return 0;
}

int xen_register_ecam(uint64_t base, uint64_t size, uint8_t start_bus, uint8_t end_bus)
{
	struct xen_hvm_ecam_space a = { .domid = XEN_DOMID_SELF, .addr = base, .size = (uint32_t)size };
	long rc;

	switch (xen_ecam_decide(xen.ver.major, xen.ver.minor, base, size, start_bus, end_bus)) {
	case XEN_ECAM_OLD_XEN:
		log_info("xen: ECAM 0x%llx not registered: on Xen %u.%u HVMOP 16 is another "
			 "operation; Xen learns ECAM from the chipset", (unsigned long long)base,
			 xen.ver.major, xen.ver.minor);
		return 1;
	case XEN_ECAM_BAD_WINDOW:
		log_warn("xen: ECAM 0x%llx+0x%llx buses %u-%u not registered: HVMOP_set_ecam_space "
			 "describes buses 0..n with 1 MiB each, naturally aligned",
			 (unsigned long long)base, (unsigned long long)size, start_bus, end_bus);
		return -XEN_EINVAL;
	case XEN_ECAM_CALL:
		break;
	}
	rc = xen_hc2(XEN_HC_HVM_OP, HVMOP_SET_ECAM_SPACE, &a);
	switch (xen_ecam_outcome(rc)) {
	case XEN_ECAM_REGISTERED:
		log_info("xen: ECAM 0x%llx (buses %u-%u) registered with HVMOP_set_ecam_space",
			 (unsigned long long)base, start_bus, end_bus);
		return 0;
	case XEN_ECAM_FROM_CHIPSET:
		log_info("xen: HVMOP_set_ecam_space unknown to this Xen: it learns ECAM 0x%llx "
			 "(buses %u-%u) from the chipset", (unsigned long long)base, start_bus, end_bus);
		return 1;
	case XEN_ECAM_REFUSED:
		break;
	}
	log_warn("xen: HVMOP_set_ecam_space(0x%llx, 0x%llx) refused (%ld)%s; extended config "
		 "space may not reach the device model", (unsigned long long)base,
		 (unsigned long long)size, rc,
		 size >= MiB(256) ? ": the posted v1 takes at most 128 MiB" : "");
	return (int)rc;
}

/*
 * Move the highest page of low RAM to gpfn and lower hvm_info's end of low RAM
 * past it, as hvmloader does when Xen's allowance for new pages is spent.
 */
static long steal_page(uint32_t gpfn)
{
	struct hvm_info_table *hi = xen.hvm_info;
	struct xen_add_to_physmap x = {
		.domid = XEN_DOMID_SELF,
		.space = XENMAPSPACE_GMFN,
		.idx = hi->low_mem_pgend - 1,
		.gpfn = gpfn,
	};
	long rc = memory_op(XENMEM_ADD_TO_PHYSMAP, &x);

	if (!rc)
		hi->low_mem_pgend--;
	return rc;
}

int xen_back_pages(uint32_t pfn, uint32_t n)
{
	static uint32_t list[64];
	uint32_t done = 0, low_end = xen.hvm_info->low_mem_pgend;
	long rc = 0;

	/* Populate in batches; Xen stops early once the domain's allowance is spent. */
	while (done < n) {
		uint32_t batch = MIN(n - done, (uint32_t)ARRAY_SIZE(list));
		struct xen_memory_reservation r = {
			.extent_start = (uint32_t)(uintptr_t)list,
			.nr_extents = batch,
			.domid = XEN_DOMID_SELF,
		};
		for (uint32_t i = 0; i < batch; i++)
			list[i] = pfn + done + i;
		rc = memory_op(XENMEM_POPULATE_PHYSMAP, &r);
		if (rc > 0)
			done += (uint32_t)rc;
		if (rc != (long)batch)
			break;
	}
	if (done < n)
		log_info("xen: populated %u of %u pages at 0x%x; taking the other %u from the top "
			 "of low RAM (0x%x)", done, n, pfn << 12, n - done, low_end << 12);
	for (; done < n; done++) {
		if (xen.hvm_info->low_mem_pgend <= 0x1000 || (rc = steal_page(pfn + done))) {
			log_err("xen: cannot back page 0x%x (%ld)", (pfn + done) << 12, rc);
			rc = rc < 0 ? rc : -XEN_ENOMEM;
			break;
		}
	}
	/* Those pages are gone from low RAM: the payload, CMOS and hvm_info must agree. */
	if (xen.hvm_info->low_mem_pgend != low_end) {
		xen_hvm_info_fix_checksum(xen.hvm_info);
		layout_ram_gone((uint64_t)xen.hvm_info->low_mem_pgend << 12,
				(uint64_t)(low_end - xen.hvm_info->low_mem_pgend) << 12);
		log_info("xen: low RAM now ends at 0x%x", xen.hvm_info->low_mem_pgend << 12);
	}
	return done < n ? (int)rc : 0;
}
