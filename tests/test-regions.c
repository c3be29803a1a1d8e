/* test-regions.c: styles limited to regions (guided Gram matrices), for
 * both networks: the masks' grids, the loss's normalisation, its gradient
 * against central differences, tiles, and a run whose halves take
 * different styles.
 *
 *   test-regions --tap DATA-DIR      (DATA-DIR holds vgg19-small.safetensors)
 */
#include <math.h>
#include <string.h>

#include "ns-error.h"
#include "ns-objective.h"
#include "ns-test-util.h"
#include "ns-threads.h"
#include "ns-transfer.h"

static const char *data_dir;

static NsNetwork *
open_network (const char *name)
{
  return ns_test_network_open (data_dir, strcmp (name, "builtin") == 0
                                         ? NULL : "vgg19-small.safetensors");
}

/* A soft left-to-right ramp: 1 at the left, 0 at the right, the change
 * over the middle third (a feathered boundary). */
static NsImage *
ramp_mask (int w, int h, gboolean inverse)
{
  NsImage *m = ns_image_new (w, h, 1, NULL);

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        double t = CLAMP ((x - w / 3.0) / (w / 3.0), 0.0, 1.0);

        m->data[(gsize) y * w + x] = (float) (inverse ? t : 1.0 - t);
      }
  return m;
}

static NsImage *
constant_mask (int w, int h, float value)
{
  NsImage *m = ns_image_new (w, h, 1, NULL);

  for (gsize i = 0; i < (gsize) w * h; i++)
    m->data[i] = value;
  return m;
}

static NsStyleTarget *
make_target (NsNetwork *net, const NsImage *style)
{
  NsStyleTarget *t = ns_style_target_new (net, net->n_style_outputs, net->style_outputs, NULL);

  g_assert_true (ns_style_target_add_image (t, net, style, NULL, 1.0, 0, NULL));
  ns_style_target_finish (t, 1.0);
  return t;
}

/* style_weight Ls + content_weight Lc at @x and its gradient into @grad. */
static double
evaluate (NsNetwork *net, const NsStyleRegion *regions, int n_regions,
          const NsImage *content, const NsImage *x, double content_weight,
          int core_side, float *grad)
{
  NsObjective *o = ns_objective_new (net, regions, n_regions, 5.0, content_weight, core_side);
  double       ls, lc, loss;
  GError      *error = NULL;

  g_assert_true (ns_objective_set_content (o, content, &error));
  loss = ns_objective_evaluate (o, x, grad, &ls, &lc, &error);
  g_assert_no_error (error);
  ns_objective_free (o);
  return loss;
}

/* Two styles on a feathered boundary: a ramp and its inverse over a
 * w x h content, and an image x near it. */
typedef struct
{
  NsNetwork     *net;
  NsImage       *content, *x, *styles[2], *masks[2];
  NsStyleTarget *targets[2];
  NsStyleRegion  regions[2];
} TwoRegions;

static void
two_regions_init (TwoRegions *t, const char *network, int w, int h)
{
  t->net = open_network (network);
  t->content = ns_test_pattern_image (w, h, 0.0);
  t->x = ns_test_pattern_image (w, h, 1.0);
  t->styles[0] = ns_test_pattern_image (40, 40, 2.0);
  t->styles[1] = ns_test_pattern_image (36, 44, 4.5);
  for (int r = 0; r < 2; r++)
    {
      t->masks[r] = ramp_mask (w, h, r == 1);
      t->targets[r] = make_target (t->net, t->styles[r]);
      t->regions[r] = (NsStyleRegion) { t->targets[r], t->masks[r] };
    }
}

static void
two_regions_clear (TwoRegions *t)
{
  for (int r = 0; r < 2; r++)
    {
      ns_style_target_free (t->targets[r]);
      ns_image_free (t->masks[r]);
      ns_image_free (t->styles[r]);
    }
  ns_image_free (t->x);
  ns_image_free (t->content);
  ns_network_free (t->net);
}

/* ------------------------------------------------------------- tests */

/* A map on an output's grid has the output's size (the objective indexes
 * one by the other), and a constant map stays constant. */
