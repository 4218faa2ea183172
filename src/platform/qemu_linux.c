/* SPDX-License-Identifier: MIT */
/* Boot the kernel QEMU put in fw_cfg (-kernel/-initrd/-append) by the 32-bit protocol. */
#include <hvmfw/boot.h>
#include <hvmfw/console.h>
#include <hvmfw/entry.h>
#include <hvmfw/fw_cfg.h>
#include <hvmfw/layout.h>
#include <hvmfw/linux.h>
#include <hvmfw/platform.h>
#include <hvmfw/string.h>

#define ZERO_PAGE 0x7000
#define CMDLINE_ADDR 0x20000
#define CMDLINE_MAX 0x10000
#define SETUP_MAX 0x10000

static uint8_t setup[SETUP_MAX];

__noreturn void qemu_boot_linux(struct boot_state *bs)
{
	struct linux_header h;
	struct linux_params p = { .cmdline_addr = CMDLINE_ADDR, .rsdp_addr = bs->rsdp, .e820 = bs->e820 };
	uint32_t setup_size = fw_cfg_read32(FW_CFG_SETUP_SIZE);
	uint32_t kernel_size = fw_cfg_read32(FW_CFG_KERNEL_SIZE);
	uint32_t cmdline_size = fw_cfg_read32(FW_CFG_CMDLINE_SIZE);
	char why[192];

	if (!kernel_size || !setup_size)
		panic("no kernel in fw_cfg: start QEMU with -kernel (hvmfw boots Linux directly)");
	if (setup_size > SETUP_MAX)
		panic("kernel setup area is %u bytes, hvmfw takes at most %u", setup_size, SETUP_MAX);
	fw_cfg_read(FW_CFG_SETUP_DATA, setup, setup_size);
	if (linux_parse_header(setup, setup_size, &h, why, sizeof(why)))
		panic("cannot boot the fw_cfg kernel: %s", why);

	struct linux_place_in where = { .ram = bs->e820, .fw_end = (uintptr_t)_image_end,
					.top = layout_high_floor() };

	if (linux_place(&h, kernel_size, fw_cfg_read32(FW_CFG_INITRD_SIZE), &where, &p, why,
			sizeof(why)))
		panic("cannot place the fw_cfg kernel: %s", why);
	if (cmdline_size >= CMDLINE_MAX || (h.cmdline_size && cmdline_size > h.cmdline_size + 1))
		panic("kernel command line of %u bytes is too long (kernel takes %u)", cmdline_size,
		      h.cmdline_size);

	log_info("linux: protocol %x.%02x, kernel %u bytes at 0x%x (init_size 0x%x), "
		 "initrd %u bytes at 0x%x", h.version >> 8, h.version & 0xFF, kernel_size,
		 p.kernel_addr, h.init_size, p.initrd_size, p.initrd_addr);
	fw_cfg_read(FW_CFG_KERNEL_DATA, (void *)(uintptr_t)p.kernel_addr, kernel_size);
	if (p.initrd_size)
		fw_cfg_read(FW_CFG_INITRD_DATA, (void *)(uintptr_t)p.initrd_addr, p.initrd_size);
	memset((void *)CMDLINE_ADDR, 0, 1);
	if (cmdline_size)
		fw_cfg_read(FW_CFG_CMDLINE_DATA, (void *)CMDLINE_ADDR, cmdline_size);
	log_info("linux: command line \"%s\"", (const char *)CMDLINE_ADDR);

	if (linux_build_zero_page((uint8_t *)ZERO_PAGE, setup, setup_size, &p, why, sizeof(why)))
		panic("cannot build the zero page: %s", why);
	log_info("linux: entering the kernel at 0x%x", p.kernel_addr);
	linux_enter(p.kernel_addr, ZERO_PAGE);
}
