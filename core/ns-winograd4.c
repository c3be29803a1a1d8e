/* ns-winograd4.c: 3x3 convolution by Winograd's F(4x4, 3x3).
 *
 * Each 4x4 block of output (a "tile") comes from the 6x6 input patch
 * around it.  In the transformed domain the correlation is an element-wise
 * product over the 36 positions of the patch (Lavin and Gray's points 0,
 * 1, -1, 2, -2 and infinity):
 *
 *   V = B^T d B   (6x6 input patch d, per input channel)
 *   U = G g G^T   (3x3 kernel g, per output/input channel pair)
 *   M[k] = sum over inputs of U[k] V[k]   (36 products)
 *   y = A^T M A   (4x4 output tile)
 *
 * 36 multiplications per 16 outputs and channel pair: 2.25, against
 * F(2x2)'s 4 and a direct convolution's 9, and 2.25 transformed floats
 * per output instead of 4.  Its transforms multiply by up to 8 and divide
 * by 24, so it rounds about ten times worse than F(2x2) (test-winograd
 * states both against a double-precision direct convolution).
 *
 * The products are ours, not sgemm's: the input transform writes V in the
 * layout the kernel reads (panels of 32 tiles, an input channel's 32
 * values together) and the kernel writes M whole, so there is no packing
 * copy and no zeroing, a third of OpenBLAS's time in ns-winograd.c.  The
 * kernel keeps 12 outputs x 32 tiles in 24 16-float accumulators: one
 * AVX-512 register each (NS_HOT picks the processor's best version at run
 * time).
 *
 * One U serves both passes.  A backward pass correlates with each kernel
 * turned by 180 degrees and the channels swapped.  Turning the kernel is
 * turning each input patch and each output tile instead, which the
 * transforms do by taking their six values last first; swapping the
 * channels is reading U transposed, which the kernel does by taking its
 * broadcasts ROWS floats apart.
 *
 * Tiles are done in bands so that V and M stay bounded, each band in one
 * of two ways: where U is small against the tiles, start to end on one
 * thread in about 2.5 MB, so that V and M stay in that core's cache; where
 * U is large (512 channels on few tiles), the whole layer at once, each
 * step on all threads, so that U is read once.
 */
#include "ns-winograd4.h"

#include <string.h>

#include "ns-error.h"
#include "ns-pool.h"
#include "ns-simd.h"
#include "ns-threads.h"

#define ALPHA     6           /* input patch side */
#define POSITIONS 36          /* ALPHA x ALPHA */
#define LANES     32          /* tiles per panel: two vectors */
#define ROWS      12          /* output channels per kernel call */
/* How many blocks of ROWS inputs ahead the kernel asks for U: a backward
 * pass reads U transposed, 144 floats at a time a whole row of blocks
 * apart, which the processor does not foresee (measured, 512 channels at
 * 16 px: 6.4 -> 2.5 ms backward, 3.1 -> 2.5 forward; 1 to 6 ahead the
 * same). */
#define PREFETCH_BLOCKS 2

/* Bytes of V + M per band, about what a core's second-level cache and
 * its share of the third hold, so that a band's transformed tiles stay
 * there through the three steps.  Measured on 64 x 64 channels at 256 and
 * 512 px: 2.5 MB (whole rows of tiles) 20 % faster than 1 MB (half rows);
 * 128 and 256 channels the same either way. */
#define BAND_BYTES ((gsize) 5 << 19)
/* Floats of V + M at most when a layer is done all at once. */
#define LAYER_BUDGET ((gsize) 12 << 20)

typedef struct
{
  const float *in;        /* inputs x h x w */
  const float *bias;      /* outputs, or NULL */
  float       *out;       /* outputs x h x w */
  const float *u;         /* see ns_winograd4_weights_new */
  gboolean     backward;  /* U is the layer's whose backward pass this is */
  int          inputs;
  int          outputs;
  int          blocks;    /* ceil (outputs / ROWS) */
  int          h;
  int          w;
  int          tiles_x;   /* ceil (w / 4) */
  int          tiles;     /* tiles_x ceil (h / 4), row by row */
  int          band_panels;
  int          threads;   /* of the loop over bands (inside it, 1) */
  float      **work;      /* per thread: V and M of its band */
  gsize        work_size;
} Job;

