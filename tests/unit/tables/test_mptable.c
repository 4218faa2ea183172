/* SPDX-License-Identifier: MIT */
/* mptable_build(): checksums, entry counts, the ISA and PCI interrupt entries. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <hvmfw/mptable.h>

#define BUFSZ 16384

static uint8_t buf[BUFSZ], buf2[BUFSZ];

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) { return rd16(p) | (uint32_t)rd16(p + 2) << 16; }

static uint8_t sum(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

/* i440FX-like: links on ISA IRQs 10/11; slot 3 pin D has no line. */
static int route(const void *ctx, uint8_t slot, uint8_t pin)
{
	if (slot == 3 && pin == 3)
		return -1;
	return ((slot + pin) & 2) ? 11 : 10;
}

static void fixture(struct mptable_config *c, uint32_t ncpus)
{
	memset(c, 0, sizeof(*c));
	c->ncpus = ncpus;
	for (uint32_t i = 0; i < ncpus; i++)
		c->apic_ids[i] = (uint8_t)(2 * i);
	c->lapic_version = 0x14;
	c->cpu_signature = 0x000906EA;
	c->cpu_features = 0x0F8BFBFF;
	c->lapic_addr = 0xFEE00000;
	c->ioapic_id = 1;
	c->ioapic_version = 0x20;
	c->ioapic_addr = 0xFEC00000;
	c->isa_level_irqs = (1u << 5) | (1u << 9) | (1u << 10) | (1u << 11);
	c->pci_slots = 0x1F;            /* slots 0-4 */
	c->route = route;
}

struct counts {
	int cpu, bsp, bus, ioapic, ioint, localint, pci, isa, extint;
	int isa_pin[16];                /* pin for ISA IRQ n, -1 if none */
	uint16_t isa_flags[16];
};

static void walk(const uint8_t *t, struct counts *k)
{
	const uint8_t *p = t + 44, *end = t + rd16(t + 4);

	memset(k, 0, sizeof(*k));
	for (int i = 0; i < 16; i++)
		k->isa_pin[i] = -1;
	for (uint16_t e = 0; e < rd16(t + 34); e++) {
		assert_true(p < end);
		switch (p[0]) {
		case 0:
			k->cpu++;
			k->bsp += (p[3] & 2) != 0;
			assert_int_equal(p[3] & 1, 1);
			p += 20;
			continue;
		case 1:
			k->bus++;
			break;
		case 2:
			k->ioapic++;
			assert_int_equal(rd32(p + 4), 0xFEC00000);
			break;
		case 3:
			k->ioint++;
			assert_int_equal(p[6], 1);
			if (p[4] == MPTABLE_BUS_ISA && p[1] == 3) {
				k->extint++;
				assert_int_equal(p[7], 0);
			} else if (p[4] == MPTABLE_BUS_ISA) {
				k->isa++;
				assert_int_equal(k->isa_pin[p[5]], -1);
				k->isa_pin[p[5]] = p[7];
				k->isa_flags[p[5]] = rd16(p + 2);
			} else {
				assert_int_equal(p[4], MPTABLE_BUS_PCI);
				assert_int_equal(p[7], route(NULL, p[5] >> 2, p[5] & 3));
				assert_int_equal(rd16(p + 2), 0x000D);
				k->pci++;
			}
			break;
		case 4:
			k->localint++;
			assert_int_equal(p[6], 0xFF);
			break;
		default:
			fail_msg("unknown entry type %u", p[0]);
		}
		p += 8;
	}
	assert_ptr_equal(p, end);
}

static void test_float(void **state)
{
	uint8_t fp[MPTABLE_FLOAT_LEN];

	mptable_float(fp, 0x7FFFF000);
	assert_memory_equal(fp, "_MP_", 4);
	assert_int_equal(rd32(fp + 4), 0x7FFFF000);
	assert_int_equal(fp[8], 1);
	assert_int_equal(fp[9], 4);
	assert_int_equal(fp[11], 0);            /* a configuration table is present */
	assert_int_equal(sum(fp, 16), 0);
}

