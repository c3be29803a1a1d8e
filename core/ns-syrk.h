/* ns-syrk.h: the Gram matrices' product, C = alpha A A^T + beta C (upper
 * triangle), by our own kernel where OpenBLAS's ssyrk is slow.
 *
 * A Gram matrix is few rows (channels) against very many columns
 * (positions).  For 64 and 128 channels OpenBLAS's ssyrk reaches 80 and
 * 115 GFLOP/s on this machine's two cores, against the 200 of its sgemm
 * on square matrices: it packs and multiplies the long rows in small
 * blocks.  Ours keeps a 4 x 6 block of channel pairs in 24 vector sums
 * and takes the positions 16 at a time, a chunk at a time so that the
 * chunk's rows stay in cache; from 256 channels on, ssyrk is as fast
 * and is kept.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* As cblas_ssyrk (CblasRowMajor, CblasUpper, CblasNoTrans, c, n, alpha,
 * a, lda, beta, out, c): out's upper triangle (j >= i) = alpha a a^T +
 * beta out; a is c rows of n floats, lda apart; the lower triangle is
 * not touched. */
void     ns_syrk_upper    (int c, int n, float alpha, const float *a, gsize lda, float beta,
                           float *out);

/* Whether ns_syrk_upper uses our kernel for @c channels over @n
 * positions (else ssyrk): for tests. */
gboolean ns_syrk_uses_own (int c, int n);

G_END_DECLS
