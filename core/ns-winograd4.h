/* ns-winograd4.h: 3x3 convolution (zero padding 1, stride 1) by Winograd's
 * F(4x4, 3x3), its products done by our own vector kernel on kernels
 * packed for it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A layer's kernels in the transformed domain, packed for the products
 * of both passes: U[k][o][c] (k < 36) in blocks of 12 outputs, each block
 * a run of 12 floats per input, c_in and c_out rounded up to 12 with
 * zeros: ns_winograd4_weights_size floats, freed with g_free.
 * weights: c_out x c_in x 3 x 3.  NULL (NS_ERROR_NO_MEMORY) on failure. */
float   *ns_winograd4_weights_new  (const float *weights, int c_in, int c_out,
                                    GError **error);
gsize    ns_winograd4_weights_size (int c_in, int c_out);

/* out = relu (conv (in) + bias), or conv (in) alone with bias NULL.
 * in: inputs x h x w; out: outputs x h x w; u: from ns_winograd4_weights_new
 * for these outputs x inputs kernels or, @backward, for the inputs x
 * outputs kernels of the layer this is the backward pass of (its input
 * gradient from its output gradient).  FALSE (NS_ERROR_NO_MEMORY) when the
 * work buffers cannot be had. */
gboolean ns_winograd4_conv3x3 (const float *in, int inputs, int outputs, int h, int w,
                               const float *u, gboolean backward, const float *bias,
                               float *out, GError **error);

/* Whether ns_winograd4_conv3x3 does this shape as a whole layer (each
 * step on all threads, U read once) rather than in bands that stay in a
 * core's cache: for tests. */
gboolean ns_winograd4_whole_layer (int inputs, int outputs, int h, int w);

G_END_DECLS
