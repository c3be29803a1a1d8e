/* ns-winograd-large.c: 3x3 convolution by Winograd's F(4x4, 3x3) and
 * F(6x6, 3x3).
 *
 * Each m x m block of output (a "tile", m = 4 or 6) comes from the
 * alpha x alpha input patch around it (alpha = m + 2).  In the transformed
 * domain the correlation is an element-wise product over the alpha^2
 * positions of the patch (Lavin and Gray's points: 0, 1, -1, 2, -2 and
 * infinity for F(4x4); 1/2 and -1/2 besides for F(6x6)):
 *
 *   V = B^T d B   (input patch d, per input channel)
 *   U = G g G^T   (3x3 kernel g, per output/input channel pair)
 *   M[k] = sum over inputs of U[k] V[k]   (alpha^2 products)
 *   y = A^T M A   (output tile)
 *
 * Multiplications per output and channel pair: F(4x4) 36 / 16 = 2.25,
 * F(6x6) 64 / 36 = 1.78, against F(2x2)'s 4 and a direct convolution's 9;
 * the transformed floats per output are the same numbers.  The larger the
 * tile, the larger the transforms' factors (F(4x4) up to 8 and 1/24,
 * F(6x6) up to 32 and 1/90) and the worse the rounding: test-winograd
 * states each against a double-precision direct convolution.  A tile cut
 * by the image's border is computed whole, so F(6x6) pays on layers whose
 * side is large against 6.
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
 * transforms do by taking their values last first; swapping the
 * channels is reading U transposed, which the kernel does by taking its
 * broadcasts ROWS floats apart.
 *
 * Tiles are done in bands so that V and M stay bounded, each band in one
 * of two ways: where U is small against the tiles, start to end on one
 * thread in about 2.5 MB, so that V and M stay in that core's cache; where
 * U is large (512 channels on few tiles), the whole layer at once, each
 * step on all threads, so that U is read once.
 *
 * The transforms take 16 tiles of a row at a time.  A row whose tiles do
 * not fill whole vectors is numbered one tile longer (see job_init), so
 * that several rows follow each other in the transforms' buffers as one
 * run; and the grid of tiles can be laid anywhere over the image
 * (NsTileGrid), so that a window of a larger image rounds as the whole
 * image does.
 */
#include "ns-winograd-large.h"

#include <string.h>

#include "ns-error.h"
#include "ns-pool.h"
#include "ns-simd.h"
#include "ns-threads.h"

#define ALPHA_MAX 8           /* input patch side: tile + 2 */
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
  const float *u;         /* see ns_winograd_large_weights_new */
  gboolean     backward;  /* U is the layer's whose backward pass this is */
  int          tile;      /* m: 4 or 6 */
  int          ox;        /* the image's place in the grid of tiles: its */
  int          oy;        /* pixel (x, y) is the grid's (ox + x, oy + y) */
  int          alpha;     /* m + 2 */
  int          positions; /* alpha^2 */
  int          inputs;
  int          outputs;
  int          blocks;    /* ceil (outputs / ROWS) */
  int          h;
  int          w;
  int          tiles_x;   /* ceil (w / m) */
  int          row_tiles; /* tiles numbered per row: tiles_x, or one more
                             (see job_init) */
  int          group;     /* tile rows whose tiles the transforms take as
                             one run */
  int          tiles;     /* row_tiles ceil (h / m), row by row */
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
  float     *v;           /* positions x v_stride: panels x inputs x LANES */
  float     *m;           /* positions x m_stride: panels x (blocks ROWS) x LANES */
  gsize      v_stride;
  gsize      m_stride;
} Band;

static int
blocks_of (int channels)
{
  return (channels + ROWS - 1) / ROWS;
}

/* Floats from one position's values to the next, for @floats of them: an
 * odd number of cache lines.  The transforms write and read a tile's
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
  band.m = work != NULL ? work + job->positions * band.v_stride : NULL;   /* band_floats: none */
  return band;
}

/* The floats of the first (largest) band of @band_panels; M's last panel
 * is read up to 16 floats past its end. */
static gsize
band_floats (const Job *job, int band_panels)
{
  Band band = band_init (job, 0, band_panels, NULL);

  return job->positions * (band.v_stride + band.m_stride) + NS_VEC;
}

/* The row buffers of the transforms, a group of tile rows each, tile row
 * r of the group m row_tiles floats on: the input's 2 alpha rows (rows of
 * zeros, then t) of in_stride floats, zero past the group because
 * transform_columns reads up to 112 floats past a run of tiles; the
 * output's m rows of out_stride floats, transform_tiles_out writing up to
 * 16 m past them. */
static int
in_stride (const Job *job)
{
  return job->group * job->tile * job->row_tiles + 130;
}

static int
out_stride (const Job *job)
{
  return job->group * job->tile * job->row_tiles + NS_VEC * job->tile;
}