static void
test_map_grid (gconstpointer data)
{
  NsNetwork *net = open_network (data);
  const int  sizes[][2] = { { 77, 53 }, { 64, 48 }, { 23, 17 } };
  gboolean  *wanted = g_new0 (gboolean, net->n_outputs);

  for (int i = 0; i < net->n_style_outputs; i++)
    wanted[net->style_outputs[i]] = TRUE;
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      NsImage       *x = ns_test_pattern_image (sizes[s][0], sizes[s][1], 0.0);
      NsImage       *mask = constant_mask (sizes[s][0], sizes[s][1], 0.7f);
      NsActivations *acts = ns_network_forward (net, x, wanted, NULL);

      for (int i = 0; i < net->n_style_outputs; i++)
        {
          int             out = net->style_outputs[i];
          const NsTensor *f = &acts->outputs[out];
          NsImage        *map = ns_network_map_at_output (net, mask, out, NULL);

          g_assert_cmpint (map->width, ==, f->width);
          g_assert_cmpint (map->height, ==, f->height);
          for (gsize k = 0; k < (gsize) map->width * map->height; k++)
            g_assert_cmpfloat (fabsf (map->data[k] - 0.7f), <, 1e-6f);
          ns_image_free (map);
        }
      ns_activations_free (acts);
      ns_image_free (mask);
      ns_image_free (x);
    }
  g_free (wanted);
  ns_network_free (net);
}

/* A mask of one value v everywhere is one band at strength v: the loss
 * and gradient of the style everywhere at v times the style weight.  With
 * v = 1 this is the guided Gram's normalisation by the mask's mass; with
 * v = 0.5 the bands' strengths. */
typedef struct
{
  const char *network;
  float       value;
} ConstantCase;

static void
test_constant_mask (gconstpointer data)
{
  const ConstantCase *c = data;
  NsNetwork          *net = open_network (c->network);
  NsImage            *content = ns_test_pattern_image (64, 48, 0.0);
  NsImage            *style = ns_test_pattern_image (56, 56, 2.0);
  NsImage            *x = ns_test_pattern_image (64, 48, 1.0);
  NsImage            *mask = constant_mask (64, 48, c->value);
  NsStyleTarget      *target = make_target (net, style);
  NsObjective        *o = ns_objective_new (net, &(NsStyleRegion) { target, NULL }, 1,
                                            5.0 * c->value, 1.0, 0);
  gsize               n = ns_image_n_values (x);
  float              *plain = g_new (float, n), *masked = g_new (float, n);
  double              lp, lm, ls, lc;

  g_assert_true (ns_objective_set_content (o, content, NULL));
  lp = ns_objective_evaluate (o, x, plain, &ls, &lc, NULL);
  lm = evaluate (net, &(NsStyleRegion) { target, mask }, 1, content, x, 1.0, 0, masked);
  g_test_message ("%s, mask %g: loss %.9g vs %.9g, gradient error %.2e", c->network, c->value,
                  lm, lp, ns_test_relative_error_f (masked, plain, n));
  g_assert_cmpfloat (ls, >, 0.0);
  g_assert_cmpfloat (fabs (lm - lp) / lp, <=, 1e-6);
  g_assert_cmpfloat (ns_test_relative_error_f (masked, plain, n), <=, 1e-5);

  ns_objective_free (o);
  g_free (plain);
  g_free (masked);
  ns_style_target_free (target);
  ns_image_free (mask);
  ns_image_free (x);
  ns_image_free (style);
  ns_image_free (content);
  ns_network_free (net);
}

/* One term of the guided style loss straight from its definition, in
 * double: s (mass / HW) ||G - T||^2 / ||T||^2 with G = sum m f f^T / mass
 * over features @f (C x HW), s = @strength; adds its gradient to @grad
 * when given, as derived by hand: 4 s m(p) (G - T) f(p) / (HW ||T||^2). */
static double
guided_term (const double *f, int c, int hw, const float *m, const float *target,
             double norm, double strength, double *grad)
{
  double *g = g_new0 (double, (gsize) c * c), mass = 0.0, sq = 0.0;

  for (int p = 0; p < hw; p++)
    {
      mass += m[p];
      for (int a = 0; a < c; a++)
        for (int b = 0; b < c; b++)
          g[a * c + b] += m[p] * f[(gsize) a * hw + p] * f[(gsize) b * hw + p];
    }
  /* The objective leaves out a band this light (ns-objective.c). */
  if (!(mass > 1e-6 * hw))
    {
      g_free (g);
      return 0.0;
    }
  for (int k = 0; k < c * c; k++)
    {
      g[k] = g[k] / mass - target[k];
      sq += g[k] * g[k];
    }
  for (int p = 0; grad != NULL && p < hw; p++)
    for (int a = 0; a < c; a++)
      for (int b = 0; b < c; b++)
        grad[(gsize) a * hw + p] += 4.0 * strength * m[p] * g[a * c + b] * f[(gsize) b * hw + p]
                                    / (hw * norm);
  g_free (g);
  return strength * mass / hw * sq / norm;
}

