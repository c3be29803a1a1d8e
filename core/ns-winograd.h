/* ns-winograd.h: 3x3 convolution (zero padding 1, stride 1) by Winograd's
 * F(2x2, 3x3), for layers with enough channels that sgemm dominates. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* out = relu (conv (in) + bias), or conv (in) alone with bias NULL.
 * in: c_in x h x w; weights: c_out x c_in x 3 x 3; out: c_out x h x w.
 * FALSE (NS_ERROR_NO_MEMORY) when the work buffers cannot be had. */
gboolean ns_winograd_conv3x3 (const float *in, int c_in, int c_out, int h, int w,
                              const float *weights, const float *bias, float *out,
                              GError **error);

G_END_DECLS