static float *
in_rows_new (const Job *job)
{
  return g_new0 (float, 2 * job->alpha * (gsize) in_stride (job));
}

static float *
out_rows_new (const Job *job)
{
  return g_new (float, job->tile * (gsize) out_stride (job));
}

gsize
ns_winograd_large_weights_size (int c_in, int c_out, int tile)
{
  return (gsize) (tile + 2) * (tile + 2) * blocks_of (c_out) * ROWS * blocks_of (c_in) * ROWS;
}

/* ----------------------------------------------------------------- kernels */

typedef struct
{
  const float *weights;   /* c_out x c_in x 3 x 3 */
  int          c_in;
  int          c_out;
  int          tile;
  float       *u;
} WeightsJob;

/* G of F(4x4) (rows 0..5) and of F(6x6) (0..7). */
static const double G4[6][3] = {
  { 1.0 / 4, 0, 0 },
  { -1.0 / 6, -1.0 / 6, -1.0 / 6 },
  { -1.0 / 6, 1.0 / 6, -1.0 / 6 },
  { 1.0 / 24, 1.0 / 12, 1.0 / 6 },
  { 1.0 / 24, -1.0 / 12, 1.0 / 6 },
  { 0, 0, 1 },
};
static const double G6[8][3] = {
  { 1, 0, 0 },
  { -2.0 / 9, -2.0 / 9, -2.0 / 9 },
  { -2.0 / 9, 2.0 / 9, -2.0 / 9 },
  { 1.0 / 90, 1.0 / 45, 2.0 / 45 },
  { 1.0 / 90, -1.0 / 45, 2.0 / 45 },
  { 32.0 / 45, 16.0 / 45, 8.0 / 45 },
  { 32.0 / 45, -16.0 / 45, 8.0 / 45 },
  { 0, 0, 1 },
};

/* u = G g G^T (alpha x alpha), in double: G's ninths and ninetieths
 * round once. */
static void
transform_kernel (const double g[3][3], int tile, double u[ALPHA_MAX][ALPHA_MAX])
{
  const double (*G)[3] = tile == 4 ? G4 : G6;
  int          alpha = tile + 2;
  double       t[ALPHA_MAX][3];

  for (int i = 0; i < alpha; i++)
    for (int j = 0; j < 3; j++)
      t[i][j] = G[i][0] * g[0][j] + G[i][1] * g[1][j] + G[i][2] * g[2][j];
  for (int i = 0; i < alpha; i++)
    for (int j = 0; j < alpha; j++)
      u[i][j] = t[i][0] * G[j][0] + t[i][1] * G[j][1] + t[i][2] * G[j][2];
}

/* Where U[k][o][c] is in the packed kernels: see
 * ns_winograd_large_weights_new. */
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
  int               alpha = job->tile + 2;

  (void) n_tasks;
  for (int c = 0; c < job->c_in; c++)
    {
      const float *w = job->weights + ((gsize) o * job->c_in + c) * 9;
      double       g[3][3], u[ALPHA_MAX][ALPHA_MAX];

      for (int k = 0; k < 9; k++)
        g[k / 3][k % 3] = w[k];
      transform_kernel (g, job->tile, u);
      for (int k = 0; k < alpha * alpha; k++)
        job->u[packed_at (k, o, c, job->c_in, job->c_out)] = (float) u[k / alpha][k % alpha];
    }
}

float *
ns_winograd_large_weights_new (const float *weights, int c_in, int c_out, int tile,
                               GError **error)
{
  WeightsJob job = { weights, c_in, c_out, tile, NULL };

  g_return_val_if_fail (tile == 4 || tile == 6, NULL);
  /* Zeros for the channels that round the counts up to blocks: the
   * kernel computes them too. */
  job.u = ns_try_alloc0 (ns_winograd_large_weights_size (c_in, c_out, tile), sizeof (float),
                         error);
  if (job.u != NULL)
    ns_parallel_for (c_out, transform_weights_task, &job);
  return job.u;
}

/* ------------------------------------------------------------------- input */

/* B^T applied to alpha values d[] (vectors or floats) into out[]. */
#define TRANSFORM_INPUT4(d, out)                                            \
  do {                                                                      \
    (out)[0] = 4.0f * (d)[0] - 5.0f * (d)[2] + (d)[4];                      \
    (out)[1] = (d)[3] + (d)[4] - 4.0f * ((d)[1] + (d)[2]);                  \
    (out)[2] = (d)[4] - (d)[3] + 4.0f * ((d)[1] - (d)[2]);                  \
    (out)[3] = (d)[4] - (d)[2] + 2.0f * ((d)[3] - (d)[1]);                  \
    (out)[4] = (d)[4] - (d)[2] - 2.0f * ((d)[3] - (d)[1]);                  \
    (out)[5] = 4.0f * (d)[1] - 5.0f * (d)[3] + (d)[5];                      \
  } while (0)