/* Band @k's weights of a region's map (ns-objective.h), as written there. */
static float *
band_weights (const NsImage *map, int k)
{
  gsize  n = (gsize) map->width * map->height;
  float *m = g_new (float, n);

  for (gsize p = 0; p < n; p++)
    m[p] = (float) MAX (0.0, 1.0 - fabs (map->data[p] * NS_REGION_BANDS - k));
  return m;
}

/* The hand-derived gradient of guided_term against central differences
 * (in double: the term is a polynomial of the features). */
static void
check_term_gradient (const double *f, int c, int hw, const float *m,
                     const float *target, double norm, GRand *rand)
{
  double *grad = g_new0 (double, (gsize) c * hw), *moved = g_memdup2 (f, (gsize) c * hw * sizeof (double));
  double  num[8], ana[8];

  guided_term (f, c, hw, m, target, norm, 1.0, grad);
  for (int k = 0; k < 8; k++)
    {
      int    p, i;
      double eps, plus, minus;

      /* A feature at a position of the band: elsewhere both are 0. */
      do
        p = g_rand_int_range (rand, 0, hw);
      while (!(m[p] > 0.0f));
      i = g_rand_int_range (rand, 0, c) * hw + p;
      eps = 1e-3 * MAX (fabs (f[i]), 1e-2);
      moved[i] = f[i] + eps;
      plus = guided_term (moved, c, hw, m, target, norm, 1.0, NULL);
      moved[i] = f[i] - eps;
      minus = guided_term (moved, c, hw, m, target, norm, 1.0, NULL);
      moved[i] = f[i];
      num[k] = (plus - minus) / (2 * eps);
      ana[k] = grad[i];
    }
  g_test_message ("feature gradient error %.2e", ns_test_relative_error (ana, num, 8));
  g_assert_cmpfloat (fabs (ana[0]) + fabs (ana[7]), >, 0.0);
  g_assert_cmpfloat (ns_test_relative_error (ana, num, 8), <, 1e-5);
  g_free (grad);
  g_free (moved);
}

/* Two styles on a feathered boundary (a ramp and its inverse): the
 * objective's loss and image gradient against the definition of the
 * guided loss (whose feature gradient is checked by central differences)
 * taken back through the network (whose backward pass test-builtin,
 * test-vgg and test-reference check). */
