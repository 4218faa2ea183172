/* SPDX-License-Identifier: MIT */
/* The toolstack keys: value parsers and the struct they fill. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <hvmfw/xen/platform_info.h>

static const char *const *kv;   /* key, value, key, value, ..., NULL */
static int used_n, refused_n;
static char refused_keys[512];

static int get(void *ctx, const char *key, char *buf, size_t cap)
{
	for (const char *const *p = kv; *p; p += 2)
		if (!strcmp(p[0], key)) {
			snprintf(buf, cap, "%s", p[1]);
			return (int)strlen(p[1]);
		}
	return -2;      /* -ENOENT */
}

static void used(const char *key, const char *value)
{
	used_n++;
}

static void refuse(const char *what, const char *why)
{
	refused_n++;
	strcat(refused_keys, what);
	strcat(refused_keys, ";");
}

static void read_keys(struct xen_platform_info *pi, const char *const *pairs)
{
	kv = pairs;
	used_n = refused_n = 0;
	refused_keys[0] = 0;
	xen_platform_info_defaults(pi);
	xen_platform_info_read(pi, get, NULL, used, refuse);
}

static void test_parsers(void **state)
{
	uint64_t v, g[2];
	bool b;

	assert_int_equal(xen_parse_num("0x1F", &v), 0);
	assert_int_equal(v, 31);
	assert_int_equal(xen_parse_num("0X10", &v), 0);
	assert_int_equal(v, 16);
	assert_int_equal(xen_parse_num("010", &v), 0);
	assert_int_equal(v, 8);
	assert_int_equal(xen_parse_num("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(xen_parse_num("268435456", &v), 0);
	assert_int_equal(v, 268435456);
	assert_int_equal(xen_parse_num("12abc", &v), -1);
	assert_int_equal(xen_parse_num("", &v), -1);
	assert_int_equal(xen_parse_num("0x", &v), -1);
	assert_int_equal(xen_parse_num("09", &v), -1);
	assert_int_equal(xen_parse_num("18446744073709551616", &v), -1);
	assert_int_equal(xen_parse_bool("1", &b), 0);
	assert_true(b);
	assert_int_equal(xen_parse_bool("0", &b), 0);
	assert_false(b);
	assert_int_equal(xen_parse_bool("10", &b), -1);
	assert_int_equal(xen_parse_bool("yes", &b), -1);
	assert_int_equal(xen_parse_genid("12345:678", g), 0);
	assert_int_equal(g[0], 12345);
	assert_int_equal(g[1], 678);
	assert_int_equal(xen_parse_genid("18446744073709551615:1", g), 0);
	assert_int_equal(g[0], UINT64_MAX);
	assert_int_equal(xen_parse_genid("1:", g), -1);
	assert_int_equal(xen_parse_genid(":1", g), -1);
	assert_int_equal(xen_parse_genid("1:2:3", g), -1);
}

static void test_defaults_when_absent(void **state)
{
	static const char *const none[] = { NULL };
	struct xen_platform_info pi;

	read_keys(&pi, none);
	assert_int_equal(pi.bios, XEN_BIOS_SEABIOS);
	assert_true(pi.allow_memory_relocate);
	assert_true(pi.acpi && pi.acpi_s3 && pi.acpi_s4);
	assert_false(pi.acpi_laptop_slate);
	assert_int_equal(pi.mmio_hole_size, 0);
	assert_int_equal(pi.acpi_pt.len, 0);
	assert_int_equal(pi.n_oem, 0);
	assert_int_equal(used_n, 0);
	assert_int_equal(refused_n, 0);
}

static void test_libxl_qemu_xen_keys(void **state)
{
	/* What libxl 4.17 writes for a qemu-xen guest with mmio_hole=1024 and a genid. */
	static const char *const keys[] = {
		"hvmloader/bios", "ovmf",
		"hvmloader/allow-memory-relocate", "0",
		"platform/mmio_hole_size", "1073741824",
		"platform/acpi", "1",
		"platform/acpi_s3", "0",
		"platform/acpi_s4", "0",
		"platform/acpi_laptop_slate", "1",
		"platform/device-model", "qemu_xen",
		"platform/generation-id", "11:22",
		"hvmloader/acpi/address", "0x1f0000",
		"hvmloader/acpi/length", "0x2a0",
		"bios-strings/system-product-name", "hvmfw test",
		"bios-strings/oem-1", "first",
		"bios-strings/oem-2", "second",
		"bios-strings/oem-4", "after a gap",
		NULL,
	};
	struct xen_platform_info pi;

	read_keys(&pi, keys);
	/* the one thing asked for that hvmfw does not build, said once */
	assert_int_equal(refused_n, 1);
	assert_string_equal(refused_keys, "platform/acpi_laptop_slate;");
	assert_int_equal(pi.bios, XEN_BIOS_OVMF);
	assert_false(pi.allow_memory_relocate);
	assert_int_equal(pi.mmio_hole_size, GiB(1));
	assert_true(pi.acpi);
	assert_false(pi.acpi_s3);
	assert_false(pi.acpi_s4);
	assert_true(pi.acpi_laptop_slate);
	assert_false(pi.dm_traditional);
	assert_int_equal(pi.generation_id[0], 11);
	assert_int_equal(pi.generation_id[1], 22);
	assert_int_equal(pi.acpi_pt.addr, 0x1f0000);
	assert_int_equal(pi.acpi_pt.len, 0x2a0);
	assert_string_equal(pi.strings[XEN_STR_SYSTEM_PRODUCT_NAME], "hvmfw test");
	assert_string_equal(pi.strings[XEN_STR_BIOS_VENDOR], "");
	assert_int_equal(pi.n_oem, 2);         /* stops at the first missing index */
	assert_string_equal(pi.oem[1], "second");
	assert_int_equal(used_n, 13);    /* address+length count once */
}

/* Keys of other device models and newer toolstacks: each said once, or taken when they ask nothing. */
static void test_unsupported_keys(void **state)
{
	static const char *const keys[] = {
		"platform/device-model", "qemu_xen_traditional",
		"platform/tpm_version", "2",
		"hvmloader/pci/xen-platform-pci-bar-uc", "0",
		NULL,
	};
	static const char *const off[] = {
		"platform/tpm_version", "0",
		"hvmloader/pci/xen-platform-pci-bar-uc", "1",
		NULL,
	};
	struct xen_platform_info pi;

	read_keys(&pi, keys);
	assert_true(pi.dm_traditional);
	assert_int_equal(refused_n, 3);
	assert_int_equal(used_n, 0);
	assert_string_equal(refused_keys, "platform/device-model;platform/tpm_version;"
			    "hvmloader/pci/xen-platform-pci-bar-uc;");
	read_keys(&pi, off);
	assert_int_equal(refused_n, 0);
	assert_int_equal(used_n, 2);
}

static void test_bad_values_refused_defaults_kept(void **state)
{
	static const char *const keys[] = {
		"hvmloader/bios", "rombios",
		"hvmloader/allow-memory-relocate", "true",
		"platform/mmio_hole_size", "0x1000",
		"platform/acpi", "2",
		"platform/generation-id", "abc",
		"hvmloader/smbios/address", "0x1000",
		"hvmloader/acpi/address", "0x100000000",
		"hvmloader/acpi/length", "0x1000",
		"bios-strings/bios-vendor",
		"0123456789012345678901234567890123456789012345678901234567890123456789",
		NULL,
	};
	struct xen_platform_info pi;

	read_keys(&pi, keys);
	assert_int_equal(pi.bios, XEN_BIOS_SEABIOS);
	assert_true(pi.allow_memory_relocate);
	assert_int_equal(pi.mmio_hole_size, 0);
	assert_true(pi.acpi);
	assert_int_equal(pi.generation_id[0], 0);
	assert_int_equal(pi.smbios_pt.len, 0);
	assert_int_equal(pi.acpi_pt.len, 0);
	assert_string_equal(pi.strings[XEN_STR_BIOS_VENDOR], "");
	assert_int_equal(refused_n, 8);
	assert_int_equal(used_n, 0);
	assert_non_null(strstr(refused_keys, "hvmloader/bios;"));
	assert_non_null(strstr(refused_keys, "hvmloader/smbios;"));
	assert_non_null(strstr(refused_keys, "bios-strings/bios-vendor;"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parsers),
		cmocka_unit_test(test_defaults_when_absent),
		cmocka_unit_test(test_libxl_qemu_xen_keys),
		cmocka_unit_test(test_bad_values_refused_defaults_kept),
		cmocka_unit_test(test_unsupported_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
