/* SPDX-License-Identifier: MIT */
/* Xenstore shared ring page and message header, as the domain sees them. */
#ifndef HVMFW_XEN_XS_WIRE_H
#define HVMFW_XEN_XS_WIRE_H

#include <hvmfw/compiler.h>

#define XS_RING_SIZE 1024
#define XS_PAYLOAD_MAX 4096

enum xs_msg_type {
	XS_DEBUG = 0,
	XS_DIRECTORY = 1,
	XS_READ = 2,
	XS_WATCH_EVENT = 15,
	XS_WRITE = 11,
	XS_ERROR = 16,
};

/* server_features / connection / error */
#define XS_FEATURE_RECONNECT 1u
#define XS_CONNECTED 0u
#define XS_RECONNECT 1u

struct xs_ring {
	char req[XS_RING_SIZE];         /* guest -> server */
	char rsp[XS_RING_SIZE];         /* server -> guest */
	uint32_t req_cons, req_prod;    /* indices are free-running byte counters */
	uint32_t rsp_cons, rsp_prod;
	uint32_t server_features;
	uint32_t connection;
	uint32_t error;
};
STATIC_ASSERT(sizeof(struct xs_ring) == 2076, "xenstore ring layout");

struct xs_msg_hdr {
	uint32_t type;
	uint32_t req_id;        /* echoed in the reply */
	uint32_t tx_id;         /* 0: outside a transaction */
	uint32_t len;           /* payload bytes that follow */
};
STATIC_ASSERT(sizeof(struct xs_msg_hdr) == 16, "xenstore header is 16 bytes");

#endif
