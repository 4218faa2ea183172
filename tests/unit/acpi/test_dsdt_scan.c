/* SPDX-License-Identifier: MIT */
/*
 * Reading a device model's DSDT for its hot-plug bus selectors: tables
 * written with the AML writer (itself checked against iasl) in the shape
 * QEMU gives them, and broken ones.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <hvmfw/acpi.h>
#include <hvmfw/aml.h>
#include <hvmfw/dsdt_scan.h>

static uint8_t t[8192];
static struct aml a;

static void begin(void)
{
	memset(t, 0, sizeof(t));
	memcpy(t, "DSDT", 4);
	aml_init(&a, t + 36, sizeof(t) - 36);
}

static uint32_t end(void)
{
	uint32_t len = 36 + a.len;

	assert_true(aml_ok(&a));
	memcpy(t + 4, &len, 4);
	return len;
}

/* Device (Sxx) { _ADR, _SUN, _EJ0 } for slot s of a bus. */
static void slot(unsigned s)
{
	char name[5];

	snprintf(name, sizeof(name), "S%02X", s * 8);
	aml_device_open(&a, name);
	aml_name_int(&a, "_ADR", (uint64_t)s << 16);
	aml_name_int(&a, "_SUN", s);
	aml_method_open(&a, "_EJ0", 1, false);
	aml_return(&a);
	aml_int(&a, 0);
	aml_close(&a);
	aml_close(&a);
}

static void port(const char *name, uint32_t adr, uint32_t bsel, unsigned nslots)
{
	aml_device_open(&a, name);
	aml_name_int(&a, "_ADR", adr);
	aml_name_int(&a, "BSEL", bsel);
	for (unsigned s = 0; s < nslots; s++)
		slot(s);
	aml_method_open(&a, "PCNT", 0, false);
	aml_return(&a);
	aml_int(&a, 0);
	aml_close(&a);
}

static void unmatched(const struct dsdt_hp_bus *b, const char *why)
{
	check_expected(b->bsel);
	assert_non_null(strstr(why, "no bridge"));
}

static void test_qemu_shape(void **state)
{
	struct dsdt_hp hp;
	const char *why = NULL;

	begin();
	aml_scope_open(&a, "\\_SB");
	aml_device_open(&a, "PCI0");
	aml_name_eisaid(&a, "_HID", "PNP0A08");
	aml_name_int(&a, "_ADR", 0);
	aml_close(&a);
	aml_close(&a);
	aml_scope_open(&a, "\\_SB.PCI0");
	aml_region(&a, "PCST", AML_SYSTEM_IO, 0xCC0, 8);
	aml_field_open(&a, "PCST", AML_DWORD_ACC);
	aml_field_unit(&a, "PCIU", 32);
	aml_close(&a);
	port("S30", 0x60000, 1, 1);             /* a root port: slot 0 only */
	aml_close(&a);
	port("S38", 0x70000, 0, 32);            /* a PCI bridge: every slot */
	port("S08", 0x10000, 2, 3);             /* a bridge behind the bridge */
	aml_close(&a);
	aml_close(&a);
	aml_close(&a);
	assert_int_equal(dsdt_scan_hotplug(t, end(), &hp, &why), 0);
	assert_int_equal(hp.n, 3);
	assert_int_equal(hp.bus[0].bsel, 1);
	assert_int_equal(hp.bus[0].depth, 1);
	assert_int_equal(hp.bus[0].devfn[0], 0x30);
	assert_int_equal(hp.bus[0].slots, 0x1);
	/* inner buses close first */
	assert_int_equal(hp.bus[1].bsel, 2);
	assert_int_equal(hp.bus[1].depth, 2);
	assert_int_equal(hp.bus[1].devfn[0], 0x38);
	assert_int_equal(hp.bus[1].devfn[1], 0x08);
	assert_int_equal(hp.bus[1].slots, 0x7);
	assert_int_equal(hp.bus[2].bsel, 0);
	assert_int_equal(hp.bus[2].slots, 0xFFFFFFFF);

	/* Matched to the bridges by address; one with no bridge is named. */
	struct acpi_pci_bridges br = { .n = 2 };
	br.b[0] = (struct acpi_pci_bridge){ .parent = ACPI_BRIDGE_ROOT, .dev = 7 };
	br.b[1] = (struct acpi_pci_bridge){ .parent = 0, .dev = 1 };
	expect_value(unmatched, b->bsel, 1);
	assert_int_equal(dsdt_hp_apply(&hp, &br, unmatched), 2);
	assert_int_equal(br.b[0].bsel, 0);
	assert_int_equal(br.b[0].hp_slots, 0xFFFFFFFF);
	assert_int_equal(br.b[1].bsel, 2);
	assert_int_equal(br.b[1].hp_slots, 0x7);
}

static void test_apply_names_the_unmatched(void **state)
{
	struct dsdt_hp hp = { .n = 1 };
	struct acpi_pci_bridges br = { .n = 1 };

	hp.bus[0] = (struct dsdt_hp_bus){ .depth = 1, .devfn = { 0x30 }, .bsel = 4, .slots = 1 };
	br.b[0] = (struct acpi_pci_bridge){ .parent = ACPI_BRIDGE_ROOT, .dev = 7 };
	expect_value(unmatched, b->bsel, 4);
	assert_int_equal(dsdt_hp_apply(&hp, &br, unmatched), 0);
	assert_int_equal(br.b[0].hp_slots, 0);
	br.b[0].dev = 6;
	assert_int_equal(dsdt_hp_apply(&hp, &br, unmatched), 1);
	assert_int_equal(br.b[0].bsel, 4);
	assert_int_equal(br.b[0].hp_slots, 1);
}

/* An object the walker does not know ends its scope, not the scan. */
static void test_unknown_object_skips_its_scope(void **state)
{
	struct dsdt_hp hp;
	const char *why = NULL;

	begin();
	aml_scope_open(&a, "\\_SB.PCI0");
	aml_byte(&a, 0x99);                     /* not an object of a scope */
	port("S30", 0x60000, 1, 1);
	aml_close(&a);
	aml_close(&a);
	aml_scope_open(&a, "\\_SB.PCI0");
	port("S38", 0x70000, 5, 1);
	aml_close(&a);
	aml_close(&a);
	assert_int_equal(dsdt_scan_hotplug(t, end(), &hp, &why), 0);
	assert_int_equal(hp.n, 1);
	assert_int_equal(hp.bus[0].bsel, 5);
}

static void test_bad_tables(void **state)
{
	struct dsdt_hp hp;
	const char *why = NULL;
	uint32_t len;

	begin();
	aml_scope_open(&a, "\\_SB.PCI0");
	port("S30", 0x60000, 1, 1);
	aml_close(&a);
	aml_close(&a);
	len = end();
	/* the length field past the data */
	assert_int_equal(dsdt_scan_hotplug(t, len - 1, &hp, &why), -1);
	assert_non_null(strstr(why, "length"));
	/* not a DSDT */
	memcpy(t, "SSDT", 4);
	assert_int_equal(dsdt_scan_hotplug(t, len, &hp, &why), -1);
	memcpy(t, "DSDT", 4);
	/* cut inside the device: what is cut off is not reported, nothing is read past it */
	memcpy(t + 4, &(uint32_t){ len - 20 }, 4);
	assert_int_equal(dsdt_scan_hotplug(t, len - 20, &hp, &why), 0);
	assert_int_equal(hp.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_shape),
		cmocka_unit_test(test_apply_names_the_unmatched),
		cmocka_unit_test(test_unknown_object_skips_its_scope),
		cmocka_unit_test(test_bad_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
