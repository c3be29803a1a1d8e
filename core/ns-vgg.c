/* ns-vgg.c: VGG19 forward and backward.
 *
 * A 3x3 convolution (zero padding 1) of C_in x H x W goes one of three
 * ways, by its channels (choose_method):
 *  - Winograd's F(4x4, 3x3) with our own products (ns-winograd4.c), one
 *    copy of its kernels for both passes: blocks 1 to 3 but the first
 *    layer;
 *  - Winograd's F(2x2, 3x3) with sgemm (ns-winograd.c), whose kernels take
 *    less than half the memory: the 512-channel layers;
 *  - the first layer's three input channels are too few for either: per
 *    band of rows, an im2col matrix (C_in 9) x (rows W) multiplied by the
 *    weights C_out x (C_in 9).  Its backward pass has three outputs: one
 *    product (C_out 9) x C_in gives each output's nine taps as planes,
 *    which it sums shifted (taps_conv3x3).
 * A convolution's input gradient is again such a convolution, of the output
 * gradient with the weights transposed (in <-> out) and flipped, so backward
 * reuses the forward code.
 */
#include "ns-vgg.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#include "ns-error.h"
#include "ns-maxpool.h"
#include "ns-pool.h"
#include "ns-simd.h"
#include "ns-threads.h"
#include "ns-winograd.h"
#include "ns-winograd4.h"

/* torchvision's features.N index of each convolution. */
static const int conv_index[NS_VGG19_CONVS] =
  { 0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28, 30, 32, 34 };
/* Block (1..5) of each convolution: a pool stands between blocks. */
static const int conv_block[NS_VGG19_CONVS] =
  { 1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5 };

static const char *const output_names[NS_VGG19_CONVS] =
  { "relu1_1", "relu1_2", "relu2_1", "relu2_2",
    "relu3_1", "relu3_2", "relu3_3", "relu3_4",
    "relu4_1", "relu4_2", "relu4_3", "relu4_4",
    "relu5_1", "relu5_2", "relu5_3", "relu5_4" };
static const int style_outputs[5] = { 0, 2, 4, 8, 12 };   /* reluN_1 */
static const int content_output = 9;                       /* relu4_2 */

static const float image_mean[3] = { 0.485f, 0.456f, 0.406f };
static const float image_std[3]  = { 0.229f, 0.224f, 0.225f };

/* im2col floats per band, at most (so 32 MB per thread). */
#define BAND_BUDGET (8u << 20)
/* Below this many channels in or out, Winograd's products are too thin to
 * run well and its transforms cost more than they save. */
#define WINOGRAD_MIN_CHANNELS 16

typedef enum
{
  CONV_IM2COL,
  CONV_WINOGRAD2,
  CONV_WINOGRAD4
} ConvMethod;

typedef struct
{
  NsNetwork     parent;
  int           strides[NS_VGG19_CONVS];      /* of each ReLU output */
  int           radii[NS_VGG19_CONVS];
  int           in_ch[NS_VGG19_CONVS];
  int           out_ch[NS_VGG19_CONVS];
  ConvMethod    method[NS_VGG19_CONVS];
  /* Each layer's kernels for its method, the others NULL: im2col's
   * forward and backward (the same, flipped and transposed); F(2x2)'s and
   * F(4x4)'s, once for both passes. */
  float        *weights[NS_VGG19_CONVS];      /* out x in x 9 */
  float        *weights_back[NS_VGG19_CONVS]; /* (in 9) x out, flipped */
  float        *wino[NS_VGG19_CONVS];         /* 16 x out x in */
  float        *wino4[NS_VGG19_CONVS];        /* see ns_winograd4_weights_new */
  float        *bias[NS_VGG19_CONVS];
} VggNet;

typedef struct
{
  NsActivations parent;
  NsTensor      relu[NS_VGG19_CONVS];         /* every computed ReLU output */
  int           deepest;
} VggActs;

char *
ns_vgg19_weight_name (int conv, gboolean bias)
{
  return g_strdup_printf ("features.%d.%s", conv_index[conv], bias ? "bias" : "weight");
}

