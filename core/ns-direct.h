/* ns-direct.h: 3x3 convolution (zero padding 1, stride 1) done directly,
 * for layers with too few channels in or out for Winograd's transforms to
 * pay: VGG19's first layer, forward (3 inputs) and backward (3 outputs). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The kernels packed for ns_direct_conv3x3, freed with g_free: from
 * @weights (c_out x c_in x 3 x 3) for that layer's forward pass or,
 * @backward, for its backward pass (c_out inputs, c_in outputs, each
 * kernel turned by 180 degrees).  NULL (NS_ERROR_NO_MEMORY) on failure. */
float   *ns_direct_weights_new (const float *weights, int c_in, int c_out, gboolean backward,
                                GError **error);

/* out = relu (conv (x) + bias), or conv (x) alone with bias NULL, where
 * x = in or, with @relu_out given, the gradient through a ReLU: in + add
 * (@add may be NULL) where relu_out > 0, else 0 (relu_out, add: inputs x
 * h x w, like in).  out: outputs x h x w; k: from ns_direct_weights_new
 * for this pass.  FALSE (NS_ERROR_NO_MEMORY) when the work buffers cannot
 * be had. */
gboolean ns_direct_conv3x3 (const float *in, const float *add, const float *relu_out,
                            int inputs, int outputs, int h, int w, const float *k,
                            const float *bias, float *out, GError **error);

G_END_DECLS
