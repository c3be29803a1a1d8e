/* ns-winograd4.h: 3x3 convolution (zero padding 1, stride 1) by Winograd's
 * F(4x4, 3x3), its products done by our own vector kernel on kernels
 * packed for it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The kernels of one pass in the transformed domain, packed for the
 * products: 36 x ceil (outputs / 12) x inputs x 12 floats
 * (ns_winograd4_weights_size), freed with g_free.
 * weights: c_out x c_in x 3 x 3, a forward layer's.  @backward: the
 * kernels of that layer's backward pass instead (c_out inputs, c_in
 * outputs, each kernel turned by 180 degrees).  Unlike F(2x2)'s, F(4x4)'s
 * transform does not commute with the turn, so each pass has its own.
 * NULL (NS_ERROR_NO_MEMORY) on failure. */
float   *ns_winograd4_weights_new  (const float *weights, int c_in, int c_out,
                                    gboolean backward, GError **error);
gsize    ns_winograd4_weights_size (int inputs, int outputs);

/* out = relu (conv (in) + bias), or conv (in) alone with bias NULL.
 * in: inputs x h x w; out: outputs x h x w; u: from ns_winograd4_weights_new
 * for this pass.  FALSE (NS_ERROR_NO_MEMORY) when the work buffers cannot
 * be had. */
gboolean ns_winograd4_conv3x3 (const float *in, int inputs, int outputs, int h, int w,
                               const float *u, const float *bias, float *out,
                               GError **error);

G_END_DECLS