/* F(6x6)'s rows 1..6 come in pairs p + q, p - q (points 1 and -1, 1/2 and
 * -1/2, 2 and -2): p from the even values, q from the odd. */
#define TRANSFORM_INPUT6(d, out)                                            \
  do {                                                                      \
    __typeof__ ((d)[0]) p1_ = (d)[2] + (d)[6] - 4.25f * (d)[4];             \
    __typeof__ ((d)[0]) q1_ = (d)[1] + (d)[5] - 4.25f * (d)[3];             \
    __typeof__ ((d)[0]) p2_ = 0.25f * (d)[2] - 1.25f * (d)[4] + (d)[6];     \
    __typeof__ ((d)[0]) q2_ = 0.5f * (d)[1] - 2.5f * (d)[3] + 2.0f * (d)[5]; \
    __typeof__ ((d)[0]) p3_ = 4.0f * (d)[2] - 5.0f * (d)[4] + (d)[6];       \
    __typeof__ ((d)[0]) q3_ = 2.0f * (d)[1] - 2.5f * (d)[3] + 0.5f * (d)[5]; \
    (out)[0] = (d)[0] - (d)[6] + 5.25f * ((d)[4] - (d)[2]);                 \
    (out)[1] = p1_ + q1_;                                                   \
    (out)[2] = p1_ - q1_;                                                   \
    (out)[3] = p2_ + q2_;                                                   \
    (out)[4] = p2_ - q2_;                                                   \
    (out)[5] = p3_ + q3_;                                                   \
    (out)[6] = p3_ - q3_;                                                   \
    (out)[7] = (d)[7] - (d)[1] + 5.25f * ((d)[3] - (d)[5]);                 \
  } while (0)

#define TRANSFORM_INPUT(tile, d, out)          \
  do {                                         \
    if ((tile) == 4)                           \
      TRANSFORM_INPUT4 (d, out);               \
    else                                       \
      TRANSFORM_INPUT6 (d, out);               \
  } while (0)

/* t = B^T d, each of the alpha rows of t a combination of d's alpha rows,
 * 16 columns at a time (the rows may be the image's own: nothing is read
 * past n). */
