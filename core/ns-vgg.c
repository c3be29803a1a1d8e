/* ns-vgg.c: VGG19 forward and backward.
 *
 * A 3x3 convolution (zero padding 1) of C_in x H x W goes one of three
 * ways, by its channels (choose_method):
 *  - Winograd's F(4x4, 3x3) or F(6x6, 3x3) with our own products
 *    (ns-winograd-large.c), one copy of its kernels for both passes: every
 *    layer the losses reach but the first; F(6x6) where the layer is large
 *    enough (layer_grid);
 *  - Winograd's F(2x2, 3x3) with sgemm (ns-winograd.c), whose kernels take
 *    less than half the memory: the three layers past relu5_1, which no
 *    loss asks for;
 *  - the first layer's three input channels (three outputs backward) are
 *    too few for either: directly, in registers (ns-direct.c), its backward
 *    pass taking the gradient through relu1_1 as it reads it.
 * A convolution's input gradient is again such a convolution, of the output
 * gradient with the weights transposed (in <-> out) and flipped, so backward
 * reuses the forward code.
 */
#include "ns-vgg.h"

#include <math.h>
#include <string.h>

#include "ns-direct.h"
#include "ns-error.h"
#include "ns-maxpool.h"
#include "ns-pool.h"
#include "ns-relu.h"
#include "ns-simd.h"
#include "ns-threads.h"
#include "ns-winograd.h"
#include "ns-winograd-large.h"

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

/* Below this many channels in or out, Winograd's products are too thin to
 * run well and its transforms cost more than they save. */
#define WINOGRAD_MIN_CHANNELS 16

typedef enum
{
  CONV_DIRECT,
  CONV_WINOGRAD2,
  CONV_WINOGRAD_LARGE
} ConvMethod;

typedef struct
{
  NsNetwork     parent;
  int           strides[NS_VGG19_CONVS];      /* of each ReLU output */
  int           radii[NS_VGG19_CONVS];
  int           in_ch[NS_VGG19_CONVS];
  int           out_ch[NS_VGG19_CONVS];
  ConvMethod    method[NS_VGG19_CONVS];
  float        *weights[NS_VGG19_CONVS];      /* out x in x 9, until packed */
  /* Each layer's kernels for its method, the others NULL: the direct
   * convolution's for each pass; F(2x2)'s, F(4x4)'s and F(6x6)'s, once
   * for both. */
  float        *direct[NS_VGG19_CONVS];
  float        *direct_back[NS_VGG19_CONVS];
  float        *wino[NS_VGG19_CONVS];         /* 16 x out x in */
  float        *wino4[NS_VGG19_CONVS];        /* see ns_winograd_large_weights_new */
  float        *wino6[NS_VGG19_CONVS];        /* the same for F(6x6), or NULL */
  float        *bias[NS_VGG19_CONVS];
} VggNet;

