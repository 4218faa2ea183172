/* SPDX-License-Identifier: MIT */
/*
 * ACPI table builder: a pure function from a description of the machine to
 * a block of tables. No I/O; the same code runs in the firmware and on the
 * host (hvmfw-acpidump, unit tests).
 */
#ifndef HVMFW_ACPI_H
#define HVMFW_ACPI_H

#include <hvmfw/compiler.h>

#define ACPI_MAX_CPUS 255

enum acpi_chipset { ACPI_CHIPSET_I440FX = 0, ACPI_CHIPSET_Q35 = 1 };

struct acpi_window {
	uint64_t base;
	uint64_t len;           /* 0: no such window */
};

/* 32-bit host bridge windows PCI0._CRS can carry (the hole cut around the ECAM and reservations). */
#define ACPI_MAX_MEM32 4

/*
 * A PCI-to-PCI bridge or PCIe port, for a Device (Sddf) with a _PRT in the
 * SSDT. Interrupts of its secondary bus reach bus 0 at root_slot with pin
 * (pin + device + pin_off) mod 4: the swizzle of every bridge in between.
 */
#define ACPI_MAX_BRIDGES 64
#define ACPI_BRIDGE_ROOT 0xFF           /* parent: the host bridge (bus 0) */

struct acpi_pci_bridge {
	uint8_t parent;                 /* index of the bridge above; parents come first */
	uint8_t dev, fn;                /* its address on the parent's secondary bus */
	uint8_t secondary;              /* its secondary bus number (for logs) */
	uint8_t root_slot;              /* slot on bus 0 its interrupts come out of */
	uint8_t pin_off;                /* swizzle added below the root slot, 0-3 */
	/*
	 * ACPI hot-plug of the slots behind it through the chipset's registers
	 * (pci_hotplug_port), under the device model's bus selector: hp_slots
	 * bit n, slot n. 0: none.
	 */
	uint8_t bsel;
	uint32_t hp_slots;
};

struct acpi_pci_bridges {
	uint8_t n;
	struct acpi_pci_bridge b[ACPI_MAX_BRIDGES];
};

/*
 * A table the platform hands over whole, found by acpi_extra_next() in a
 * blob of complete tables laid back to back (Xen: the toolstack's
 * hvmloader/acpi/address and length).
 */
struct acpi_extra_table {
	const uint8_t *data;            /* its header, inside the blob */
	uint32_t off;                   /* its offset in the blob */
	uint32_t len;                   /* its length field (0: not even that is there) */
	char sig[5];                    /* its signature, non-printable bytes as '?' */
	const char *refused;            /* NULL: usable; else why it is left out */
};

/* At most this many extra tables are listed; later ones are refused. */
#define ACPI_MAX_EXTRA_TABLES 16

/*
 * Step through a blob of tables: *off is 0 for the first call and is moved
 * past what t describes. Returns false once nothing is left. Each step gives
 * either a usable table or a refused one (t->refused set): shorter than a
 * header, running past the end of the blob, a bad checksum, or a signature
 * hvmfw builds itself (acpi_builtin_sig()). After a table whose length
 * cannot be trusted the walk ends, as the next header cannot be found.
 * Zero bytes at the end of the blob are padding, not a table.
 */
bool acpi_extra_next(const uint8_t *blob, uint32_t blob_len, uint32_t *off,
		     struct acpi_extra_table *t);

/* A signature acpi_build() makes (or points to) itself: FACP, DSDT, APIC, ... */
bool acpi_builtin_sig(const uint8_t sig[4]);

/*
 * A sleep state besides S5: when present, the SSDT declares \_S3 or \_S4
 * with slp_typ (0-7) as the PM1a and PM1b SLP_TYP; when not, the guest does
 * not see the object and cannot enter that state.
 */
struct acpi_sleep_state {
	bool present;
	uint8_t slp_typ;
};

struct acpi_config {
	enum acpi_chipset chipset;

	/* DSDT compiled by iasl at build time for this chipset. */
	const uint8_t *dsdt;
	uint32_t dsdt_len;

	/*
	 * Every CPU that may run, in MADT order (BSP first). Those with their
	 * cpu_absent bit set are not running at boot: listed disabled, and added
	 * later through the chipset's CPU present map when cpu_hotplug_port is
	 * set (QEMU's legacy ACPI CPU hot-plug, also qemu-xen's: one bit per
	 * CPU at cpu_map_bit[i], GPE0 bit 2 on a change).
	 */
	uint32_t ncpus;
	uint8_t apic_ids[ACPI_MAX_CPUS];
	uint8_t cpu_absent[ACPI_MAX_CPUS / 8 + 1];
	uint8_t cpu_map_bit[ACPI_MAX_CPUS];     /* 0xFF: not in the map */
	uint16_t cpu_hotplug_port;              /* 0: no CPU hot-plug */