NS_INLINE void
transform_rows (const float *const *d, float *const *t, int n, int tile)
{
  int alpha = tile + 2, x = 0;

  for (; x + NS_VEC <= n; x += NS_VEC)
    {
      NsVec16 in[ALPHA_MAX], out[ALPHA_MAX];

      for (int i = 0; i < alpha; i++)
        in[i] = ns_vec_load (d[i] + x);
      TRANSFORM_INPUT (tile, in, out);
      for (int i = 0; i < alpha; i++)
        ns_vec_store (t[i] + x, out[i], NS_VEC);
    }
  for (; x < n; x++)
    {
      float in[ALPHA_MAX], out[ALPHA_MAX];

      for (int i = 0; i < alpha; i++)
        in[i] = d[i][x];
      TRANSFORM_INPUT (tile, in, out);
      for (int i = 0; i < alpha; i++)
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

/* Lanes q, q + 3, q + 6 ... of the 48 floats x[0..2]: two shuffles, the
 * first taking what lies in x[0] and x[1], the second the rest from x[2]. */
#define THIRDS0(x)                                                             \
  NS_VEC_SHUFFLE (NS_VEC_SHUFFLE ((x)[0], (x)[1], 0, 3, 6, 9, 12, 15, 18, 21,  \
                                  24, 27, 30, 0, 0, 0, 0, 0), (x)[2],          \
                  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 17, 20, 23, 26, 29)
#define THIRDS1(x)                                                             \
  NS_VEC_SHUFFLE (NS_VEC_SHUFFLE ((x)[0], (x)[1], 1, 4, 7, 10, 13, 16, 19, 22, \
                                  25, 28, 31, 0, 0, 0, 0, 0), (x)[2],          \
                  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 18, 21, 24, 27, 30)
#define THIRDS2(x)                                                             \
  NS_VEC_SHUFFLE (NS_VEC_SHUFFLE ((x)[0], (x)[1], 2, 5, 8, 11, 14, 17, 20, 23, \
                                  26, 29, 0, 0, 0, 0, 0, 0), (x)[2],           \
                  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 19, 22, 25, 28, 31)

/* Lanes j, j + 6, j + 12 ... of the 96 floats from @q, for j = 0..7 (the
 * last two are the next tile's first two): evens and odds, then thirds
 * of each. */
NS_INLINE void
deinterleave6 (const float *q, NsVec16 d[8])
{
  NsVec16 e[3], o[3], next = ns_vec_load (q + 96);

  for (int i = 0; i < 3; i++)
    {
      NsVec16 a = ns_vec_load (q + 32 * i), b = ns_vec_load (q + 32 * i + 16);

      e[i] = ns_vec_evens (a, b);
      o[i] = ns_vec_odds (a, b);
    }
  d[0] = THIRDS0 (e);
  d[1] = THIRDS0 (o);
  d[2] = THIRDS1 (e);
  d[3] = THIRDS1 (o);
  d[4] = THIRDS2 (e);
  d[5] = THIRDS2 (o);
  d[6] = NS_VEC_SHUFFLE (d[0], next, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
  d[7] = NS_VEC_SHUFFLE (d[1], next, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17);
}

/* V's alpha values of row @r of @n tiles (tile s at r + m s .. r + m s +
 * alpha - 1) into v[0..alpha - 1], tile s at v[j][s]: the same combination
 * along the row, 16 tiles at a time; @reversed, of each tile's values
 * last first.  Reads up to 112 floats past r + m n. */
NS_INLINE void
transform_columns (const float *r, float *const *v, int n, gboolean reversed, int tile)
{
  int alpha = tile + 2;

  for (int s = 0; s < n; s += NS_VEC)
    {
      NsVec16 d[ALPHA_MAX], out[ALPHA_MAX];

      if (tile == 4)
        {
          NsVec16 e[4];

          deinterleave4 (r + 4 * s, d);
          deinterleave4 (r + 4 * s + 4, e);     /* each tile's d4, d5 */
          d[4] = e[0];
          d[5] = e[1];
        }
      else
        deinterleave6 (r + 6 * s, d);
      if (reversed)
        {
          NsVec16 turned[ALPHA_MAX];

          for (int j = 0; j < alpha; j++)
            turned[j] = d[alpha - 1 - j];
          TRANSFORM_INPUT (tile, turned, out);
        }
      else
        TRANSFORM_INPUT (tile, d, out);
      for (int j = 0; j < alpha; j++)
        ns_vec_store (v[j] + s, out[j], n - s);
    }
}

/* Row @ty's tiles of @band, [*tx0, *tx1); FALSE if it has none. */
static gboolean
band_row (const Band *band, int ty, int *tx0, int *tx1)
{
  int first = ty * band->job->row_tiles;

  *tx0 = MAX (band->t0 - first, 0);
  *tx1 = MIN (band->t1 - first, band->job->row_tiles);
  return *tx0 < *tx1;
}

/* t = B^T d over columns [x0, x1) of tile row @ty's alpha input rows (a
 * backward pass: last first), for input @c; column x is the image's x - 1,
 * zeros past the border (@zeros: a row of w zeros).  Read in place:
 * copying the rows was a sixth of the convolution. */
NS_INLINE void
transform_tile_row (const Job *job, int c, int ty, float *const *t, int x0, int x1,
                    const float *zeros, int tile)
{
  const float *plane = job->in + (gsize) c * job->h * job->w;
  const float *d[ALPHA_MAX];
  float       *td[ALPHA_MAX];
  int          alpha = tile + 2, a = MAX (x0, 1 + job->ox);
  int          b = MAX (MIN (x1, job->w + 1 + job->ox), a);

  /* [x0, x1) may lie wholly past the border: the tile past a row's end,
   * numbered with it (see job_init), alone in a band. */
  for (int i = 0; i < alpha; i++)
    {
      int y = tile * ty - 1 - job->oy + (job->backward ? alpha - 1 - i : i);

      d[i] = y >= 0 && y < job->h ? plane + (gsize) y * job->w + a - 1 - job->ox : zeros;
      td[i] = t[i] + a;
      for (int x = x0; x < a; x++)
        t[i][x] = 0.0f;
      for (int x = b; x < x1; x++)
        t[i][x] = 0.0f;
    }
  transform_rows (d, td, b - a, tile);
}

/* The band's tiles of the group of tile rows from @ty, [*first, *last),
 * and its rows in the band; 0 when the band has none of them. */
static int
group_tiles (const Band *band, int ty, int *first, int *last)
{
  const Job *job = band->job;
  int        rows = 0, tx0, tx1;

  while (rows < job->group && band_row (band, ty + rows, &tx0, &tx1))
    rows++;
  *first = MAX (band->t0, ty * job->row_tiles);
  *last = MIN (band->t1, (ty + rows) * job->row_tiles);
  return rows;
}

/* The piece of the run of tiles [tt, last) of @band that lies in one
 * panel: its length, and the panel and lane it starts at. */
static int
panel_piece (const Band *band, int tt, int last, int *panel, int *lane)
{
  int tile_i = tt - band->t0;

  *panel = tile_i / LANES;
  *lane = tile_i % LANES;
  return MIN (LANES - *lane, last - tt);
}

/* Rows [y0, y1) of a @w wide plane towards the second-level cache, to
 * be read or (@write) overwritten.  The transforms ask for the next
 * channel's rows under a band while they do this one's: the first loads
 * of each input row, and the output rows' fetch before writing, waited on
 * memory.  Measured alternately: VGG19 at 512 px 0.652 to 0.690 s an
 * evaluation against 0.660 to 0.733 s with neither; the output's then
 * 1 to 3 % per layer, 22 of 24 pairs (64 to 512 channels, both passes).
 * Prefetching only the next row of tiles was too short a distance. */
NS_INLINE void
prefetch_rows (const float *plane, int w, int y0, int y1, gboolean write)
{
  const char *p = (const char *) (plane + (gsize) y0 * w);
  const char *end = (const char *) (plane + (gsize) y1 * w);

  for (; p < end; p += 64)
    if (write)
      __builtin_prefetch (p, 1, 2);
    else
      __builtin_prefetch (p, 0, 2);
}

/* Plane @next of @planes (@count of them, h x w each), if there is one:
 * its image rows under @band's tile rows, with @margin rows more on each
 * side (the input patches' overlap), prefetched as prefetch_rows. */
NS_INLINE void
prefetch_next_plane (const Band *band, const float *planes, int next, int count, int margin,
                     gboolean write)
{
  const Job *job = band->job;
  int        y0 = CLAMP (job->tile * (band->t0 / job->row_tiles) - margin - job->oy, 0, job->h);
  int        y1 = MIN (job->tile * ((band->t1 - 1) / job->row_tiles + 1) + margin - job->oy,
                       job->h);

  if (next < count)
    prefetch_rows (planes + (gsize) next * job->h * job->w, job->w, y0, y1, write);
}

/* V[k][panel][c][lane] for every tile of the band, input @c, a group of
 * tile rows at a time through @rows from in_rows_new: t of each row, then
 * V of the group's tiles as one run, in pieces that end only where
 * panels do; @tile is job->tile, a constant where this is inlined. */
NS_INLINE void
transform_input_of (const Band *band, int c, float *rows, int tile)
{
  const Job   *job = band->job;
  int          alpha = tile + 2, stride = in_stride (job), tx0, tx1, first, last, n_rows;
  int          panel, lane;
  gsize        k_stride = band->v_stride, pitch = (gsize) tile * job->row_tiles;
  float       *t[ALPHA_MAX];
  int          n_tiles = band->t1 - band->t0;

  for (int i = 0; i < alpha; i++)
    t[i] = rows + (gsize) (alpha + i) * stride;
  prefetch_next_plane (band, job->in, c + 1, job->inputs, 1, FALSE);
  for (int ty = band->t0 / job->row_tiles; (n_rows = group_tiles (band, ty, &first, &last)) > 0;
       ty += n_rows)
    {
      for (int r = 0; r < n_rows; r++)
        {
          float *tr[ALPHA_MAX];

          band_row (band, ty + r, &tx0, &tx1);
          for (int i = 0; i < alpha; i++)
            tr[i] = t[i] + r * pitch;
          transform_tile_row (job, c, ty + r, tr, tile * tx0, tile * tx1 + 2, rows, tile);
        }
      for (int tt = first, n; tt < last; tt += n)
        {
          float *at;

          n = panel_piece (band, tt, last, &panel, &lane);
          at = band->v + ((gsize) panel * job->inputs + c) * LANES + lane;
          for (int i = 0; i < alpha; i++)
            {
              float *v[ALPHA_MAX];

              for (int j = 0; j < alpha; j++)
                v[j] = at + (gsize) (i * alpha + j) * k_stride;
              transform_columns (t[i] + (gsize) tile * (tt - ty * job->row_tiles), v, n,
                                 job->backward, tile);
            }
        }
    }
  /* The last panel's lanes past the band: zeros, not stale numbers. */
  if (n_tiles % LANES != 0)
    for (int k = 0; k < alpha * alpha; k++)
      memset (band->v + k * k_stride + ((gsize) (n_tiles / LANES) * job->inputs + c) * LANES
              + n_tiles % LANES, 0, (LANES - n_tiles % LANES) * sizeof (float));
}

/* One body per tile size, each with its size a constant. */
NS_HOT static void
transform_input (const Band *band, int c, float *rows)
{
  if (band->job->tile == 4)
    transform_input_of (band, c, rows, 4);
  else
    transform_input_of (band, c, rows, 6);
}

/* ---------------------------------------------------------------- products */

/* m (rows x LANES) = u v: the first @rows of a block's outputs, their
 * sums over the inputs of their kernels' values times v (inputs x
 * LANES).  The kernels' values of input c are u[c][r row_step]
 * (input_step apart within a block of ROWS inputs, block_step from block
 * to block).  With ROWS rows the 24 accumulators and two loads per input
 * fill AVX-512's 32 registers; fewer rows are for a last block that the
 * outputs do not fill, and one vector (@vectors 1) for a panel of at most
 * 16 tiles, whose other lanes nobody reads (@rows and @vectors constants
 * where this is inlined). */
NS_INLINE void
multiply_block (const float *u, gsize block_step, int input_step, int row_step,
                const float *v, int inputs, float *m, int rows, int vectors)
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
          NsVec16 v1 = vectors > 1 ? ns_vec_load (v + (gsize) c * LANES + NS_VEC) : v0;

          for (int r = 0; r < rows; r++)
            {
              float b = uc[r * row_step];

              acc[r][0] += v0 * b;
              if (vectors > 1)
                acc[r][1] += v1 * b;
            }
        }
    }
  for (int r = 0; r < rows; r++)
    {
      ns_vec_store (m + r * LANES, acc[r][0], NS_VEC);
      if (vectors > 1)
        ns_vec_store (m + r * LANES + NS_VEC, acc[r][1], NS_VEC);
    }
}

