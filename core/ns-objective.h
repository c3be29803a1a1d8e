/* ns-objective.h: the style and content losses of an image and their
 * gradient, evaluated whole or over tiles (ns-tiles.h) with one result.
 *
 * Over tiles it takes two passes: the first sums every style layer's Gram
 * matrix over the tiles' cores (Gram matrices are sums over positions)
 * and the content loss; the second forms each tile's feature gradients
 * from the whole image's Gram matrices and runs the network backward,
 * keeping the gradient of the tile's core.  Memory then depends on the
 * tile size, not the image's; each tile's forward runs twice.  An image
 * that fits one tile is evaluated in one pass.  A network whose outputs
 * are independent given cheap shared work (the built-in pyramid) has each
 * output evaluated over tiles with that output's own halo.
 */
#pragma once

#include "ns-losses.h"
#include "ns-tiles.h"

G_BEGIN_DECLS

typedef struct _NsObjective NsObjective;

/* A style target and where in the image it applies.  With a @mask v
 * (brought to each style layer's grid as the network halves its
 * features: ns_network_map_at_output), the region is split into
 * NS_REGION_BANDS bands by v's level: band k has weights
 * m_k = max (0, 1 - |v NS_REGION_BANDS - k|) and paints with strength
 * k / NS_REGION_BANDS, so that a pixel's strengths add up to v (a
 * feathered edge fades, two soft regions mix) while a hard mask is one
 * band at full strength.  Each band's loss at a layer compares the
 * guided Gram matrix
 *   G = sum_p m(p) F(p) F(p)^T / sum_p m(p)
 * with the target and counts strength sum_p m(p) / (H W) times that
 * comparison: a region paints as strongly per pixel as a style over the
 * whole image, and pixels that no region covers keep only the content
 * loss.  (Weights alone would not fade an edge: once a region's Gram
 * matches, its lightly weighted pixels feel no pull either way.) */
#define NS_REGION_BANDS 4

typedef struct
{
  const NsStyleTarget *target;  /* borrowed */
  const NsImage       *mask;    /* 1 x H x W at the content's size, values
                                   in [0, 1], borrowed; NULL: everywhere */
} NsStyleRegion;

/* For @net's classic style and content outputs; @core_side: tile cores'
 * side in pixels (0: whole images).  The regions' targets share their
 * layers and layer weights; the array is copied, what it points at
 * borrowed.  Ls is the sum over the regions. */
NsObjective *ns_objective_new       (NsNetwork *net, const NsStyleRegion *regions,
                                     int n_regions, double style_weight,
                                     double content_weight, int core_side);
void         ns_objective_free      (NsObjective *objective);

/* After each tile of an evaluation: @done of @total tile passes.  FALSE
 * abandons the evaluation (ns_objective_evaluate then fails with
 * NS_ERROR_CANCELLED): long tiled evaluations stay responsive. */
typedef gboolean (*NsObjectiveTick) (gpointer data, int done, int total);

void         ns_objective_set_tick  (NsObjective *objective, NsObjectiveTick tick,
                                     gpointer data);

/* Evaluates up to @workers tiles at once, each on one thread (1, the
 * default: one tile at a time, on every thread); each holds its tile's
 * evaluation, so memory grows by a tile per worker. */
void         ns_objective_set_workers (NsObjective *objective, int workers);

/* The content's features at the content output, over tiles, and the
 * regions' masks on the style layers' grids (each mask must have the
 * content's size). */
gboolean     ns_objective_set_content (NsObjective *objective,
                                       const NsImage *content, GError **error);

/* style_weight * Ls + content_weight * Lc at @x (the content's size);
 * overwrites @grad (3 x H x W) with its gradient and gives the unweighted
 * terms.  Negative, with @error, on failure. */
double       ns_objective_evaluate  (NsObjective *objective, const NsImage *x,
                                     float *grad, double *style_loss,
                                     double *content_loss, GError **error);

/* Adds @weight times @image's Gram matrices, computed over tiles of
 * @core_side, to @target (as ns_style_target_add does for a whole image).
 * With a @sample mask (1 x H x W at @image's size, values in [0, 1]) they
 * are guided Gram matrices, sum m F F^T / sum m: the style of that part
 * of the image only.  Fails (NS_ERROR_INVALID_ARGUMENT) when the mask
 * leaves nothing at some style layer. */
gboolean     ns_style_target_add_image (NsStyleTarget *target, NsNetwork *net,
                                        const NsImage *image, const NsImage *sample,
                                        double weight, int core_side, GError **error);

G_END_DECLS
