/* SPDX-License-Identifier: MIT */
/* The xenstore client against a simulated xenstored on a ring in host memory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hvmfw/xen/hypercall.h>
#include <hvmfw/xen/xenstore.h>

#define MAX_KEYS 16

struct sim {
	struct xs_ring ring;
	char keys[MAX_KEYS][64];
	char vals[MAX_KEYS][5000];
	unsigned nkeys;
	uint8_t in[8192];
	size_t inlen;
	uint8_t out[16384];
	size_t outlen, outpos;
	size_t chunk;           /* most bytes the server moves per wake-up */
	unsigned waits, notifies, deadlines, max_waits;
	bool dead;              /* never answers */
	bool watch_first;       /* put a watch event before each reply */
	bool stray_first;       /* and a reply with someone else's req_id */
	bool honour_reconnect;
	bool flood;             /* answers nothing but watch events, forever */
	uint32_t reply_type;    /* non-zero: the reply carries this type instead */
	unsigned steps;
	uint32_t last_req_id;
};

static struct sim S;

static void put_key(const char *k, const char *v)
{
	snprintf(S.keys[S.nkeys], sizeof(S.keys[0]), "%s", k);
	snprintf(S.vals[S.nkeys], sizeof(S.vals[0]), "%s", v);
	S.nkeys++;
}

static int find_key(const char *k)
{
	for (unsigned i = 0; i < S.nkeys; i++)
		if (!strcmp(S.keys[i], k))
			return (int)i;
	return -1;
}

static void emit(uint32_t type, uint32_t req_id, const void *p, size_t len)
{
	struct xs_msg_hdr h = { type, req_id, 0, (uint32_t)len };

	if (S.outlen + sizeof(h) + len > sizeof(S.out))
		abort();        /* the simulation's own limit */
	memcpy(S.out + S.outlen, &h, sizeof(h));
	memcpy(S.out + S.outlen + sizeof(h), p, len);
	S.outlen += sizeof(h) + len;
}

static void handle(const struct xs_msg_hdr *h, const char *p)
{
	const char *path = p;
	size_t plen = strnlen(p, h->len);
	int k;

	S.last_req_id = h->req_id;
	if (S.watch_first)
		emit(XS_WATCH_EVENT, 0, "some/path\0tok", 14);
	if (S.stray_first)
		emit(XS_READ, h->req_id + 100, "stray", 5);
	if (S.flood)
		return;         /* server_step keeps the events coming */
	if (S.reply_type) {
		emit(S.reply_type, h->req_id, "x", 1);
		return;
	}
	switch (h->type) {
	case XS_READ:
		k = find_key(path);
		if (k < 0)
			emit(XS_ERROR, h->req_id, "ENOENT", 7);
		else
			emit(XS_READ, h->req_id, S.vals[k], strlen(S.vals[k]));
		break;
	case XS_WRITE: {
		char v[5000];
		size_t vlen = h->len - plen - 1;
		memcpy(v, p + plen + 1, vlen);
		v[vlen] = 0;
		if (!strncmp(path, "ro/", 3)) {
			emit(XS_ERROR, h->req_id, "EACCES", 7);
			break;
		}
		k = find_key(path);
		if (k < 0)
			put_key(path, v);
		else
			snprintf(S.vals[k], sizeof(S.vals[k]), "%s", v);
		emit(XS_WRITE, h->req_id, "OK", 3);
		break;
	}
	case XS_DIRECTORY: {
		char list[512];
		size_t n = 0, pl = strlen(path);
		for (unsigned i = 0; i < S.nkeys; i++)
			if (!strncmp(S.keys[i], path, pl) && S.keys[i][pl] == '/') {
				size_t l = strlen(S.keys[i] + pl + 1) + 1;
				memcpy(list + n, S.keys[i] + pl + 1, l);
				n += l;
			}
		emit(XS_DIRECTORY, h->req_id, list, n);
		break;
	}
	default:
		emit(XS_ERROR, h->req_id, "EINVAL", 7);
	}
}