/* Tiles [t0, t1) of the image, in panels of LANES: tile t is lane
 * (t - t0) % LANES of panel (t - t0) / LANES. */
typedef struct
{
  const Job *job;
  int        t0;
  int        t1;
  int        panels;
  float     *v;           /* 36 x v_stride: panels x inputs x LANES */
  float     *m;           /* 36 x m_stride: panels x (blocks ROWS) x LANES */
  gsize      v_stride;
  gsize      m_stride;
} Band;

static int
blocks_of (int channels)
{
  return (channels + ROWS - 1) / ROWS;
}

/* Floats from one position's values to the next, for @floats of them: an
 * odd number of cache lines.  The transforms write and read a tile's 36
 * positions together, and at a whole number of 4 KB apart (as the bands'
 * sizes made them: 64 inputs x 4 panels, 128 x 2 ... all 32 KB) the 36
 * lines share one set of the first-level cache, which holds 12: the input
 * transform took as long as the products. */
static gsize
position_stride (gsize floats)
{
  gsize lines = (floats + NS_VEC - 1) / NS_VEC;

  return (lines | 1) * NS_VEC;
}

/* Band @b of bands of @band_panels: its tiles, and its V and M in @work
 * (band_floats (job, band_panels) of it). */
static Band
band_init (const Job *job, int b, int band_panels, float *work)
{
  Band band = { .job = job, .t0 = b * band_panels * LANES };

  band.t1 = MIN (job->tiles, band.t0 + band_panels * LANES);
  band.panels = (band.t1 - band.t0 + LANES - 1) / LANES;
  band.v_stride = position_stride ((gsize) band.panels * job->inputs * LANES);
  band.m_stride = position_stride ((gsize) band.panels * job->blocks * ROWS * LANES);
  band.v = work;
  band.m = work != NULL ? work + POSITIONS * band.v_stride : NULL;   /* band_floats: none */
  return band;
}

/* The floats of the first (largest) band of @band_panels; M's last panel
 * is read up to 16 floats past its end. */
static gsize
band_floats (const Job *job, int band_panels)
{
  Band band = band_init (job, 0, band_panels, NULL);

  return POSITIONS * (band.v_stride + band.m_stride) + NS_VEC;
}

/* The row buffers of the transforms: the input's 12 rows (a row of zeros,
 * then t) of in_stride floats, zero past 4 tiles_x + 2 because
 * transform_columns reads up to 128 floats past a row's tiles; the
 * output's 4 rows of out_stride floats, transform_tiles_out writing up to
 * 64 past them. */
static int
in_stride (const Job *job)
{
  return 4 * job->tiles_x + 130;
}

static int
out_stride (const Job *job)
{
  return 4 * job->tiles_x + 64;
}

static float *
in_rows_new (const Job *job)
{
  return g_new0 (float, 2 * ALPHA * (gsize) in_stride (job));
}

static float *
out_rows_new (const Job *job)
{
  return g_new (float, 4 * (gsize) out_stride (job));
}

gsize
ns_winograd4_weights_size (int c_in, int c_out)
{
  return (gsize) POSITIONS * blocks_of (c_out) * ROWS * blocks_of (c_in) * ROWS;
}

/* ----------------------------------------------------------------- kernels */

typedef struct
{
  const float *weights;   /* c_out x c_in x 3 x 3 */
  int          c_in;
  int          c_out;
  float       *u;
} WeightsJob;

