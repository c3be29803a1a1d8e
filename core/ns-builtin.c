/* ns-builtin.c: the Gabor-pyramid feature network, forward and backward.
 *
 * Recipe (deterministic):
 *  1. h_0 = (x - mean) / std per channel (ImageNet statistics).
 *  2. h_{l+1} = every second sample (from 0) of h_l blurred by the separable
 *     [1 4 6 4 1] / 16 with reflect padding 2.
 *  3. Eight 7x7 kernels: Gaussian envelope (sigma 1.5) times the even and
 *     odd carrier of wavelength 4 px at 0, 45, 90, 135 degrees; the even ones
 *     made zero-sum; each scaled to unit L2 norm.
 *  4. Per level: r = 2 * (each colour channel correlated with each kernel,
 *     reflect padding 3), 24 maps in the order channel * 8 + kernel;
 *     features = [relu (r), relu (-r), relu (h), relu (-h)], 54 maps.
 * Backward runs the same steps transposed, coarsest level first.
 */
#include "ns-builtin.h"

#include <math.h>
#include <string.h>

#include "ns-error.h"
#include "ns-gabor.h"
#include "ns-pool.h"
#include "ns-simd.h"
#include "ns-threads.h"

#define N_KERNELS NS_GABOR_KERNELS
#define KRAD      3
#define KSIZE     (2 * KRAD + 1)
#define N_GABOR   (3 * N_KERNELS)          /* 24 maps of r */

static const float image_mean[3] = { 0.485f, 0.456f, 0.406f };
static const float image_std[3]  = { 0.229f, 0.224f, 0.225f };
static const float blur_taps[5]  = { 1 / 16.f, 4 / 16.f, 6 / 16.f, 4 / 16.f, 1 / 16.f };

static const char *const output_names[NS_BUILTIN_LEVELS] =
  { "level0", "level1", "level2", "level3", "level4" };
static const int style_outputs[NS_BUILTIN_LEVELS] = { 0, 1, 2, 3, 4 };
static const int output_strides[NS_BUILTIN_LEVELS] = { 1, 2, 4, 8, 16 };
/* Level l: the 7 x 7 kernels reach 3 samples of it, 3 * 2^l pixels, and
 * each sample depends on the pixels within r_l = 2^l + r_(l-1) (the blur
 * taps reach 2 samples of the level below), r_0 = 0. */
static const int output_radii[NS_BUILTIN_LEVELS] = { 3, 8, 18, 38, 78 };
static const int output_channels[NS_BUILTIN_LEVELS] =
  { NS_BUILTIN_FEATURES, NS_BUILTIN_FEATURES, NS_BUILTIN_FEATURES,
    NS_BUILTIN_FEATURES, NS_BUILTIN_FEATURES };

typedef struct
{
  NsNetwork parent;
  float     kernels[N_KERNELS][KSIZE * KSIZE];
  /* 2 x the kernels (step 4's factor), and flipped for the backward pass
   * (the transpose of a correlation is the correlation with the flipped
   * kernel over the gradient padded by 6). */
  float     forward_weights[N_KERNELS][KSIZE * KSIZE];
  float     backward_weights[N_KERNELS][KSIZE * KSIZE];
} BuiltinNet;

typedef struct
{
  NsActivations parent;
  NsTensor      levels[NS_BUILTIN_LEVELS];   /* the outputs */
  int           level_w[NS_BUILTIN_LEVELS];
  int           level_h[NS_BUILTIN_LEVELS];
  int           deepest;                     /* last level computed */
} BuiltinActs;

/* Mirror index without repeating the edge sample (PyTorch's "reflect"),
 * folded as often as needed so that any size works, even 1. */
static inline int
reflect (int i, int n)
{
  int period;

  if (n == 1)
    return 0;
  period = 2 * (n - 1);
  i %= period;
  if (i < 0)
    i += period;
  return i < n ? i : period - i;
}