static gboolean
starts_block (int conv)
{
  return conv > 0 && conv_block[conv] != conv_block[conv - 1];
}

/* ------------------------------------------------------------ convolution */

typedef struct
{
  const float *in;        /* c_in x h x w */
  int          c_in;
  int          c_out;
  int          h;
  int          w;
  const float *weights;   /* c_out x (c_in 9); taps_conv3x3's: (c_out 9) x c_in,
                             output o's tap k in row 9 o + k */
  const float *bias;      /* c_out, or NULL: no bias, no ReLU */
  float       *out;       /* c_out x h x w */
  int          y0;        /* the band being done: rows [y0, y1) */
  int          y1;
  float       *cols;      /* c_in 9 x (y1 - y0) w; taps_conv3x3's Z: c_out 9 x
                             (z1 - z0) w */
  int          z0;        /* taps_conv3x3: its taps' rows, [y0 - 1, y1 + 1) */
  int          z1;        /* within the image */
} ConvJob;

/* Input channel @c: its nine rows of cols = the 3x3 neighbourhoods of rows
 * [y0, y1), zero outside the image. */
static void
im2col_task (int c, int n_tasks, gpointer data)
{
  const ConvJob *job = data;
  int            w = job->w, h = job->h;
  gsize          n = (gsize) (job->y1 - job->y0) * w;

  (void) n_tasks;
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      {
        float *row = job->cols + ((gsize) (c * 9 + i * 3 + j)) * n;

        for (int y = job->y0; y < job->y1; y++)
          {
            int          sy = y + i - 1;
            float       *dst = row + (gsize) (y - job->y0) * w;
            const float *src = job->in + ((gsize) c * h + sy) * w;

            if (sy < 0 || sy >= h)
              {
                memset (dst, 0, w * sizeof (float));
                continue;
              }
            /* Shift by j - 1 with a zero at the edge it uncovers. */
            if (j == 0)
              {
                dst[0] = 0.0f;
                memcpy (dst + 1, src, (w - 1) * sizeof (float));
              }
            else if (j == 1)
              memcpy (dst, src, w * sizeof (float));
            else
              {
                memcpy (dst, src + 1, (w - 1) * sizeof (float));
                dst[w - 1] = 0.0f;
              }
          }
      }
}

/* Output channel @o of the band: out = relu (out + bias). */
static void
bias_relu_task (int o, int n_tasks, gpointer data)
{
  const ConvJob *job = data;
  gsize          n = (gsize) (job->y1 - job->y0) * job->w;
  float         *p = job->out + (gsize) o * job->h * job->w + (gsize) job->y0 * job->w;
  float          b = job->bias[o];

  (void) n_tasks;
  for (gsize i = 0; i < n; i++)
    p[i] = MAX (p[i] + b, 0.0f);
}

/* This task's share of the band's product, by columns. */
static void
band_product_task (int task, int n_tasks, gpointer data)
{
  const ConvJob *job = data;
  int            hw = job->h * job->w, n = (job->y1 - job->y0) * job->w, a, b;

  ns_task_share (task, n_tasks, n, &a, &b);
  if (b <= a)
    return;
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, job->c_out, b - a,
               job->c_in * 9, 1.0f, job->weights, job->c_in * 9, job->cols + a, n,
               0.0f, job->out + (gsize) job->y0 * job->w + a, hw);
}

/* The band's product, its columns split over the core's threads.  Not
 * OpenBLAS's own threads: after a call they spin for a while, taking the
 * cores from the core's threads (an eighth of a 256 px evaluation). */
static void
conv_band (ConvJob *job)
{
  gsize n = (gsize) (job->y1 - job->y0) * job->w;

  ns_parallel_for (job->c_in, im2col_task, job);
  ns_parallel_for (ns_column_tasks (n), band_product_task, job);
  if (job->bias != NULL)
    ns_parallel_for (job->c_out, bias_relu_task, job);
}

/* The deepest convolution a style or content output needs. */
static int
deepest_used (void)
{
  int deepest = content_output;

  for (guint k = 0; k < G_N_ELEMENTS (style_outputs); k++)
    deepest = MAX (deepest, style_outputs[k]);
  return deepest;
}