/* u = G g G^T, in double: G's sixths and twenty-fourths round once. */
static void
transform_kernel (const double g[3][3], double u[ALPHA][ALPHA])
{
  static const double G[ALPHA][3] = {
    { 1.0 / 4, 0, 0 },
    { -1.0 / 6, -1.0 / 6, -1.0 / 6 },
    { -1.0 / 6, 1.0 / 6, -1.0 / 6 },
    { 1.0 / 24, 1.0 / 12, 1.0 / 6 },
    { 1.0 / 24, -1.0 / 12, 1.0 / 6 },
    { 0, 0, 1 },
  };
  double t[ALPHA][3];

  for (int i = 0; i < ALPHA; i++)
    for (int j = 0; j < 3; j++)
      t[i][j] = G[i][0] * g[0][j] + G[i][1] * g[1][j] + G[i][2] * g[2][j];
  for (int i = 0; i < ALPHA; i++)
    for (int j = 0; j < ALPHA; j++)
      u[i][j] = t[i][0] * G[j][0] + t[i][1] * G[j][1] + t[i][2] * G[j][2];
}

/* Where U[k][o][c] is in the packed kernels: see ns_winograd4_weights_new. */
static inline gsize
packed_at (int k, int o, int c, int c_in, int c_out)
{
  return (((gsize) k * blocks_of (c_out) + o / ROWS) * blocks_of (c_in) * ROWS + c) * ROWS
         + o % ROWS;
}

/* The kernels of output @o for every input. */
static void
transform_weights_task (int o, int n_tasks, gpointer data)
{
  const WeightsJob *job = data;

  (void) n_tasks;
  for (int c = 0; c < job->c_in; c++)
    {
      const float *w = job->weights + ((gsize) o * job->c_in + c) * 9;
      double       g[3][3], u[ALPHA][ALPHA];

      for (int k = 0; k < 9; k++)
        g[k / 3][k % 3] = w[k];
      transform_kernel (g, u);
      for (int k = 0; k < POSITIONS; k++)
        job->u[packed_at (k, o, c, job->c_in, job->c_out)] = (float) u[k / ALPHA][k % ALPHA];
    }
}

float *
ns_winograd4_weights_new (const float *weights, int c_in, int c_out, GError **error)
{
  WeightsJob job = { weights, c_in, c_out, NULL };

  /* Zeros for the channels that round the counts up to blocks: the
   * kernel computes them too. */
  job.u = ns_try_alloc0 (ns_winograd4_weights_size (c_in, c_out), sizeof (float), error);
  if (job.u != NULL)
    ns_parallel_for (c_out, transform_weights_task, &job);
  return job.u;
}

/* ------------------------------------------------------------------- input */

/* The one-dimensional transform of six values, each a vector. */
#define TRANSFORM_INPUT(d0, d1, d2, d3, d4, d5, out)             \
  do {                                                           \
    (out)[0] = 4.0f * (d0) - 5.0f * (d2) + (d4);                 \
    (out)[1] = (d3) + (d4) - 4.0f * ((d1) + (d2));               \
    (out)[2] = (d4) - (d3) + 4.0f * ((d1) - (d2));               \
    (out)[3] = (d4) - (d2) + 2.0f * ((d3) - (d1));               \
    (out)[4] = (d4) - (d2) - 2.0f * ((d3) - (d1));               \
    (out)[5] = 4.0f * (d1) - 5.0f * (d3) + (d5);                 \
  } while (0)

/* t = B^T d, each of the six rows of t a combination of d's six rows,
 * 16 columns at a time (the rows may be the image's own: nothing is read
 * past n). */
NS_INLINE void
transform_rows (const float *const *d, float *const *t, int n)
{
  int x = 0;

  for (; x + NS_VEC <= n; x += NS_VEC)
    {
      NsVec16 out[ALPHA];

      TRANSFORM_INPUT (ns_vec_load (d[0] + x), ns_vec_load (d[1] + x), ns_vec_load (d[2] + x),
                       ns_vec_load (d[3] + x), ns_vec_load (d[4] + x), ns_vec_load (d[5] + x),
                       out);
      for (int i = 0; i < ALPHA; i++)
        ns_vec_store (t[i] + x, out[i], NS_VEC);
    }
  for (; x < n; x++)
    {
      float out[ALPHA];

      TRANSFORM_INPUT (d[0][x], d[1][x], d[2][x], d[3][x], d[4][x], d[5][x], out);
      for (int i = 0; i < ALPHA; i++)
        t[i][x] = out[i];
    }
}