static void
make_kernels (BuiltinNet *net)
{
  for (int o = 0; o < 4; o++)
    {
      double theta = o * G_PI / 4.0;
      double even[KSIZE * KSIZE], odd[KSIZE * KSIZE], env[KSIZE * KSIZE];
      double sum_even = 0.0, sum_env = 0.0, n_even = 0.0, n_odd = 0.0;

      for (int y = -KRAD; y <= KRAD; y++)
        for (int x = -KRAD; x <= KRAD; x++)
          {
            int    i = (y + KRAD) * KSIZE + (x + KRAD);
            double u = x * cos (theta) + y * sin (theta);

            env[i] = exp (-(x * x + y * y) / 4.5);
            even[i] = env[i] * cos (G_PI * u / 2.0);
            odd[i] = env[i] * sin (G_PI * u / 2.0);
            sum_even += even[i];
            sum_env += env[i];
          }
      for (int i = 0; i < KSIZE * KSIZE; i++)
        {
          even[i] -= env[i] * (sum_even / sum_env);
          n_even += even[i] * even[i];
          n_odd += odd[i] * odd[i];
        }
      for (int i = 0; i < KSIZE * KSIZE; i++)
        {
          net->kernels[2 * o][i] = even[i] / sqrt (n_even);
          net->kernels[2 * o + 1][i] = odd[i] / sqrt (n_odd);
        }
    }
  for (int k = 0; k < N_KERNELS; k++)
    for (int i = 0; i < KSIZE * KSIZE; i++)
      {
        net->forward_weights[k][i] = 2.0f * net->kernels[k][i];
        net->backward_weights[k][KSIZE * KSIZE - 1 - i] = 2.0f * net->kernels[k][i];
      }
}

/* One row through the horizontal blur and subsampling: t[x] = sum_k
 * taps[k] row[reflect (2x + k - 2)], the interior without reflect. */
static inline float
blur_tap_reflected (const float *row, int w, int x)
{
  float sum = 0.0f;

  for (int k = 0; k < 5; k++)
    sum += blur_taps[k] * row[reflect (2 * x + k - 2, w)];
  return sum;
}

static inline void
blur_row_down (const float *row, int w, float *t, int wd)
{
  int x = 0;

  for (; x < wd && 2 * x - 2 < 0; x++)
    t[x] = blur_tap_reflected (row, w, x);
  for (; x < wd && 2 * x + 2 < w; x++)
    {
      const float *r = row + 2 * x - 2;

      t[x] = blur_taps[0] * r[0] + blur_taps[1] * r[1] + blur_taps[2] * r[2]
             + blur_taps[3] * r[3] + blur_taps[4] * r[4];
    }
  for (; x < wd; x++)
    t[x] = blur_tap_reflected (row, w, x);
}

/* Transpose of blur_row_down: row[reflect (2x + k - 2)] += taps[k] t[x]. */
static inline void
blur_row_down_backward (const float *t, int wd, float *row, int w)
{
  for (int x = 0; x < wd; x++)
    {
      if (2 * x - 2 >= 0 && 2 * x + 2 < w)
        {
          float *r = row + 2 * x - 2;

          for (int k = 0; k < 5; k++)
            r[k] += blur_taps[k] * t[x];
        }
      else
        for (int k = 0; k < 5; k++)
          row[reflect (2 * x + k - 2, w)] += blur_taps[k] * t[x];
    }
}

/* The blur's two passes split over rows of all channels, one band a task. */
typedef struct
{
  const float *in;
  float       *tmp;
  float       *out;
  int          channels, w, h;
} BlurJob;

static void
blur_rows_task (int task, int n_tasks, gpointer data)
{
  const BlurJob *job = data;
  int            wd = (job->w + 1) / 2, a, b;

  ns_task_share (task, n_tasks, job->channels * job->h, &a, &b);

  for (int r = a; r < b; r++)
    blur_row_down (job->in + (gsize) r * job->w, job->w, job->tmp + (gsize) r * wd, wd);
}

static void
blur_columns_task (int task, int n_tasks, gpointer data)
{
  const BlurJob *job = data;
  int            wd = (job->w + 1) / 2, hd = (job->h + 1) / 2, a, b;

  ns_task_share (task, n_tasks, job->channels * hd, &a, &b);

  for (int r = a; r < b; r++)
    {
      int    c = r / hd, y = r % hd;
      float *o = job->out + (gsize) r * wd;

      memset (o, 0, wd * sizeof (float));
      for (int k = 0; k < 5; k++)
        {
          const float *t = job->tmp + ((gsize) c * job->h + reflect (2 * y + k - 2, job->h)) * wd;

          for (int x = 0; x < wd; x++)
            o[x] += blur_taps[k] * t[x];
        }
    }
}

