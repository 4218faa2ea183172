/* SPDX-License-Identifier: MIT */
/* Pins judged on their own, before any packing (see plan_check_pins in plan.h). */
#include "plan_int.h"

int plan_check_pins(const struct plan_input *in, struct plan_res *res, size_t n,
		    void *scratch, size_t scratch_bytes)
{
	struct plan_ctx ctx;
	int rc, refused = 0;

	if (!in || (n && !res) || n > UINT32_MAX / 2)
		return PLAN_ERR_INVAL;
	if (!scratch || scratch_bytes < plan_scratch_bytes(in, n))
		return PLAN_ERR_SCRATCH;
	rc = plan_setup(&ctx, in, res, n, scratch);
	if (rc)
		return rc;
	plan_limits(&ctx);
	for (size_t i = 0; i < n; i++) {
		if (!res[i].pinned)
			continue;
		res[i].addr = 0;
		plan_refuse(&res[i], PLAN_R_NONE, PLAN_C_NONE, 0, 0, 0, 0);
		res[i].status = PLAN_ST_NONE;
		if (res[i].kind > PLAN_IO || !res[i].size || !plan_req_align(&res[i]))
			plan_refuse(&res[i], PLAN_R_BAD_REQUEST, PLAN_C_NONE, 0, 0, 0, 0);
	}
	plan_pins_check(&ctx);
	for (size_t i = 0; i < n; i++)
		refused += res[i].pinned && res[i].status == PLAN_ST_REFUSED;
	return refused;
}
