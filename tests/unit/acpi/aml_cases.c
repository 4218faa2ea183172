/* SPDX-License-Identifier: MIT */
/*
 * AML writer cases paired with the ASL that should compile to the same
 * bytes. aml_vs_iasl.py compiles each ASL snippet with iasl and compares
 * the AML body with what this program emits.
 *   aml-cases list        names of all cases
 *   aml-cases asl NAME    the ASL body of one case
 *   aml-cases aml NAME    the writer's bytes of one case, in hex
 */
#include <stdio.h>
#include <string.h>

#include <hvmfw/aml.h>
#include "ssdt_prt.h"
#include "ssdt_vmgenid.h"

struct aml_case {
	const char *name;
	const char *asl;
	void (*emit)(struct aml *a);
};

static void int_zero(struct aml *a) { aml_name_int(a, "I", 0); }
static void int_one(struct aml *a) { aml_name_int(a, "I", 1); }
static void int_ones(struct aml *a) { aml_name_int(a, "I", UINT64_MAX); }
static void int_byte(struct aml *a) { aml_name_int(a, "I", 0xFE); }
static void int_word(struct aml *a) { aml_name_int(a, "I", 0x100); }
static void int_dword(struct aml *a) { aml_name_int(a, "I", 0xFFFFFFFF); }
static void int_qword(struct aml *a) { aml_name_int(a, "I", 0x100000000ull); }
static void string(struct aml *a) { aml_name_string(a, "_HID", "ACPI0007"); }
static void eisaid(struct aml *a)
{
	aml_name_eisaid(a, "A", "PNP0A03");
	aml_name_eisaid(a, "B", "PNP0C02");
	aml_name_eisaid(a, "C", "PNP0000");
}

static void paths(struct aml *a)
{
	aml_device_open(a, "\\_SB.PCI0");
	aml_close(a);
	aml_device_open(a, "\\_SB.PCI0.ISA");
	aml_close(a);
	aml_name_int(a, "\\_SB.PCI0.ISA.AB", 2);
	aml_name_int(a, "\\_SB.X", 3);
}

static void scope_root(struct aml *a)
{
	aml_scope_open(a, "\\");
	aml_name_int(a, "X", 0x20);
	aml_close(a);
}

static void device(struct aml *a)
{
	aml_scope_open(a, "\\_SB");
	aml_device_open(a, "C001");
	aml_name_string(a, "_HID", "ACPI0007");
	aml_name_int(a, "_UID", 1);
	aml_close(a);
	aml_close(a);
}

static void method(struct aml *a)
{
	aml_method_open(a, "M0", 0, false);
	aml_return(a);
	aml_int(a, 0x1234);
	aml_close(a);
	aml_method_open(a, "M2", 2, true);
	aml_return(a);
	aml_string(a, "x");
	aml_close(a);
}

static void if_else(struct aml *a)
{
	aml_name_int(a, "X", 0);
	aml_method_open(a, "M1", 1, false);
	aml_if_open(a);                 /* If (LNot (LEqual (Arg0, And (X, One)))) */
	aml_op(a, AML_LNOT);
	aml_op(a, AML_LEQUAL);
	aml_op(a, AML_ARG0);
	aml_op(a, AML_AND);
	aml_namestring(a, "X");
	aml_int(a, 1);
	aml_op(a, AML_NULL_TARGET);
	aml_op(a, AML_OR);
	aml_namestring(a, "X");
	aml_int(a, 1);
	aml_namestring(a, "X");
	aml_op(a, AML_NOTIFY);
	aml_namestring(a, "\\_SB");
	aml_int(a, 1);
	aml_close(a);
	aml_else_open(a);
	aml_op(a, AML_SUBTRACT);
	aml_namestring(a, "X");
	aml_int(a, 1);
	aml_namestring(a, "X");
	aml_op(a, AML_ADD);
	aml_op(a, AML_ARG0);
	aml_int(a, 2);
	aml_op(a, AML_LOCAL0);
	aml_op(a, AML_STORE);
	aml_op(a, AML_LOCAL0);
	aml_namestring(a, "X");
	aml_close(a);
	aml_return(a);
	aml_op(a, AML_TOBUFFER);
	aml_namestring(a, "X");
	aml_op(a, AML_NULL_TARGET);
	aml_close(a);
}

