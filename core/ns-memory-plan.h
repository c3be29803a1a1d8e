/* ns-memory-plan.h: fitting a transfer into a memory budget.
 *
 * At one scale a run holds, for the whole image: the content, the image
 * being optimised, the optimiser's vectors (L-BFGS: gradient, direction
 * and 2m history vectors; Adam: gradient and two moments), the content's
 * features at the content output, the previous scale's content and the
 * style regions' masks (params->region_masks of them); and,
 * for each tile evaluated at once (one per thread when there are several
 * tiles), an evaluation of the network.  The plan takes the largest tile
 * and the longest L-BFGS history that fit the budget: it shrinks the
 * tiles, then the history down to two steps, then evaluates one tile at
 * a time with the longest history that fits again.
 */
#pragma once

#include "ns-transfer.h"

G_BEGIN_DECLS

#define NS_FOOTPRINT_MAX_GROUPS 8

/* A group of outputs evaluated over tiles of their own (ns-objective.c):
 * its halos and its share of a whole-image evaluation's work. */
typedef struct
{
  int    halo;                     /* exact gradients (ns_tiles_halo) */
  int    outputs_halo;             /* exact outputs: a forward pass alone */
  double share;
} NsFootprintGroup;

/* What the plan and the time estimate need to know of a network. */
typedef struct
{
  int    halo;                     /* of its tiles, exact gradients: the largest */
  int    alignment;
  double content_bytes_per_pixel;  /* its content features, whole image */
  double eval_bytes_per_pixel;     /* one evaluation, per tile pixel */
  /* One group for a network whose outputs depend on one another, one per
   * output for one whose outputs are independent (when the image takes
   * several tiles). */
  int              n_groups;
  NsFootprintGroup groups[NS_FOOTPRINT_MAX_GROUPS];
} NsFootprint;

/* @net's own figures. */
void     ns_footprint_of (const NsNetwork *net, NsFootprint *footprint);

/* At most the side of a tile's window, for cores of @core with @halo both
 * ways (ns_tiles_plan's windows grow by less than the alignment to align):
 * what memory plans and time estimates count. */
int      ns_footprint_window (const NsFootprint *footprint, int core, int halo);

typedef struct
{
  int     tile_side;      /* tile cores; 0: the whole image at once */
  int     history;        /* L-BFGS steps remembered */
  int     workers;        /* tiles evaluated at once, a thread each */
  guint64 eval_bytes;     /* what their evaluations hold */
  guint64 bytes;          /* the peak this plan needs */
} NsMemoryPlan;

/* The plan for a scale of w x h pixels of a content of @content_pixels.
 * With no budget (0) the whole image and the longest history; FALSE, with
 * the least any plan needs in plan->bytes, when nothing fits. */
gboolean ns_memory_plan (const NsTransferParams *params, const NsFootprint *net,
                         int w, int h, double content_pixels, NsMemoryPlan *plan);

/* The plan for the largest scale of a run on a width x height content:
 * what the run will need at its peak. */
gboolean ns_memory_plan_run (const NsTransferParams *params, const NsFootprint *net,
                             int width, int height, NsMemoryPlan *plan);

/* The largest processing size (long side) of a run on a width x height
 * content that fits @params' budget, at most the content's; 0 if none. */
int      ns_memory_plan_largest (const NsTransferParams *params,
                                 const NsFootprint *net, int width, int height);

G_END_DECLS