/* multiply_block for @live outputs (at most ROWS) in rows of 4: 64
 * outputs fill five blocks of 12 and 4 rows of the sixth, whose other 8
 * would be an eighth of the products for nothing. */
NS_INLINE void
multiply_rows (const float *u, gsize block_step, int input_step, int row_step,
               const float *v, int inputs, float *m, int live, int vectors)
{
  if (live <= 4)
    multiply_block (u, block_step, input_step, row_step, v, inputs, m, 4, vectors);
  else if (live <= 8)
    multiply_block (u, block_step, input_step, row_step, v, inputs, m, 8, vectors);
  else
    multiply_block (u, block_step, input_step, row_step, v, inputs, m, ROWS, vectors);
}

/* multiply_rows for the outputs of block @b that exist, on the vectors
 * of the panel's @tiles: 16 tiles in a panel of 32 (512 channels at 16
 * px) would be half the products for nothing. */
NS_INLINE void
multiply_live_rows (const Job *job, int b, const float *u, gsize block_step, int input_step,
                    int row_step, const float *v, float *m, int tiles)
{
  int live = MIN (ROWS, job->outputs - b * ROWS);

  if (tiles <= NS_VEC)
    multiply_rows (u, block_step, input_step, row_step, v, job->inputs, m, live, 1);
  else
    multiply_rows (u, block_step, input_step, row_step, v, job->inputs, m, live, 2);
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
        int          tiles = MIN (LANES, band->t1 - band->t0 - p * LANES);   /* the panel's */

        if (job->backward)
          multiply_live_rows (job, b, job->u + packed_at (k, 0, b * ROWS, c_in, c_out),
                              (gsize) blocks_of (c_in) * ROWS * ROWS, 1, ROWS, v, m, tiles);
        else
          multiply_live_rows (job, b, job->u + packed_at (k, b * ROWS, 0, c_in, c_out),
                              ROWS * ROWS, ROWS, 1, v, m, tiles);
      }
}