static int
blur_tasks (int rows)
{
  return MAX (1, MIN (ns_get_num_threads (), rows / 16));
}

/* in: C x h x w  ->  out: C x ceil(h/2) x ceil(w/2); tmp: C x h x ceil(w/2). */
static void
blur_down (const float *in, int channels, int w, int h, float *tmp, float *out)
{
  BlurJob job = { in, tmp, out, channels, w, h };

  ns_parallel_for (blur_tasks (channels * h), blur_rows_task, &job);
  ns_parallel_for (blur_tasks (channels * ((h + 1) / 2)), blur_columns_task, &job);
}

/* Transpose of blur_down: adds to din (C x h x w) the gradient from dout
 * (C x ceil(h/2) x ceil(w/2)); tmp as in blur_down, overwritten.  Per
 * channel: a channel's rows receive from several output rows. */
typedef struct
{
  const float *dout;
  float       *tmp;
  float       *din;
  int          w, h;
} BlurBackJob;

static void
blur_back_task (int c, int n_tasks, gpointer data)
{
  const BlurBackJob *job = data;
  int                w = job->w, h = job->h, wd = (w + 1) / 2, hd = (h + 1) / 2;
  float             *tmp = job->tmp + (gsize) c * h * wd;

  (void) n_tasks;
  memset (tmp, 0, (gsize) h * wd * sizeof (float));
  for (int y = 0; y < hd; y++)
    {
      const float *o = job->dout + ((gsize) c * hd + y) * wd;

      for (int k = 0; k < 5; k++)
        {
          float *t = tmp + (gsize) reflect (2 * y + k - 2, h) * wd;

          for (int x = 0; x < wd; x++)
            t[x] += blur_taps[k] * o[x];
        }
    }
  for (int y = 0; y < h; y++)
    blur_row_down_backward (tmp + (gsize) y * wd, wd, job->din + ((gsize) c * h + y) * w, w);
}

static void
blur_down_backward (const float *dout, int channels, int w, int h,
                    float *tmp, float *din)
{
  BlurBackJob job = { dout, tmp, din, w, h };

  ns_parallel_for (channels, blur_back_task, &job);
}

/* plane (h x w) -> padded ((h + 6) x (w + 6)) with reflect padding 3. */
static void
pad_reflect (const float *plane, int w, int h, float *padded)
{
  int pw = w + 2 * KRAD;

  for (int py = 0; py < h + 2 * KRAD; py++)
    {
      const float *row = plane + (gsize) reflect (py - KRAD, h) * w;
      float       *p = padded + (gsize) py * pw;

      for (int px = 0; px < KRAD; px++)
        {
          p[px] = row[reflect (px - KRAD, w)];
          p[KRAD + w + px] = row[reflect (w + px, w)];
        }
      memcpy (p + KRAD, row, w * sizeof (float));
    }
}

/* Transpose of pad_reflect: folds the border gradient back and adds all of
 * it to dplane (h x w). */
static void
pad_reflect_backward (const float *dpadded, int w, int h, float *dplane)
{
  int pw = w + 2 * KRAD;

  for (int py = 0; py < h + 2 * KRAD; py++)
    {
      const float *p = dpadded + (gsize) py * pw;
      float       *row = dplane + (gsize) reflect (py - KRAD, h) * w;

      for (int px = 0; px < KRAD; px++)
        {
          row[reflect (px - KRAD, w)] += p[px];
          row[reflect (w + px, w)] += p[KRAD + w + px];
        }
      for (int x = 0; x < w; x++)
        row[x] += p[KRAD + x];
    }
}

static inline float
relu (float v)
{
  return v > 0.0f ? v : 0.0f;
}

/* The per-level convolutions split the rows into bands, one task each. */
typedef struct
{
  const BuiltinNet *net;
  int               w;
  int               hgt;
  const float      *h;          /* 3 x hgt x w */
  const float      *padded;     /* 3 x (hgt + 6) x (w + 6), then slack */
  float            *feat;       /* 54 x hgt x w */
  const float      *dfeat;
  float            *dpadded;    /* 3 x (hgt + 6) x (w + 6) */
  float            *scratch;    /* per task: 8 x (CHUNK + 6) x dr_stride */
} LevelJob;