static void
test_gradient (gconstpointer data)
{
  TwoRegions      t;
  NsNetwork      *net;
  NsStyleTarget **targets = t.targets;
  gsize           n;
  float          *got, *want;
  gboolean       *wanted;
  NsTensor       *grads;
  GRand          *rand = g_rand_new_with_seed (7);
  NsActivations  *acts;
  int             layers;
  double          loss = 0.0, got_loss;

  two_regions_init (&t, data, 48, 40);
  net = t.net;
  n = ns_image_n_values (t.x);
  got = g_new (float, n);
  want = g_new (float, n);
  wanted = g_new0 (gboolean, net->n_outputs);
  grads = g_new0 (NsTensor, net->n_outputs);
  layers = targets[0]->n_layers;
  got_loss = evaluate (net, t.regions, 2, t.content, t.x, 0.0, 0, got);
  for (int i = 0; i < layers; i++)
    wanted[targets[0]->outputs[i]] = TRUE;
  acts = ns_network_forward (net, t.x, wanted, NULL);
  for (int i = 0; i < layers; i++)
    {
      NsTensor *f = &acts->outputs[targets[0]->outputs[i]];
      int       c = f->channels, hw = f->width * f->height;
      double   *fd = g_new (double, (gsize) c * hw), *gd = g_new0 (double, (gsize) c * hw);

      for (gsize k = 0; k < (gsize) c * hw; k++)
        fd[k] = f->data[k];
      for (int r = 0; r < 2; r++)
        {
          NsImage *map = ns_network_map_at_output (net, t.masks[r], targets[r]->outputs[i], NULL);

          for (int k = 1; k <= NS_REGION_BANDS; k++)
            {
              float *m = band_weights (map, k);

              loss += guided_term (fd, c, hw, m, targets[r]->grams[i], targets[r]->norms[i],
                                   (double) k / NS_REGION_BANDS, gd) / layers;
              if (i == 0 && k == 2)
                check_term_gradient (fd, c, hw, m, targets[r]->grams[i],
                                     targets[r]->norms[i], rand);
              g_free (m);
            }
          ns_image_free (map);
        }
      grads[targets[0]->outputs[i]] = *f;
      grads[targets[0]->outputs[i]].data = g_new (float, (gsize) c * hw);
      for (gsize k = 0; k < (gsize) c * hw; k++)
        grads[targets[0]->outputs[i]].data[k] = (float) (5.0 / layers * gd[k]);
      g_free (fd);
      g_free (gd);
    }
  g_assert_true (ns_network_backward (net, acts, grads, want, NULL));
  g_test_message ("%s: loss %.9g, by definition %.9g; gradient error %.2e", (const char *) data,
                  got_loss, 5.0 * loss, ns_test_relative_error_f (got, want, n));
  g_assert_cmpfloat (fabs (got_loss - 5.0 * loss) / (5.0 * loss), <=, 1e-5);
  g_assert_cmpfloat (ns_test_relative_error_f (got, want, n), <=, 1e-4);

  ns_activations_free (acts);
  for (int k = 0; k < net->n_outputs; k++)
    g_free (grads[k].data);
  g_free (grads);
  g_free (wanted);
  g_free (got);
  g_free (want);
  g_rand_free (rand);
  two_regions_clear (&t);
}

/* The built-in network end to end: the image gradient against central
 * differences along random directions.  It is piecewise linear with few
 * kinks, so a small step crosses almost none (VGG19's many pools and
 * ReLUs make the same check too noisy for its tolerance). */
static void
test_gradient_end_to_end (void)
{
  TwoRegions     t;
  NsImage        moved;
  gsize          n;
  float         *grad, *scratch, *dir;
  GRand         *rand = g_rand_new_with_seed (7);
  const double   eps = 1e-4;
  double         num[6], ana[6];

  two_regions_init (&t, "builtin", 48, 40);
  n = ns_image_n_values (t.x);
  grad = g_new (float, n);
  scratch = g_new (float, n);
  dir = g_new (float, n);
  moved = *t.x;
  moved.data = g_new (float, n);
  evaluate (t.net, t.regions, 2, t.content, t.x, 0.0, 0, grad);
  for (int k = 0; k < 6; k++)
    {
      double plus, minus, dot = 0.0;

      ns_test_fill_random (rand, dir, n, -1.0, 1.0);
      for (gsize i = 0; i < n; i++)
        {
          dot += (double) grad[i] * dir[i];
          moved.data[i] = t.x->data[i] + (float) eps * dir[i];
        }
      plus = evaluate (t.net, t.regions, 2, t.content, &moved, 0.0, 0, scratch);
      for (gsize i = 0; i < n; i++)
        moved.data[i] = t.x->data[i] - (float) eps * dir[i];
      minus = evaluate (t.net, t.regions, 2, t.content, &moved, 0.0, 0, scratch);
      num[k] = (plus - minus) / (2 * eps);
      ana[k] = dot;
      g_test_message ("direction %d: analytic %.7g, central difference %.7g", k, ana[k], num[k]);
    }
  g_assert_cmpfloat (ns_test_relative_error (ana, num, 6), <, 1e-3);

  g_free (moved.data);
  g_free (grad);
  g_free (scratch);
  g_free (dir);
  g_rand_free (rand);
  two_regions_clear (&t);
}

/* Pixels that no region covers get no style gradient: a style limited to
 * the right edge leaves the gradient zero beyond the network's reach (and
 * the mask's spread as the pyramid blurs it). */