/* ------------------------------------------------------------------ output */

/* A^T applied to alpha values mv[] (vectors) into out[0..m - 1]. */
#define TRANSFORM_OUTPUT4(mv, out)                                     \
  do {                                                                 \
    NsVec16 s12 = (mv)[1] + (mv)[2], d12 = (mv)[1] - (mv)[2];          \
    NsVec16 s34 = (mv)[3] + (mv)[4], d34 = (mv)[3] - (mv)[4];          \
    (out)[0] = (mv)[0] + s12 + s34;                                    \
    (out)[1] = d12 + 2.0f * d34;                                       \
    (out)[2] = s12 + 4.0f * s34;                                       \
    (out)[3] = d12 + 8.0f * d34 + (mv)[5];                             \
  } while (0)

#define TRANSFORM_OUTPUT6(mv, out)                                     \
  do {                                                                 \
    NsVec16 s12 = (mv)[1] + (mv)[2], d12 = (mv)[1] - (mv)[2];          \
    NsVec16 s34 = (mv)[3] + (mv)[4], d34 = (mv)[3] - (mv)[4];          \
    NsVec16 s56 = (mv)[5] + (mv)[6], d56 = (mv)[5] - (mv)[6];          \
    (out)[0] = (mv)[0] + s12 + s34 + s56;                              \
    (out)[1] = d12 + 2.0f * d34 + 0.5f * d56;                          \
    (out)[2] = s12 + 4.0f * s34 + 0.25f * s56;                         \
    (out)[3] = d12 + 8.0f * d34 + 0.125f * d56;                        \
    (out)[4] = s12 + 16.0f * s34 + 0.0625f * s56;                      \
    (out)[5] = d12 + 32.0f * d34 + 0.03125f * d56 + (mv)[7];           \
  } while (0)