/* Lanes j, j + 4, j + 8 ... of the 64 floats from @q, for j = 0..3. */
NS_INLINE void
deinterleave4 (const float *q, NsVec16 d[4])
{
  NsVec16 a0 = ns_vec_load (q), a1 = ns_vec_load (q + 16);
  NsVec16 a2 = ns_vec_load (q + 32), a3 = ns_vec_load (q + 48);
  NsVec16 e0 = ns_vec_evens (a0, a1), o0 = ns_vec_odds (a0, a1);
  NsVec16 e1 = ns_vec_evens (a2, a3), o1 = ns_vec_odds (a2, a3);

  d[0] = ns_vec_evens (e0, e1);
  d[1] = ns_vec_evens (o0, o1);
  d[2] = ns_vec_odds (e0, e1);
  d[3] = ns_vec_odds (o0, o1);
}

/* V's six values of row @r of @n tiles (tile s at r + 4 s .. r + 4 s + 5)
 * into v[0..5], tile s at v[j][s]: the same combination along the row,
 * 16 tiles at a time; @reversed, of each tile's six values last first.
 * Reads up to 128 floats past r + 4 n. */
NS_INLINE void
transform_columns (const float *r, float *const *v, int n, gboolean reversed)
{
  for (int s = 0; s < n; s += NS_VEC)
    {
      NsVec16 d[4], e[4], out[ALPHA];

      deinterleave4 (r + 4 * s, d);
      deinterleave4 (r + 4 * s + 4, e);     /* e[0], e[1]: each tile's d4, d5 */
      if (reversed)
        TRANSFORM_INPUT (e[1], e[0], d[3], d[2], d[1], d[0], out);
      else
        TRANSFORM_INPUT (d[0], d[1], d[2], d[3], e[0], e[1], out);
      for (int j = 0; j < ALPHA; j++)
        ns_vec_store (v[j] + s, out[j], n - s);
    }
}

/* Row @ty's tiles of @band, [*tx0, *tx1); FALSE if it has none. */
static gboolean
band_row (const Band *band, int ty, int *tx0, int *tx1)
{
  int first = ty * band->job->tiles_x;

  *tx0 = MAX (band->t0 - first, 0);
  *tx1 = MIN (band->t1 - first, band->job->tiles_x);
  return *tx0 < *tx1;
}

/* t = B^T d over columns [x0, x1) of tile row @ty's six input rows (a
 * backward pass: last first), for input @c; column x is the image's x - 1,
 * zeros past the border (@zeros: a row of w zeros).  Read in place:
 * copying the rows was a sixth of the convolution. */
NS_INLINE void
transform_tile_row (const Job *job, int c, int ty, float *const *t, int x0, int x1,
                    const float *zeros)
{
  const float *plane = job->in + (gsize) c * job->h * job->w;
  const float *d[ALPHA];
  float       *td[ALPHA];
  int          a = MAX (x0, 1), b = MIN (x1, job->w + 1);

  for (int i = 0; i < ALPHA; i++)
    {
      int y = 4 * ty - 1 + (job->backward ? ALPHA - 1 - i : i);

      d[i] = y >= 0 && y < job->h ? plane + (gsize) y * job->w + a - 1 : zeros;
      td[i] = t[i] + a;
      for (int x = x0; x < a; x++)
        t[i][x] = 0.0f;
      for (int x = b; x < x1; x++)
        t[i][x] = 0.0f;
    }
  transform_rows (d, td, b - a);
}

/* V[k][panel][c][lane] for every tile of the band, input @c, a row of
 * tiles at a time, through @rows from in_rows_new. */
