/* SPDX-License-Identifier: MIT */
/* Which platform started us: the entry registers tell. */
#include <hvmfw/platform.h>
#include <hvmfw/console.h>
#include <hvmfw/entry.h>
#include <hvmfw/fw_cfg.h>
#include <hvmfw/xen/start_info.h>
#include <hvmfw/xen/xen.h>

const struct platform *platform;

const struct platform *platform_detect(uint32_t magic, uint32_t start_info)
{
	if (magic == HVMFW_ROM_MAGIC) {
		if (!fw_cfg_probe())
			panic("started from the ROM but QEMU's fw_cfg device does not answer");
		return &platform_qemu;
	}
	if (start_info && *(const uint32_t *)(uintptr_t)start_info == XEN_START_MAGIC) {
		/* Xen handles port 0xE9 itself; COM1 would cost two device-model exits a byte. */
		console_use_com1(false);
		return xen_platform_init(start_info);
	}
	panic("unknown entry: eax=0x%x ebx=0x%x (neither the QEMU ROM stub nor Xen)", magic,
	      start_info);
}