/* Backward rows of the padded planes made per chunk, so that the eight
 * gradient maps they read stay in the core's cache. */
#define CHUNK 16

/* Rows [y0, y1) of all 54 feature maps. */
static void
features_task (int task, int n_tasks, gpointer data)
{
  const LevelJob *job = data;
  int             w = job->w, hgt = job->hgt, pw = w + 2 * KRAD, y0, y1;
  gsize           n = (gsize) w * hgt, pn = (gsize) pw * (hgt + 2 * KRAD);

  ns_task_share (task, n_tasks, hgt, &y0, &y1);
  for (int c = 0; c < 3; c++)
    {
      const float *plane = job->h + c * n;

      ns_gabor_split_rows (job->padded + c * pn, pw, w, y0, y1, job->net->forward_weights,
                           job->feat + (gsize) c * N_KERNELS * n,
                           job->feat + (gsize) (N_GABOR + c * N_KERNELS) * n, n);
      for (gsize i = (gsize) y0 * w; i < (gsize) y1 * w; i++)
        {
          job->feat[(2 * N_GABOR + c) * n + i] = relu (plane[i]);
          job->feat[(2 * N_GABOR + 3 + c) * n + i] = relu (-plane[i]);
        }
    }
}

/* h: 3 x hgt x w  ->  feat: 54 x hgt x w.
 * padded: 3 x (hgt + 6) x (w + 6) + NS_GABOR_SLACK. */
static void
level_features (const BuiltinNet *net, const float *h, int w, int hgt,
                float *padded, float *feat)
{
  LevelJob job = { net, w, hgt, h, padded, feat, NULL, NULL, NULL };
  gsize    n = (gsize) w * hgt, pn = (gsize) (w + 2 * KRAD) * (hgt + 2 * KRAD);

  for (int c = 0; c < 3; c++)
    pad_reflect (h + c * n, w, hgt, padded + c * pn);
  memset (padded + 3 * pn, 0, NS_GABOR_SLACK * sizeof (float));
  ns_parallel_for (MIN (ns_get_num_threads (), hgt), features_task, &job);
}

/* Row stride of the backward pass's gradient maps: 6 zeros either side
 * of a row of w, then the correlations' slack. */
static int
dr_stride (int w)
{
  return w + 4 * KRAD + NS_GABOR_SLACK;
}

static gsize
backward_scratch_size (int w)
{
  return (gsize) N_KERNELS * (CHUNK + KSIZE - 1) * dr_stride (w);
}

/* The gradient of channel c's eight r maps (through the relu split) for
 * rows [py - 6, py + rows) of r, zero outside r, into 8 maps of rows + 6
 * rows at scratch.  r > 0 where pos > 0 and r < 0 where neg > 0. */
NS_HOT static void
gather_dr (const LevelJob *job, int c, int py, int rows, float *scratch)
{
  int          w = job->w, hgt = job->hgt, stride = dr_stride (w), pad = KSIZE - 1;
  gsize        n = (gsize) w * hgt, map = (gsize) (rows + pad) * stride;
  const float *feat = job->feat, *dfeat = job->dfeat;

  for (int k = 0; k < N_KERNELS; k++)
    for (int q = 0; q < rows + pad; q++)
      {
        float *restrict d = scratch + k * map + (gsize) q * stride;
        int             y = py + q - pad;
        gsize           at = (gsize) (c * N_KERNELS + k) * n + (gsize) y * w;

        if (y < 0 || y >= hgt)
          {
            memset (d, 0, stride * sizeof (float));
            continue;
          }
        memset (d, 0, pad * sizeof (float));
        memset (d + pad + w, 0, (stride - pad - w) * sizeof (float));
        {
          const float *restrict fp = feat + at, *restrict dp = dfeat + at;
          const float *restrict fn = feat + at + (gsize) N_GABOR * n;
          const float *restrict dn = dfeat + at + (gsize) N_GABOR * n;

          NsVec16      zero = { 0 };
          int          x = 0;

          d += pad;
          /* GCC left the plain loop scalar, even at -O3. */
          for (; x + NS_VEC <= w; x += NS_VEC)
            ns_vec_store (d + x,
                          ns_vec_select (ns_vec_load (fp + x) > zero, ns_vec_load (dp + x), zero)
                          - ns_vec_select (ns_vec_load (fn + x) > zero, ns_vec_load (dn + x), zero),
                          NS_VEC);
          for (; x < w; x++)
            d[x] = (fp[x] > 0.0f ? dp[x] : 0.0f) - (fn[x] > 0.0f ? dn[x] : 0.0f);
        }
      }
}

