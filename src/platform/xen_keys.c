/* SPDX-License-Identifier: MIT */
/* The toolstack's xenstore keys (hvmloader/..., platform/..., bios-strings/...). Pure code. */
#include <hvmfw/xen/platform_info.h>
#include <hvmfw/string.h>

static const char *const string_keys[XEN_STR_COUNT] = {
	[XEN_STR_BIOS_VENDOR] = "bios-vendor",
	[XEN_STR_BIOS_VERSION] = "bios-version",
	[XEN_STR_SYSTEM_MANUFACTURER] = "system-manufacturer",
	[XEN_STR_SYSTEM_PRODUCT_NAME] = "system-product-name",
	[XEN_STR_SYSTEM_VERSION] = "system-version",
	[XEN_STR_SYSTEM_SERIAL_NUMBER] = "system-serial-number",
	[XEN_STR_BASEBOARD_MANUFACTURER] = "baseboard-manufacturer",
	[XEN_STR_BASEBOARD_PRODUCT_NAME] = "baseboard-product-name",
	[XEN_STR_BASEBOARD_VERSION] = "baseboard-version",
	[XEN_STR_BASEBOARD_SERIAL_NUMBER] = "baseboard-serial-number",
	[XEN_STR_BASEBOARD_ASSET_TAG] = "baseboard-asset-tag",
	[XEN_STR_BASEBOARD_LOCATION_IN_CHASSIS] = "baseboard-location-in-chassis",
	[XEN_STR_ENCLOSURE_MANUFACTURER] = "enclosure-manufacturer",
	[XEN_STR_ENCLOSURE_SERIAL_NUMBER] = "enclosure-serial-number",
	[XEN_STR_ENCLOSURE_ASSET_TAG] = "enclosure-asset-tag",
	[XEN_STR_BATTERY_MANUFACTURER] = "battery-manufacturer",
	[XEN_STR_BATTERY_DEVICE_NAME] = "battery-device-name",
};

const char *xen_bios_string_key(enum xen_bios_string s)
{
	return s < XEN_STR_COUNT ? string_keys[s] : "?";
}

int xen_parse_bool(const char *s, bool *out)
{
	if ((s[0] != '0' && s[0] != '1') || s[1])
		return -1;
	*out = s[0] == '1';
	return 0;
}

static int digit(char ch, unsigned base)
{
	unsigned d = ch >= '0' && ch <= '9' ? (unsigned)(ch - '0')
		   : ch >= 'a' && ch <= 'f' ? (unsigned)(ch - 'a' + 10)
		   : ch >= 'A' && ch <= 'F' ? (unsigned)(ch - 'A' + 10) : 99;
	return d < base ? (int)d : -1;
}

/* Digits of s in base up to end or stop; NULL on overflow or no digits. */
static const char *parse_digits(const char *s, unsigned base, char stop, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = s;

	for (; *p && *p != stop; p++) {
		int d = digit(*p, base);
		if (d < 0 || v > (UINT64_MAX - (unsigned)d) / base)
			return NULL;
		v = v * base + (unsigned)d;
	}
	if (p == s)
		return NULL;
	*out = v;
	return p;
}

int xen_parse_num(const char *s, uint64_t *out)
{
	const char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		end = parse_digits(s + 2, 16, '\0', out);
	else if (s[0] == '0' && s[1])
		end = parse_digits(s + 1, 8, '\0', out);
	else
		end = parse_digits(s, 10, '\0', out);
	return end && !*end ? 0 : -1;
}

int xen_parse_genid(const char *s, uint64_t out[2])
{
	const char *p = parse_digits(s, 10, ':', &out[0]);

	if (!p || *p != ':')
		return -1;
	p = parse_digits(p + 1, 10, '\0', &out[1]);
	return p && !*p ? 0 : -1;
}

void xen_platform_info_defaults(struct xen_platform_info *pi)
{
	memset(pi, 0, sizeof(*pi));
	pi->bios = XEN_BIOS_SEABIOS;
	pi->allow_memory_relocate = true;
	pi->acpi = pi->acpi_s3 = pi->acpi_s4 = true;
}

struct reader {
	xen_key_get_fn get;
	void *ctx;
	xen_key_used_fn used;
	xen_refuse_fn refuse;
	char val[256];
};

/* Fetch key into r->val; false when absent or empty. Over-long values are refused. */
static bool fetch(struct reader *r, const char *key)
{
	int n = r->get(r->ctx, key, r->val, sizeof(r->val));

	if (n >= (int)sizeof(r->val)) {
		r->refuse(key, "value longer than 255 bytes");
		return false;
	}
	return n > 0;
}

static void read_bool(struct reader *r, const char *key, bool *dst)
{
	if (!fetch(r, key))
		return;
	if (xen_parse_bool(r->val, dst)) {
		r->refuse(key, *dst ? "not \"0\" or \"1\"; keeping the default 1"
				    : "not \"0\" or \"1\"; keeping the default 0");
		return;
	}
	r->used(key, r->val);
}

/*
 * A key asking for something hvmfw does not build: taken when it asks for
 * nothing (value `off`), else refused with why, so the admin reads it once.
 */
static void read_unsupported(struct reader *r, const char *key, const char *off, const char *why)
{
	if (!fetch(r, key))
		return;
	if (!strcmp(r->val, off))
		r->used(key, r->val);
	else
		r->refuse(key, why);
}