static void region_field(struct aml *a)
{
	aml_region(a, "MADT", AML_SYSTEM_MEMORY, 0xFC001000, 0x400);
	aml_field_open(a, "MADT", AML_BYTE_ACC);
	aml_field_skip(a, 72);
	aml_field_unit(a, "MSUM", 8);
	aml_field_skip(a, 272);
	aml_field_unit(a, "L000", 64);
	aml_field_unit(a, "BIG0", 0x1234);
	aml_close(a);
	aml_region(a, "CPMP", AML_SYSTEM_IO, 0xAF00, 32);
	aml_field_open(a, "CPMP", AML_DWORD_ACC);
	aml_field_unit(a, "P000", 1);
	aml_field_skip(a, 2);
	aml_field_unit(a, "P003", 1);
	aml_close(a);
}

static void package(struct aml *a)
{
	aml_name(a, "P");
	aml_package_open(a, 4);
	aml_int(a, 1);
	aml_int(a, 0x10);
	aml_string(a, "X");
	aml_package_open(a, 1);
	aml_int(a, 0);
	aml_close(a);
	aml_close(a);
}

static void buffer_n(struct aml *a, uint32_t n)
{
	uint8_t data[4100];

	for (uint32_t i = 0; i < n; i++)
		data[i] = (uint8_t)(i * 7 + 3);
	aml_name(a, "B");
	aml_buffer(a, data, n);
}
static void buffer_3(struct aml *a) { buffer_n(a, 3); }
static void buffer_62(struct aml *a) { buffer_n(a, 60); }   /* body 62 with "0A 3C" */
static void buffer_63(struct aml *a) { buffer_n(a, 61); }
static void buffer_4093(struct aml *a) { buffer_n(a, 4090); }
static void buffer_4094(struct aml *a) { buffer_n(a, 4091); }

static void rt_begin(struct aml *a) { aml_name(a, "R"); aml_restemplate_open(a); }

static void res_bus(struct aml *a) { rt_begin(a); aml_res_word_bus(a, 0, 0xFF); aml_restemplate_close(a); }
static void res_io(struct aml *a) { rt_begin(a); aml_res_io(a, 0xCF8, 0xCF8, 1, 8); aml_restemplate_close(a); }
static void res_wordio(struct aml *a)
{
	rt_begin(a);
	aml_res_word_io(a, 0, 0xCF7);
	aml_res_word_io(a, 0xD00, 0xFFFF);
	aml_restemplate_close(a);
}
static void res_dwordio(struct aml *a) { rt_begin(a); aml_res_dword_io(a, 0x1000, 0xFFFF); aml_restemplate_close(a); }
static void res_dwordmem(struct aml *a)
{
	rt_begin(a);
	aml_res_dword_mem(a, AML_CACHEABLE, true, 0xA0000, 0xBFFFF);
	aml_res_dword_mem(a, AML_NONCACHEABLE, true, 0xC0000000, 0xFEBFFFFF);
	aml_restemplate_close(a);
}
static void res_qwordmem(struct aml *a)
{
	rt_begin(a);
	aml_res_qword_mem(a, AML_PREFETCHABLE, true, 0x800000000ull, 0xFFFFFFFFFull);
	aml_res_qword_mem(a, AML_CACHEABLE, false, 0x100000000ull, 0x1FFFFFFFFull);
	aml_restemplate_close(a);
}
static void res_mem32fixed(struct aml *a)
{
	rt_begin(a);
	aml_res_mem32_fixed(a, false, 0xE0000000, 0x10000000);
	aml_res_mem32_fixed(a, true, 0xFED00000, 0x400);
	aml_restemplate_close(a);
}
static void res_interrupt(struct aml *a)
{
	static const uint32_t irqs[] = { 5, 10, 11 }, gsi[] = { 0x10 };

	rt_begin(a);
	aml_res_interrupt(a, AML_IRQ_SHARED, irqs, 3);
	aml_res_interrupt(a, AML_IRQ_EDGE | AML_IRQ_ACTIVE_LOW, gsi, 1);
	aml_restemplate_close(a);
}

