/* SPDX-License-Identifier: MIT */
/*
 * fuzz-xenstore: the xenstore client (src/platform/xen_xenstore.c) against
 * a xenstored that does whatever the input says: answers properly, sends
 * other people's replies, watch events, error replies, raw bytes, lengths
 * past the protocol's limit, corrupt ring indices, or nothing at all.
 *
 * The client's waits run on a simulated clock: each wait() is one tick and
 * returns -ETIMEDOUT once the request's deadline (WAIT_TICKS ticks) has
 * passed, as the firmware's wait does with the real clock.
 *
 * Checked:
 *  - every call returns within the deadline's ticks (between waits the
 *    client can only take what one action put on the ring, so this bounds
 *    the whole call; libFuzzer's -timeout catches a loop that never waits);
 *  - xs_read: a length below the buffer's size with the value NUL-terminated
 *    there and no NUL inside, or a negative Xen error code; xs_directory: a
 *    count no larger than the buffer; xs_write: 0 or a negative code;
 *  - the output buffer is written only within its size (it is allocated at
 *    exactly that size for ASan).
 *
 * Byte layout: a sequence of calls, each: call u8 (% 4: read, directory,
 * write, reset), cap u8 (buffer size 1 + v), then the server's actions, one
 * byte per wait() (the rest of each action's operands follow it), until the
 * call returns. Past the end of the input the server does nothing.
 */
#include "fuzz_bytes.h"
#include <hvmfw/xen/hypercall.h>
#include <hvmfw/xen/xenstore.h>

#define WAIT_TICKS 64

struct server {
	struct xs_ring ring;
	struct fz *f;
	unsigned now, deadline;
	unsigned waits;
	uint32_t last_req_id, last_type;
	uint8_t pending[2 * (16 + XS_PAYLOAD_MAX)];     /* queued for the response ring */
	size_t npending, head;
	uint8_t req[XS_PAYLOAD_MAX + 16];
	size_t nreq;
};

static struct server S;

static void queue(const void *p, size_t n)
{
	n = MIN(n, sizeof(S.pending) - S.npending);
	memcpy(S.pending + S.npending, p, n);
	S.npending += n;
}

/* Move queued bytes onto the response ring, as far as it has room. */
static void flush(void)
{
	struct xs_ring *r = &S.ring;

	while (S.head < S.npending && r->rsp_prod - r->rsp_cons < XS_RING_SIZE) {
		r->rsp[r->rsp_prod % XS_RING_SIZE] = (char)S.pending[S.head++];
		r->rsp_prod++;
	}
	if (S.head == S.npending)
		S.head = S.npending = 0;
}

/* Take what the client wrote; remember the last request header seen. */
static void drain(void)
{
	struct xs_ring *r = &S.ring;

	while (r->req_prod != r->req_cons && r->req_prod - r->req_cons <= XS_RING_SIZE) {
		uint8_t b = (uint8_t)r->req[r->req_cons % XS_RING_SIZE];
		r->req_cons++;
		if (S.nreq < sizeof(S.req))
			S.req[S.nreq++] = b;
		if (S.nreq == sizeof(struct xs_msg_hdr)) {
			struct xs_msg_hdr h;
			memcpy(&h, S.req, sizeof(h));
			S.last_req_id = h.req_id;
			S.last_type = h.type;
		}
		if (S.nreq >= sizeof(struct xs_msg_hdr)) {
			struct xs_msg_hdr h;
			memcpy(&h, S.req, sizeof(h));
			if (S.nreq >= sizeof(h) + MIN(h.len, (uint32_t)XS_PAYLOAD_MAX))
				S.nreq = 0;
		}
	}
}

static void message(uint32_t type, uint32_t req_id, uint32_t len, size_t body)
{
	struct xs_msg_hdr h = { type, req_id, 0, len };
	struct fz *f = S.f;

	queue(&h, sizeof(h));
	body = MIN(body, fz_left(f));
	queue(f->p + f->i, body);
	f->i += body;
}