static void read_bios(struct reader *r, struct xen_platform_info *pi)
{
	const char *key = "hvmloader/bios";

	if (!fetch(r, key))
		return;
	if (!strcmp(r->val, "seabios")) {
		pi->bios = XEN_BIOS_SEABIOS;
	} else if (!strcmp(r->val, "ovmf")) {
		pi->bios = XEN_BIOS_OVMF;
	} else {
		r->refuse(key, !strcmp(r->val, "rombios") ?
			  "ROMBIOS is not supported; trying SeaBIOS with the firmware module" :
			  "unknown BIOS name; trying SeaBIOS with the firmware module");
		return;
	}
	r->used(key, r->val);
}

static void read_hole(struct reader *r, struct xen_platform_info *pi)
{
	const char *key = "platform/mmio_hole_size";
	uint64_t v;

	if (!fetch(r, key))
		return;
	if (xen_parse_num(r->val, &v))
		r->refuse(key, "not a number");
	else if (v < MiB(256) || v > MiB(3840) || !IS_ALIGNED(v, MiB(1)))
		r->refuse(key, "outside 256 MiB..3840 MiB or not whole MiB");
	else {
		pi->mmio_hole_size = v;
		r->used(key, r->val);
	}
}

/* 1: present and a number, 0: absent, -1: refused. */
static int read_num(struct reader *r, const char *key, uint64_t *v)
{
	if (!fetch(r, key))
		return 0;
	if (xen_parse_num(r->val, v)) {
		r->refuse(key, "not a number");
		return -1;
	}
	return 1;
}

static void read_pt(struct reader *r, const char *base, struct xen_passthrough *pt)
{
	char ka[40], kl[40];
	uint64_t a = 0, l = 0;
	int ha, hl;

	snprintf(ka, sizeof(ka), "%s/address", base);
	snprintf(kl, sizeof(kl), "%s/length", base);
	ha = read_num(r, ka, &a);
	hl = read_num(r, kl, &l);
	if (ha < 0 || hl < 0 || (!ha && !hl))
		return;
	if (ha != hl) {
		r->refuse(base, "address without length or length without address");
		return;
	}
	if (!a || !l || a >= GiB(4) || l > GiB(4) - a) {
		r->refuse(base, "empty or not below 4 GiB");
		return;
	}
	pt->addr = (uint32_t)a;
	pt->len = (uint32_t)l;
	snprintf(r->val, sizeof(r->val), "0x%x+0x%x", pt->addr, pt->len);
	r->used(base, r->val);
}

static void read_string(struct reader *r, const char *key, char *dst)
{
	if (!fetch(r, key))
		return;
	if (strlen(r->val) >= XEN_STR_MAX) {
		r->refuse(key, "longer than 63 bytes");
		return;
	}
	memcpy(dst, r->val, strlen(r->val) + 1);
	r->used(key, r->val);
}

void xen_platform_info_read(struct xen_platform_info *pi, xen_key_get_fn get, void *ctx,
			    xen_key_used_fn used, xen_refuse_fn refuse)
{
	struct reader r = { .get = get, .ctx = ctx, .used = used, .refuse = refuse };
	char key[48];

	read_bios(&r, pi);
	read_bool(&r, "hvmloader/allow-memory-relocate", &pi->allow_memory_relocate);
	read_hole(&r, pi);
	read_bool(&r, "platform/acpi", &pi->acpi);
	read_bool(&r, "platform/acpi_s3", &pi->acpi_s3);
	read_bool(&r, "platform/acpi_s4", &pi->acpi_s4);
	read_bool(&r, "platform/acpi_laptop_slate", &pi->acpi_laptop_slate);
	if (pi->acpi_laptop_slate)
		refuse("platform/acpi_laptop_slate", "hvmfw builds no laptop/slate-mode SSDT; "
		       "the guest sees none");
	if (fetch(&r, "platform/device-model")) {
		if (!strcmp(r.val, "qemu_xen_traditional")) {
			pi->dm_traditional = true;
			refuse("platform/device-model", "qemu-xen-traditional is not supported "
			       "(hvmfw's ACPI and hot-plug follow qemu-xen); going on as for qemu_xen");
		} else if (strcmp(r.val, "qemu_xen")) {
			refuse("platform/device-model", "unknown device model; assuming qemu_xen");
		} else {
			used("platform/device-model", r.val);
		}
	}
	/* Newer toolstacks (4.18+, 4.21+) write these. */
	read_unsupported(&r, "platform/tpm_version", "0", "hvmfw builds no TPM tables; the "
			 "guest sees no TPM");
	read_unsupported(&r, "hvmloader/pci/xen-platform-pci-bar-uc", "1", "not supported: the "
			 "Xen platform device's BAR stays uncached with the rest of the hole");
	if (fetch(&r, "platform/generation-id")) {
		if (xen_parse_genid(r.val, pi->generation_id))
			refuse("platform/generation-id", "not \"<low>:<high>\" in decimal");
		else
			used("platform/generation-id", r.val);
	}
	read_pt(&r, "hvmloader/acpi", &pi->acpi_pt);
	read_pt(&r, "hvmloader/smbios", &pi->smbios_pt);
	read_bool(&r, "hvmloader/smbios/default_battery", &pi->smbios_default_battery);
	for (unsigned s = 0; s < XEN_STR_COUNT; s++) {
		snprintf(key, sizeof(key), "bios-strings/%s", string_keys[s]);
		read_string(&r, key, pi->strings[s]);
	}
	/* oem-1, oem-2, ... up to the first missing one. */
	for (unsigned i = 1; i <= 99; i++) {
		snprintf(key, sizeof(key), "bios-strings/oem-%u", i);
		if (!fetch(&r, key))
			break;
		if (pi->n_oem == XEN_OEM_STRINGS_MAX) {
			refuse(key, "more than 16 OEM strings; the rest are dropped");
			break;
		}
		read_string(&r, key, pi->oem[pi->n_oem]);
		if (pi->oem[pi->n_oem][0])
			pi->n_oem++;
	}
}