NS_HOT static void
transform_input (const Band *band, int c, float *rows)
{
  const Job   *job = band->job;
  int          stride = in_stride (job), tx0, tx1;
  gsize        k_stride = band->v_stride;
  float       *t[ALPHA];
  int          n_tiles = band->t1 - band->t0;

  for (int i = 0; i < ALPHA; i++)
    t[i] = rows + (gsize) (ALPHA + i) * stride;
  for (int ty = band->t0 / job->tiles_x; band_row (band, ty, &tx0, &tx1); ty++)
    {
      transform_tile_row (job, c, ty, t, 4 * tx0, 4 * tx1 + 2, rows);
      for (int tx = tx0, n; tx < tx1; tx += n)
        {
          int    tile = ty * job->tiles_x + tx - band->t0, lane = tile % LANES;
          float *at = band->v + ((gsize) (tile / LANES) * job->inputs + c) * LANES + lane;

          n = MIN (LANES - lane, tx1 - tx);
          for (int i = 0; i < ALPHA; i++)
            {
              float *v[ALPHA];

              for (int j = 0; j < ALPHA; j++)
                v[j] = at + (gsize) (i * ALPHA + j) * k_stride;
              transform_columns (t[i] + 4 * tx, v, n, job->backward);
            }
        }
    }
  /* The last panel's lanes past the band: zeros, not stale numbers. */
  if (n_tiles % LANES != 0)
    for (int k = 0; k < POSITIONS; k++)
      memset (band->v + k * k_stride + ((gsize) (n_tiles / LANES) * job->inputs + c) * LANES
              + n_tiles % LANES, 0, (LANES - n_tiles % LANES) * sizeof (float));
}

/* ---------------------------------------------------------------- products */

/* m (ROWS x LANES) = u v: the ROWS outputs' sums over the inputs of
 * their kernels' values times v (inputs x LANES).  The kernels' values of
 * input c are u[c][r row_step] (input_step apart within a block of ROWS
 * inputs, block_step from block to block).  The 24 accumulators and two
 * loads per input fill AVX-512's 32 registers. */
NS_INLINE void
multiply_block (const float *u, gsize block_step, int input_step, int row_step,
                const float *v, int inputs, float *m)
{
  NsVec16 acc[ROWS][2] = { { { 0 } } };

  for (int c0 = 0; c0 < inputs; c0 += ROWS, u += block_step)
    {
      const float *uc = u;

      for (int l = 0; l < ROWS * ROWS; l += NS_VEC)
        __builtin_prefetch (u + PREFETCH_BLOCKS * block_step + l);
      for (int c = c0; c < MIN (c0 + ROWS, inputs); c++, uc += input_step)
        {
          NsVec16 v0 = ns_vec_load (v + (gsize) c * LANES);
          NsVec16 v1 = ns_vec_load (v + (gsize) c * LANES + NS_VEC);

          for (int r = 0; r < ROWS; r++)
            {
              float b = uc[r * row_step];

              acc[r][0] += v0 * b;
              acc[r][1] += v1 * b;
            }
        }
    }
  for (int r = 0; r < ROWS; r++)
    {
      ns_vec_store (m + r * LANES, acc[r][0], NS_VEC);
      ns_vec_store (m + r * LANES + NS_VEC, acc[r][1], NS_VEC);
    }
}

/* M[k] = U[k] V[k] for position @k.  Panels first (a band that stays in
 * cache): a panel of V stays in the first-level cache while U[k]'s blocks
 * go past it.  @blocks_first (a whole layer): a block of U[k] stays there
 * while the panels go past, so that U is read once.  Forward, block b's
 * kernels of input c are ROWS floats together; backward (U transposed)
 * ROWS floats apart. */
NS_HOT static void
multiply (const Band *band, int k, gboolean blocks_first)
{
  const Job *job = band->job;
  int        m_rows = job->blocks * ROWS;
  int        c_in = job->backward ? job->outputs : job->inputs;    /* the layer's */
  int        c_out = job->backward ? job->inputs : job->outputs;

  int        n_p = blocks_first ? job->blocks : band->panels;
  int        n_q = blocks_first ? band->panels : job->blocks;

  for (int i = 0; i < n_p; i++)
    for (int j = 0; j < n_q; j++)
      {
        int          p = blocks_first ? j : i, b = blocks_first ? i : j;
        const float *v = band->v + k * band->v_stride + (gsize) p * job->inputs * LANES;
        float       *m = band->m + k * band->m_stride + ((gsize) p * m_rows + b * ROWS) * LANES;

        if (job->backward)
          multiply_block (job->u + packed_at (k, 0, b * ROWS, c_in, c_out),
                          (gsize) blocks_of (c_in) * ROWS * ROWS, 1, ROWS, v, job->inputs, m);
        else
          multiply_block (job->u + packed_at (k, b * ROWS, 0, c_in, c_out),
                          ROWS * ROWS, ROWS, 1, v, job->inputs, m);
      }
}