#define TRANSFORM_OUTPUT(tile, mv, out)        \
  do {                                         \
    if ((tile) == 4)                           \
      TRANSFORM_OUTPUT4 (mv, out);             \
    else                                       \
      TRANSFORM_OUTPUT6 (mv, out);             \
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

/* The 48 floats a[0] b[0] c[0] a[1] b[1] c[1] ... as x[0..2]: THIRDS's
 * inverse, each vector two shuffles (a's and b's lanes, then c's). */
NS_INLINE void
interleave3 (NsVec16 a, NsVec16 b, NsVec16 c, NsVec16 x[3])
{
  x[0] = NS_VEC_SHUFFLE (NS_VEC_SHUFFLE (a, b, 0, 16, 0, 1, 17, 0, 2, 18, 0, 3, 19, 0, 4, 20, 0, 5),
                         c, 0, 1, 16, 3, 4, 17, 6, 7, 18, 9, 10, 19, 12, 13, 20, 15);
  x[1] = NS_VEC_SHUFFLE (NS_VEC_SHUFFLE (a, b, 21, 0, 6, 22, 0, 7, 23, 0, 8, 24, 0, 9, 25, 0, 10, 26),
                         c, 0, 21, 2, 3, 22, 5, 6, 23, 8, 9, 24, 11, 12, 25, 14, 15);
  x[2] = NS_VEC_SHUFFLE (NS_VEC_SHUFFLE (a, b, 0, 11, 27, 0, 12, 28, 0, 13, 29, 0, 14, 30, 0, 15, 31, 0),
                         c, 26, 1, 2, 27, 4, 5, 28, 7, 8, 29, 10, 11, 30, 13, 14, 31);
}

/* The 96 floats p[0][0] p[1][0] ... p[5][0] p[0][1] ... to @dst: the
 * even ones' and the odd ones' thirds, then the two zipped. */
NS_INLINE void
interleave6 (const NsVec16 p[6], float *dst)
{
  NsVec16 e[3], o[3];

  interleave3 (p[0], p[2], p[4], e);
  interleave3 (p[1], p[3], p[5], o);
  for (int i = 0; i < 3; i++)
    {
      ns_vec_store (dst + 32 * i, ns_vec_zip_low (e[i], o[i]), NS_VEC);
      ns_vec_store (dst + 32 * i + 16, ns_vec_zip_high (e[i], o[i]), NS_VEC);
    }
}

/* y = A^T M A for @n tiles of one panel, 16 at a time: m[k] + s is
 * position k of tile s; row a of tile s goes to rows[a][m s .. m s + m -
 * 1].  Reads up to 16 floats past m[k] + n and writes up to 16 m past
 * rows[a] + m n. */
NS_INLINE void
transform_tiles_out (const float *const *m, float *const *rows, int n, gboolean reversed,
                     int tile)
{
  int alpha = tile + 2;

  for (int s = 0; s < n; s += NS_VEC)
    {
      NsVec16 t[ALPHA_MAX - 2][ALPHA_MAX], col[ALPHA_MAX], out[ALPHA_MAX], y[ALPHA_MAX];

      /* t = A^T M down the tiles' columns. */
      for (int j = 0; j < alpha; j++)
        {
          for (int i = 0; i < alpha; i++)
            col[i] = ns_vec_load (m[i * alpha + j] + s);
          TRANSFORM_OUTPUT (tile, col, out);
          for (int a = 0; a < tile; a++)
            t[a][j] = out[a];
        }
      /* y = t A along their rows; reversed, each tile turned by 180
       * degrees. */
      for (int a = 0; a < tile; a++)
        {
          float *dst;

          TRANSFORM_OUTPUT (tile, t[a], y);
          if (reversed)
            {
              NsVec16 turned[ALPHA_MAX];

              for (int b = 0; b < tile; b++)
                turned[b] = y[tile - 1 - b];
              for (int b = 0; b < tile; b++)
                y[b] = turned[b];
            }
          dst = rows[reversed ? tile - 1 - a : a] + tile * s;
          if (tile == 4)
            interleave4 (y, dst);
          else
            interleave6 (y, dst);
        }
    }
}

/* out[o] for every tile of the band (+ bias, ReLU), output @o, a group of
 * tile rows at a time through @buf from out_rows_new (its tiles as one
 * run, as transform_input_of); @tile is job->tile, a constant where this
 * is inlined. */
NS_INLINE void
transform_output_of (const Band *band, int o, float *buf, int tile)
{
  const Job *job = band->job;
  int        stride = out_stride (job), alpha = tile + 2, tx0, tx1, first, last, n_rows;
  int        panel, lane;
  gsize      k_stride = band->m_stride, pitch = (gsize) tile * job->row_tiles;
  float     *plane = job->out + (gsize) o * job->h * job->w;
  float     *rows[ALPHA_MAX - 2];

  for (int a = 0; a < tile; a++)
    rows[a] = buf + (gsize) a * stride;
  prefetch_next_plane (band, job->out, o + 1, job->outputs, 0, TRUE);
  for (int ty = band->t0 / job->row_tiles; (n_rows = group_tiles (band, ty, &first, &last)) > 0;
       ty += n_rows)
    {
      for (int tt = first, n; tt < last; tt += n)
        {
          const float *at, *m[ALPHA_MAX * ALPHA_MAX];
          float       *r[ALPHA_MAX - 2];

          n = panel_piece (band, tt, last, &panel, &lane);
          at = band->m + ((gsize) panel * job->blocks * ROWS + o) * LANES + lane;
          for (int k = 0; k < alpha * alpha; k++)
            m[k] = at + k * k_stride;
          for (int a = 0; a < tile; a++)
            r[a] = rows[a] + (gsize) tile * (tt - ty * job->row_tiles);
          transform_tiles_out (m, r, n, job->backward, tile);
        }
      for (int g = 0; g < n_rows; g++)
        {
          int x0, x1;

          band_row (band, ty + g, &tx0, &tx1);
          x0 = MAX (tile * tx0 - job->ox, 0);
          x1 = MIN (tile * tx1 - job->ox, job->w);
          if (x0 >= x1)
            continue;           /* the band's share: the tile past the row's end */
          for (int a = 0; a < tile; a++)
            {
              int          y = tile * (ty + g) + a - job->oy;
              float       *p = plane + (gsize) y * job->w;
              const float *q = rows[a] + g * pitch + job->ox;

              if (y < 0 || y >= job->h)
                continue;       /* rows of the grid off the image */
              if (job->bias == NULL)
                memcpy (p + x0, q + x0, (x1 - x0) * sizeof (float));
              else
                for (int x = x0; x < x1; x++)
                  p[x] = MAX (q[x] + job->bias[o], 0.0f);
            }
        }
    }
}

NS_HOT static void
transform_output (const Band *band, int o, float *buf)
{
  if (band->job->tile == 4)
    transform_output_of (band, o, buf, 4);
  else
    transform_output_of (band, o, buf, 6);
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
  for (int k = 0; k < job->positions; k++)
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
      ns_parallel_for (job->positions, multiply_task, &band);
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
job_init (Job *job, int inputs, int outputs, int h, int w, const NsTileGrid *grid)
{
  int tile = grid->tile;

  job->tile = tile;
  job->ox = grid->ox;
  job->oy = grid->oy;
  job->alpha = tile + 2;
  job->positions = job->alpha * job->alpha;
  job->inputs = inputs;
  job->outputs = outputs;
  job->blocks = blocks_of (outputs);
  job->h = h;
  job->w = w;
  job->threads = MAX (ns_get_num_threads (), 1);
  job->tiles_x = (job->ox + w + tile - 1) / tile;
  /* A row of tiles that does not fill whole vectors of 16 is numbered one
   * longer, so that rows follow each other in the transforms' buffers
   * (its last tile, across the border, computed and thrown away) and
   * several go through as one run of full vectors: with rows taken alone,
   * and panels of 32 cutting across them, 43 tiles a row (F(6x6) at 256
   * px) took five vectors.  Below 16 a row, the tile thrown away would
   * cost the products more than that. */
  job->row_tiles = job->tiles_x >= NS_VEC && job->tiles_x % NS_VEC != 0
                   ? job->tiles_x + 1 : job->tiles_x;
  /* Bands start and end where panels do, so that a group holding a band's
   * rows (about 256 tiles in a band of cache) cuts no vector short. */
  job->group = job->row_tiles != job->tiles_x ? 256 / job->row_tiles + 2 : 1;
  job->tiles = job->row_tiles * ((job->oy + h + tile - 1) / tile);
}

static gsize
panel_floats_of (const Job *job)
{
  return (gsize) job->positions * (job->inputs + job->blocks * ROWS) * LANES;
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

  return ns_winograd_large_weights_size (job->inputs, job->outputs, job->tile) * n_bands
         > 6 * panel_floats_of (job) * total_panels;
}

gboolean
ns_winograd_large_whole_layer (int inputs, int outputs, int h, int w, int tile)
{
  Job        job = { 0 };
  NsTileGrid grid = { tile, 0, 0 };

  job_init (&job, inputs, outputs, h, w, &grid);
  return whole_layer (&job, plan_bands (&job, panel_floats_of (&job)));
}

gboolean
ns_winograd_large_conv3x3 (const float *in, int inputs, int outputs, int h, int w,
                           const float *u, const NsTileGrid *grid, gboolean backward,
                           const float *bias, float *out, GError **error)
{
  Job job = { .in = in, .bias = bias, .out = out, .u = u, .backward = backward };
  int n_bands;

  g_return_val_if_fail (grid->tile == 4 || grid->tile == 6, FALSE);
  g_return_val_if_fail (grid->ox >= 0 && grid->ox < grid->tile, FALSE);
  g_return_val_if_fail (grid->oy >= 0 && grid->oy < grid->tile, FALSE);
  job_init (&job, inputs, outputs, h, w, grid);
  n_bands = plan_bands (&job, panel_floats_of (&job));
  if (whole_layer (&job, n_bands))
    return convolve_layer (&job, panel_floats_of (&job), error);
  return convolve_bands (&job, n_bands, error);
}