static void test_table(void **state)
{
	struct mptable_config c;
	struct counts k;
	uint32_t len, base;

	fixture(&c, 4);
	len = mptable_build(&c, buf, BUFSZ);
	assert_int_equal(len, mptable_size(&c));
	base = rd16(buf + 4);
	assert_memory_equal(buf, "PCMP", 4);
	assert_int_equal(buf[6], 4);
	assert_int_equal(sum(buf, base), 0);
	assert_int_equal(rd16(buf + 40), len - base);
	assert_int_equal((uint8_t)(sum(buf + base, len - base) + buf[42]), 0);
	assert_int_equal(rd32(buf + 36), 0xFEE00000);
	/* The extended part: ISA below PCI 0, subtractive. */
	assert_int_equal(buf[base], 129);
	assert_int_equal(buf[base + 1], 8);
	assert_int_equal(buf[base + 2], MPTABLE_BUS_ISA);
	assert_int_equal(buf[base + 3] & 1, 1);
	assert_int_equal(buf[base + 4], MPTABLE_BUS_PCI);

	walk(buf, &k);
	assert_int_equal(k.cpu, 4);
	assert_int_equal(k.bsp, 1);
	assert_int_equal(buf[44 + 3] & 2, 2);   /* the first is the BSP */
	assert_int_equal(buf[44 + 1], 0);
	assert_int_equal(buf[64 + 1], 2);
	assert_int_equal(k.bus, 2);
	assert_int_equal(k.ioapic, 1);
	assert_int_equal(k.extint, 1);
	assert_int_equal(k.isa, 15);
	assert_int_equal(k.pci, 5 * 4 - 1);
	assert_int_equal(k.localint, 2);
	assert_int_equal(k.ioint, 1 + 15 + 19);
	assert_int_equal(rd16(buf + 34), 4 + 2 + 1 + 35 + 2);

	/* As on the MADT: IRQ 0 on pin 2, no IRQ 2, the rest identity. */
	assert_int_equal(k.isa_pin[0], 2);
	assert_int_equal(k.isa_pin[2], -1);
	for (int irq = 1; irq < 16; irq++)
		if (irq != 2)
			assert_int_equal(k.isa_pin[irq], irq);
	assert_int_equal(k.isa_flags[0], 0);
	assert_int_equal(k.isa_flags[1], 0);
	assert_int_equal(k.isa_flags[9], 0x000D);
	assert_int_equal(k.isa_flags[10], 0x000D);
	assert_int_equal(k.isa_flags[14], 0);
}

static void test_refusals(void **state)
{
	struct mptable_config c;

	fixture(&c, 0);
	assert_int_equal(mptable_build(&c, buf, BUFSZ), 0);
	fixture(&c, 2);
	assert_int_equal(mptable_build(&c, buf, mptable_size(&c) - 1), 0);
	c.route = NULL;                         /* no PCI routing known: ISA only */
	assert_int_equal(mptable_build(&c, buf, BUFSZ), mptable_size(&c));
	assert_int_equal(rd16(buf + 34), 2 + 2 + 1 + 16 + 2);
}

static void test_many_cpus(void **state)
{
	struct mptable_config c;
	struct counts k;

	fixture(&c, MPTABLE_MAX_CPUS);
	c.pci_slots = 0xFFFFFFFFu;
	assert_int_not_equal(mptable_build(&c, buf, BUFSZ), 0);
	assert_int_equal(sum(buf, rd16(buf + 4)), 0);
	walk(buf, &k);
	assert_int_equal(k.cpu, MPTABLE_MAX_CPUS);
	assert_int_equal(k.pci, 32 * 4 - 1);
}

static void test_deterministic(void **state)
{
	struct mptable_config c;
	uint32_t a, b;

	fixture(&c, 3);
	memset(buf, 0x11, BUFSZ);
	memset(buf2, 0xEE, BUFSZ);
	a = mptable_build(&c, buf, BUFSZ);
	b = mptable_build(&c, buf2, BUFSZ);
	assert_int_equal(a, b);
	assert_memory_equal(buf, buf2, a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_float),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_many_cpus),
		cmocka_unit_test(test_deterministic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