/* F(4x4) for every layer the losses reach: its kernels take 36 floats per
 * channel pair, 207 MB to relu5_1.  The three past it, which no loss
 * asks for, keep F(2x2)'s 16 (50 MB instead of 113). */
static ConvMethod
choose_method (int conv, int c_in, int c_out)
{
  if (c_in < WINOGRAD_MIN_CHANNELS || c_out < WINOGRAD_MIN_CHANNELS)
    return CONV_IM2COL;
  return conv <= deepest_used () ? CONV_WINOGRAD4 : CONV_WINOGRAD2;
}

/* out = relu (conv (in) + bias), or conv (in) alone with bias NULL, by
 * im2col with @weights. */
static gboolean
im2col_conv3x3 (const float *in, int c_in, int c_out, int h, int w, const float *weights,
                const float *bias, float *out, GError **error)
{
  ConvJob job = { in, c_in, c_out, h, w, weights, bias, out, 0, 0, NULL, 0, 0 };
  int     band_rows, n_bands;
  gsize   cols_size;

  /* As few bands as the im2col budget allows, rows spread evenly. */
  band_rows = CLAMP ((int) (BAND_BUDGET / ((gsize) c_in * 9 * w)), 1, h);
  n_bands = (h + band_rows - 1) / band_rows;
  band_rows = (h + n_bands - 1) / n_bands;
  cols_size = (gsize) c_in * 9 * band_rows * w;
  job.cols = ns_pool_alloc (cols_size, sizeof (float), error);
  if (job.cols == NULL)
    return FALSE;
  for (job.y0 = 0; job.y0 < h; job.y0 += band_rows)
    {
      job.y1 = MIN (h, job.y0 + band_rows);
      conv_band (&job);
    }
  ns_pool_free (job.cols, cols_size, sizeof (float));
  return TRUE;
}

/* ---------------------------------------------------- few outputs: taps */

/* This task's share of Z = weights x in over the band's rows, by columns. */
static void
taps_product_task (int task, int n_tasks, gpointer data)
{
  const ConvJob *job = data;
  int            n = (job->z1 - job->z0) * job->w, a, b;

  ns_task_share (task, n_tasks, n, &a, &b);
  if (b > a)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, job->c_out * 9, b - a, job->c_in,
                 1.0f, job->weights, job->c_in, job->in + (gsize) job->z0 * job->w + a,
                 job->h * job->w, 0.0f, job->cols + a, n);
}

/* Output row y0 + @r of every output: the sum of its nine tap planes,
 * each shifted to where its tap reads (zero past the border). */
static void
taps_sum_task (int r, int n_tasks, gpointer data)
{
  const ConvJob *job = data;
  int            y = job->y0 + r, w = job->w, rows = job->z1 - job->z0;

  (void) n_tasks;
  for (int o = 0; o < job->c_out; o++)
    {
      float *dst = job->out + ((gsize) o * job->h + y) * w;

      memset (dst, 0, w * sizeof (float));
      for (int i = 0; i < 3; i++)
        {
          int          zy = y + i - 1;
          const float *tap;

          if (zy < 0 || zy >= job->h)
            continue;
          tap = job->cols + ((gsize) (9 * o + 3 * i) * rows + zy - job->z0) * w;
          for (int x = 1; x < w; x++)                       /* reads x - 1 */
            dst[x] += tap[x - 1];
          tap += (gsize) rows * w;
          for (int x = 0; x < w; x++)
            dst[x] += tap[x];
          tap += (gsize) rows * w;
          for (int x = 0; x + 1 < w; x++)                   /* reads x + 1 */
            dst[x] += tap[x + 1];
        }
    }
}

/* out = conv (in) for few outputs (no bias: a backward pass).  @weights:
 * (c_out 9) x c_in, see ConvJob. */
