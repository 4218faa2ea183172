/* SPDX-License-Identifier: MIT */
/*
 * Xenstore client on the shared ring: byte ring arithmetic, message framing,
 * one synchronous request at a time, and the ring reset before hand-off.
 * Pure code: Xen is reached only through the notify/wait hooks.
 */
#include <hvmfw/xen/xenstore.h>
#include <hvmfw/xen/hypercall.h>
#include <hvmfw/string.h>

#define IDX(i) ((i) & (XS_RING_SIZE - 1))

/* The other side changes the indices behind the compiler's back. */
static uint32_t rd(const uint32_t *p)
{
	return *(const volatile uint32_t *)p;
}

static void wr(uint32_t *p, uint32_t v)
{
	/* Data before index: x86 keeps stores in order, the compiler must too. */
	__asm__ volatile("" ::: "memory");
	*(volatile uint32_t *)p = v;
}

size_t xs_ring_put(struct xs_ring *r, const void *data, size_t len)
{
	uint32_t cons = rd(&r->req_cons), prod = rd(&r->req_prod);
	uint32_t used = prod - cons;
	size_t done = 0;

	if (used > XS_RING_SIZE)        /* corrupt indices: write nothing */
		return 0;
	while (done < len && used < XS_RING_SIZE) {
		size_t chunk = MIN(len - done, (size_t)(XS_RING_SIZE - used));
		chunk = MIN(chunk, (size_t)(XS_RING_SIZE - IDX(prod)));
		memcpy(r->req + IDX(prod), (const char *)data + done, chunk);
		prod += chunk;
		used += chunk;
		done += chunk;
	}
	wr(&r->req_prod, prod);
	return done;
}

size_t xs_ring_get(struct xs_ring *r, void *data, size_t len)
{
	uint32_t cons = rd(&r->rsp_cons), prod = rd(&r->rsp_prod);
	size_t done = 0;

	__asm__ volatile("" ::: "memory");  /* read the index before the data */
	if (prod - cons > XS_RING_SIZE)
		return 0;
	while (done < len && prod != cons) {
		size_t chunk = MIN(len - done, (size_t)(prod - cons));
		chunk = MIN(chunk, (size_t)(XS_RING_SIZE - IDX(cons)));
		memcpy((char *)data + done, r->rsp + IDX(cons), chunk);
		cons += chunk;
		done += chunk;
	}
	wr(&r->rsp_cons, cons);
	return done;
}

static const struct {
	int code;
	const char *name;
} xs_errors[] = {
	{ XEN_EINVAL, "EINVAL" }, { XEN_EACCES, "EACCES" }, { XEN_EEXIST, "EEXIST" },
	{ XEN_EISDIR, "EISDIR" }, { XEN_ENOENT, "ENOENT" }, { XEN_ENOMEM, "ENOMEM" },
	{ XEN_ENOSPC, "ENOSPC" }, { XEN_EIO, "EIO" }, { XEN_ENOTEMPTY, "ENOTEMPTY" },
	{ XEN_ENOSYS, "ENOSYS" }, { XEN_EROFS, "EROFS" }, { XEN_EBUSY, "EBUSY" },
	{ XEN_EAGAIN, "EAGAIN" }, { XEN_E2BIG, "E2BIG" }, { XEN_EPERM, "EPERM" },
	{ XEN_ETIMEDOUT, "ETIMEDOUT" },
};

int xs_error_code(const char *name, size_t len)
{
	/* The payload carries a NUL; compare the text before it. */
	len = strnlen(name, len);
	for (size_t i = 0; i < ARRAY_SIZE(xs_errors); i++)
		if (strlen(xs_errors[i].name) == len && !memcmp(xs_errors[i].name, name, len))
			return -xs_errors[i].code;
	return -XEN_EIO;
}

const char *xs_error_name(int neg_errno)
{
	for (size_t i = 0; i < ARRAY_SIZE(xs_errors); i++)
		if (xs_errors[i].code == -neg_errno)
			return xs_errors[i].name;
	return "error";
}

