/* ns-winograd-large.h: 3x3 convolution (zero padding 1, stride 1) by
 * Winograd's F(4x4, 3x3) or F(6x6, 3x3), its products done by our own
 * vector kernel on kernels packed for it.  @tile is the output tile's
 * side: 4 or 6. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A layer's kernels in the transformed domain, packed for the products
 * of both passes: U[k][o][c] (k < (tile + 2)^2) in blocks of 12 outputs,
 * each block a run of 12 floats per input, c_in and c_out rounded up to 12
 * with zeros: ns_winograd_large_weights_size floats, freed with g_free.
 * weights: c_out x c_in x 3 x 3.  NULL (NS_ERROR_NO_MEMORY) on failure. */
float   *ns_winograd_large_weights_new  (const float *weights, int c_in, int c_out, int tile,
                                         GError **error);
gsize    ns_winograd_large_weights_size (int c_in, int c_out, int tile);

/* The grid of output tiles: @tile x @tile pixels (4 or 6), the image's
 * pixel (x, y) at the grid's (ox + x, oy + y), 0 <= ox, oy < tile.  The
 * sums are the same wherever the grid lies, but their rounding is not: a
 * window of a larger image lays the grid as the whole image does. */
typedef struct
{
  int tile;
  int ox;
  int oy;
} NsTileGrid;

/* out = relu (conv (in) + bias), or conv (in) alone with bias NULL, by
 * tiles on @grid.
 * in: inputs x h x w; out: outputs x h x w; u: from
 * ns_winograd_large_weights_new with the grid's tile for these outputs x
 * inputs kernels or, @backward, for the inputs x outputs kernels of the
 * layer this is the backward pass of (its input gradient from its output
 * gradient).  FALSE (NS_ERROR_NO_MEMORY) when the work buffers cannot be
 * had. */
gboolean ns_winograd_large_conv3x3 (const float *in, int inputs, int outputs, int h, int w,
                                    const float *u, const NsTileGrid *grid,
                                    gboolean backward, const float *bias, float *out,
                                    GError **error);

/* Whether ns_winograd_large_conv3x3 does this shape as a whole layer (each
 * step on all threads, U read once) rather than in bands that stay in a
 * core's cache: for tests. */
gboolean ns_winograd_large_whole_layer (int inputs, int outputs, int h, int w, int tile);

G_END_DECLS