static void
test_uncovered_pixels (gconstpointer data)
{
  NsNetwork     *net = open_network (data);
  int            reach = 0, h = 24, w, edge;
  NsImage       *content, *x, *mask, *style = ns_test_pattern_image (40, 40, 2.0);
  NsStyleTarget *target = make_target (net, style);
  float         *grad;
  double         far = 0.0, near = 0.0;

  for (int i = 0; i < net->n_style_outputs; i++)
    reach = MAX (reach, net->output_radii[net->style_outputs[i]]
                        + 4 * net->output_strides[net->style_outputs[i]]);
  w = 2 * reach + 64;
  edge = w - 32;                         /* the region: x >= edge */
  content = ns_test_pattern_image (w, h, 0.0);
  x = ns_test_pattern_image (w, h, 1.0);
  mask = constant_mask (w, h, 0.0f);
  for (int y = 0; y < h; y++)
    for (int i = edge; i < w; i++)
      mask->data[(gsize) y * w + i] = 1.0f;
  grad = g_new (float, ns_image_n_values (x));
  evaluate (net, &(NsStyleRegion) { target, mask }, 1, content, x, 0.0, 0, grad);
  for (int c = 0; c < 3; c++)
    for (int y = 0; y < h; y++)
      for (int i = 0; i < w; i++)
        {
          double g = fabs (grad[((gsize) c * h + y) * w + i]);

          if (i < edge - reach)
            far = MAX (far, g);
          else if (i >= edge)
            near = MAX (near, g);
        }
  g_test_message ("%s: %d px wide, largest gradient beyond reach %g, inside %g",
                  (const char *) data, w, far, near);
  g_assert_cmpfloat (near, >, 0.0);
  g_assert_cmpfloat (far, ==, 0.0);

  g_free (grad);
  ns_style_target_free (target);
  ns_image_free (mask);
  ns_image_free (x);
  ns_image_free (content);
  ns_image_free (style);
  ns_network_free (net);
}

/* Over tiles the guided sums and gradients equal the whole image's: each
 * tile reads its part of the masks' maps. */
static void
test_tiled_equals_whole (gconstpointer data)
{
  int            w = 480, h = 144;
  TwoRegions     t;
  NsNetwork     *net;
  gsize          n;
  float         *whole, *tiled;
  double         lw, lt;
  gboolean      *wanted;
  GArray        *tiles;
  gboolean       inner = FALSE;

  two_regions_init (&t, data, w, h);
  net = t.net;
  n = ns_image_n_values (t.x);
  whole = g_new (float, n);
  tiled = g_new (float, n);
  wanted = g_new0 (gboolean, net->n_outputs);

  /* Some tile of the deepest output starts inside the image: its maps
   * are read from an offset. */
  wanted[net->style_outputs[net->n_style_outputs - 1]] = TRUE;
  tiles = ns_tiles_plan (net, wanted, w, h, 64, NS_TILES_GRADIENTS);
  for (guint i = 0; i < tiles->len; i++)
    inner = inner || g_array_index (tiles, NsTile, i).ex0 > 0;
  g_assert_true (inner);
  g_array_unref (tiles);
  g_free (wanted);

  lw = evaluate (net, t.regions, 2, t.content, t.x, 1.0, 0, whole);
  ns_set_num_threads (2);
  lt = evaluate (net, t.regions, 2, t.content, t.x, 1.0, 64, tiled);
  ns_set_num_threads (0);
  g_test_message ("%s: loss %.9g tiled, %.9g whole, gradient error %.2e", (const char *) data,
                  lt, lw, ns_test_relative_error_f (tiled, whole, n));
  g_assert_cmpfloat (fabs (lt - lw) / lw, <=, 1e-5);
  g_assert_cmpfloat (ns_test_relative_error_f (tiled, whole, n), <=, 1e-4);

  g_free (whole);
  g_free (tiled);
  two_regions_clear (&t);
}

/* A flat image of one colour with a little texture. */
static NsImage *
tinted_pattern (int w, int h, const float *rgb, double phase)
{
  NsImage *image = ns_test_pattern_image (w, h, phase);

  for (int c = 0; c < 3; c++)
    for (gsize i = 0; i < (gsize) w * h; i++)
      {
        float *v = &image->data[c * (gsize) w * h + i];

        *v = CLAMP (rgb[c] + 0.3f * (*v - 0.5f), 0.0f, 1.0f);
      }
  return image;
}