static gboolean
taps_conv3x3 (const float *in, int c_in, int c_out, int h, int w, const float *weights,
              float *out, GError **error)
{
  ConvJob job = { .in = in, .c_in = c_in, .c_out = c_out, .h = h, .w = w,
                  .weights = weights, .out = out };
  int     band_rows = CLAMP ((int) (BAND_BUDGET / ((gsize) c_out * 9 * w)) - 2, 1, h);
  gsize   z_size = (gsize) c_out * 9 * (band_rows + 2) * w;

  job.cols = ns_pool_alloc (z_size, sizeof (float), error);
  if (job.cols == NULL)
    return FALSE;
  for (job.y0 = 0; job.y0 < h; job.y0 += band_rows)
    {
      job.y1 = MIN (h, job.y0 + band_rows);
      job.z0 = MAX (job.y0 - 1, 0);
      job.z1 = MIN (job.y1 + 1, h);
      ns_parallel_for (ns_column_tasks ((gsize) (job.z1 - job.z0) * w), taps_product_task,
                       &job);
      ns_parallel_for (job.y1 - job.y0, taps_sum_task, &job);
    }
  ns_pool_free (job.cols, z_size, sizeof (float));
  return TRUE;
}

/* Layer @i's pass on in (its inputs x h x w) into out: forward, relu
 * (conv (in) + bias); @backward, the gradient on its input from the one
 * on its output. */
static gboolean
conv_layer (const VggNet *net, int i, gboolean backward, const float *in, int h, int w,
            float *out, GError **error)
{
  int          inputs = backward ? net->out_ch[i] : net->in_ch[i];
  int          outputs = backward ? net->in_ch[i] : net->out_ch[i];
  const float *bias = backward ? NULL : net->bias[i];

  switch (net->method[i])
    {
    case CONV_WINOGRAD4:
      return ns_winograd4_conv3x3 (in, inputs, outputs, h, w, net->wino4[i], backward,
                                   bias, out, error);
    case CONV_WINOGRAD2:
      return ns_winograd_conv3x3 (in, inputs, outputs, h, w, net->wino[i], backward,
                                  bias, out, error);
    case CONV_IM2COL:
    default:
      return backward ? taps_conv3x3 (in, inputs, outputs, h, w, net->weights_back[i], out, error)
                      : im2col_conv3x3 (in, inputs, outputs, h, w, net->weights[i], bias, out,
                                        error);
    }
}

/* ------------------------------------------------------------------ ReLU */

/* d = (d + g) where r > 0, else 0: the gradient through a ReLU, with the
 * loss's own gradient on that output added; by channel. */
typedef struct
{
  float       *d;
  const float *g;         /* or NULL */
  const float *r;
  gsize        plane;
} ReluJob;

NS_HOT static void
relu_backward_task (int ch, int n_tasks, gpointer data)
{
  const ReluJob *job = data;
  gsize          first = (gsize) ch * job->plane, last = first + job->plane, k = first;
  NsVec16        zero = { 0 };

  (void) n_tasks;
  /* GCC left the plain loop below scalar, even at -O3. */
  for (; k + NS_VEC <= last; k += NS_VEC)
    {
      NsVec16 v = ns_vec_load (job->d + k);

      if (job->g != NULL)
        v += ns_vec_load (job->g + k);
      ns_vec_store (job->d + k, ns_vec_select (ns_vec_load (job->r + k) > zero, v, zero), NS_VEC);
    }
  for (; k < last; k++)
    {
      float v = job->g != NULL ? job->d[k] + job->g[k] : job->d[k];

      job->d[k] = job->r[k] > 0.0f ? v : 0.0f;
    }
}

/* ---------------------------------------------------------------- network */

static void
vgg_activations_free (NsActivations *acts)
{
  VggActs *a = (VggActs *) acts;

  for (int i = 0; i < NS_VGG19_CONVS; i++)
    ns_pool_free (a->relu[i].data, ns_tensor_size (&a->relu[i]), sizeof (float));
  g_free (a);
}