typedef struct
{
  NsActivations parent;
  NsTensor      relu[NS_VGG19_CONVS];         /* every computed ReLU output */
  int           deepest;
  NsWindow      where;                        /* of the input */
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

/* F(6x6) takes 64 multiplications per 36 outputs where F(4x4) takes 36
 * per 16, but 64 floats of kernels per channel pair instead of 36 and a
 * tile of 6 px cut by the border.  Measured against F(4x4), per layer,
 * forward and backward alike: 64 channels at 256 and 512 px, 4 and 11 %
 * faster, at 864 px 18 %; 128 at 128 px 1.5 % slower, at 256 4 % and at
 * 432 18 % faster; 256 at 128 px 4 % slower, at 192 13 % and 216 9 %
 * faster.  With 512 channels its kernels (68 MB a layer) stream from
 * memory for the few tiles of blocks 4 and 5: those keep F(4x4). */
#define LARGE_TILES_MIN_SIDE     192
#define LARGE_TILES_MAX_CHANNELS 256

/* Layer @i's grid of Winograd tiles for an input at @where: its tile by
 * the layer's size in the whole image, laid as there, so that a window's
 * sums are the whole image's. */
static NsTileGrid
layer_grid (const VggNet *net, int i, const NsWindow *where)
{
  int        s = net->strides[i];
  gboolean   large = net->wino6[i] != NULL &&
                     MIN (where->whole_width / s, where->whole_height / s) >= LARGE_TILES_MIN_SIDE;
  NsTileGrid grid = { large ? 6 : 4, 0, 0 };

  grid.ox = where->x / s % grid.tile;
  grid.oy = where->y / s % grid.tile;
  return grid;
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
 * channel pair, 207 MB to relu5_1, and F(6x6)'s 64 besides for the layers
 * of at most 256 channels (71 MB).  The three past relu5_1, which no loss
 * asks for, keep F(2x2)'s 16 (50 MB instead of 113). */
static ConvMethod
choose_method (int conv, int c_in, int c_out)
{
  if (c_in < WINOGRAD_MIN_CHANNELS || c_out < WINOGRAD_MIN_CHANNELS)
    return CONV_DIRECT;
  return conv <= deepest_used () ? CONV_WINOGRAD_LARGE : CONV_WINOGRAD2;
}

/* Layer @i's pass on in (its inputs x h x w) into out: forward, relu
 * (conv (in) + bias); @backward (in: the gradient on its output, already
 * through its ReLU), the gradient on its input.  The direct convolution
 * goes backward in layer_backward, which gives it the ReLU to go
 * through. */
static gboolean
conv_layer (const VggNet *net, int i, gboolean backward, const NsWindow *where,
            const float *in, int h, int w, float *out, GError **error)
{
  NsTileGrid   grid;
  int          inputs = backward ? net->out_ch[i] : net->in_ch[i];
  int          outputs = backward ? net->in_ch[i] : net->out_ch[i];
  const float *bias = backward ? NULL : net->bias[i];

  switch (net->method[i])
    {
    case CONV_WINOGRAD_LARGE:
      grid = layer_grid (net, i, where);
      return ns_winograd_large_conv3x3 (in, inputs, outputs, h, w,
                                        grid.tile == 6 ? net->wino6[i] : net->wino4[i], &grid,
                                        backward, bias, out, error);
    case CONV_WINOGRAD2:
      return ns_winograd_conv3x3 (in, inputs, outputs, h, w, net->wino[i], backward,
                                  bias, out, error);
    case CONV_DIRECT:
    default:
      g_return_val_if_fail (!backward, FALSE);
      return ns_direct_conv3x3 (in, NULL, NULL, inputs, outputs, h, w, net->direct[i], bias,
                                out, error);
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
  gsize          first = (gsize) ch * job->plane;

  (void) n_tasks;
  ns_relu_gradient (job->d + first, job->d + first, job->g != NULL ? job->g + first : NULL,
                    job->r + first, job->plane);
}

/* Layer @i's backward pass: the gradient on its input into @out from @d,
 * the gradient on its ReLU's output (a->relu[i]), with the loss's own @g
 * (or NULL) added.  Through the ReLU in place in @d, unless the
 * convolution does it as it reads or, @masked, the max pool's gradient
 * did (and there is no @g to add). */
static gboolean
layer_backward (const VggNet *net, const VggActs *a, int i, float *d, gboolean masked,
                const float *g, float *out, GError **error)
{
  const NsTensor *r = &a->relu[i];

  if (net->method[i] == CONV_DIRECT)
    return ns_direct_conv3x3 (d, g, r->data, net->out_ch[i], net->in_ch[i], r->height,
                              r->width, net->direct_back[i], NULL, out, error);
  if (!masked || g != NULL)
    {
      ReluJob relu = { d, g, r->data, (gsize) r->height * r->width };

      ns_parallel_for (r->channels, relu_backward_task, &relu);
    }
  return conv_layer (net, i, TRUE, &a->where, d, r->height, r->width, out, error);
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
vgg_forward (NsNetwork *network, const NsImage *input, const NsWindow *where,
             const gboolean *wanted, GError **error)
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
  a->where = *where;
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
           conv_layer (net, i, FALSE, where, cur, h, w, a->relu[i].data, error);
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
  gboolean masked = FALSE;  /* d is already through relu[i]'s ReLU */
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
      conv_size = (gsize) net->in_ch[i] * h * w;
      dconv = ns_pool_alloc (conv_size, sizeof (float), error);
      ok = dconv != NULL && layer_backward (net, a, i, d, masked, grads[i].data, dconv, error);
      ns_pool_free (d, d_size, sizeof (float));
      d = dconv;
      d_size = conv_size;
      masked = FALSE;
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
          masked = TRUE;          /* the pool's gradient goes through relu[i - 1] */
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
      g_free (net->direct[i]);
      g_free (net->direct_back[i]);
      g_free (net->wino[i]);
      g_free (net->wino4[i]);
      g_free (net->wino6[i]);
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
  if (net->method[i] == CONV_WINOGRAD_LARGE)
    {
      net->wino4[i] = ns_winograd_large_weights_new (net->weights[i], net->in_ch[i],
                                                     net->out_ch[i], 4, error);
      if (net->wino4[i] == NULL)
        return FALSE;
      if (MAX (net->in_ch[i], net->out_ch[i]) <= LARGE_TILES_MAX_CHANNELS)
        {
          net->wino6[i] = ns_winograd_large_weights_new (net->weights[i], net->in_ch[i],
                                                         net->out_ch[i], 6, error);
          if (net->wino6[i] == NULL)
            return FALSE;
        }
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

/* Layer @i's kernels packed for the direct convolution, both passes; the
 * plain ones are then of no use. */
static gboolean
to_direct (VggNet *net, int i, GError **error)
{
  net->direct[i] = ns_direct_weights_new (net->weights[i], net->in_ch[i], net->out_ch[i],
                                          FALSE, error);
  net->direct_back[i] = net->direct[i] == NULL ? NULL
    : ns_direct_weights_new (net->weights[i], net->in_ch[i], net->out_ch[i], TRUE, error);
  if (net->direct_back[i] == NULL)
    return FALSE;
  g_clear_pointer (&net->weights[i], g_free);
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
        ok = net->method[i] != CONV_DIRECT
          ? to_winograd (net, i, error) : to_direct (net, i, error);
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
   * transformed tiles: 2760 to 2810 bytes measured by the calibration
   * (test-vgg, 96 and 192 px; 3065 to 3087 before F(6x6), which the
   * calibration's 192 px uses), 2710 between 512 and 768 px with F(4x4)
   * (ns-bench's resident memory); 10 % more for safety.  (3900 with
   * F(2x2), whose transformed tiles took a whole layer.) */
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
