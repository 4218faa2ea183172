/* SPDX-License-Identifier: MIT */
/*
 * fuzz-hvm-info: the hvm_info table the toolstack leaves at 0x9F800
 * (xen_hvm_info_check), and the vCPU lists the firmware makes from it
 * (cpu_wake_list, cpu_table_build), as src/platform/xen.c feeds them.
 *
 * Checked:
 *  - the table is read only within the bytes said to be readable (a copy
 *    of exactly that many, for ASan); one accepted has its signature, a
 *    length within what is readable, a zero byte sum and 1-128 vCPUs;
 *  - the wake list names only online vCPUs other than the BSP, by their
 *    APIC IDs (2n), within its room; "wake all" only when all are online;
 *  - the CPU table lists each APIC ID once, the BSP first and enabled, at
 *    most CPU_TABLE_MAX, every online vCPU enabled, and every vCPU that
 *    checked in listed.
 *
 * Byte layout: avail u8 (readable bytes: v, or 48..303 with bit7 of the
 * next flag), flags u8 (bit0: fix up the signature, length and checksum),
 * nseen u8 (APIC IDs that checked in follow, one byte each), then the
 * table's bytes.
 */
#include "fuzz_bytes.h"
#include <hvmfw/cpu_table.h>
#include <hvmfw/xen/hvm_info.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size, 0 };
	size_t avail = fz_u8(&f);
	uint8_t flags = fz_u8(&f), nseen = fz_u8(&f), seen[256];
	const char *why = NULL;
	uint8_t *t;

	if (flags & 0x80)
		avail += 48;
	for (unsigned i = 0; i < nseen; i++)
		seen[i] = fz_u8(&f);
	t = calloc(1, avail ? avail : 1);
	memcpy(t, f.p + f.i, MIN(avail, fz_left(&f)));
	if ((flags & 1) && avail >= sizeof(struct hvm_info_table)) {
		struct hvm_info_table h;
		memcpy(&h, t, sizeof(h));
		memcpy(h.signature, "HVM INFO", 8);
		if (h.length < sizeof(h) || h.length > avail)
			h.length = sizeof(h);
		memcpy(t, &h, sizeof(h));
		/* Checksum over the table as it lies in memory. */
		uint8_t s = 0;
		t[offsetof(struct hvm_info_table, checksum)] = 0;
		for (uint32_t i = 0; i < h.length; i++)
			s = (uint8_t)(s + t[i]);
		t[offsetof(struct hvm_info_table, checksum)] = (uint8_t)-s;
	}

	/* The firmware hands it the table in place; the structure is copied out here. */
	struct hvm_info_table h;
	bool ok;
	if (avail >= sizeof(h)) {
		memcpy(&h, t, sizeof(h));
		ok = !xen_hvm_info_check((const struct hvm_info_table *)t, avail, &why);
	} else {
		/* Fewer than 48 bytes: the check must refuse without reading them all. */
		ok = !xen_hvm_info_check((const struct hvm_info_table *)t, avail, &why);
		FUZZ_CHECK(!ok, "a table of %zu readable bytes was taken", avail);
	}
	if (!ok) {
		FUZZ_CHECK(why && *why, "refused without a reason");
		free(t);
		return 0;
	}
	uint8_t s = 0;
	for (uint32_t i = 0; i < h.length; i++)
		s = (uint8_t)(s + t[i]);
	FUZZ_CHECK(!memcmp(h.signature, "HVM INFO", 8) && h.length >= sizeof(h) && h.length <= avail &&
		   !s && h.nr_vcpus >= 1 && h.nr_vcpus <= HVM_INFO_MAX_VCPUS, "a bad table was taken");

	/* As xen_cpus() in src/platform/xen.c. */
	struct cpu_platform p = { 0 };
	p.max = MIN(h.nr_vcpus, (uint32_t)HVM_INFO_MAX_VCPUS);
	p.xen_ids = true;
	memcpy(p.online, h.vcpu_online, MIN(sizeof(p.online), sizeof(h.vcpu_online)));
	unsigned online = 0;
	for (unsigned i = 0; i < p.max; i++)
		online += i == 0 || cpu_bit(p.online, i);
	p.boot = online;

	uint8_t ids[CPU_TABLE_MAX];
	unsigned room = flags >> 1 & 0x3F;
	int n = cpu_wake_list(&p, ids, room);
	if (n == CPU_WAKE_ALL) {
		FUZZ_CHECK(online == p.max, "wake all with %u of %u online", online, p.max);
	} else {
		FUZZ_CHECK(n >= 0 && (unsigned)n <= room && (unsigned)n < online, "wake list of %d", n);
		for (int i = 0; i < n; i++)
			FUZZ_CHECK(ids[i] && !(ids[i] & 1) && ids[i] / 2 < p.max &&
				   cpu_bit(p.online, ids[i] / 2), "woke APIC ID %u", ids[i]);
	}

	struct cpu_table ct;
	memset(&ct, 0, sizeof(ct));
	unsigned lost = cpu_table_build(&p, seen, nseen, &ct);
	FUZZ_CHECK(ct.n <= CPU_TABLE_MAX && ct.n >= 1 && ct.apic_id[0] == 0, "table of %u", ct.n);
	for (unsigned k = 0; k < nseen && !lost; k++) {
		bool listed = seen[k] == 0xFF;
		for (unsigned i = 0; i < ct.n; i++)
			listed |= ct.apic_id[i] == seen[k];
		FUZZ_CHECK(listed, "APIC ID %u checked in but is not listed", seen[k]);
	}
	FUZZ_CHECK(cpu_bit(ct.enabled, 0), "the BSP is not enabled");
	for (unsigned i = 0; i < ct.n; i++)
		for (unsigned j = 0; j < i; j++)
			FUZZ_CHECK(ct.apic_id[i] != ct.apic_id[j], "APIC ID %u twice", ct.apic_id[i]);
	for (unsigned v = 0; v < p.max; v++) {
		if (v && !cpu_bit(p.online, v))
			continue;
		bool listed = false;
		for (unsigned i = 0; i < ct.n; i++)
			listed |= ct.apic_id[i] == 2 * v && cpu_bit(ct.enabled, i);
		FUZZ_CHECK(listed, "online vCPU %u is not listed enabled", v);
	}
	free(t);
	return 0;
}