static NsActivations *
vgg_forward (NsNetwork *network, const NsImage *input, const gboolean *wanted,
             GError **error)
{
  VggNet      *net = (VggNet *) network;
  VggActs     *a = g_new0 (VggActs, 1);
  int          h = input->height, w = input->width;
  gsize        n = (gsize) h * w;
  float       *x = ns_try_alloc0 (3 * n, sizeof (float), error);
  float       *pooled = NULL;
  gsize        pooled_size = 0;
  const float *cur = x;
  gboolean     ok = x != NULL;

  a->parent.net = network;
  a->parent.width = w;
  a->parent.height = h;
  a->parent.outputs = a->relu;
  a->deepest = -1;
  for (int i = 0; i < NS_VGG19_CONVS; i++)
    if (wanted[i])
      a->deepest = i;
  for (int c = 0; ok && c < 3; c++)
    for (gsize i = 0; i < n; i++)
      x[c * n + i] = (input->data[c * n + i] - image_mean[c]) / image_std[c];

  for (int i = 0; ok && i <= a->deepest; i++)
    {
      if (starts_block (i))
        {
          pooled_size = (gsize) net->in_ch[i] * (h / 2) * (w / 2);
          pooled = ns_pool_alloc (pooled_size, sizeof (float), error);
          if ((ok = pooled != NULL))
            ns_maxpool2x2 (cur, net->in_ch[i], h, w, pooled);
          h /= 2;
          w /= 2;
          cur = pooled;
        }
      a->relu[i] = (NsTensor) { net->out_ch[i], h, w, NULL };
      a->relu[i].data = ok ? ns_pool_alloc (ns_tensor_size (&a->relu[i]), sizeof (float), error) : NULL;
      ok = ok && a->relu[i].data != NULL &&
           conv_layer (net, i, FALSE, cur, h, w, a->relu[i].data, error);
      ns_pool_free (pooled, pooled_size, sizeof (float));
      pooled = NULL;
      cur = a->relu[i].data;
    }
  g_free (x);
  if (!ok)
    {
      vgg_activations_free (&a->parent);
      return NULL;
    }
  return &a->parent;
}

static gboolean
vgg_backward (NsNetwork *network, NsActivations *acts, const NsTensor *grads,
              float *input_grad, GError **error)
{
  VggNet  *net = (VggNet *) network;
  VggActs *a = (VggActs *) acts;
  float   *d = NULL;        /* gradient on relu[i]'s output, or NULL: zero */
  gsize    d_size = 0;
  gboolean ok = TRUE;

  for (int i = a->deepest; ok && i >= 0; i--)
    {
      NsTensor *r = &a->relu[i];
      gsize     size = ns_tensor_size (r), conv_size;
      float    *dconv;
      int       h = r->height, w = r->width;

      if (grads[i].data != NULL && d == NULL)
        {
          /* Failing here must fail the pass, not give a zero gradient. */
          if (!(ok = (d = ns_pool_alloc (size, sizeof (float), error)) != NULL))
            break;
          d_size = size;
          memset (d, 0, size * sizeof (float));
        }
      if (d == NULL)
        continue;                        /* nothing depends on this layer yet */
      {
        ReluJob relu = { d, grads[i].data, r->data, (gsize) h * w };

        ns_parallel_for (r->channels, relu_backward_task, &relu);
      }
      conv_size = (gsize) net->in_ch[i] * h * w;
      dconv = ns_pool_alloc (conv_size, sizeof (float), error);
      ok = dconv != NULL &&
           conv_layer (net, i, TRUE, d, h, w, dconv, error);
      ns_pool_free (d, d_size, sizeof (float));
      d = dconv;
      d_size = conv_size;
      if (ok && starts_block (i))
        {
          const NsTensor *below = &a->relu[i - 1];
          gsize           below_size = ns_tensor_size (below);
          float          *dpool = ns_pool_alloc (below_size, sizeof (float), error);

          if ((ok = dpool != NULL))
            ns_maxpool2x2_backward (below->data, d, below->channels,
                                    below->height, below->width, dpool);
          ns_pool_free (d, d_size, sizeof (float));
          d = dpool;
          d_size = below_size;
        }
    }
  if (ok)
    {
      gsize n = (gsize) acts->width * acts->height;

      for (int c = 0; c < 3; c++)
        for (gsize k = 0; k < n; k++)
          input_grad[c * n + k] = d != NULL ? d[c * n + k] / image_std[c] : 0.0f;
    }
  ns_pool_free (d, d_size, sizeof (float));
  return ok;
}