/* Rows of the padded planes' gradient: each is the sum over the eight
 * kernels of the flipped correlation of their r maps' gradient. */
static void
features_backward_task (int task, int n_tasks, gpointer data)
{
  const LevelJob *job = data;
  int             w = job->w, pw = w + 2 * KRAD, ph = job->hgt + 2 * KRAD, y0, y1;
  gsize           pn = (gsize) pw * ph;
  float          *scratch = job->scratch + (gsize) task * backward_scratch_size (w);

  ns_task_share (task, n_tasks, ph, &y0, &y1);
  for (int py = y0; py < y1; py += CHUNK)
    {
      int rows = MIN (CHUNK, y1 - py);

      for (int c = 0; c < 3; c++)
        {
          gather_dr (job, c, py, rows, scratch);
          ns_gabor_sum_rows (scratch, (gsize) (rows + KSIZE - 1) * dr_stride (w), dr_stride (w),
                             pw, 0, rows, job->net->backward_weights,
                             job->dpadded + c * pn + (gsize) py * pw, pw);
        }
    }
}

/* dplane += dp where fp > 0, - dn where fn > 0, over n floats: the
 * gradient through a colour channel's two rectified halves.  Written
 * with vectors: GCC left the plain loop scalar and branching on the
 * signs (6 % of an evaluation at 1024 px). */
NS_HOT static void
add_halves_gradient (float *dplane, const float *fp, const float *dp, const float *fn,
                     const float *dn, gsize n)
{
  NsVec16 zero = { 0 };
  gsize   i = 0;

  for (; i + NS_VEC <= n; i += NS_VEC)
    {
      NsVec16 pos = ns_vec_select (ns_vec_load (fp + i) > zero, ns_vec_load (dp + i), zero);
      NsVec16 neg = ns_vec_select (ns_vec_load (fn + i) > zero, ns_vec_load (dn + i), zero);

      ns_vec_store (dplane + i, ns_vec_load (dplane + i) + (pos - neg), NS_VEC);
    }
  for (; i < n; i++)
    dplane[i] += (fp[i] > 0.0f ? dp[i] : 0.0f) - (fn[i] > 0.0f ? dn[i] : 0.0f);
}

/* Adds to dh (3 x hgt x w) the gradient through level_features.
 * dpadded: 3 x (hgt + 6) x (w + 6); scratch: n_tasks x
 * backward_scratch_size (w). */
static void
level_features_backward (const BuiltinNet *net, const float *feat,
                         const float *dfeat, int w, int hgt, int n_tasks,
                         float *dpadded, float *scratch, float *dh)
{
  LevelJob job = { net, w, hgt, NULL, NULL, (float *) feat, dfeat, dpadded, scratch };
  gsize    n = (gsize) w * hgt, pn = (gsize) (w + 2 * KRAD) * (hgt + 2 * KRAD);

  ns_parallel_for (MIN (n_tasks, hgt + 2 * KRAD), features_backward_task, &job);
  for (int c = 0; c < 3; c++)
    {
      float       *dplane = dh + c * n;
      const float *fp = feat + (2 * N_GABOR + c) * n;
      const float *fn = feat + (2 * N_GABOR + 3 + c) * n;
      const float *dp = dfeat + (2 * N_GABOR + c) * n;
      const float *dn = dfeat + (2 * N_GABOR + 3 + c) * n;

      pad_reflect_backward (dpadded + c * pn, w, hgt, dplane);
      add_halves_gradient (dplane, fp, dp, fn, dn, n);
    }
}