/* ------------------------------------------------------------------ output */

/* The one-dimensional output transform of six values, each a vector. */
#define TRANSFORM_OUTPUT(m0, m1, m2, m3, m4, m5, out)                  \
  do {                                                                 \
    NsVec16 s12 = (m1) + (m2), d12 = (m1) - (m2);                      \
    NsVec16 s34 = (m3) + (m4), d34 = (m3) - (m4);                      \
    (out)[0] = (m0) + s12 + s34;                                       \
    (out)[1] = d12 + 2.0f * d34;                                       \
    (out)[2] = s12 + 4.0f * s34;                                       \
    (out)[3] = d12 + 8.0f * d34 + (m5);                                \
  } while (0)

/* The 64 floats p[0][0] p[1][0] p[2][0] p[3][0] p[0][1] ... to @dst. */
NS_INLINE void
interleave4 (const NsVec16 p[4], float *dst)
{
  NsVec16 q0 = ns_vec_zip_low (p[0], p[2]), q1 = ns_vec_zip_high (p[0], p[2]);
  NsVec16 r0 = ns_vec_zip_low (p[1], p[3]), r1 = ns_vec_zip_high (p[1], p[3]);

  ns_vec_store (dst, ns_vec_zip_low (q0, r0), NS_VEC);
  ns_vec_store (dst + 16, ns_vec_zip_high (q0, r0), NS_VEC);
  ns_vec_store (dst + 32, ns_vec_zip_low (q1, r1), NS_VEC);
  ns_vec_store (dst + 48, ns_vec_zip_high (q1, r1), NS_VEC);
}

/* y = A^T M A for @n tiles of one panel, 16 at a time: m[k] + s is
 * position k of tile s; row a of tile s goes to rows[a][4 s .. 4 s + 3].
 * Reads up to 16 floats past m[k] + n and writes up to 64 past rows[a] +
 * 4 n. */
NS_INLINE void
transform_tiles_out (const float *const *m, float *const *rows, int n, gboolean reversed)
{
  for (int s = 0; s < n; s += NS_VEC)
    {
      NsVec16 t[4][ALPHA], out[4], y[4];

      /* t = A^T M down the tiles' columns. */
      for (int j = 0; j < ALPHA; j++)
        {
          TRANSFORM_OUTPUT (ns_vec_load (m[j] + s), ns_vec_load (m[6 + j] + s),
                            ns_vec_load (m[12 + j] + s), ns_vec_load (m[18 + j] + s),
                            ns_vec_load (m[24 + j] + s), ns_vec_load (m[30 + j] + s), out);
          for (int a = 0; a < 4; a++)
            t[a][j] = out[a];
        }
      /* y = t A along their rows; reversed, each tile turned by 180
       * degrees. */
      for (int a = 0; a < 4; a++)
        {
          TRANSFORM_OUTPUT (t[a][0], t[a][1], t[a][2], t[a][3], t[a][4], t[a][5], y);
          if (reversed)
            {
              NsVec16 turned[4] = { y[3], y[2], y[1], y[0] };

              interleave4 (turned, rows[3 - a] + 4 * s);
            }
          else
            interleave4 (y, rows[a] + 4 * s);
        }
    }
}

/* out[o] for every tile of the band (+ bias, ReLU), output @o, a row of
 * tiles at a time through @buf from out_rows_new. */