static void
vgg_free (NsNetwork *network)
{
  VggNet *net = (VggNet *) network;

  for (int i = 0; i < NS_VGG19_CONVS; i++)
    {
      g_free (net->weights[i]);
      g_free (net->weights_back[i]);
      g_free (net->wino[i]);
      g_free (net->wino4[i]);
      g_free (net->bias[i]);
    }
  g_free (net);
}

/* The mean of each 2 x 2 block, on the max pool's grid (floor). */
static NsImage *
vgg_halve_map (NsNetwork *net, const NsImage *map, GError **error)
{
  NsImage *half = ns_image_new (MAX (map->width / 2, 1), MAX (map->height / 2, 1), 1, error);
  int      w = map->width;

  (void) net;
  for (int y = 0; half != NULL && y < half->height; y++)
    for (int x = 0; x < half->width; x++)
      {
        /* A side of 1 (below any network input) averages what is there. */
        const float *p = map->data + (gsize) MIN (2 * y, map->height - 1) * w + MIN (2 * x, w - 1);
        int          dx = 2 * x + 1 < w, dy = 2 * y + 1 < map->height ? w : 0;

        half->data[(gsize) y * half->width + x] = 0.25f * (p[0] + p[dx] + p[dy] + p[dy + dx]);
      }
  return half;
}

static const NsNetworkClass vgg_class =
{
  vgg_forward,
  vgg_backward,
  vgg_activations_free,
  vgg_free,
  vgg_halve_map
};

/* Layer @i's kernels into the Winograd domain of its method, for both
 * passes; the plain ones are then of no use. */
static gboolean
to_winograd (VggNet *net, int i, GError **error)
{
  if (net->method[i] == CONV_WINOGRAD4)
    {
      net->wino4[i] = ns_winograd4_weights_new (net->weights[i], net->in_ch[i],
                                                net->out_ch[i], error);
      if (net->wino4[i] == NULL)
        return FALSE;
    }
  else
    {
      net->wino[i] = ns_winograd_weights_new (net->weights[i], net->in_ch[i], net->out_ch[i],
                                              error);
      if (net->wino[i] == NULL)
        return FALSE;
    }
  g_clear_pointer (&net->weights[i], g_free);
  return TRUE;
}

/* Layer @i's backward kernels for taps_conv3x3: turned by 180 degrees,
 * input and output channels swapped, (in 9) x out. */
static gboolean
flip_for_backward (VggNet *net, int i, GError **error)
{
  float *back = ns_try_alloc0 ((gsize) net->in_ch[i] * net->out_ch[i] * 9, sizeof (float), error);

  if (back == NULL)
    return FALSE;
  for (int o = 0; o < net->out_ch[i]; o++)
    for (int c = 0; c < net->in_ch[i]; c++)
      for (int k = 0; k < 9; k++)
        back[((gsize) c * 9 + (8 - k)) * net->out_ch[i] + o] =
          net->weights[i][((gsize) o * net->in_ch[i] + c) * 9 + k];
  net->weights_back[i] = back;
  return TRUE;
}

/* NaN or infinity in a weight spreads to every pixel: such a file is
 * damaged, whatever its shapes say. */
static gboolean
all_finite (const float *values, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (!isfinite (values[i]))
      return FALSE;
  return TRUE;
}

