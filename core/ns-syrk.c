/* ns-syrk.c: see ns-syrk.h. */
#include "ns-syrk.h"

#include <cblas.h>
#include <string.h>

#include "ns-simd.h"

#define GI 4          /* rows i of a block of channel pairs (i, j) */
#define GJ 6          /* rows j */
/* Positions per chunk: a block reads GI + GJ rows of it, 10 KB, from the
 * first-level cache (measured, with the next chunk fetched ahead: 64
 * channels at 512 px 7.4-7.8 ms with 256, 8.8 with 1024, 9.8 with 128). */
#define CHUNK 256
/* An odd number of cache lines from row to row of a packed chunk. */
#define PACKED_STRIDE (CHUNK + NS_VEC)
/* Where ours is faster (measured: see ns-syrk.h): few channels, and
 * enough positions that the blocks' sums kept between chunks pay. */
#define OWN_MAX_CHANNELS 128
#define OWN_MIN_POSITIONS 4096

/* The blocks, in the order of their sums: i0 = 0, GI, ...; for each,
 * j0 from the block of GJ that holds i0 up, so that every pair j >= i is
 * in one. */
#define FOR_BLOCKS(c, i0, j0)                  \
  for (int i0 = 0; i0 < (c); i0 += GI)         \
    for (int j0 = i0 / GJ * GJ; j0 < (c); j0 += GJ)

static int
n_blocks (int c)
{
  int n = 0;

  FOR_BLOCKS (c, i0, j0)
    n++;
  return n;
}

/* sums[a][b] += the products of rows i0 + a and j0 + b over positions
 * [x0, x1) (a multiple of 16 apart); rows past c read row c - 1, whose
 * sums are thrown away. */
NS_INLINE void
block_chunk (const float *a, gsize lda, int c, int i0, int j0, int x0, int x1,
             NsVec16 *sums)
{
  const float *pi[GI], *pj[GJ];
  NsVec16      acc[GI][GJ];

  for (int r = 0; r < GI; r++)
    pi[r] = a + (gsize) MIN (i0 + r, c - 1) * lda;
  for (int s = 0; s < GJ; s++)
    pj[s] = a + (gsize) MIN (j0 + s, c - 1) * lda;
  for (int r = 0; r < GI; r++)
    for (int s = 0; s < GJ; s++)
      acc[r][s] = ns_vec_load ((const float *) &sums[r * GJ + s]);
  for (int x = x0; x < x1; x += NS_VEC)
    {
      NsVec16 vj[GJ];

      for (int s = 0; s < GJ; s++)
        vj[s] = ns_vec_load (pj[s] + x);
      for (int r = 0; r < GI; r++)
        {
          NsVec16 vi = ns_vec_load (pi[r] + x);

          for (int s = 0; s < GJ; s++)
            acc[r][s] += vi * vj[s];
        }
    }
  for (int r = 0; r < GI; r++)
    for (int s = 0; s < GJ; s++)
      ns_vec_store ((float *) &sums[r * GJ + s], acc[r][s], NS_VEC);
}

/* Every block over every chunk of the whole vectors of positions; the
 * blocks' sums (n_blocks x GI x GJ vectors) kept between chunks.  Each
 * chunk is first copied to @packed (c rows of PACKED_STRIDE floats): the
 * rows of a feature map are a whole number of pages apart, so a block's
 * ten rows at the same offset fell in one set of the first-level cache
 * (the kernel ran at half the products' speed). */
NS_HOT static void
sum_blocks (const float *a, gsize lda, int c, int n, float *packed, NsVec16 *sums)
{
  int lines = c * (CHUNK / NS_VEC), per_block = (lines + n_blocks (c) - 1) / n_blocks (c);

  for (int x0 = 0; x0 < n; x0 += CHUNK)
    {
      NsVec16 *block = sums;
      int      len = MIN (CHUNK, n - x0), line = 0;

      for (int i = 0; i < c; i++)
        memcpy (packed + (gsize) i * PACKED_STRIDE, a + (gsize) i * lda + x0,
                len * sizeof (float));
      FOR_BLOCKS (c, i0, j0)
        {
          /* The next chunk comes from memory while this one is
           * multiplied. */
          for (int k = 0; k < per_block && line < lines && x0 + CHUNK < n; k++, line++)
            __builtin_prefetch (a + (gsize) (line / (CHUNK / NS_VEC)) * lda + x0 + CHUNK
                                + line % (CHUNK / NS_VEC) * NS_VEC);
          block_chunk (packed, PACKED_STRIDE, c, i0, j0, 0, len, block);
          block += GI * GJ;
        }
    }
}

/* One pair's sum: its vector of sums, plus the positions [n16, n) left
 * over. */
static float
pair_sum (const NsVec16 *sums, const float *pi, const float *pj, int n16, int n)
{
  float sum = 0.0f;

  for (int l = 0; l < NS_VEC; l++)
    sum += (*sums)[l];
  for (int x = n16; x < n; x++)
    sum += pi[x] * pj[x];
  return sum;
}

/* out = alpha (the pairs' sums) + beta out, on the upper triangle. */
static void
finish (const float *a, gsize lda, int c, int n16, int n, const NsVec16 *sums, float alpha,
        float beta, float *out)
{
  const NsVec16 *block = sums;

  FOR_BLOCKS (c, i0, j0)
    {
      for (int i = i0; i < MIN (i0 + GI, c); i++)
        for (int j = MAX (j0, i); j < MIN (j0 + GJ, c); j++)
          {
            float sum = pair_sum (&block[(i - i0) * GJ + j - j0], a + (gsize) i * lda,
                                  a + (gsize) j * lda, n16, n);

            out[i * c + j] = alpha * sum + (beta != 0.0f ? beta * out[i * c + j] : 0.0f);
          }
      block += GI * GJ;
    }
}

gboolean
ns_syrk_uses_own (int c, int n)
{
  return c <= OWN_MAX_CHANNELS && n >= OWN_MIN_POSITIONS;
}

void
ns_syrk_upper (int c, int n, float alpha, const float *a, gsize lda, float beta, float *out)
{
  int      n16 = n / NS_VEC * NS_VEC;
  gsize    n_sums = (gsize) n_blocks (c) * GI * GJ;
  NsVec16 *sums;
  float   *packed;

  if (!ns_syrk_uses_own (c, n))
    {
      cblas_ssyrk (CblasRowMajor, CblasUpper, CblasNoTrans, c, n, alpha, a, (int) lda, beta,
                   out, c);
      return;
    }
  sums = g_aligned_alloc0 (n_sums, sizeof (NsVec16), sizeof (NsVec16));
  packed = g_aligned_alloc ((gsize) c * PACKED_STRIDE, sizeof (float), sizeof (NsVec16));
  sum_blocks (a, lda, c, n16, packed, sums);
  finish (a, lda, c, n16, n, sums, alpha, beta, out);
  g_aligned_free (packed);
  g_aligned_free (sums);
}
