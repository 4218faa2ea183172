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
	static uint8_t buf[8192];
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