static void
builtin_activations_free (NsActivations *acts)
{
  BuiltinActs *a = (BuiltinActs *) acts;

  for (int l = 0; l < NS_BUILTIN_LEVELS; l++)
    ns_pool_free (a->levels[l].data, ns_tensor_size (&a->levels[l]), sizeof (float));
  g_free (a);
}

static NsActivations *
builtin_forward (NsNetwork *network, const NsImage *input, const NsWindow *where,
                 const gboolean *wanted, GError **error)
{
  BuiltinNet  *net = (BuiltinNet *) network;
  BuiltinActs *a = g_new0 (BuiltinActs, 1);
  int          w = input->width, hgt = input->height;
  gsize        n = (gsize) w * hgt;
  /* Scratch from the pool: reused between evaluations, so no page faults
   * or zero-filling (every buffer here is written in full before read). */
  gsize        h_n = 3 * n, next_n = 3 * (gsize) ((w + 1) / 2) * ((hgt + 1) / 2);
  gsize        tmp_n = 3 * (gsize) hgt * ((w + 1) / 2);
  gsize        padded_n = 3 * (gsize) (w + 2 * KRAD) * (hgt + 2 * KRAD) + NS_GABOR_SLACK;
  float       *h = NULL, *next = NULL, *tmp = NULL, *padded = NULL;
  gboolean     ok = TRUE;

  (void) where;             /* its correlations follow no grid */
  a->parent.net = network;
  a->parent.width = w;
  a->parent.height = hgt;
  a->parent.outputs = a->levels;
  a->deepest = -1;
  for (int l = 0; l < NS_BUILTIN_LEVELS; l++)
    if (wanted[l])
      a->deepest = l;

  h = ns_pool_alloc (h_n, sizeof (float), error);
  next = h ? ns_pool_alloc (next_n, sizeof (float), error) : NULL;
  tmp = next ? ns_pool_alloc (tmp_n, sizeof (float), error) : NULL;
  padded = tmp ? ns_pool_alloc (padded_n, sizeof (float), error) : NULL;
  ok = padded != NULL;
  for (int c = 0; ok && c < 3; c++)
    {
      float inv = 1.0f / image_std[c], mean = image_mean[c];

      for (gsize i = 0; i < n; i++)
        h[c * n + i] = (input->data[c * n + i] - mean) * inv;
    }

  for (int l = 0; ok && l <= a->deepest; l++)
    {
      NsTensor *t = &a->levels[l];

      a->level_w[l] = w;
      a->level_h[l] = hgt;
      t->channels = NS_BUILTIN_FEATURES;
      t->width = w;
      t->height = hgt;
      if (wanted[l])
        {
          t->data = ns_pool_alloc (ns_tensor_size (t), sizeof (float), error);
          if (t->data == NULL)
            {
              ok = FALSE;
              break;
            }
          level_features (net, h, w, hgt, padded, t->data);
        }
      if (l < a->deepest)
        {
          float *swap;
          gsize  swap_n;

          blur_down (h, 3, w, hgt, tmp, next);
          w = (w + 1) / 2;
          hgt = (hgt + 1) / 2;
          swap = h, h = next, next = swap;
          swap_n = h_n, h_n = next_n, next_n = swap_n;
        }
    }

  ns_pool_free (h, h_n, sizeof (float));
  ns_pool_free (next, next_n, sizeof (float));
  ns_pool_free (tmp, tmp_n, sizeof (float));
  ns_pool_free (padded, padded_n, sizeof (float));
  if (!ok)
    {
      builtin_activations_free (&a->parent);
      return NULL;
    }
  return &a->parent;
}

