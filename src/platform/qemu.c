/* SPDX-License-Identifier: MIT */
/* QEMU (-bios hvmfw.rom): RAM, CPUs and configuration come from fw_cfg. */
#include <hvmfw/platform.h>
#include <hvmfw/chipset.h>
#include <hvmfw/console.h>
#include <hvmfw/cpu_table.h>
#include <hvmfw/fw_cfg.h>
#include <hvmfw/legacy_tables.h>
#include <hvmfw/string.h>

#define CONFIG_PREFIX "opt/org.hvmfw/"

static int qemu_memory_map(struct e820_map *map)
{
	struct e820_entry e[E820_MAX];
	int len = fw_cfg_read_file("etc/e820", e, sizeof(e));

	if (len <= 0)
		panic("fw_cfg has no etc/e820: cannot tell where RAM is");
	/* A reservation left unread could be handed out as RAM: never drop one silently. */
	if ((size_t)len > sizeof(e))
		panic("fw_cfg etc/e820 has %d entries, more than the %u hvmfw reads; none is "
		      "dropped silently", len / (int)sizeof(e[0]), E820_MAX);
	if (len % sizeof(e[0]))
		log_warn("fw_cfg etc/e820: %d bytes, not a whole number of entries; the last %d "
			 "bytes are ignored", len, len % (int)sizeof(e[0]));
	map->n = 0;
	for (int i = 0; i < len / (int)sizeof(e[0]); i++) {
		log_info("fw_cfg e820: 0x%llx+0x%llx type %u", (unsigned long long)e[i].addr,
			 (unsigned long long)e[i].size, e[i].type);
		if (!e[i].size) {
			log_warn("fw_cfg e820: entry %d is empty; ignored", i);
			continue;
		}
		if (e[i].addr + e[i].size < e[i].addr)
			panic("fw_cfg e820: entry %d (0x%llx+0x%llx type %u) runs past the top of the "
			      "address space", i, (unsigned long long)e[i].addr,
			      (unsigned long long)e[i].size, e[i].type);
		e820_add(map, e[i].addr, e[i].size, e[i].type);
	}
	return 0;
}

/* -smp N,maxcpus=M: N run, M - N may be added later with device_add. */
static void qemu_cpus(struct cpu_platform *p)
{
	unsigned boot = fw_cfg_read32(FW_CFG_NB_CPUS) & 0xFFFF;
	unsigned max = fw_cfg_read32(FW_CFG_MAX_CPUS) & 0xFFFF;

	p->boot = boot;
	p->max = MAX(boot, max);
}

static int qemu_config_get(const char *key, char *buf, size_t len)
{
	char name[56];
	int n;

	if (snprintf(name, sizeof(name), CONFIG_PREFIX "%s", key) >= (int)sizeof(name))
		return -1;
	n = fw_cfg_read_file(name, buf, len ? len - 1 : 0);
	if (n >= 0 && len)
		buf[MIN((size_t)n, len - 1)] = '\0';
	return n;
}

static __noreturn void qemu_stop(void)
{
	chipset_poweroff();
	for (;;)
		__asm__ volatile("cli; hlt");
}

__noreturn void qemu_boot_linux(struct boot_state *bs);
void qemu_acpi_extras(struct acpi_config *cfg);

/* IOAPIC, HPET, LAPIC and the ROM at the top of 4 GiB. */
static const struct plan_range qemu_mmio_reserved[] = {
	{ 0xFEC00000, 0x100000000ull - 0xFEC00000, "IOAPIC/HPET/LAPIC/ROM" },
};

const struct platform platform_qemu = {
	.name = "QEMU",
	.memory_map = qemu_memory_map,
	.cpus = qemu_cpus,
	.config_get = qemu_config_get,
	.boot = qemu_boot_linux,
	.stop = qemu_stop,
	.acpi_extras = qemu_acpi_extras,
	.shadow_legacy = true,
	.mmio_reserved = qemu_mmio_reserved,
	.nmmio_reserved = ARRAY_SIZE(qemu_mmio_reserved),
	.smbios = &smbios_source_qemu,
};