NS_HOT static void
transform_output (const Band *band, int o, float *buf)
{
  const Job *job = band->job;
  int        stride = out_stride (job), tx0, tx1;
  gsize      k_stride = band->m_stride;
  float     *plane = job->out + (gsize) o * job->h * job->w;
  float     *rows[4] = { buf, buf + stride, buf + 2 * stride, buf + 3 * stride };

  for (int ty = band->t0 / job->tiles_x; band_row (band, ty, &tx0, &tx1); ty++)
    {
      int x0 = 4 * tx0, x1 = MIN (4 * tx1, job->w);

      for (int tx = tx0, n; tx < tx1; tx += n)
        {
          int          tile = ty * job->tiles_x + tx - band->t0, lane = tile % LANES;
          const float *at = band->m + ((gsize) (tile / LANES) * job->blocks * ROWS + o) * LANES + lane;
          const float *m[POSITIONS];
          float       *r[4] = { rows[0] + 4 * tx, rows[1] + 4 * tx,
                                rows[2] + 4 * tx, rows[3] + 4 * tx };

          n = MIN (LANES - lane, tx1 - tx);
          for (int k = 0; k < POSITIONS; k++)
            m[k] = at + k * k_stride;
          transform_tiles_out (m, r, n, job->backward);
        }
      for (int a = 0; a < 4 && 4 * ty + a < job->h; a++)
        {
          float *p = plane + (gsize) (4 * ty + a) * job->w;

          if (job->bias == NULL)
            memcpy (p + x0, rows[a] + x0, (x1 - x0) * sizeof (float));
          else
            for (int x = x0; x < x1; x++)
              p[x] = MAX (rows[a][x] + job->bias[o], 0.0f);
        }
    }
}

/* -------------------------------------------------------------------- pass */

/* Band @b, start to end on one thread: its V and M are that thread's. */
static void
band_task (int b, int n_bands, gpointer data)
{
  Job   *job = data;
  float *work = job->work[b % job->threads];    /* task b runs on thread b % threads */
  Band   band = band_init (job, b, job->band_panels, work);
  float *rows = in_rows_new (job), *out_rows = out_rows_new (job);

  (void) n_bands;
  for (int c = 0; c < job->inputs; c++)
    transform_input (&band, c, rows);
  for (int k = 0; k < POSITIONS; k++)
    multiply (&band, k, FALSE);
  for (int o = 0; o < job->outputs; o++)
    transform_output (&band, o, out_rows);
  g_free (out_rows);
  g_free (rows);
}

/* ------------------------------------------------- the whole layer at once */

/* The steps of a band too large for one core's cache, each split over the
 * threads: a share of the inputs, the positions, a share of the outputs
 * (a row buffer per share, not per channel). */
static void
input_task (int task, int n_tasks, gpointer data)
{
  const Band *band = data;
  float      *rows = in_rows_new (band->job);
  int         first, last;

  ns_task_share (task, n_tasks, band->job->inputs, &first, &last);
  for (int c = first; c < last; c++)
    transform_input (band, c, rows);
  g_free (rows);
}

static void
multiply_task (int k, int n_tasks, gpointer data)
{
  (void) n_tasks;
  multiply (data, k, TRUE);
}

static void
output_task (int task, int n_tasks, gpointer data)
{
  const Band *band = data;
  float      *buf = out_rows_new (band->job);
  int         first, last;

  ns_task_share (task, n_tasks, band->job->outputs, &first, &last);
  for (int o = first; o < last; o++)
    transform_output (band, o, buf);
  g_free (buf);
}

/* Every tile in bands of at most LAYER_BUDGET floats of V and M, each
 * step of a band on all threads. */
static gboolean
convolve_layer (Job *job, gsize panel_floats, GError **error)
{
  int   total_panels = (job->tiles + LANES - 1) / LANES;
  int   band_panels = CLAMP ((int) (LAYER_BUDGET / panel_floats), 1, total_panels);
  int   n_bands = (total_panels + band_panels - 1) / band_panels;
  gsize size;
  float *work;

  band_panels = (total_panels + n_bands - 1) / n_bands;
  size = band_floats (job, band_panels);
  if ((work = ns_pool_alloc (size, sizeof (float), error)) == NULL)
    return FALSE;
  for (int b = 0; b < n_bands; b++)
    {
      Band band = band_init (job, b, band_panels, work);

      ns_parallel_for (MIN (job->threads, job->inputs), input_task, &band);
      ns_parallel_for (POSITIONS, multiply_task, &band);
      ns_parallel_for (MIN (job->threads, job->outputs), output_task, &band);
    }
  ns_pool_free (work, size, sizeof (float));
  return TRUE;
}

