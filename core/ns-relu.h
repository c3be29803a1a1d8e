/* ns-relu.h: the gradient through a ReLU, for the loops of hot functions
 * (VGG19's ReLU pass, the direct convolution's input copy). */
#pragma once

#include "ns-simd.h"

/* dst = (d + g) where r > 0, else 0, over n floats: the gradient on a
 * ReLU's input from the one on its output (d), with the loss's own on that
 * output (g, may be NULL) added.  dst may be d.  Written with vectors:
 * GCC left the plain loop scalar, even at -O3. */
NS_INLINE void
ns_relu_gradient (float *dst, const float *d, const float *g, const float *r, gsize n)
{
  NsVec16 zero = { 0 };
  gsize   k = 0;

  for (; k + NS_VEC <= n; k += NS_VEC)
    {
      NsVec16 v = ns_vec_load (d + k);

      if (g != NULL)
        v += ns_vec_load (g + k);
      ns_vec_store (dst + k, ns_vec_select (ns_vec_load (r + k) > zero, v, zero), NS_VEC);
    }
  for (; k < n; k++)
    {
      float v = g != NULL ? d[k] + g[k] : d[k];

      dst[k] = r[k] > 0.0f ? v : 0.0f;
    }
}
