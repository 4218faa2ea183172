/* SPDX-License-Identifier: MIT */
/*
 * AML writer: emits ACPI Machine Language into a caller-provided buffer,
 * without a heap. Objects with a PkgLength are opened, filled and closed;
 * the closing call back-patches the minimal PkgLength encoding (the same
 * bytes iasl produces). Any overflow or misuse sets a sticky error flag and
 * stops writing; check aml_ok() once at the end.
 */
#ifndef HVMFW_AML_H
#define HVMFW_AML_H

#include <hvmfw/compiler.h>

#define AML_MAX_DEPTH 12

struct aml_open_obj {
	uint32_t start;         /* offset of the reserved header slot */
	uint8_t kind;           /* enum in aml.c */
	uint8_t reserved;       /* header bytes held until aml_close() */
};

struct aml {
	uint8_t *buf;
	uint32_t cap;
	uint32_t len;
	bool error;
	uint8_t depth;
	struct aml_open_obj open[AML_MAX_DEPTH];
};

void aml_init(struct aml *a, uint8_t *buf, uint32_t cap);
static inline bool aml_ok(const struct aml *a) { return !a->error && a->depth == 0; }

/* Raw output */
void aml_byte(struct aml *a, uint8_t b);
void aml_bytes(struct aml *a, const void *p, uint32_t n);
void aml_le(struct aml *a, uint64_t v, unsigned int nbytes);

/* Names: "\\_SB.PCI0", "^LNKA", "_CRS"; segments shorter than 4 are padded with '_'. */
void aml_namestring(struct aml *a, const char *path);

/* Data objects */
void aml_int(struct aml *a, uint64_t v);        /* Zero/One/Ones/Byte/Word/DWord/QWord */
void aml_string(struct aml *a, const char *s);
uint32_t aml_eisaid_value(const char *id);       /* "PNP0A03" -> 0x030AD041 */
void aml_eisaid(struct aml *a, const char *id);
void aml_buffer(struct aml *a, const void *data, uint32_t n);

/* Named objects: aml_name() is followed by exactly one data object. */
void aml_name(struct aml *a, const char *name);
void aml_name_int(struct aml *a, const char *name, uint64_t v);
void aml_name_string(struct aml *a, const char *name, const char *s);
void aml_name_eisaid(struct aml *a, const char *name, const char *id);

/* Containers: every *_open() is matched by aml_close(). */
void aml_scope_open(struct aml *a, const char *path);
void aml_device_open(struct aml *a, const char *name);
void aml_method_open(struct aml *a, const char *name, unsigned int nargs, bool serialized);
void aml_package_open(struct aml *a, uint8_t nelems);
void aml_buffer_open(struct aml *a);             /* BufferSize is patched on close */
void aml_close(struct aml *a);

/* Statements */
void aml_return(struct aml *a);                  /* followed by one operand */

/* Resource templates (ACPI 6.0 §6.4): a Buffer ending with an EndTag. */
void aml_restemplate_open(struct aml *a);
void aml_restemplate_close(struct aml *a);       /* EndTag (checksum 0) + close */

enum aml_mem_cache { AML_NONCACHEABLE = 0, AML_CACHEABLE = 1, AML_WRITECOMBINING = 2,
		     AML_PREFETCHABLE = 3 };

/* Producer, MinFixed, MaxFixed, PosDecode windows; length = max - min + 1. */
void aml_res_word_bus(struct aml *a, uint16_t min, uint16_t max);
void aml_res_word_io(struct aml *a, uint16_t min, uint16_t max);
void aml_res_dword_io(struct aml *a, uint32_t min, uint32_t max);
void aml_res_dword_mem(struct aml *a, enum aml_mem_cache c, bool rw, uint32_t min, uint32_t max);
void aml_res_qword_mem(struct aml *a, enum aml_mem_cache c, bool rw, uint64_t min, uint64_t max);
/* IO (Decode16, min, max, align, len) */
void aml_res_io(struct aml *a, uint16_t min, uint16_t max, uint8_t align, uint8_t len);
void aml_res_mem32_fixed(struct aml *a, bool rw, uint32_t base, uint32_t len);

/* Interrupt (ResourceConsumer, ...) with one or more GSIs */
#define AML_IRQ_EDGE        (1u << 1)
#define AML_IRQ_ACTIVE_LOW  (1u << 2)
#define AML_IRQ_SHARED      (1u << 3)
void aml_res_interrupt(struct aml *a, unsigned int flags, const uint32_t *gsi, uint8_t n);

#endif