/* -------------------------------------------------------- bands in cache */

/* Bands of about BAND_BYTES, at least one per thread, each start to end on
 * one thread. */
static gboolean
convolve_bands (Job *job, int n_bands, GError **error)
{
  int slot = 0, want = MIN (job->threads, n_bands);

  job->work = g_new0 (float *, job->threads);
  for (; slot < want; slot++)
    if ((job->work[slot] = ns_pool_alloc (job->work_size, sizeof (float), error)) == NULL)
      break;
  if (slot == want)
    ns_parallel_for (n_bands, band_task, job);
  for (int i = 0; i < job->threads; i++)
    if (job->work[i] != NULL)
      ns_pool_free (job->work[i], job->work_size, sizeof (float));
  g_free (job->work);
  return slot == want;
}

/* The bands of a layer: job->band_panels, job->work_size; their number. */
static int
plan_bands (Job *job, gsize panel_floats)
{
  int total_panels = (job->tiles + LANES - 1) / LANES, n_bands;

  job->band_panels = CLAMP ((int) (BAND_BYTES / (panel_floats * sizeof (float))), 1,
                            total_panels);
  n_bands = MAX ((total_panels + job->band_panels - 1) / job->band_panels,
                 MIN (job->threads, total_panels));
  job->band_panels = (total_panels + n_bands - 1) / n_bands;
  job->work_size = band_floats (job, job->band_panels);
  return (total_panels + job->band_panels - 1) / job->band_panels;
}

static void
job_init (Job *job, int inputs, int outputs, int h, int w)
{
  job->inputs = inputs;
  job->outputs = outputs;
  job->blocks = blocks_of (outputs);
  job->h = h;
  job->w = w;
  job->threads = MAX (ns_get_num_threads (), 1);
  job->tiles_x = (w + 3) / 4;
  job->tiles = job->tiles_x * ((h + 3) / 4);
}

static gsize
panel_floats_of (const Job *job)
{
  return (gsize) POSITIONS * (job->inputs + job->blocks * ROWS) * LANES;
}

/* Bands in cache read U once each; the whole layer at once writes V and
 * M out and reads them back, but reads U once.  The layer wins when the
 * bands would read U more than three times what it writes and reads back
 * (measured: 512 channels at 16, 32 and 64 px, where that ratio is 4:
 * 5.5 -> 3.7, 6.5 -> 6.0, 25.6 -> 19.4 ms; 256 channels at 64 px, ratio
 * 2: 6.0 -> 6.9 ms). */
static gboolean
whole_layer (Job *job, int n_bands)
{
  gsize total_panels = (job->tiles + LANES - 1) / LANES;

  return ns_winograd4_weights_size (job->inputs, job->outputs) * n_bands
         > 6 * panel_floats_of (job) * total_panels;
}

gboolean
ns_winograd4_whole_layer (int inputs, int outputs, int h, int w)
{
  Job job = { 0 };

  job_init (&job, inputs, outputs, h, w);
  return whole_layer (&job, plan_bands (&job, panel_floats_of (&job)));
}

gboolean
ns_winograd4_conv3x3 (const float *in, int inputs, int outputs, int h, int w,
                      const float *u, gboolean backward, const float *bias, float *out,
                      GError **error)
{
  Job job = { .in = in, .bias = bias, .out = out, .u = u, .backward = backward };
  int n_bands;

  job_init (&job, inputs, outputs, h, w);
  n_bands = plan_bands (&job, panel_floats_of (&job));
  if (whole_layer (&job, n_bands))
    return convolve_layer (&job, panel_floats_of (&job), error);
  return convolve_bands (&job, n_bands, error);
}
