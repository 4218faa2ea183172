/* SPDX-License-Identifier: MIT */
/*
 * hvmfw-pin's logic against a fake dom0: xenstore keys and sysfs files in
 * tables, a domain that is paused or not. What it writes, prints and
 * returns, for good and bad input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "pin.h"

#define MAX_KEYS 32

static struct {
	const char *key[MAX_KEYS];
	char val[MAX_KEYS][256];
	unsigned n;
	const char *sysfs_path, *sysfs_text;
	int paused, unpaused, writes;
	char written[512];
} F;

static void key(const char *k, const char *v)
{
	F.key[F.n] = k;
	snprintf(F.val[F.n], sizeof(F.val[0]), "%s", v);
	F.n++;
}

static int f_read(void *ctx, const char *path, char *buf, size_t cap)
{
	for (unsigned i = 0; i < F.n; i++)
		if (!strcmp(F.key[i], path)) {
			snprintf(buf, cap, "%s", F.val[i]);
			return (int)strlen(buf);
		}
	return -1;
}

static int f_write(void *ctx, const char *path, const char *value)
{
	F.writes++;
	snprintf(F.written, sizeof(F.written), "%s=%s", path, value);
	return 0;
}

static int f_list(void *ctx, const char *path, char *buf, size_t cap)
{
	if (strcmp(path, "/local/domain"))
		return -1;
	memcpy(buf, "0\0003\0007\0", 7);
	return 3;
}

static int f_sysfs(void *ctx, const char *path, char *buf, size_t cap)
{
	if (!F.sysfs_path || strcmp(path, F.sysfs_path))
		return -1;
	snprintf(buf, cap, "%s", F.sysfs_text);
	return (int)strlen(buf);
}

static int f_paused(void *ctx, unsigned domid)
{
	return domid == 3 ? F.paused : -1;
}

static int f_unpause(void *ctx, unsigned domid)
{
	F.unpaused++;
	return 0;
}

static const struct pin_ops ops = { f_read, f_write, f_list, f_sysfs, f_paused, f_unpause, NULL };

/* A GPU-like function: BAR0 16 MiB, BAR1 I/O, BAR2 64-bit prefetchable 256 MiB, a ROM. */
static const char *gpu_resource =
	"0x00000000e0000000 0x00000000e0ffffff 0x0000000000040200\n"
	"0x000000000000c000 0x000000000000c07f 0x0000000000040101\n"
	"0x0000000800000000 0x000000080fffffff 0x000000000014220c\n"
	"0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
	"0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
	"0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
	"0x00000000e1000000 0x00000000e107ffff 0x0000000000046200\n"
	"0x0000000000000000 0x0000000000000000 0x0000000000000000\n";

/* Domain 3 "gpu", 2 GiB, mmio_hole 1024 MiB, the GPU at host 0000:01:00.0 in guest slot 6. */
static void fixture(void)
{
	memset(&F, 0, sizeof(F));
	F.paused = 1;
	key("/local/domain/0/name", "Domain-0");
	key("/local/domain/3/name", "gpu");
	key("/local/domain/3/memory/static-max", "2097152");
	key("/local/domain/3/platform/mmio_hole_size", "1073741824");
	key("/local/domain/0/backend/pci/3/0/num_devs", "1");
	key("/local/domain/0/backend/pci/3/0/dev-0", "0000:01:00.0");
	key("/local/domain/0/backend/pci/3/0/vdevfn-0", "30");
	F.sysfs_path = "/sys/bus/pci/devices/0000:01:00.0/resource";
	F.sysfs_text = gpu_resource;
}

static int run(const char *domain, bool dry, bool unpause, char *out, size_t outcap)
{
	struct pin_opts o = { .domain = domain, .dry_run = dry, .unpause = unpause,
			      .sysfs_root = "/sys" };
	FILE *fo = fmemopen(out, outcap, "w"), *fe = fopen("/dev/null", "w");
	int rc = pin_run(&o, &ops, fo, fe);

	fclose(fo);
	fclose(fe);
	return rc;
}

static void test_parse_resource(void **state)
{
	struct pin_dev d;
	char why[128];

	assert_int_equal(pin_parse_resource(gpu_resource, &d, why, sizeof(why)), 0);
	assert_int_equal(d.nbars, 3);           /* the I/O BAR is not pinned */
	assert_int_equal(d.bar[0].index, 0);
	assert_int_equal(d.bar[0].addr, 0xE0000000);
	assert_int_equal(d.bar[0].size, 0x1000000);
	assert_false(d.bar[0].mem64);
	assert_int_equal(d.bar[1].index, 2);
	assert_true(d.bar[1].mem64 && d.bar[1].prefetch);
	assert_int_equal(d.bar[1].size, 0x10000000);
	assert_int_equal(d.bar[2].index, PIN_ROM);
	assert_int_equal(pin_parse_resource("0x0 0x0 0x0\n", &d, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "line 2"));
	assert_int_equal(pin_parse_resource(
		"0x0 0x0 0x0\n0x0 0x0 0x0\n0x0 0x0 0x0\n0x0 0x0 0x0\n0x0 0x0 0x0\n0x0 0x0 0x0\n"
		"0x0 0x0 0x0\n", &d, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "no memory BAR"));
}

