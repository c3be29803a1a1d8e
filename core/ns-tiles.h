/* ns-tiles.h: an image split into tiles that a network evaluates one at a
 * time, with the same result as the whole image.
 *
 * The cores of the tiles cover the image exactly once.  Each tile extends
 * its core by at least a halo (within the image) of the network's
 * receptive radius, so that the outputs over the core see only real
 * pixels and equal the whole image's; or of twice that radius, so that a
 * core pixel's gradient too comes only from such outputs.  All extended
 * tiles have one size (windows at the edges reach further inward), so one
 * set of buffers serves them all, and both kinds of plan have the same
 * windows: exact outputs take fewer, larger cores.  Tiles start at
 * multiples of the network's alignment, so every output's grid is a part
 * of the whole image's.
 */
#pragma once

#include "ns-network.h"

G_BEGIN_DECLS

/* What must be exact over the cores: the outputs (a pass that only reads
 * them) or the gradients on the input too (a pass that goes backward). */
typedef enum
{
  NS_TILES_OUTPUTS,
  NS_TILES_GRADIENTS
} NsTilesExact;

typedef struct
{
  int x0, y0, x1, y1;        /* the core: the pixels whose results it gives */
  int ex0, ey0, ex1, ey1;    /* extended by the halo: what the network sees */
} NsTile;

/* The halo (input pixels) that makes the outputs flagged in @wanted, or
 * also their gradients, exact. */
int      ns_tiles_halo        (const NsNetwork *net, const gboolean *wanted,
                               NsTilesExact exact);

/* Tiles of a w x h image, an array of NsTile, row by row.  For exact
 * gradients, cores of at most @core_side pixels a side (rounded down to
 * the alignment; 0 or a side at least the image's: one tile); for exact
 * outputs, the same windows with cores as large as they hold. */
GArray  *ns_tiles_plan        (const NsNetwork *net, const gboolean *wanted,
                               int w, int h, int core_side, NsTilesExact exact);

/* The extended region of @tile cut out of @image into @crop, whose data
 * holds channels x (ey1 - ey0) x (ex1 - ex0) floats; sets its size. */
void     ns_tile_crop         (const NsImage *image, const NsTile *tile,
                               NsImage *crop);

/* The core of @tile in the tile's own @output tensor (positions, half
 * open), for an image of w x h. */
void     ns_tile_output_core  (const NsNetwork *net, const NsTile *tile,
                               int output, const NsTensor *tensor, int w, int h,
                               int *x0, int *y0, int *x1, int *y1);

/* Where the tile's @output tensor starts in the whole image's. */
void     ns_tile_output_origin (const NsNetwork *net, const NsTile *tile,
                                int output, int *x, int *y);

G_END_DECLS
