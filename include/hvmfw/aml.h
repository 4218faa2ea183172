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
/* The last byte of an opcode followed by a PkgLength and its body (If, Field, ...). */
void aml_pkg_open(struct aml *a, uint8_t opcode);

/* Statements */
void aml_return(struct aml *a);                  /* followed by one operand */
void aml_if_open(struct aml *a);                 /* the predicate follows, then the body */
void aml_else_open(struct aml *a);               /* right after an If's aml_close() */

/*
 * Expressions in prefix form: emit the opcode, then its operands in ASL
 * order (a Target operand last: a name, a local, or AML_NULL_TARGET).
 */
enum aml_opcode {
	AML_NULL_TARGET = 0x00,
	AML_LOCAL0 = 0x60,              /* + n for Local0..Local7 */
	AML_LOCAL1 = 0x61,
	AML_ARG0 = 0x68,                /* + n for Arg0..Arg6 */
	AML_STORE = 0x70,               /* Store (source, target) */
	AML_ADD = 0x72,                 /* Add (a, b, target) */
	AML_SUBTRACT = 0x74,            /* Subtract (a, b, target) */
	AML_AND = 0x7B,                 /* And (a, b, target) */
	AML_OR = 0x7D,                  /* Or (a, b, target) */
	AML_NOTIFY = 0x86,              /* Notify (object, value) */
	AML_LNOT = 0x92,                /* LNot (a) */
	AML_LEQUAL = 0x93,              /* LEqual (a, b) */
	AML_TOBUFFER = 0x96,            /* ToBuffer (a, target) */
};
static inline void aml_op(struct aml *a, enum aml_opcode op)
{
	aml_byte(a, (uint8_t)op);
}

/* Operation regions and fields (ACPI 6.x §19.6.100 and §19.6.48). */
enum aml_region_space { AML_SYSTEM_MEMORY = 0, AML_SYSTEM_IO = 1 };
void aml_region(struct aml *a, const char *name, enum aml_region_space space, uint64_t base,
		uint64_t len);
/* Field (region, <acc>, NoLock, Preserve) { ... }: units and gaps in bit order. */
enum aml_field_access { AML_BYTE_ACC = 1, AML_DWORD_ACC = 3 };
void aml_field_open(struct aml *a, const char *region, enum aml_field_access acc);
void aml_field_unit(struct aml *a, const char *name, uint32_t bits);
void aml_field_skip(struct aml *a, uint32_t bits);

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