/* One wake-up of the server: take request bytes, answer whole messages, send replies. */
static void server_step(void)
{
	struct xs_ring *r = &S.ring;
	size_t moved = 0;

	while (r->req_cons != r->req_prod && moved < S.chunk) {
		S.in[S.inlen++] = (uint8_t)r->req[r->req_cons & (XS_RING_SIZE - 1)];
		r->req_cons++;
		moved++;
	}
	while (S.inlen >= sizeof(struct xs_msg_hdr)) {
		struct xs_msg_hdr h;
		memcpy(&h, S.in, sizeof(h));
		if (S.inlen < sizeof(h) + h.len)
			break;
		handle(&h, (const char *)S.in + sizeof(h));
		memmove(S.in, S.in + sizeof(h) + h.len, S.inlen - sizeof(h) - h.len);
		S.inlen -= sizeof(h) + h.len;
	}
	/* A hostile server: the client must give up on its own (bounded here for the test). */
	if (++S.steps > 1000000)
		abort();
	if (S.flood && S.outpos == S.outlen) {
		S.outpos = S.outlen = 0;        /* all sent: the buffer starts over */
		emit(XS_WATCH_EVENT, 0, "some/path\0tok", 14);
	}
	moved = 0;
	while (S.outpos < S.outlen && r->rsp_prod - r->rsp_cons < XS_RING_SIZE && moved < S.chunk) {
		r->rsp[r->rsp_prod & (XS_RING_SIZE - 1)] = (char)S.out[S.outpos++];
		r->rsp_prod++;
		moved++;
	}
	if (S.honour_reconnect && r->connection == XS_RECONNECT) {
		r->req_cons = r->req_prod = r->rsp_cons = r->rsp_prod = 0;
		r->connection = XS_CONNECTED;
	}
}

static void notify(void *ctx)
{
	S.notifies++;
}

static int wait_hook(void *ctx)
{
	if (++S.waits > S.max_waits)
		return -XEN_ETIMEDOUT;
	if (!S.dead)
		server_step();
	return 0;
}

static void deadline(void *ctx)
{
	S.deadlines++;
}

static struct xs_conn conn;

static int setup(void **state)
{
	memset(&S, 0, sizeof(S));
	S.chunk = 1 << 20;
	S.max_waits = 10000;
	/* Free-running indices: start near the wrap to exercise it. */
	S.ring.req_cons = S.ring.req_prod = 0xFFFFFF00u;
	S.ring.rsp_cons = S.ring.rsp_prod = 0xFFFFFFF0u;
	conn = (struct xs_conn){ .ring = &S.ring, .notify = notify, .wait = wait_hook,
				 .deadline = deadline, .next_req_id = 7 };
	put_key("hvmloader/bios", "seabios");
	put_key("hvmfw/log-level", "debug");
	put_key("hvmfw/pins", "00:03.0/bar0=0xfea00000");
	return 0;
}

static void test_ring_put_get_wrap(void **state)
{
	struct xs_ring r;
	char buf[XS_RING_SIZE + 10], back[XS_RING_SIZE];

	memset(&r, 0, sizeof(r));
	r.req_cons = r.req_prod = 0xFFFFFFFEu;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)i;
	/* Only a ring's worth fits; it wraps at both the byte index and the u32. */
	assert_int_equal(xs_ring_put(&r, buf, sizeof(buf)), XS_RING_SIZE);
	assert_int_equal(r.req_prod, 0xFFFFFFFEu + XS_RING_SIZE);
	assert_int_equal(xs_ring_put(&r, buf, 1), 0);
	assert_int_equal((uint8_t)r.req[0xFFFFFFFEu & 1023], 0);
	assert_int_equal((uint8_t)r.req[0], 2);
	/* Response side: pretend the server echoed the same bytes. */
	memcpy(r.rsp, r.req, XS_RING_SIZE);
	r.rsp_cons = 0xFFFFFFFEu;
	r.rsp_prod = r.rsp_cons + 100;
	assert_int_equal(xs_ring_get(&r, back, sizeof(back)), 100);
	assert_memory_equal(back, buf, 100);
	assert_int_equal(r.rsp_cons, r.rsp_prod);
	assert_int_equal(xs_ring_get(&r, back, sizeof(back)), 0);
	/* Indices further apart than a ring are corrupt: nothing moves. */
	r.rsp_prod = r.rsp_cons + 5000;
	assert_int_equal(xs_ring_get(&r, back, sizeof(back)), 0);
}

