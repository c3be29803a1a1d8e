/* ns-winograd.c: 3x3 convolution by Winograd's F(2x2, 3x3).
 *
 * Each 2x2 block of output (a "tile") is computed from the 4x4 input patch
 * around it.  In the transformed domain the 3x3 correlation becomes an
 * element-wise product over the 16 positions of the patch:
 *
 *   V = B^T d B   (4x4 input patch d, per input channel)
 *   U = G g G^T   (3x3 kernel g, per output/input channel pair)
 *   M[k] = sum over c_in of U[k] V[k]  = 16 sgemms (c_out x c_in) (c_in x tiles)
 *   y = A^T M A   (2x2 output tile)
 *
 * That is 16 multiplications per tile and channel pair instead of 36, so the
 * sgemm work is 4/9 of im2col's.  F(2x2, 3x3) keeps float rounding close to
 * direct convolution (the transforms only add, subtract and halve).  VGG19
 * uses it past relu5_1, where no loss reaches and F(4x4, 3x3)'s kernels
 * (ns-winograd-large.c), 36 floats per channel pair against 16, would be memory
 * for nothing.
 *
 * Rows of tiles are processed in bands so that the transformed input V
 * (16 x c_in x tiles) and output M (16 x c_out x tiles) stay bounded.
 */
#include "ns-winograd.h"

#include <cblas.h>
#include <string.h>

#include "ns-error.h"
#include "ns-pool.h"
#include "ns-threads.h"

/* Floats of V + M per band, at most. */
#define WINOGRAD_BAND_BUDGET (12u << 20)

typedef struct
{
  const float *in;        /* c_in x h x w */
  const float *weights;   /* c_out x c_in x 3 x 3, while transforming them */
  const float *bias;      /* c_out, or NULL */
  float       *out;       /* c_out x h x w */
  int          c_in;
  int          c_out;
  int          h;
  int          w;
  int          tiles_x;   /* ceil (w / 2) */
  int          ty0;       /* the band: tile rows [ty0, ty1) */
  int          ty1;
  gsize        band_tiles;  /* capacity of V and M per (k, channel) */
  const float *u;         /* 16 x c_out x c_in, or if flipped 16 x c_in x c_out */
  gboolean     flipped;
  float       *v;         /* 16 x c_in x band_tiles */
  float       *m;         /* 16 x c_out x band_tiles */
} WinogradJob;

/* U[k][o][c] = (G g G^T)[k] for the kernel of output @o, input c, into
 * the job's @u (writable while transforming). */
static void
transform_weights_task (int o, int n_tasks, gpointer data)
{
  const WinogradJob *job = data;
  gsize              pairs = (gsize) job->c_out * job->c_in;
  float             *out = (float *) job->u;

  (void) n_tasks;
  for (int c = 0; c < job->c_in; c++)
    {
      const float *g = job->weights + ((gsize) o * job->c_in + c) * 9;
      float        t[4][3], u[4][4];

      /* t = G g: rows g0, (g0 + g1 + g2) / 2, (g0 - g1 + g2) / 2, g2. */
      for (int j = 0; j < 3; j++)
        {
          float g0 = g[j], g1 = g[3 + j], g2 = g[6 + j];

          t[0][j] = g0;
          t[1][j] = 0.5f * (g0 + g1 + g2);
          t[2][j] = 0.5f * (g0 - g1 + g2);
          t[3][j] = g2;
        }
      /* u = t G^T, the same combination along the other axis. */
      for (int i = 0; i < 4; i++)
        {
          u[i][0] = t[i][0];
          u[i][1] = 0.5f * (t[i][0] + t[i][1] + t[i][2]);
          u[i][2] = 0.5f * (t[i][0] - t[i][1] + t[i][2]);
          u[i][3] = t[i][2];
        }
      for (int k = 0; k < 16; k++)
        out[k * pairs + (gsize) o * job->c_in + c] = u[k / 4][k % 4];
    }
}

/* Row @y of @plane into @dst with one zero on each side (w + 2 floats); a
 * row outside the image is all zeros. */
static void
load_padded_row (const WinogradJob *job, const float *plane, int y, float *dst)
{
  dst[0] = dst[job->w + 1] = 0.0f;
  if (y >= 0 && y < job->h)
    memcpy (dst + 1, plane + (gsize) y * job->w, job->w * sizeof (float));
  else
    memset (dst + 1, 0, job->w * sizeof (float));
}

