/* ns-gabor.h: the built-in network's 7 x 7 correlations, register-blocked. */
#ifndef NS_GABOR_H
#define NS_GABOR_H

#include <glib.h>

#define NS_GABOR_KERNELS 8
#define NS_GABOR_TAPS    49            /* 7 x 7, row-major */
/* Floats readable past the last input sample the correlations need: the
 * last block of a row reads up to 63 beyond it, into lanes that are
 * dropped. */
#define NS_GABOR_SLACK   64

/* Rows [y0, y1) of the eight correlations r_k of one plane, split:
 *   r_k (y, x) = sum_taps weights[k][7 i + j] in[(y + i) * in_stride + x + j]
 *   pos_k (y, x) = max (r_k, 0), neg_k (y, x) = max (-r_k, 0),
 * map k at pos + k * map_stride (rows of w).  in: (y1 + 6) rows. */
void ns_gabor_split_rows (const float *in, int in_stride, int w, int y0, int y1,
                          const float weights[NS_GABOR_KERNELS][NS_GABOR_TAPS],
                          float *pos, float *neg, gsize map_stride);

/* Rows [y0, y1) of the sum of the eight maps' correlations:
 *   out (y, x) = sum_k sum_taps weights[k][7 i + j] in_k[(y + i) * in_stride + x + j]
 * in_k at in + k * map_stride; out rows out_stride apart, w wide. */
void ns_gabor_sum_rows (const float *in, gsize map_stride, int in_stride, int w,
                        int y0, int y1,
                        const float weights[NS_GABOR_KERNELS][NS_GABOR_TAPS],
                        float *out, int out_stride);

#endif
