/* ns-gabor.c: the built-in network's 7 x 7 correlations, register-blocked.
 *
 * A plain loop over taps reads and writes its output row 49 times per
 * kernel.  Here a block of output columns stays in registers through all
 * 49 taps: the forward pass keeps the eight kernels' sums of 16 columns
 * (8 vectors; each input vector loaded once feeds 8 multiply-adds), the
 * backward pass (one output, eight inputs) keeps 64 columns in 4
 * independent sums so that the multiply-adds do not wait on each other.
 */
#include "ns-gabor.h"

#include "ns-simd.h"

#define KSIZE 7
#define BLOCKS 4                      /* vectors per row block in sum_rows */

NS_HOT void
ns_gabor_split_rows (const float *in, int in_stride, int w, int y0, int y1,
                     const float weights[NS_GABOR_KERNELS][NS_GABOR_TAPS],
                     float *pos, float *neg, gsize map_stride)
{
  for (int y = y0; y < y1; y++)
    for (int x = 0; x < w; x += NS_VEC)
      {
        NsVec16 acc[NS_GABOR_KERNELS] = { { 0 } };
        gsize   at = (gsize) y * w + x;

        for (int i = 0; i < KSIZE; i++)
          {
            const float *row = in + (gsize) (y + i) * in_stride + x;

            for (int j = 0; j < KSIZE; j++)
              {
                NsVec16 v = ns_vec_load (row + j);

#pragma GCC unroll 8
                for (int k = 0; k < NS_GABOR_KERNELS; k++)
                  acc[k] += v * weights[k][i * KSIZE + j];
              }
          }
#pragma GCC unroll 8
        for (int k = 0; k < NS_GABOR_KERNELS; k++)
          {
            ns_vec_store (pos + k * map_stride + at, ns_vec_max0 (acc[k]), w - x);
            ns_vec_store (neg + k * map_stride + at, ns_vec_max0 (-acc[k]), w - x);
          }
      }
}

NS_HOT void
ns_gabor_sum_rows (const float *in, gsize map_stride, int in_stride, int w,
                   int y0, int y1,
                   const float weights[NS_GABOR_KERNELS][NS_GABOR_TAPS],
                   float *out, int out_stride)
{
  for (int y = y0; y < y1; y++)
    for (int x = 0; x < w; x += BLOCKS * NS_VEC)
      {
        NsVec16 acc[BLOCKS] = { { 0 } };

        for (int k = 0; k < NS_GABOR_KERNELS; k++)
          for (int i = 0; i < KSIZE; i++)
            {
              const float *row = in + k * map_stride + (gsize) (y + i) * in_stride + x;

              for (int j = 0; j < KSIZE; j++)
                {
                  float wgt = weights[k][i * KSIZE + j];

#pragma GCC unroll 4
                  for (int b = 0; b < BLOCKS; b++)
                    acc[b] += ns_vec_load (row + j + b * NS_VEC) * wgt;
                }
            }
#pragma GCC unroll 4
        for (int b = 0; b < BLOCKS; b++)
          if (x + b * NS_VEC < w)
            ns_vec_store (out + (gsize) y * out_stride + x + b * NS_VEC, acc[b],
                          w - x - b * NS_VEC);
      }
}