static void test_collisions(void **state)
{
	struct pin_guest g = { .low_ram_end = 0x80000000, .high_ram_end = 0x140000000,
			       .phys_bits = 36 };
	struct pin_bar b = { .addr = 0xE0000000, .size = 0x1000000 };

	assert_null(pin_collision(&b, &g));
	b.addr = 0xFEA00000;                    /* where SeaBIOS puts BARs on the host */
	assert_non_null(strstr(pin_collision(&b, &g), "0xfc000000"));
	assert_string_equal(b.advice, "");
	b.addr = 0x70000000;                    /* in RAM: a bigger hole makes room */
	assert_non_null(strstr(pin_collision(&b, &g), "RAM below 4 GiB"));
	assert_string_equal(b.advice, "mmio_hole=2304 or more");
	b.addr = 0x10000000;                    /* the largest hole xl takes */
	assert_non_null(pin_collision(&b, &g));
	assert_string_equal(b.advice, "mmio_hole=3840 or more");
	b.addr = 0x08000000;                    /* no hole can be that big: less RAM */
	assert_non_null(pin_collision(&b, &g));
	assert_string_equal(b.advice, "memory=128 or less");
	b.addr = 0x100000000;                   /* high RAM */
	assert_non_null(strstr(pin_collision(&b, &g), "above 4 GiB"));
	assert_string_equal(b.advice, "memory=2048 or less");
	b.addr = 0x800000000;                   /* 32 GiB: past 36 bits? no, fits */
	assert_null(pin_collision(&b, &g));
	b.addr = 0x1000000000;                  /* 64 GiB: beyond 36 bits */
	assert_non_null(strstr(pin_collision(&b, &g), "physical address width"));
}

static void test_dry_run(void **state)
{
	char out[4096];

	fixture();
	assert_int_equal(run("gpu", true, true, out, sizeof(out)), PIN_OK);
	assert_int_equal(F.writes, 0);
	assert_int_equal(F.unpaused, 0);        /* a dry run changes nothing */
	assert_non_null(strstr(out, "would write /local/domain/3/hvmfw/pins = \"00:06.0/bar0="
				    "0xe0000000 00:06.0/bar2=0x800000000 00:06.0/rom=0xe1000000\""));
	assert_non_null(strstr(out, "0000:01:00.0 -> 00:06.0 bar2"));
}

static void test_writes_and_unpauses(void **state)
{
	char out[4096];

	fixture();
	assert_int_equal(run("3", false, true, out, sizeof(out)), PIN_OK);
	assert_int_equal(F.writes, 1);
	assert_string_equal(F.written, "/local/domain/3/hvmfw/pins=00:06.0/bar0=0xe0000000 "
				       "00:06.0/bar2=0x800000000 00:06.0/rom=0xe1000000");
	assert_int_equal(F.unpaused, 1);
}

/* A BAR that cannot keep its address is named with the fix; the others are written. */
static void test_refused_pin(void **state)
{
	char out[4096];

	fixture();
	strcpy(F.val[2], "4194304");            /* 4 GiB ... */
	strcpy(F.val[3], "268435456");          /* ... and a 256 MiB hole: RAM to 0xf0000000 */
	assert_int_equal(run("gpu", false, false, out, sizeof(out)), PIN_REFUSED);
	assert_non_null(strstr(out, "bar0  0x0000e0000000 size 0x1000000: refused: it overlaps "
				    "the guest's RAM below 4 GiB; it fits with mmio_hole=512 or more"));
	assert_string_equal(F.written, "/local/domain/3/hvmfw/pins=00:06.0/bar2=0x800000000");
}

static void test_bad_input_writes_nothing(void **state)
{
	char out[4096];

	fixture();
	assert_int_equal(run("nosuch", false, false, out, sizeof(out)), PIN_BAD_INPUT);
	fixture();
	F.paused = 0;                           /* running: too late */
	assert_int_equal(run("gpu", false, false, out, sizeof(out)), PIN_BAD_INPUT);
	fixture();
	F.val[4][0] = '0';                      /* num_devs 0 */
	F.val[4][1] = '\0';
	assert_int_equal(run("gpu", false, false, out, sizeof(out)), PIN_BAD_INPUT);
	fixture();
	F.key[6] = "/unused";                   /* no vdevfn: no guest slot */
	assert_int_equal(run("gpu", false, false, out, sizeof(out)), PIN_BAD_INPUT);
	fixture();
	strcpy(F.val[5], "0000:01:00.0/../../x"); /* not a PCI address */
	assert_int_equal(run("gpu", false, false, out, sizeof(out)), PIN_BAD_INPUT);
	fixture();
	F.sysfs_path = NULL;                    /* unreadable sysfs */
	assert_int_equal(run("gpu", false, false, out, sizeof(out)), PIN_BAD_INPUT);
	fixture();
	F.sysfs_text = "0x0 0x0 0x0\n0xc000 0xc07f 0x40101\n0x0 0x0 0x0\n0x0 0x0 0x0\n"
		       "0x0 0x0 0x0\n0x0 0x0 0x0\n0x0 0x0 0x0\n";       /* I/O only */
	assert_int_equal(run("gpu", false, true, out, sizeof(out)), PIN_BAD_INPUT);
	assert_int_equal(F.writes, 0);
	assert_int_equal(F.unpaused, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_resource),
		cmocka_unit_test(test_collisions),
		cmocka_unit_test(test_dry_run),
		cmocka_unit_test(test_writes_and_unpauses),
		cmocka_unit_test(test_refused_pin),
		cmocka_unit_test(test_bad_input_writes_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
