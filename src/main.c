/* SPDX-License-Identifier: MIT */
/* The boot sequence, the same on every platform. */
#include <hvmfw/boot.h>
#include <hvmfw/chipset.h>
#include <hvmfw/config.h>
#include <hvmfw/console.h>
#include <hvmfw/cpu_table.h>
#include <hvmfw/entry.h>
#include <hvmfw/layout.h>
#include <hvmfw/legacy_tables.h>
#include <hvmfw/mtrr.h>
#include <hvmfw/pci.h>
#include <hvmfw/pci_cfg.h>
#include <hvmfw/platform.h>
#include <hvmfw/smp.h>
#include <hvmfw/tables.h>

static struct acpi_config acpi_cfg;
static struct config cfg;
static struct pci_pin pins[CONFIG_MAX_PINS];
static struct pci_windows pci;

/* The configuration's pins in the enumerator's terms. */
static size_t config_pci_pins(const struct config *c, struct pci_pin *out)
{
	for (uint32_t i = 0; i < c->npins; i++)
		out[i] = (struct pci_pin){ PCI_BDF(c->pins[i].bus, c->pins[i].dev, c->pins[i].fn),
					   c->pins[i].bar, c->pins[i].addr };
	return c->npins;
}

/* Enumerate and place every BAR within what the platform and the configuration allow. */
static void setup_pci(const struct chipset *cs)
{
	struct pci_platform pp = { platform->mmio_reserved, platform->nmmio_reserved, cfg.hole_min,
				   NULL };
	uint64_t floor = platform->hole_floor ? platform->hole_floor() : 0;

	if (floor > pp.hole_min)
		pp.hole_min = floor;
	if (platform->ram_relocatable && platform->ram_relocatable())
		pp.relocate_ram = platform->relocate_ram;
	pci_setup(cs, &layout_orig, &pp, pins, config_pci_pins(&cfg, pins), &pci);
	if (pci.ecam_len && platform->ecam_ready)
		platform->ecam_ready(pci.ecam_base, pci.ecam_len, (uint8_t)((pci.ecam_len >> 20) - 1));
}

/* Every possible CPU in the tables, enabled when it runs; the rest wait for hot-plug. */
static void cpus_to_tables(const struct cpu_platform *p, const uint8_t *seen, unsigned nseen)
{
	static struct cpu_table t;
	unsigned lost = cpu_table_build(p, seen, nseen, &t), on = 0;

	if (lost)
		log_warn("smp: %u CPUs checked in beyond the %u the tables can list", lost,
			 CPU_TABLE_MAX);
	acpi_cfg.ncpus = MIN(t.n, (unsigned)ACPI_MAX_CPUS);
	for (unsigned i = 0; i < acpi_cfg.ncpus; i++) {
		acpi_cfg.apic_ids[i] = t.apic_id[i];
		acpi_cfg.cpu_map_bit[i] = t.map_bit[i];
		if (cpu_bit(t.enabled, i))
			on++;
		else
			cpu_bit_set(acpi_cfg.cpu_absent, i);
	}
	log_info("cpus: %u listed, %u running at boot, %u for hot-plug", acpi_cfg.ncpus, on,
		 acpi_cfg.ncpus - on);
}

/* Same MTRRs everywhere (RAM write-back, the 32-bit hole uncached), then park the APs. */
static void start_cpus(struct boot_state *bs)
{
	struct mtrr_set mtrr;
	struct cpu_platform cpus = { 0 };
	uint8_t wake[CPU_TABLE_MAX], seen[CPU_TABLE_MAX];
	unsigned nseen;
	int nwake;
	uint32_t park_base, park_size;

	if (mtrr_compute(&mtrr, pci.hole_start, cpu_phys_bits()) < 0)
		log_warn("mtrr: [0x%llx, 4 GiB) needs more than 8 ranges; its lowest part stays WB",
			 (unsigned long long)pci.hole_start);
	platform->cpus(&cpus);
	nwake = cpu_wake_list(&cpus, wake, ARRAY_SIZE(wake));
	nseen = smp_init(&mtrr, cpus.boot, wake, nwake, seen, ARRAY_SIZE(seen));
	cpus_to_tables(&cpus, seen, nseen);
	bs->ncpus = acpi_cfg.ncpus;
	smp_parking_area(&park_base, &park_size);
	layout_reserve(park_base, park_size, E820_RESERVED);
}

/* SMBIOS first: its 3.0 anchor must be the lowest in the F segment. The MP table needs the I/O APIC ID acpi_install read. */
static void install_bios_tables(const struct boot_state *bs)
{
	struct smbios_anchors smb = { 0 };
	uint32_t mp, pir;

	if (platform->smbios)
		smbios_install(platform->smbios, bs->ncpus, true, platform->shadow_legacy, &smb);
	mp = mptable_install(&acpi_cfg, platform->shadow_legacy);
	pir = pir_install(&acpi_cfg, platform->shadow_legacy);
	if (platform->bios_tables)
		platform->bios_tables(smb.ep2, mp, pir);
}

void hvmfw_main(uint32_t magic, uint32_t start_info)
{
	struct boot_state bs = { 0 };
	struct e820_map ram;

	console_init();
	log_info("hvmfw %s", HVMFW_VERSION);
	platform = platform_detect(magic, start_info);
	log_info("platform: %s", platform->name);
	config_load(&cfg);

	platform->memory_map(&ram);
	layout_init(&ram);
	if (platform->memory_ready)
		platform->memory_ready();

	bs.chipset = chipset_probe();
	if (platform->shadow_legacy)
		bs.chipset->shadow_ram();
	bs.chipset->init();

	setup_pci(bs.chipset);

	start_cpus(&bs);

	acpi_cfg.chipset = bs.chipset->acpi_kind;
	acpi_cfg.dsdt = bs.chipset->dsdt;
	acpi_cfg.dsdt_len = *bs.chipset->dsdt_len;
	bs.chipset->acpi_fill(&acpi_cfg);
	pci_windows_to_acpi(&pci, &acpi_cfg);
	if (platform->acpi_extras)
		platform->acpi_extras(&acpi_cfg);
	bs.rsdp = acpi_install(&acpi_cfg, platform->shadow_legacy);
	install_bios_tables(&bs);

	layout_finish();
	bs.e820 = &layout_map;
	platform->boot(&bs);
}