/* Mean of red minus blue over columns [x0, x1). */
static double
red_minus_blue (const NsImage *image, int x0, int x1)
{
  gsize  plane = (gsize) image->width * image->height;
  double sum = 0.0;

  for (int y = 0; y < image->height; y++)
    for (int x = x0; x < x1; x++)
      sum += image->data[(gsize) y * image->width + x]
             - image->data[2 * plane + (gsize) y * image->width + x];
  return sum / ((double) image->height * (x1 - x0));
}

/* A run with a red style on the left and a blue one on the right: each
 * half takes its own style's colour. */
static void
test_run_halves (void)
{
  NsNetwork        *net = ns_test_network_open (data_dir, NULL);
  int               w = 288, h = 96;
  const float       red[3] = { 0.85f, 0.2f, 0.15f }, blue[3] = { 0.15f, 0.25f, 0.85f };
  const float       grey[3] = { 0.5f, 0.5f, 0.5f };
  NsImage          *content = tinted_pattern (w, h, grey, 0.0);
  NsImage          *style_a = tinted_pattern (64, 64, red, 2.0);
  NsImage          *style_b = tinted_pattern (64, 64, blue, 3.0);
  NsImage          *left = ramp_mask (w, h, FALSE), *right = ramp_mask (w, h, TRUE);
  NsStyleSource     sources[2] = { { style_a, 1.0, left, NULL }, { style_b, 1.0, right, NULL } };
  NsTransferParams  p;
  NsImage          *result;
  GError           *error = NULL;
  double            l, r;

  ns_transfer_params_init (&p);
  p.iterations = 50;
  p.style_weight = 50.0;
  p.max_size = 0;
  p.max_scales = 1;
  result = ns_transfer (net, content, sources, 2, &p, &error);
  g_assert_no_error (error);
  l = red_minus_blue (result, 0, w / 3);
  r = red_minus_blue (result, 2 * w / 3, w);
  g_test_message ("red minus blue: left %.3f, right %.3f (content %.3f)", l, r,
                  red_minus_blue (content, 0, w));
  g_assert_cmpfloat (l, >, 0.15);
  g_assert_cmpfloat (r, <, -0.15);

  ns_image_free (result);
  ns_image_free (left);
  ns_image_free (right);
  ns_image_free (style_a);
  ns_image_free (style_b);
  ns_image_free (content);
  ns_network_free (net);
}

/* A style image red on the left and blue on the right, sampled on one
 * side only: the result takes that side's colour; sampling nothing is
 * refused. */
static void
test_sample_region (void)
{
  NsNetwork        *net = ns_test_network_open (data_dir, NULL);
  int               w = 128, h = 64, sw = 128, sh = 64;
  const float       red[3] = { 0.85f, 0.2f, 0.15f }, blue[3] = { 0.15f, 0.25f, 0.85f };
  const float       grey[3] = { 0.5f, 0.5f, 0.5f };
  NsImage          *content = tinted_pattern (w, h, grey, 0.0);
  NsImage          *reds = tinted_pattern (sw, sh, red, 2.0), *blues = tinted_pattern (sw, sh, blue, 3.0);
  NsImage          *style = ns_image_copy (reds, NULL);
  NsImage          *left = constant_mask (sw, sh, 0.0f), *right = constant_mask (sw, sh, 0.0f);
  NsImage          *none = constant_mask (sw, sh, 0.0f);
  NsTransferParams  p;
  double            rb[2];
  GError           *error = NULL;

  for (int c = 0; c < 3; c++)
    for (int y = 0; y < sh; y++)
      for (int x = sw / 2; x < sw; x++)
        style->data[((gsize) c * sh + y) * sw + x] = blues->data[((gsize) c * sh + y) * sw + x];
  for (int y = 0; y < sh; y++)
    for (int x = 0; x < sw; x++)
      (x < sw / 2 ? left : right)->data[(gsize) y * sw + x] = 1.0f;
  ns_transfer_params_init (&p);
  p.iterations = 50;
  p.style_weight = 50.0;
  p.max_size = 0;
  p.max_scales = 1;
  for (int side = 0; side < 2; side++)
    {
      NsStyleSource source = { style, 1.0, NULL, side == 0 ? left : right };
      NsImage      *result = ns_transfer (net, content, &source, 1, &p, &error);

      g_assert_no_error (error);
      rb[side] = red_minus_blue (result, 0, w);
      ns_image_free (result);
    }
  g_test_message ("red minus blue: sampled on the left %.3f, on the right %.3f", rb[0], rb[1]);
  g_assert_cmpfloat (rb[0], >, 0.1);
  g_assert_cmpfloat (rb[1], <, -0.1);
  g_assert_cmpfloat (rb[0] - rb[1], >, 0.3);
  {
    NsStyleSource source = { style, 1.0, NULL, none };

    g_assert_null (ns_transfer (net, content, &source, 1, &p, &error));
    g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
  }

  ns_image_free (none);
  ns_image_free (left);
  ns_image_free (right);
  ns_image_free (style);
  ns_image_free (reds);
  ns_image_free (blues);
  ns_image_free (content);
  ns_network_free (net);
}

