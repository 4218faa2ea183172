/* SPDX-License-Identifier: MIT */
/* QEMU's firmware configuration device (ports 0x510/0x511, DMA at 0x514/0x518). */
#ifndef HVMFW_FW_CFG_H
#define HVMFW_FW_CFG_H

#include <hvmfw/compiler.h>

#define FW_CFG_SIGNATURE 0x00
#define FW_CFG_ID 0x01
#define FW_CFG_RAM_SIZE 0x03
#define FW_CFG_NB_CPUS 0x05
#define FW_CFG_MAX_CPUS 0x0F
#define FW_CFG_KERNEL_ADDR 0x07
#define FW_CFG_KERNEL_SIZE 0x08
#define FW_CFG_INITRD_ADDR 0x0A
#define FW_CFG_INITRD_SIZE 0x0B
#define FW_CFG_KERNEL_ENTRY 0x10
#define FW_CFG_KERNEL_DATA 0x11
#define FW_CFG_INITRD_DATA 0x12
#define FW_CFG_CMDLINE_ADDR 0x13
#define FW_CFG_CMDLINE_SIZE 0x14
#define FW_CFG_CMDLINE_DATA 0x15
#define FW_CFG_SETUP_ADDR 0x16
#define FW_CFG_SETUP_SIZE 0x17
#define FW_CFG_SETUP_DATA 0x18
#define FW_CFG_FILE_DIR 0x19

bool fw_cfg_probe(void);
/* Select an item and read len bytes from its start (zeros past its end). */
void fw_cfg_read(uint16_t key, void *buf, uint32_t len);
/* Read len bytes from the current offset of the selected item. */
void fw_cfg_read_more(void *buf, uint32_t len);
uint32_t fw_cfg_read32(uint16_t key);
/* Look a file up by name: its selector and size, or -1. */
int fw_cfg_find(const char *name, uint16_t *key, uint32_t *size);
/* Read a whole file into buf (at most len bytes); returns its size or -1. */
int fw_cfg_read_file(const char *name, void *buf, uint32_t len);

#endif