/*
 * Bridge devices with _PRT (ssdt_prt.c). Both sides first declare what the
 * SSDT refers to in the DSDT, so that iasl resolves every name.
 */
struct bridge_case {
	const char *name;
	enum acpi_chipset chip;
	unsigned int n;
	struct acpi_pci_bridge b[4];
};

static const struct bridge_case bridge_cases[] = {
	/* 00:03.0 pci-bridge -> 01.0 pci-bridge; 00:05.1 pci-bridge */
	{ "bridge_prt_i440fx", ACPI_CHIPSET_I440FX, 3,
	  { { ACPI_BRIDGE_ROOT, 3, 0, 1, 3, 0, 0, 0 }, { 0, 1, 0, 2, 3, 1, 0, 0 },
	    { ACPI_BRIDGE_ROOT, 5, 1, 3, 5, 0, 0, 0 } } },
	/* 00:1c.0 root port -> 00.0 upstream -> 02.0 downstream; 00:1e.0 pci-bridge */
	{ "bridge_prt_q35", ACPI_CHIPSET_Q35, 4,
	  { { ACPI_BRIDGE_ROOT, 0x1C, 0, 1, 0x1C, 0, 0, 0 }, { 0, 0, 0, 2, 0x1C, 0, 0, 0 },
	    { 1, 2, 0, 3, 0x1C, 2, 0, 0 }, { ACPI_BRIDGE_ROOT, 0x1E, 0, 4, 0x1E, 0, 0, 0 } } },
};

static const struct bridge_case *find_bridge_case(const char *name)
{
	for (size_t i = 0; i < sizeof(bridge_cases) / sizeof(bridge_cases[0]); i++)
		if (!strcmp(bridge_cases[i].name, name))
			return &bridge_cases[i];
	return NULL;
}