/* Push all of data, waiting for the server to drain the ring as needed. */
static int send_all(struct xs_conn *c, const void *data, size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t n = xs_ring_put(c->ring, (const char *)data + done, len - done);
		done += n;
		if (n)
			c->notify(c->ctx);
		if (done < len) {
			int rc = c->wait(c->ctx);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static int recv_all(struct xs_conn *c, void *data, size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t n = xs_ring_get(c->ring, (char *)data + done, len - done);
		done += n;
		if (n)
			c->notify(c->ctx);      /* room freed in the response ring */
		if (done < len) {
			int rc = c->wait(c->ctx);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* Skip a payload we do not want (a stray reply or a watch event). */
static int discard(struct xs_conn *c, uint32_t len)
{
	char sink[64];

	while (len) {
		uint32_t n = MIN(len, (uint32_t)sizeof(sink));
		int rc = recv_all(c, sink, n);
		if (rc)
			return rc;
		len -= n;
	}
	return 0;
}

/*
 * Other traffic (watch events, replies to someone else) tolerated while
 * waiting for one reply: a server that never stops sending it must not keep
 * a request alive, whatever the clock does.
 */
#define XS_MAX_STRAY 64

int xs_request(struct xs_conn *c, uint32_t type, const char *path, const void *value,
	       size_t vlen, char *out, size_t outcap, size_t *outlen)
{
	struct xs_msg_hdr h = { .type = type, .req_id = c->next_req_id++, .tx_id = 0 };
	size_t plen = strlen(path) + 1;
	unsigned stray = 0;
	int rc;

	if (plen + vlen > XS_PAYLOAD_MAX)
		return -XEN_E2BIG;
	if (c->ring->error)
		return -XEN_EIO;
	h.len = (uint32_t)(plen + vlen);
	if (c->deadline)
		c->deadline(c->ctx);
	if ((rc = send_all(c, &h, sizeof(h))) || (rc = send_all(c, path, plen)) ||
	    (vlen && (rc = send_all(c, value, vlen))))
		return rc;

	for (;;) {
		struct xs_msg_hdr r;

		if ((rc = recv_all(c, &r, sizeof(r))))
			return rc;
		if (r.len > XS_PAYLOAD_MAX)
			return -XEN_EIO;        /* the stream cannot be trusted any more */
		if (r.req_id != h.req_id || r.type == XS_WATCH_EVENT || r.type == XS_DEBUG) {
			if (++stray > XS_MAX_STRAY)
				return -XEN_EIO;
			if ((rc = discard(c, r.len)))
				return rc;
			continue;
		}
		size_t keep = outcap ? MIN((size_t)r.len, outcap - 1) : 0;
		if ((rc = recv_all(c, out, keep)) || (rc = discard(c, r.len - keep)))
			return rc;
		if (outcap)
			out[keep] = '\0';
		if (outlen)
			*outlen = r.len;
		if (r.type == XS_ERROR)
			return xs_error_code(out, keep);
		if (r.type > (uint32_t)INT32_MAX)
			return -XEN_EIO;        /* would read as an error code */
		return (int)r.type;
	}
}

int xs_read(struct xs_conn *c, const char *path, char *buf, size_t cap)
{
	size_t len = 0;
	int rc = xs_request(c, XS_READ, path, NULL, 0, buf, cap, &len);

	if (rc < 0)
		return rc;
	if (rc != XS_READ)
		return -XEN_EIO;
	if (len >= cap)
		return -XEN_E2BIG;
	/* Values are bytes; a NUL inside would cut the string short. */
	if (strlen(buf) != len)
		return -XEN_EINVAL;
	return (int)len;
}

int xs_write(struct xs_conn *c, const char *path, const char *value)
{
	char ok[16];             /* room for an error name too */
	int rc = xs_request(c, XS_WRITE, path, value, strlen(value), ok, sizeof(ok), NULL);

	if (rc < 0)
		return rc;
	return rc == XS_WRITE && !strcmp(ok, "OK") ? 0 : -XEN_EIO;
}

int xs_directory(struct xs_conn *c, const char *path, char *buf, size_t cap)
{
	size_t len = 0;
	int rc = xs_request(c, XS_DIRECTORY, path, NULL, 0, buf, cap, &len);
	int count = 0;

	if (rc < 0)
		return rc;
	if (rc != XS_DIRECTORY)
		return -XEN_EIO;
	if (len >= cap)
		return -XEN_E2BIG;
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\0')
			count++;
	return count;
}

int xs_reset(struct xs_conn *c)
{
	struct xs_ring *r = c->ring;

	if (rd(&r->server_features) & XS_FEATURE_RECONNECT) {
		int rc = 0;
		/* The server empties both queues and clears the flag when done. */
		if (c->deadline)
			c->deadline(c->ctx);
		wr(&r->connection, XS_RECONNECT);
		c->notify(c->ctx);
		while (rd(&r->connection) != XS_CONNECTED && !rc)
			rc = c->wait(c->ctx);
		return rc;
	}
	/* No handshake: safe only because nothing is outstanding. */
	memset(r->req, 0xFF, sizeof(r->req));
	memset(r->rsp, 0xFF, sizeof(r->rsp));
	wr(&r->req_cons, 0);
	wr(&r->req_prod, 0);
	wr(&r->rsp_cons, 0);
	wr(&r->rsp_prod, 0);
	return 0;
}