static void act(void)
{
	static const char *const errs[] = { "ENOENT", "EACCES", "E2BIG", "BOGUS", "" };
	struct fz *f = S.f;
	uint8_t op;
	uint16_t n;

	if (!fz_left(f))
		return;
	op = fz_u8(f);
	switch (op % 10) {
	case 0: case 1: case 2:         /* a proper reply, mostly */
		drain();
		n = fz_u8(f);
		message(op & 0x80 ? fz_u32(f) : S.last_type,
			op & 0x40 ? S.last_req_id + 1 : S.last_req_id, n, n);
		break;
	case 3:                         /* a watch event */
		n = fz_u8(f);
		message(XS_WATCH_EVENT, 0, n, n);
		break;
	case 4: {                       /* an error reply */
		const char *e = errs[fz_u8(f) % ARRAY_SIZE(errs)];
		drain();
		message(XS_ERROR, S.last_req_id, (uint32_t)strlen(e) + 1, 0);
		queue(e, strlen(e) + 1);
		break;
	}
	case 5:                         /* a header with a length of its own choosing */
		drain();
		message(fz_u8(f) % 20, S.last_req_id, fz_u32(f), fz_u8(f));
		break;
	case 6: {                       /* raw bytes */
		n = fz_u8(f);
		n = (uint16_t)MIN((size_t)n, fz_left(f));
		queue(f->p + f->i, n);
		f->i += n;
		break;
	}
	case 7:                         /* corrupt an index */
		switch (fz_u8(f) % 4) {
		case 0: S.ring.rsp_prod = fz_u32(f); break;
		case 1: S.ring.rsp_cons = fz_u32(f); break;
		case 2: S.ring.req_cons = fz_u32(f); break;
		default: S.ring.req_prod = fz_u32(f); break;
		}
		break;
	case 8:                         /* the shared fields */
		S.ring.connection = fz_u8(f) & 1;
		S.ring.server_features = fz_u8(f) & 1;
		S.ring.error = fz_u8(f) == 0xEE;
		break;
	default:                        /* busy elsewhere: only drain */
		drain();
		break;
	}
}

static void notify(void *ctx)
{
	(void)ctx;
}

static int wait_tick(void *ctx)
{
	(void)ctx;
	S.waits++;
	if (++S.now > S.deadline)
		return -XEN_ETIMEDOUT;
	act();
	flush();
	return 0;
}

static void deadline(void *ctx)
{
	(void)ctx;
	S.deadline = S.now + WAIT_TICKS;
}

static bool error_code(int rc)
{
	return rc < 0 && rc > -200;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size, 0 };
	struct xs_conn c = { &S.ring, notify, wait_tick, deadline, NULL, 0 };
	static const char *const paths[] = { "hvmloader/bios", "platform/acpi", "hvmfw/pins", "" };

	memset(&S, 0, sizeof(S));
	S.f = &f;
	for (unsigned call = 0; fz_left(&f) && call < 32; call++) {
		uint8_t kind = fz_u8(&f) % 4;
		size_t cap = 1 + (size_t)fz_u8(&f);
		char *buf = malloc(cap);
		const char *path = paths[call % ARRAY_SIZE(paths)];
		unsigned waits0 = S.waits;
		int rc;

		/* The server may already have something queued before the call. */
		act();
		flush();
		switch (kind) {
		case 0:
			rc = xs_read(&c, path, buf, cap);
			FUZZ_CHECK(error_code(rc) || ((size_t)rc < cap && strlen(buf) == (size_t)rc),
				   "xs_read returned %d for a buffer of %zu", rc, cap);
			break;
		case 1:
			rc = xs_directory(&c, path, buf, cap);
			FUZZ_CHECK(error_code(rc) || (size_t)rc <= cap,
				   "xs_directory returned %d for a buffer of %zu", rc, cap);
			break;
		case 2:
			rc = xs_write(&c, path, "1");
			FUZZ_CHECK(rc <= 0 && rc > -200, "xs_write returned %d", rc);
			break;
		default:
			deadline(NULL);
			rc = xs_reset(&c);
			FUZZ_CHECK(rc == 0 || rc == -XEN_ETIMEDOUT, "xs_reset returned %d", rc);
			break;
		}
		FUZZ_CHECK(S.waits - waits0 <= WAIT_TICKS + 1, "a call waited %u ticks",
			   S.waits - waits0);
		free(buf);
	}
	return 0;
}
