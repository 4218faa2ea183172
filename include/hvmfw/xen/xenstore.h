/* SPDX-License-Identifier: MIT */
/*
 * Xenstore client over the shared ring. Pure: the ring is plain memory and
 * the two things that need Xen (kick the server, wait for it) are hooks, so
 * the host tests drive it against a simulated server.
 */
#ifndef HVMFW_XEN_XENSTORE_H
#define HVMFW_XEN_XENSTORE_H

#include <hvmfw/xen/xs_wire.h>

struct xs_conn {
	struct xs_ring *ring;
	/* Tell the server there is news on the ring. */
	void (*notify)(void *ctx);
	/* Block a little until the server may have moved; 0, or -XEN_ETIMEDOUT when the
	 * overall deadline of the current request has passed. */
	int (*wait)(void *ctx);
	/* Start a new deadline (one per request). May be NULL. */
	void (*deadline)(void *ctx);
	void *ctx;
	uint32_t next_req_id;
};

/* Ring arithmetic: bytes copied (0 when full / empty). Notify is the caller's job. */
size_t xs_ring_put(struct xs_ring *r, const void *data, size_t len);
size_t xs_ring_get(struct xs_ring *r, void *data, size_t len);

/*
 * One request/reply exchange. value may be NULL (vlen 0). The reply payload
 * goes to out (NUL-terminated when it fits, otherwise truncated) and its full
 * length to *outlen. Returns the reply type, or a negative Xen errno
 * (XS_ERROR replies are translated by name, unknown names give -XEN_EIO).
 */
int xs_request(struct xs_conn *c, uint32_t type, const char *path, const void *value,
	       size_t vlen, char *out, size_t outcap, size_t *outlen);

/* Value of path as a NUL-terminated string; its length, or a negative Xen errno. */
int xs_read(struct xs_conn *c, const char *path, char *buf, size_t cap);
/* 0 or a negative Xen errno. */
int xs_write(struct xs_conn *c, const char *path, const char *value);
/* Children as NUL-separated names in buf; the count, or a negative Xen errno. */
int xs_directory(struct xs_conn *c, const char *path, char *buf, size_t cap);

/* Map an XS_ERROR payload ("ENOENT") to -XEN_ENOENT; unknown text gives -XEN_EIO. */
int xs_error_code(const char *name, size_t len);
const char *xs_error_name(int neg_errno);

/*
 * Leave the ring for the next user: the reconnect handshake when the server
 * offers it, otherwise indices zeroed and data areas filled. 0 or -errno.
 */
int xs_reset(struct xs_conn *c);

#endif
