/* ns-winograd.h: 3x3 convolution (zero padding 1, stride 1) by Winograd's
 * F(2x2, 3x3), for layers with enough channels that sgemm dominates. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The kernels in the transformed domain, U = G g G^T for each: 16 x c_out
 * x c_in floats (ns_winograd_weights_size), freed with g_free.  A network
 * keeps them, since they depend on the weights alone: made on every call
 * they were a sixth of a VGG19 evaluation at 256 px.
 * weights: c_out x c_in x 3 x 3.  NULL (NS_ERROR_NO_MEMORY) on failure. */
float   *ns_winograd_weights_new  (const float *weights, int c_in, int c_out,
                                   GError **error);
gsize    ns_winograd_weights_size (int c_in, int c_out);

/* out = relu (conv (in) + bias), or conv (in) alone with bias NULL.
 * in: c_in x h x w; out: c_out x h x w; u: from ns_winograd_weights_new
 * for these c_out x c_in kernels or, @flipped, for the c_in x c_out
 * kernels of the convolution this one is the backward pass of (each
 * kernel turned by 180 degrees and the channels swapped: one copy of U
 * serves both passes).  FALSE (NS_ERROR_NO_MEMORY) when the work buffers
 * cannot be had. */
gboolean ns_winograd_conv3x3 (const float *in, int c_in, int c_out, int h, int w,
                              const float *u, gboolean flipped, const float *bias,
                              float *out, GError **error);

G_END_DECLS