/* Terms on the same feature maps add up, whatever their order and kind:
 * a region with a mask, one everywhere and a second one everywhere
 * (the first plain term writes its maps, later ones add; the content's
 * map, with no term at content weight 0, is zeros).  The gradient of
 * the regions together equals the sum of each region's alone. */
static void
test_terms_add (gconstpointer data)
{
  TwoRegions    t;
  NsStyleRegion everywhere[2];
  gsize         n;
  float        *together, *alone, *sum;
  static const int orders[][2] = { { 0, 2 }, { 2, 0 }, { 2, 3 } };

  two_regions_init (&t, data, 48, 40);
  n = ns_image_n_values (t.x);
  together = g_new (float, n);
  alone = g_new (float, n);
  sum = g_new (float, n);
  everywhere[0] = (NsStyleRegion) { t.targets[1], NULL };
  everywhere[1] = (NsStyleRegion) { t.targets[0], NULL };
  for (guint k = 0; k < G_N_ELEMENTS (orders); k++)
    {
      /* 0: the masked region, 2 and 3: the ones everywhere. */
      const NsStyleRegion *pick[4] = { &t.regions[0], &t.regions[1], &everywhere[0],
                                       &everywhere[1] };
      NsStyleRegion        both[2] = { *pick[orders[k][0]], *pick[orders[k][1]] };
      double               l_both, l_sum = 0.0;

      memset (sum, 0, n * sizeof (float));
      for (int r = 0; r < 2; r++)
        {
          l_sum += evaluate (t.net, &both[r], 1, t.content, t.x, 0.0, 0, alone);
          for (gsize i = 0; i < n; i++)
            sum[i] += alone[i];
        }
      l_both = evaluate (t.net, both, 2, t.content, t.x, 0.0, 0, together);
      g_assert_cmpfloat (fabs (l_both - l_sum), <, 1e-5 * l_sum);
      g_assert_cmpfloat (ns_test_relative_error_f (together, sum, n), <, 1e-4);
    }
  g_free (sum);
  g_free (alone);
  g_free (together);
  two_regions_clear (&t);
}

int
main (int argc, char **argv)
{
  static const char         *networks[] = { "builtin", "vgg19" };
  static const ConstantCase  constant_cases[] = {
    { "builtin", 1.0f }, { "vgg19", 1.0f }, { "builtin", 0.5f }, { "vgg19", 0.5f },
  };

  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  data_dir = argv[1];
  for (guint i = 0; i < G_N_ELEMENTS (networks); i++)
    {
      const struct
      {
        const char    *name;
        GTestDataFunc  func;
      } tests[] = {
        { "map-grid", test_map_grid },
        { "gradient", test_gradient },
        { "uncovered-pixels", test_uncovered_pixels },
        { "tiled-equals-whole", test_tiled_equals_whole },
        { "terms-add", test_terms_add },
      };

      for (guint t = 0; t < G_N_ELEMENTS (tests); t++)
        {
          g_autofree char *path = g_strdup_printf ("/regions/%s/%s", tests[t].name, networks[i]);

          g_test_add_data_func (path, networks[i], tests[t].func);
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (constant_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/regions/constant-mask/%s/%g",
                                               constant_cases[i].network, constant_cases[i].value);

      g_test_add_data_func (path, &constant_cases[i], test_constant_mask);
    }
  g_test_add_func ("/regions/gradient-end-to-end/builtin", test_gradient_end_to_end);
  g_test_add_func ("/regions/run-halves", test_run_halves);
  g_test_add_func ("/regions/sample-region", test_sample_region);
  return g_test_run ();
}