	/*
	 * ACPI PCI hot-plug (QEMU's PIIX4 and ICH9 registers; qemu-xen serves
	 * PIIX4's for xl pci-attach): the I/O port of the up/down/eject
	 * bitmaps and the bus selector, GPE0 bit 1 on a change. 0: none.
	 * pci_hotplug_bus0: bus 0's free slots hot-plug (selector 0); bridges
	 * hot-plug where their hp_slots say.
	 */
	uint16_t pci_hotplug_port;
	bool pci_hotplug_bus0;
	uint32_t lapic_addr;            /* 0xFEE00000 */
	uint32_t ioapic_addr;           /* 0xFEC00000 */
	uint8_t ioapic_id;
	bool hpet_present;
	uint32_t hpet_addr;             /* 0xFED00000 */
	uint32_t hpet_block_id;         /* HPET general capabilities, low 32 bits */

	/* Fixed hardware (PM1a event/control, PM timer, GPE0) */
	uint16_t pm_base;               /* PM1a_EVT = base, PM1a_CNT = base + 4, PM_TMR = base + 8 */
	uint16_t gpe0_base;
	uint8_t gpe0_len;
	uint16_t smi_cmd;               /* 0: ACPI mode already on */
	uint8_t acpi_enable, acpi_disable;
	uint16_t sci_irq;
	uint16_t reset_port;            /* 0xCF9 */
	uint8_t reset_value;            /* 0x06 */
	uint8_t s5_slp_typ;             /* value the chipset model takes as S5 */

	/*
	 * PCI host bridge windows from the plan, emitted as PCI0._CRS in an SSDT.
	 * mem32: the 32-bit hole less the platform reservations and the ECAM, so
	 * possibly several ranges; unused entries have len 0, used ones are
	 * disjoint and emitted in the order given (lowest first by convention).
	 */
	uint8_t bus_start, bus_end;
	struct acpi_window io;          /* I/O window above the legacy ports */
	struct acpi_window mem32[ACPI_MAX_MEM32];
	struct acpi_window mem64;

	/* Slots of bus 0 with a device (bit n = slot n); 0: not known, take all. */
	uint32_t bus0_slots;

	/* Q35 ECAM (MCFG and a PNP0C02 claim); len 0 on i440FX. */
	struct acpi_window ecam;

	/*
	 * Q35: the machine does PCI(e) hot-plug through ACPI (QEMU's ICH9 "ACPI
	 * PCI hot-plug with bridge support"), so its PCIe slots do not report
	 * cold-plugged devices natively (Presence Detect and link state stay
	 * clear). PCI0._OSC then keeps native PCIe hot-plug (control bit 0)
	 * instead of granting it: an OS driving such a slot natively sees it
	 * empty and powers it off under the device. false: grant it.
	 */
	bool acpi_pci_hotplug;

	/* Bridges below PCI0; invalid entries (and what is below them) are left out. */
	struct acpi_pci_bridges bridges;

	/*
	 * Guest-physical address of the 16-byte VM generation ID (Microsoft's
	 * "Virtual Machine Generation ID"); the SSDT then describes it as
	 * \_SB.VGID. 0: there is no ID and no such device.
	 */
	uint64_t vmgenid_addr;

	/*
	 * S3 and S4. hvmfw cannot wake from S3 itself (its reset path is a cold
	 * boot), so only a platform whose payload resumes the guest offers it.
	 */
	struct acpi_sleep_state s3, s4;

	/*
	 * Tables to add (extra_len 0: none): a blob walked with acpi_extra_next().
	 * The usable ones are copied after the built-in tables and listed in RSDT
	 * and XSDT, as long as they fit in the buffer (the root tables keep their
	 * room) and number at most ACPI_MAX_EXTRA_TABLES. extra_refused (may be
	 * NULL) is told of every table left out, with the reason.
	 */
	const uint8_t *extra;
	uint32_t extra_len;
	void (*extra_refused)(const struct acpi_extra_table *t);

	char oem_id[7];                 /* NUL-terminated, padded with spaces */
	char oem_table_id[9];
};

/* Result of a build: where each table landed (physical addresses). */
struct acpi_result {
	uint32_t rsdp;                  /* RSDP location (inside buf) */
	uint32_t total_len;             /* bytes of buf used */
	uint32_t ntables;
	struct { char sig[5]; uint32_t addr; uint32_t len; } tables[16 + ACPI_MAX_EXTRA_TABLES];
};

/* acpi_build() errors */
#define ACPI_E_INVAL   (-1)     /* configuration cannot be described */
#define ACPI_E_NOSPACE (-2)     /* buf too small */

/*
 * Build every table into buf (which the guest will see at buf_phys).
 * Returns 0 on success, a negative value when buf is too small or the
 * configuration is invalid. Deterministic: same config, same bytes.
 */
int acpi_build(const struct acpi_config *cfg, uint8_t *buf, uint32_t buflen,
	       uint32_t buf_phys, struct acpi_result *out);

/* Build a 20/36-byte RSDP at dst for the given XSDT/RSDT (used for the F-segment copy). */
void acpi_write_rsdp(uint8_t *dst, uint32_t rsdt_phys, uint64_t xsdt_phys, const char oem_id[6]);

uint8_t acpi_checksum(const void *p, uint32_t len);

#endif
