/* SPDX-License-Identifier: MIT */
/* Validate the hvm_info_table the toolstack leaves at 0x9F800. Pure code. */
#include <hvmfw/xen/hvm_info.h>
#include <hvmfw/string.h>

int xen_hvm_info_check(const struct hvm_info_table *t, size_t avail, const char **why)
{
	const uint8_t *p = (const uint8_t *)t;
	uint8_t sum = 0;

	if (avail < sizeof(*t)) {
		*why = "fewer than 48 readable bytes";
		return -1;
	}
	if (memcmp(t->signature, "HVM INFO", 8)) {
		*why = "signature is not \"HVM INFO\"";
		return -1;
	}
	if (t->length < sizeof(*t) || t->length > avail) {
		*why = "length field out of range";
		return -1;
	}
	for (uint32_t i = 0; i < t->length; i++)
		sum += p[i];
	if (sum) {
		*why = "checksum does not add up to 0";
		return -1;
	}
	if (!t->nr_vcpus || t->nr_vcpus > HVM_INFO_MAX_VCPUS) {
		*why = "nr_vcpus is 0 or above 128";
		return -1;
	}
	return 0;
}

void xen_hvm_info_fix_checksum(struct hvm_info_table *t)
{
	uint8_t *p = (uint8_t *)t;
	uint8_t sum = 0;

	t->checksum = 0;
	for (uint32_t i = 0; i < t->length; i++)
		sum += p[i];
	t->checksum = (uint8_t)-sum;
}