static void bridge_emit(struct aml *a, const char *name)
{
	static struct acpi_config cfg;
	const struct bridge_case *c = find_bridge_case(name);
	char path[] = "\\_SB.LNKA";
	unsigned int nlinks = c->chip == ACPI_CHIPSET_Q35 ? 8 : 4;

	aml_name_int(a, "\\PICM", 0);
	aml_device_open(a, "\\_SB.PCI0");
	aml_close(a);
	for (unsigned int i = 0; i < nlinks; i++) {
		path[8] = (char)('A' + i);
		memcpy(path + 5, "LNK", 3);
		aml_device_open(a, path);
		aml_close(a);
		if (c->chip == ACPI_CHIPSET_Q35) {
			memcpy(path + 5, "GSI", 3);
			aml_device_open(a, path);
			aml_close(a);
		}
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.chipset = c->chip;
	cfg.bridges.n = (uint8_t)c->n;
	memcpy(cfg.bridges.b, c->b, sizeof(c->b));
	ssdt_pci_bridges(a, &cfg);
}
static void bridge_prt_i440fx(struct aml *a) { bridge_emit(a, "bridge_prt_i440fx"); }
static void bridge_prt_q35(struct aml *a) { bridge_emit(a, "bridge_prt_q35"); }

/*
 * The same in ASL, spelled out from the bus-0 wiring: a device at (d, p)
 * behind bridge b reaches root slot s with pin q = (p + d + off) mod 4.
 */
static char bus0_link(enum acpi_chipset chip, unsigned int s, unsigned int q)
{
	if (chip == ACPI_CHIPSET_I440FX)
		return "ABCD"[(s + q) % 4];
	if (s <= 0x18)
		return "EFGH"[(s + q) % 4];
	return s == 0x1E ? "EFGH"[q] : "ABCD"[q];
}

static void print_table(const struct bridge_case *c, const struct acpi_pci_bridge *b,
			const char *prefix)
{
	printf("Package () {\n");
	for (unsigned int d = 0; d < 32; d++)
		for (unsigned int p = 0; p < 4; p++)
			printf("  Package () { 0x%04XFFFF, %u, \\_SB.%s%c, 0 },\n", d, p, prefix,
			       bus0_link(c->chip, b->root_slot, (p + d + b->pin_off) % 4));
	printf("}");
}

/* The tables a bridge returns are named after the link its (slot 0, INTA) uses. */
static void table_id(const struct bridge_case *c, const struct acpi_pci_bridge *b, char id[3])
{
	char first = bus0_link(c->chip, b->root_slot, b->pin_off % 4);

	id[0] = first >= 'E' ? 'E' : 'A';
	id[1] = (char)('0' + (first - 'A') % 4);
	id[2] = '\0';
}

static void print_bridge_asl(const char *name)
{
	const struct bridge_case *c = find_bridge_case(name);
	bool q35 = c->chip == ACPI_CHIPSET_Q35;
	char id[3];

	printf("Name (\\PICM, Zero)\nDevice (\\_SB.PCI0) {}\n");
	for (unsigned int i = 0; i < (q35 ? 8u : 4u); i++) {
		printf("Device (\\_SB.LNK%c) {}\n", 'A' + i);
		if (q35)
			printf("Device (\\_SB.GSI%c) {}\n", 'A' + i);
	}
	/* One table per (group, rotation) in use: group A-D first, rotation 0-3. */
	printf("Scope (\\_SB.PCI0) {\n");
	for (const char *want = "A0A1A2A3E0E1E2E3"; *want; want += 2)
		for (unsigned int i = 0; i < c->n; i++) {
			table_id(c, &c->b[i], id);
			if (memcmp(id, want, 2))
				continue;
			printf("Name (BP%s, ", id);
			print_table(c, &c->b[i], "LNK");
			printf(")\n");
			if (q35) {
				printf("Name (BA%s, ", id);
				print_table(c, &c->b[i], "GSI");
				printf(")\n");
			}
			break;
		}
	printf("}\n");
	for (unsigned int i = 0; i < c->n; i++) {
		const struct acpi_pci_bridge *b = &c->b[i];
		unsigned int chain[4], n = 0;

		for (unsigned int at = b->parent; at != ACPI_BRIDGE_ROOT; at = c->b[at].parent)
			chain[n++] = at;
		printf("Scope (\\_SB.PCI0");
		while (n--)
			printf(".S%02X%u", c->b[chain[n]].dev, c->b[chain[n]].fn);
		table_id(c, b, id);
		printf(") { Device (S%02X%u) { Name (_ADR, 0x%04X%04X)\n", b->dev, b->fn, b->dev, b->fn);
		printf("  Method (_PRT, 0, NotSerialized) {\n");
		if (q35)
			printf("    If (\\PICM) { Return (\\_SB.PCI0.BA%s) }\n", id);
		printf("    Return (\\_SB.PCI0.BP%s)\n  }\n} }\n", id);
	}
}

/* The VM generation ID device (ssdt_vmgenid.c): below and above 4 GiB. */
static void vmgenid_low(struct aml *a) { ssdt_vmgenid(a, 0xFC00A000); }
static void vmgenid_high(struct aml *a) { ssdt_vmgenid(a, 0x12345678000ull); }
static void vmgenid_none(struct aml *a) { aml_name_int(a, "I", 0); ssdt_vmgenid(a, 0); }

#define VGID_ASL(lo, hi) "Scope (\\_SB) { Device (VGID) { Name (_HID, EisaId (\"XEN0000\"))" \
	" Name (_UID, 0) Name (_CID, \"VM_Gen_Counter\") Name (_DDN, \"VM_Gen_Counter\")" \
	" Name (_STA, 0x0F) Method (ADDR, 0, NotSerialized) { Return (Package () { " lo ", " hi \
	" }) } } }"

#define W_BUS "WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode, 0, 0, 0xFF, 0, 0x100)"
#define W_IO(lo, hi, n) "WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange, 0, " \
	lo ", " hi ", 0, " n ")"
#define D_MEM(c, lo, hi, n) "DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, " c \
	", ReadWrite, 0, " lo ", " hi ", 0, " n ")"

static const struct aml_case cases[] = {
	{ "int_zero", "Name (I, 0)", int_zero },
	{ "int_one", "Name (I, 1)", int_one },
	{ "int_ones", "Name (I, 0xFFFFFFFFFFFFFFFF)", int_ones },
	{ "int_byte", "Name (I, 0xFE)", int_byte },
	{ "int_word", "Name (I, 0x100)", int_word },
	{ "int_dword", "Name (I, 0xFFFFFFFF)", int_dword },
	{ "int_qword", "Name (I, 0x100000000)", int_qword },
	{ "string", "Name (_HID, \"ACPI0007\")", string },
	{ "eisaid", "Name (A, EisaId (\"PNP0A03\")) Name (B, EisaId (\"PNP0C02\"))"
		    " Name (C, EisaId (\"PNP0000\"))", eisaid },
	{ "paths", "Device (\\_SB.PCI0) {} Device (\\_SB.PCI0.ISA) {} Name (\\_SB.PCI0.ISA.AB, 2)"
		   " Name (\\_SB.X, 3)", paths },
	{ "scope_root", "Scope (\\) { Name (X, 0x20) }", scope_root },
	{ "device", "Scope (\\_SB) { Device (C001) { Name (_HID, \"ACPI0007\") Name (_UID, 1) } }",
	  device },
	{ "method", "Method (M0, 0, NotSerialized) { Return (0x1234) }"
		    " Method (M2, 2, Serialized) { Return (\"x\") }", method },
	{ "package", "Name (P, Package () { 1, 0x10, \"X\", Package () { 0 } })", package },
	{ "if_else", "Name (X, 0) Method (M1, 1, NotSerialized) { "
	  "If (LNot (LEqual (Arg0, And (X, One)))) { Or (X, One, X) Notify (\\_SB, One) } "
	  "Else { Subtract (X, One, X) Add (Arg0, 2, Local0) Store (Local0, X) } "
	  "Return (ToBuffer (X)) }",
	  if_else },
	{ "region_field", "OperationRegion (MADT, SystemMemory, 0xFC001000, 0x400) "
	  "Field (MADT, ByteAcc, NoLock, Preserve) { Offset (9), MSUM, 8, Offset (44), "
	  "L000, 64, BIG0, 0x1234 } OperationRegion (CPMP, SystemIO, 0xAF00, 32) "
	  "Field (CPMP, DWordAcc, NoLock, Preserve) { P000, 1, , 2, P003, 1 }", region_field },
	{ "buffer_3", "Name (B, Buffer () { 3, 10, 17 })", buffer_3 },
	{ "buffer_62", NULL, buffer_62 },
	{ "buffer_63", NULL, buffer_63 },
	{ "buffer_4093", NULL, buffer_4093 },
	{ "buffer_4094", NULL, buffer_4094 },
	{ "res_bus", "Name (R, ResourceTemplate () { " W_BUS " })", res_bus },
	{ "res_io", "Name (R, ResourceTemplate () { IO (Decode16, 0xCF8, 0xCF8, 1, 8) })", res_io },
	{ "res_wordio", "Name (R, ResourceTemplate () { " W_IO("0", "0xCF7", "0xCF8") " "
			W_IO("0xD00", "0xFFFF", "0xF300") " })", res_wordio },
	{ "res_dwordio", "Name (R, ResourceTemplate () { DWordIO (ResourceProducer, MinFixed,"
			 " MaxFixed, PosDecode, EntireRange, 0, 0x1000, 0xFFFF, 0, 0xF000) })",
	  res_dwordio },
	{ "res_dwordmem", "Name (R, ResourceTemplate () { "
			  D_MEM("Cacheable", "0xA0000", "0xBFFFF", "0x20000") " "
			  D_MEM("NonCacheable", "0xC0000000", "0xFEBFFFFF", "0x3EC00000") " })",
	  res_dwordmem },
	{ "res_qwordmem", "Name (R, ResourceTemplate () { QWordMemory (ResourceProducer, PosDecode,"
			  " MinFixed, MaxFixed, Prefetchable, ReadWrite, 0, 0x800000000, 0xFFFFFFFFF,"
			  " 0, 0x800000000) QWordMemory (ResourceProducer, PosDecode, MinFixed,"
			  " MaxFixed, Cacheable, ReadOnly, 0, 0x100000000, 0x1FFFFFFFF, 0,"
			  " 0x100000000) })", res_qwordmem },
	{ "res_mem32fixed", "Name (R, ResourceTemplate () { Memory32Fixed (ReadOnly, 0xE0000000,"
			    " 0x10000000) Memory32Fixed (ReadWrite, 0xFED00000, 0x400) })",
	  res_mem32fixed },
	{ "res_interrupt", "Name (R, ResourceTemplate () { Interrupt (ResourceConsumer, Level,"
			   " ActiveHigh, Shared) { 5, 10, 11 } Interrupt (ResourceConsumer, Edge,"
			   " ActiveLow, Exclusive) { 0x10 } })", res_interrupt },
	{ "vmgenid_low", VGID_ASL("0xFC00A000", "0"), vmgenid_low },
	{ "vmgenid_high", VGID_ASL("0x45678000", "0x123"), vmgenid_high },
	{ "vmgenid_none", "Name (I, 0)", vmgenid_none },
	{ "bridge_prt_i440fx", NULL, bridge_prt_i440fx },
	{ "bridge_prt_q35", NULL, bridge_prt_q35 },
};

/* Buffers of a given size are easier to generate than to spell out. */
static void print_buffer_asl(const char *name)
{
	unsigned int n = 0;

	sscanf(name, "buffer_%u", &n);
	n = n == 62 ? 60 : n == 63 ? 61 : n - 3;
	printf("Name (B, Buffer () {");
	for (unsigned int i = 0; i < n; i++)
		printf("%s0x%02X", i ? ", " : " ", (uint8_t)(i * 7 + 3));
	printf(" })\n");
}

int main(int argc, char **argv)
{
	static uint8_t buf[65536];
	struct aml a;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct aml_case *c = &cases[i];

		if (argc == 2 && !strcmp(argv[1], "list")) {
			printf("%s\n", c->name);
			continue;
		}
		if (argc != 3 || strcmp(argv[2], c->name))
			continue;
		if (!strcmp(argv[1], "asl")) {
			if (c->asl)
				printf("%s\n", c->asl);
			else if (find_bridge_case(c->name))
				print_bridge_asl(c->name);
			else
				print_buffer_asl(c->name);
			return 0;
		}
		aml_init(&a, buf, sizeof(buf));
		c->emit(&a);
		if (!aml_ok(&a)) {
			fprintf(stderr, "writer error in case %s\n", c->name);
			return 1;
		}
		for (uint32_t j = 0; j < a.len; j++)
			printf("%02X", buf[j]);
		printf("\n");
		return 0;
	}
	return argc == 2 ? 0 : 2;
}