/* V[k][c][tile] = (B^T d B)[k] for every tile of the band, input @c, a row
 * of tiles at a time so that every inner loop runs along contiguous memory. */
static void
transform_input_task (int c, int n_tasks, gpointer data)
{
  const WinogradJob *job = data;
  const float       *plane = job->in + (gsize) c * job->h * job->w;
  gsize              stride = (gsize) job->c_in * job->band_tiles;
  int                pw = 2 * job->tiles_x + 2;     /* >= w + 2, even */
  float             *rows = g_new0 (float, 8 * (gsize) pw);   /* d0..d3, t0..t3 */
  float             *d[4] = { rows, rows + pw, rows + 2 * pw, rows + 3 * pw };
  float             *t[4] = { rows + 4 * pw, rows + 5 * pw, rows + 6 * pw, rows + 7 * pw };

  (void) n_tasks;
  for (int ty = job->ty0; ty < job->ty1; ty++)
    {
      float *v = job->v + (gsize) c * job->band_tiles + (gsize) (ty - job->ty0) * job->tiles_x;

      for (int i = 0; i < 4; i++)
        load_padded_row (job, plane, 2 * ty - 1 + i, d[i]);
      /* t = B^T d along the rows: d0 - d2, d1 + d2, d2 - d1, d1 - d3. */
      for (int x = 0; x < pw; x++)
        {
          t[0][x] = d[0][x] - d[2][x];
          t[1][x] = d[1][x] + d[2][x];
          t[2][x] = d[2][x] - d[1][x];
          t[3][x] = d[1][x] - d[3][x];
        }
      /* V = t B along the columns of each tile (columns 2 tx .. 2 tx + 3). */
      for (int i = 0; i < 4; i++)
        {
          const float *r = t[i];
          float       *v0 = v + (i * 4 + 0) * stride, *v1 = v + (i * 4 + 1) * stride;
          float       *v2 = v + (i * 4 + 2) * stride, *v3 = v + (i * 4 + 3) * stride;

          for (int tx = 0; tx < job->tiles_x; tx++)
            {
              const float *q = r + 2 * tx;

              v0[tx] = q[0] - q[2];
              v1[tx] = q[1] + q[2];
              v2[tx] = q[2] - q[1];
              v3[tx] = q[1] - q[3];
            }
        }
    }
  g_free (rows);
}

/* Position k = 4 i + j of a kernel turned by 180 degrees is position
 * 4 p(i) + p(j) of the kernel: G J = P G, with J reversing 3 values and P
 * swapping the first and last of 4. */
static int
mirrored (int k)
{
  static const int p[4] = { 3, 1, 2, 0 };

  return 4 * p[k / 4] + p[k % 4];
}

/* M[k] = U[k] V[k]: (c_out x c_in) (c_in x tiles).  Flipped, U[k] is the
 * transpose of the forward layer's U at the mirrored position.  One
 * position @k per task, OpenBLAS single-threaded inside: 16 equal products
 * split evenly. */
static void
multiply_task (int k, int n_tasks, gpointer data)
{
  const WinogradJob *job = data;
  gsize              tiles = (gsize) (job->ty1 - job->ty0) * job->tiles_x;
  gsize              pairs = (gsize) job->c_out * job->c_in;

  (void) n_tasks;
  cblas_sgemm (CblasRowMajor, job->flipped ? CblasTrans : CblasNoTrans, CblasNoTrans,
               job->c_out, (int) tiles, job->c_in,
               1.0f, job->u + (gsize) (job->flipped ? mirrored (k) : k) * pairs,
               job->flipped ? job->c_out : job->c_in,
               job->v + (gsize) k * job->c_in * job->band_tiles, (int) job->band_tiles,
               0.0f, job->m + (gsize) k * job->c_out * job->band_tiles, (int) job->band_tiles);
}

/* out[o] = A^T M A for every tile of the band (+ bias, ReLU), output @o, a
 * row of tiles at a time. */