static gboolean
builtin_backward (NsNetwork *network, NsActivations *acts,
                  const NsTensor *grads, float *input_grad, GError **error)
{
  BuiltinNet  *net = (BuiltinNet *) network;
  BuiltinActs *a = (BuiltinActs *) acts;
  int          w0 = acts->width, h0 = acts->height;
  gsize        n0 = (gsize) w0 * h0;
  float       *dh = NULL, *dcoarse = NULL, *tmp, *dpadded, *scratch;
  int          n_tasks = ns_get_num_threads ();
  /* One scratch block sized for level 0 serves every level; all come
   * from the pool (the tasks write all of what they read). */
  gsize        tmp_n = 3 * (gsize) h0 * ((w0 + 1) / 2), dh_n = 0, dcoarse_n = 0;
  gsize        dpadded_n = 3 * (gsize) (w0 + 2 * KRAD) * (h0 + 2 * KRAD);
  gsize        scratch_n = (gsize) n_tasks * backward_scratch_size (w0);
  gboolean     ok;

  tmp = ns_pool_alloc (tmp_n, sizeof (float), error);
  dpadded = tmp ? ns_pool_alloc (dpadded_n, sizeof (float), error) : NULL;
  scratch = dpadded ? ns_pool_alloc (scratch_n, sizeof (float), error) : NULL;
  ok = scratch != NULL;

  for (int l = a->deepest; ok && l >= 0; l--)
    {
      int   w = a->level_w[l], hgt = a->level_h[l];

      dh_n = 3 * (gsize) w * hgt;
      dh = ns_pool_alloc (dh_n, sizeof (float), error);
      if (dh == NULL)
        {
          ok = FALSE;
          break;
        }
      memset (dh, 0, dh_n * sizeof (float));
      if (dcoarse != NULL)
        blur_down_backward (dcoarse, 3, w, hgt, tmp, dh);
      if (grads[l].data != NULL && a->levels[l].data != NULL)
        level_features_backward (net, a->levels[l].data, grads[l].data,
                                 w, hgt, n_tasks, dpadded, scratch, dh);
      ns_pool_free (dcoarse, dcoarse_n, sizeof (float));
      dcoarse = dh;
      dcoarse_n = dh_n;
      dh = NULL;
    }

  if (ok)
    for (int c = 0; c < 3; c++)
      {
        float inv = 1.0f / image_std[c];

        for (gsize i = 0; i < n0; i++)
          input_grad[c * n0 + i] = dcoarse ? dcoarse[c * n0 + i] * inv : 0.0f;
      }

  ns_pool_free (dcoarse, dcoarse_n, sizeof (float));
  ns_pool_free (tmp, tmp_n, sizeof (float));
  ns_pool_free (dpadded, dpadded_n, sizeof (float));
  ns_pool_free (scratch, scratch_n, sizeof (float));
  return ok;
}

static void
builtin_free (NsNetwork *net)
{
  g_free (net);
}

/* The pyramid's own step: the [1 4 6 4 1] blur, every second sample. */
static NsImage *
builtin_halve_map (NsNetwork *net, const NsImage *map, GError **error)
{
  int      w = map->width, h = map->height;
  NsImage *half = ns_image_new ((w + 1) / 2, (h + 1) / 2, 1, error);
  float   *tmp = half ? ns_try_alloc0 ((gsize) h * half->width, sizeof (float), error) : NULL;

  (void) net;
  if (tmp == NULL)
    {
      ns_image_free (half);
      return NULL;
    }
  blur_down (map->data, 1, w, h, tmp, half->data);
  g_free (tmp);
  return half;
}

static const NsNetworkClass builtin_class =
{
  builtin_forward,
  builtin_backward,
  builtin_activations_free,
  builtin_free,
  builtin_halve_map
};

NsNetwork *
ns_builtin_network_new (void)
{
  BuiltinNet *net = g_new0 (BuiltinNet, 1);

  net->parent.klass = &builtin_class;
  net->parent.name = "builtin";
  net->parent.n_outputs = NS_BUILTIN_LEVELS;
  net->parent.output_names = output_names;
  net->parent.n_style_outputs = NS_BUILTIN_LEVELS;
  net->parent.style_outputs = style_outputs;
  net->parent.content_output = 3;
  net->parent.min_input_size = NS_BUILTIN_MIN_SIZE;
  net->parent.output_strides = output_strides;
  net->parent.output_radii = output_radii;
  net->parent.alignment = output_strides[NS_BUILTIN_LEVELS - 1];
  net->parent.output_channels = output_channels;
  net->parent.outputs_independent = TRUE;
  /* Features and their gradients (54 maps over 4/3 of the pixels, twice)
   * and scratch: 650 bytes measured at 1 and 4 megapixels. */
  net->parent.eval_bytes_per_pixel = 700.0;
  make_kernels (net);
  return &net->parent;
}

const float *
ns_builtin_kernels (NsNetwork *network)
{
  return ((BuiltinNet *) network)->kernels[0];
}