/* Checks conv i's tensors against the chain so far and loads them. */
static gboolean
load_conv (VggNet *net, NsSafetensors *st, int i, GError **error)
{
  char               *wname = ns_vgg19_weight_name (i, FALSE);
  char               *bname = ns_vgg19_weight_name (i, TRUE);
  const NsTensorInfo *wi = ns_safetensors_find (st, wname);
  const NsTensorInfo *bi = ns_safetensors_find (st, bname);
  int                 expected_in = i == 0 ? 3 : net->out_ch[i - 1];
  gboolean            ok = FALSE;

  if (wi == NULL || bi == NULL)
    g_set_error (error, NS_ERROR, NS_ERROR_BAD_WEIGHTS,
                 "VGG19 weights lack %s or %s", wname, bname);
  else if (wi->ndim != 4 || wi->shape[1] != expected_in || wi->shape[2] != 3 ||
           wi->shape[3] != 3 || wi->shape[0] < 1 || wi->shape[0] > 4096 ||
           bi->ndim != 1 || bi->shape[0] != wi->shape[0])
    g_set_error (error, NS_ERROR, NS_ERROR_BAD_WEIGHTS,
                 "%s has the wrong shape for VGG19 (wanted [out, %d, 3, 3] and bias [out])",
                 wname, expected_in);
  else
    {
      net->in_ch[i] = expected_in;
      net->out_ch[i] = wi->shape[0];
      net->weights[i] = ns_safetensors_load_f32 (st, wi, error);
      net->bias[i] = net->weights[i] ? ns_safetensors_load_f32 (st, bi, error) : NULL;
      if (net->bias[i] != NULL &&
          (!all_finite (net->weights[i], (gsize) net->out_ch[i] * expected_in * 9) ||
           !all_finite (net->bias[i], net->out_ch[i])))
        {
          g_set_error (error, NS_ERROR, NS_ERROR_BAD_WEIGHTS,
                       "%s or %s holds a value that is not a finite number", wname, bname);
          g_clear_pointer (&net->bias[i], g_free);
        }
      net->method[i] = choose_method (i, net->in_ch[i], net->out_ch[i]);
      if (net->bias[i] != NULL)
        ok = net->method[i] != CONV_IM2COL
          ? to_winograd (net, i, error) : flip_for_backward (net, i, error);
    }
  g_free (wname);
  g_free (bname);
  return ok;
}

/* Each 3 x 3 convolution reaches one position further, each 2 x 2 pool
 * one more and doubles the stride. */
static void
set_reach (VggNet *net)
{
  int radius = 0, stride = 1;

  for (int i = 0; i < NS_VGG19_CONVS; i++)
    {
      if (i > 0 && starts_block (i))
        {
          radius += stride;
          stride *= 2;
        }
      radius += stride;
      net->strides[i] = stride;
      net->radii[i] = radius;
    }
}

NsNetwork *
ns_vgg19_network_new_from_safetensors (NsSafetensors *st, GError **error)
{
  VggNet *net = g_new0 (VggNet, 1);

  net->parent.klass = &vgg_class;
  net->parent.name = "vgg19";
  net->parent.n_outputs = NS_VGG19_CONVS;
  net->parent.output_names = output_names;
  net->parent.n_style_outputs = G_N_ELEMENTS (style_outputs);
  net->parent.style_outputs = style_outputs;
  net->parent.content_output = content_output;
  net->parent.min_input_size = NS_VGG19_MIN_SIZE;
  net->parent.output_strides = net->strides;
  net->parent.output_radii = net->radii;
  net->parent.alignment = NS_VGG19_MIN_SIZE;
  net->parent.output_channels = net->out_ch;
  /* Every ReLU output to relu5_1, the losses' gradients on the style and
   * content outputs, the backward pass's two gradients and the bands of
   * transformed tiles: 2830 to 2910 bytes measured by the calibration
   * (test-vgg), 10 % more for safety.  (3900 with F(2x2), whose
   * transformed tiles took a whole layer.) */
  net->parent.eval_bytes_per_pixel = 3200.0;
  set_reach (net);
  for (int i = 0; i < NS_VGG19_CONVS; i++)
    if (!load_conv (net, st, i, error))
      {
        vgg_free (&net->parent);
        return NULL;
      }
  return &net->parent;
}

NsNetwork *
ns_vgg19_network_new (const char *path, GError **error)
{
  NsSafetensors *st = ns_safetensors_open (path, error);
  NsNetwork     *net;

  if (st == NULL)
    return NULL;
  net = ns_vgg19_network_new_from_safetensors (st, error);
  ns_safetensors_free (st);
  return net;
}