static void
transform_output_task (int o, int n_tasks, gpointer data)
{
  const WinogradJob *job = data;
  gsize              stride = (gsize) job->c_out * job->band_tiles;
  int                tx_n = job->tiles_x;
  float             *plane = job->out + (gsize) o * job->h * job->w;
  float             *t = g_new (float, 8 * (gsize) tx_n);    /* t[i][j][tile] */
  float             *y = g_new (float, 2 * (gsize) tx_n);    /* 2 rows of 2 tx_n */

  (void) n_tasks;
  for (int ty = job->ty0; ty < job->ty1; ty++)
    {
      const float *m = job->m + (gsize) o * job->band_tiles + (gsize) (ty - job->ty0) * tx_n;

      /* t = A^T M down the tile: rows m0 + m1 + m2 and m1 - m2 - m3. */
      for (int j = 0; j < 4; j++)
        {
          const float *m0 = m + (0 * 4 + j) * stride, *m1 = m + (1 * 4 + j) * stride;
          const float *m2 = m + (2 * 4 + j) * stride, *m3 = m + (3 * 4 + j) * stride;
          float       *t0 = t + (0 * 4 + j) * tx_n, *t1 = t + (1 * 4 + j) * tx_n;

          for (int tx = 0; tx < tx_n; tx++)
            {
              t0[tx] = m0[tx] + m1[tx] + m2[tx];
              t1[tx] = m1[tx] - m2[tx] - m3[tx];
            }
        }
      /* y = t A across it, then bias and ReLU, into the output rows. */
      for (int i = 0; i < 2 && 2 * ty + i < job->h; i++)
        {
          const float *t0 = t + (i * 4) * tx_n, *t1 = t0 + tx_n;
          const float *t2 = t1 + tx_n, *t3 = t2 + tx_n;
          float       *row = job->w % 2 == 0 ? plane + (gsize) (2 * ty + i) * job->w : y;

          for (int tx = 0; tx < tx_n; tx++)
            {
              row[2 * tx] = t0[tx] + t1[tx] + t2[tx];
              row[2 * tx + 1] = t1[tx] - t2[tx] - t3[tx];
            }
          if (row == y)    /* odd width: the last column falls outside */
            memcpy (plane + (gsize) (2 * ty + i) * job->w, y, job->w * sizeof (float));
          if (job->bias != NULL)
            {
              float *p = plane + (gsize) (2 * ty + i) * job->w, b = job->bias[o];

              for (int x = 0; x < job->w; x++)
                p[x] = MAX (p[x] + b, 0.0f);
            }
        }
    }
  g_free (y);
  g_free (t);
}

float *
ns_winograd_weights_new (const float *weights, int c_in, int c_out, GError **error)
{
  WinogradJob job = { .weights = weights, .c_in = c_in, .c_out = c_out };
  float      *u = ns_try_alloc (ns_winograd_weights_size (c_in, c_out), sizeof (float), error);

  if (u == NULL)
    return NULL;
  job.u = u;
  ns_parallel_for (c_out, transform_weights_task, &job);
  return u;
}

gsize
ns_winograd_weights_size (int c_in, int c_out)
{
  return (gsize) 16 * c_out * c_in;
}

gboolean
ns_winograd_conv3x3 (const float *in, int c_in, int c_out, int h, int w,
                     const float *u, gboolean flipped, const float *bias, float *out,
                     GError **error)
{
  WinogradJob job = { .in = in, .bias = bias, .out = out, .c_in = c_in, .c_out = c_out,
                      .h = h, .w = w, .u = u, .flipped = flipped };
  int         tiles_y = (h + 1) / 2, band_rows, n_bands;
  gsize       v_size, m_size;

  job.tiles_x = (w + 1) / 2;
  band_rows = CLAMP ((int) (WINOGRAD_BAND_BUDGET / (16 * (gsize) (c_in + c_out) * job.tiles_x)),
                     1, tiles_y);
  n_bands = (tiles_y + band_rows - 1) / band_rows;
  band_rows = (tiles_y + n_bands - 1) / n_bands;    /* rows spread evenly */
  job.band_tiles = (gsize) band_rows * job.tiles_x;
  v_size = 16 * (gsize) c_in * job.band_tiles;
  m_size = 16 * (gsize) c_out * job.band_tiles;

  job.v = ns_pool_alloc (v_size, sizeof (float), error);
  job.m = job.v != NULL ? ns_pool_alloc (m_size, sizeof (float), error) : NULL;
  if (job.m != NULL)
    for (job.ty0 = 0; job.ty0 < tiles_y; job.ty0 += band_rows)
      {
        job.ty1 = MIN (tiles_y, job.ty0 + band_rows);
        ns_parallel_for (c_in, transform_input_task, &job);
        ns_parallel_for (16, multiply_task, &job);
        ns_parallel_for (c_out, transform_output_task, &job);
      }
  if (job.m != NULL)
    ns_pool_free (job.m, m_size, sizeof (float));
  if (job.v != NULL)
    ns_pool_free (job.v, v_size, sizeof (float));
  return job.m != NULL;
}