static void test_read(void **state)
{
	char v[64];

	assert_int_equal(xs_read(&conn, "hvmloader/bios", v, sizeof(v)), 7);
	assert_string_equal(v, "seabios");
	assert_int_equal(S.last_req_id, 7);
	assert_int_equal(xs_read(&conn, "hvmfw/log-level", v, sizeof(v)), 5);
	assert_int_equal(S.last_req_id, 8);
	assert_true(S.notifies >= 2);
	assert_int_equal(S.deadlines, 2);
}

static void test_read_missing_is_enoent(void **state)
{
	char v[64];

	assert_int_equal(xs_read(&conn, "platform/acpi_s3", v, sizeof(v)), -XEN_ENOENT);
	assert_string_equal(xs_error_name(-XEN_ENOENT), "ENOENT");
}

static void test_write_and_errors(void **state)
{
	char v[64];

	assert_int_equal(xs_write(&conn, "data/hvmfw", "booted"), 0);
	assert_int_equal(xs_read(&conn, "data/hvmfw", v, sizeof(v)), 6);
	assert_string_equal(v, "booted");
	assert_int_equal(xs_write(&conn, "ro/x", "1"), -XEN_EACCES);
}

static void test_directory(void **state)
{
	char v[128];

	assert_int_equal(xs_directory(&conn, "hvmfw", v, sizeof(v)), 2);
	assert_string_equal(v, "log-level");
	assert_string_equal(v + strlen(v) + 1, "pins");
}

static void test_large_value_streams_through_small_ring(void **state)
{
	static char big[4000], v[4096];

	memset(big, 'x', sizeof(big) - 1);
	big[0] = 'A';
	big[sizeof(big) - 2] = 'Z';
	put_key("hvmfw/big", big);
	S.chunk = 300;          /* the server trickles bytes, the ring wraps several times */
	assert_int_equal(xs_read(&conn, "hvmfw/big", v, sizeof(v)), (int)strlen(big));
	assert_string_equal(v, big);
	assert_true(S.waits > 10);
	/* Too small a buffer: reported, and the stream stays in sync for the next request. */
	assert_int_equal(xs_read(&conn, "hvmfw/big", v, 100), -XEN_E2BIG);
	assert_int_equal(xs_read(&conn, "hvmloader/bios", v, sizeof(v)), 7);
}

static void test_skips_watch_events_and_stray_replies(void **state)
{
	char v[64];

	S.watch_first = S.stray_first = true;
	assert_int_equal(xs_read(&conn, "hvmloader/bios", v, sizeof(v)), 7);
	assert_string_equal(v, "seabios");
	assert_int_equal(xs_read(&conn, "hvmfw/log-level", v, sizeof(v)), 5);
	assert_string_equal(v, "debug");
}

static void test_silent_server_times_out(void **state)
{
	char v[64];

	S.dead = true;
	S.max_waits = 50;
	assert_int_equal(xs_read(&conn, "hvmloader/bios", v, sizeof(v)), -XEN_ETIMEDOUT);
	assert_int_equal(S.waits, 51);
}

/*
 * A server that keeps sending watch events (the event channel always
 * pending, so waiting never runs into the clock): the request gives up on
 * its own, after a bounded number of other messages.
 */
static void test_flooding_server_gives_up(void **state)
{
	char v[64];

	S.flood = true;
	S.max_waits = UINT32_MAX;
	assert_int_equal(xs_read(&conn, "hvmloader/bios", v, sizeof(v)), -XEN_EIO);
	assert_true(S.steps < 1000);
}

/* A reply type that would read as a negative errno is a broken stream, not an error code. */
static void test_reply_type_out_of_range(void **state)
{
	char v[64];

	S.reply_type = 0x80000001u;
	assert_int_equal(xs_read(&conn, "hvmloader/bios", v, sizeof(v)), -XEN_EIO);
	S.reply_type = 0xFFFFFFF2u;     /* -14 as an int: would look like -XEN_EFAULT */
	assert_int_equal(xs_write(&conn, "hvmfw/x", "1"), -XEN_EIO);
}

static void test_oversized_request_refused(void **state)
{
	static char path[XS_PAYLOAD_MAX + 10];
	char v[8];

	memset(path, 'p', sizeof(path) - 1);
	assert_int_equal(xs_read(&conn, path, v, sizeof(v)), -XEN_E2BIG);
	assert_int_equal(S.notifies, 0);
}

static void test_reset_without_reconnect(void **state)
{
	char v[64];

	assert_int_equal(xs_read(&conn, "hvmloader/bios", v, sizeof(v)), 7);
	assert_int_equal(xs_reset(&conn), 0);
	assert_int_equal(S.ring.req_prod, 0);
	assert_int_equal(S.ring.req_cons, 0);
	assert_int_equal(S.ring.rsp_prod, 0);
	assert_int_equal(S.ring.rsp_cons, 0);
	assert_int_equal((uint8_t)S.ring.req[5], 0xFF);
	assert_int_equal((uint8_t)S.ring.rsp[1023], 0xFF);
}

static void test_reset_with_reconnect(void **state)
{
	S.ring.server_features = XS_FEATURE_RECONNECT;
	S.honour_reconnect = true;
	S.ring.rsp[3] = 'q';
	assert_int_equal(xs_reset(&conn), 0);
	assert_int_equal(S.ring.connection, XS_CONNECTED);
	assert_int_equal(S.ring.req_prod, 0);
	assert_int_equal(S.ring.rsp[3], 'q');   /* the server, not we, cleared the queues */
	assert_true(S.notifies >= 1);
	/* A server that never finishes the handshake: bounded. */
	S.honour_reconnect = false;
	S.max_waits = S.waits + 20;
	assert_int_equal(xs_reset(&conn), -XEN_ETIMEDOUT);
}

static void test_error_names(void **state)
{
	assert_int_equal(xs_error_code("ENOENT", 7), -XEN_ENOENT);
	assert_int_equal(xs_error_code("EACCES", 6), -XEN_EACCES);
	assert_int_equal(xs_error_code("EWHATEVER", 10), -XEN_EIO);
	assert_int_equal(xs_error_code("ENOEN", 5), -XEN_EIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_ring_put_get_wrap, setup),
		cmocka_unit_test_setup(test_read, setup),
		cmocka_unit_test_setup(test_read_missing_is_enoent, setup),
		cmocka_unit_test_setup(test_write_and_errors, setup),
		cmocka_unit_test_setup(test_directory, setup),
		cmocka_unit_test_setup(test_large_value_streams_through_small_ring, setup),
		cmocka_unit_test_setup(test_skips_watch_events_and_stray_replies, setup),
		cmocka_unit_test_setup(test_silent_server_times_out, setup),
		cmocka_unit_test_setup(test_flooding_server_gives_up, setup),
		cmocka_unit_test_setup(test_reply_type_out_of_range, setup),
		cmocka_unit_test_setup(test_oversized_request_refused, setup),
		cmocka_unit_test_setup(test_reset_without_reconnect, setup),
		cmocka_unit_test_setup(test_reset_with_reconnect, setup),
		cmocka_unit_test_setup(test_error_names, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
