/* test-vgg.c: VGG19 against PyTorch (tests/reference/vgg19_reference.py):
 * features, losses, input gradients, F16 weights, and a 20-step Adam run. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "ns-error.h"
#include "ns-estimate.h"
#include "ns-losses.h"
#include "ns-maxpool.h"
#include "ns-test-util.h"
#include "ns-transfer.h"
#include "ns-vgg.h"

static const char *data_dir;

typedef struct
{
  int    ndim;
  int    dims[4];
  gsize  n;
  float *data;
} Array;

static void
read_array (FILE *f, Array *a)
{
  g_assert_cmpint (fread (&a->ndim, sizeof (int), 1, f), ==, 1);
  g_assert_cmpint (a->ndim, <=, 4);
  g_assert_cmpint (fread (a->dims, sizeof (int), a->ndim, f), ==, a->ndim);
  a->n = 1;
  for (int i = 0; i < a->ndim; i++)
    a->n *= a->dims[i];
  a->data = g_new (float, a->n);
  g_assert_cmpint (fread (a->data, sizeof (float), a->n, f), ==, a->n);
}

static NsImage *
array_to_image (const Array *a)
{
  NsImage *image = ns_image_new (a->dims[2], a->dims[1], a->dims[0], NULL);

  memcpy (image->data, a->data, a->n * sizeof (float));
  return image;
}

#define N_FEATURES 6
static const char *const feature_names[N_FEATURES] =
  { "relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu4_2", "relu5_1" };

typedef struct
{
  Array      x, s, c, features[N_FEATURES], style_loss, grad_style;
  Array      content_loss, grad_total, adam_trace;
  NsNetwork *net;
} Ref;

static NsNetwork *
load_net (const char *file)
{
  char      *path = g_build_filename (data_dir, file, NULL);
  GError    *error = NULL;
  NsNetwork *net = ns_vgg19_network_new (path, &error);

  g_assert_no_error (error);
  g_free (path);
  return net;
}

static void
ref_load (Ref *r)
{
  char *path = g_build_filename (data_dir, "vgg19-reference.bin", NULL);
  FILE *f = fopen (path, "rb");

  g_assert_nonnull (f);
  read_array (f, &r->x);
  read_array (f, &r->s);
  read_array (f, &r->c);
  for (int i = 0; i < N_FEATURES; i++)
    read_array (f, &r->features[i]);
  read_array (f, &r->style_loss);
  read_array (f, &r->grad_style);
  read_array (f, &r->content_loss);
  read_array (f, &r->grad_total);
  read_array (f, &r->adam_trace);
  fclose (f);
  g_free (path);
  r->net = load_net ("vgg19-small.safetensors");
}

static void
ref_free (Ref *r)
{
  Array *all[] = { &r->x, &r->s, &r->c, &r->style_loss, &r->grad_style,
                   &r->content_loss, &r->grad_total, &r->adam_trace };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    g_free (all[i]->data);
  for (int i = 0; i < N_FEATURES; i++)
    g_free (r->features[i].data);
  ns_network_free (r->net);
}

static NsActivations *
forward_all (NsNetwork *net, const NsImage *x)
{
  gboolean wanted[NS_VGG19_CONVS] = { FALSE };

  wanted[ns_network_find_output (net, "relu5_1")] = TRUE;
  return ns_network_forward (net, x, wanted, NULL);
}

static void
test_features (void)
{
  Ref            r;
  NsImage       *x;
  NsActivations *acts;

  ref_load (&r);
  x = array_to_image (&r.x);
  acts = forward_all (r.net, x);
  g_assert_nonnull (acts);
  for (int i = 0; i < N_FEATURES; i++)
    {
      const NsTensor *t = &acts->outputs[ns_network_find_output (r.net, feature_names[i])];

      g_assert_cmpint (t->channels, ==, r.features[i].dims[0]);
      g_assert_cmpint (t->height, ==, r.features[i].dims[1]);
      g_assert_cmpint (t->width, ==, r.features[i].dims[2]);
      double          error = ns_test_relative_error_f (t->data, r.features[i].data, r.features[i].n);

      /* The Winograd tiles' rounding, stated (test-winograd: per layer). */
      g_test_message ("%s: relative error %.2e against PyTorch", feature_names[i], error);
      g_assert_cmpfloat (error, <, 1e-4);
    }
  /* Nothing past the deepest layer asked for is computed. */
  g_assert_null (acts->outputs[ns_network_find_output (r.net, "relu5_2")].data);
  ns_activations_free (acts);
  ns_image_free (x);
  ref_free (&r);
}

static void
test_f16_weights (void)
{
  Ref            r;
  NsNetwork     *half;
  NsImage       *x;
  NsActivations *a, *b;
  int            o;

  ref_load (&r);
  half = load_net ("vgg19-small-f16.safetensors");
  x = array_to_image (&r.x);
  a = forward_all (r.net, x);
  b = forward_all (half, x);
  o = ns_network_find_output (half, "relu5_1");
  /* The fixture's weights are F16-exact: F16 storage changes nothing. */
  g_assert_cmpmem (a->outputs[o].data, ns_tensor_size (&a->outputs[o]) * sizeof (float),
                   b->outputs[o].data, ns_tensor_size (&b->outputs[o]) * sizeof (float));
  ns_activations_free (a);
  ns_activations_free (b);
  ns_network_free (half);
  ns_image_free (x);
  ref_free (&r);
}

static void
test_losses_and_gradients (void)
{
  Ref            r;
  NsImage       *x, *s, *c;
  NsActivations *acts, *sa, *ca;
  NsStyleTarget *target;
  NsTensor       grads[NS_VGG19_CONVS] = { { 0 } };
  float         *grad;
  int            content;
  double         ls, lc;

  ref_load (&r);
  content = r.net->content_output;
  x = array_to_image (&r.x);
  s = array_to_image (&r.s);
  c = array_to_image (&r.c);
  acts = forward_all (r.net, x);
  sa = forward_all (r.net, s);
  ca = forward_all (r.net, c);
  target = ns_style_target_new (r.net, r.net->n_style_outputs, r.net->style_outputs, NULL);
  ns_style_target_add (target, sa, 1.0, NULL);
  ns_style_target_finish (target, 1.0);
  for (int i = 0; i < NS_VGG19_CONVS; i++)
    if (acts->outputs[i].data != NULL)
      {
        grads[i] = acts->outputs[i];
        grads[i].data = g_new0 (float, ns_tensor_size (&grads[i]));
      }
  grad = g_new (float, r.x.n);

  ls = ns_style_loss (target, acts, 1.0, grads, NULL);
  g_assert_cmpfloat (fabs (ls - r.style_loss.data[0]) / r.style_loss.data[0], <, 1e-4);
  g_assert_true (ns_network_backward (r.net, acts, grads, grad, NULL));
  g_assert_cmpfloat (ns_test_relative_error_f (grad, r.grad_style.data, r.x.n), <, 1e-3);

  for (int i = 0; i < NS_VGG19_CONVS; i++)
    if (grads[i].data != NULL)
      memset (grads[i].data, 0, ns_tensor_size (&grads[i]) * sizeof (float));
  ns_style_loss (target, acts, 5.0, grads, NULL);
  lc = ns_content_loss (&acts->outputs[content], &ca->outputs[content], 1.0, &grads[content]);
  g_assert_cmpfloat (fabs (lc - r.content_loss.data[0]) / r.content_loss.data[0], <, 1e-4);
  g_assert_true (ns_network_backward (r.net, acts, grads, grad, NULL));
  g_test_message ("gradient: relative error %.2e against PyTorch",
                  ns_test_relative_error_f (grad, r.grad_total.data, r.x.n));
  g_assert_cmpfloat (ns_test_relative_error_f (grad, r.grad_total.data, r.x.n), <, 1e-3);

  for (int i = 0; i < NS_VGG19_CONVS; i++)
    g_free (grads[i].data);
  g_free (grad);
  ns_style_target_free (target);
  ns_activations_free (acts);
  ns_activations_free (sa);
  ns_activations_free (ca);
  ns_image_free (x);
  ns_image_free (s);
  ns_image_free (c);
  ref_free (&r);
}

static void
record_loss (const NsProgress *p, gpointer data)
{
  double *trace = data;

  if (p->iteration >= 1 && p->iteration <= 20)
    trace[p->iteration - 1] = p->loss;
}

static void
test_adam_run (void)
{
  Ref              r;
  NsImage         *x, *s, *c, *result;
  NsStyleSource    style;
  NsTransferParams p;
  double           trace[20] = { 0 };

  ref_load (&r);
  x = array_to_image (&r.x);
  s = array_to_image (&r.s);
  c = array_to_image (&r.c);
  style = (NsStyleSource) { s, 1.0, NULL, NULL };
  ns_transfer_params_init (&p);
  p.optimiser = NS_OPTIMISER_ADAM;
  p.adam_learning_rate = 0.02;
  p.iterations = 20;
  p.max_size = 0;
  p.max_scales = 1;
  p.style_scale = 22.0 / 24.0;          /* keeps the 22 x 20 style as it is */
  p.init = NS_INIT_IMAGE;
  p.init_image = x;
  p.progress = record_loss;
  p.progress_data = trace;
  result = ns_transfer (r.net, c, &style, 1, &p, NULL);
  g_assert_nonnull (result);
  g_assert_cmpfloat (fabs (trace[0] - r.adam_trace.data[0]) / r.adam_trace.data[0], <, 1e-3);
  g_assert_cmpfloat (fabs (trace[19] - r.adam_trace.data[19]) / r.adam_trace.data[19], <, 0.02);
  g_assert_cmpfloat (trace[19], <, 0.5 * trace[0]);
  ns_image_free (result);
  ns_image_free (x);
  ns_image_free (s);
  ns_image_free (c);
  ref_free (&r);
}

/* The pool and its gradient against the rule written plainly, on values
 * with many ties (whole numbers 0..3: the first of equal maxima must win,
 * as in PyTorch), odd and even sizes, rows wide enough for the 16-window
 * vectors and a tail; windows of zeros, where the ReLU below the pool
 * stops the gradient.  Exact: the gradient is copied, never summed. */
static void
test_maxpool (void)
{
  static const int shapes[][3] = { { 3, 37, 70 }, { 2, 64, 96 }, { 1, 5, 7 } };
  GRand           *rand = g_rand_new_with_seed (7);

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      int    c = shapes[s][0], h = shapes[s][1], w = shapes[s][2], ho = h / 2, wo = w / 2;
      float *in = g_new (float, (gsize) c * h * w), *dout = g_new (float, (gsize) c * ho * wo);
      float *out = g_new (float, (gsize) c * ho * wo), *din = g_new (float, (gsize) c * h * w);
      float *want = g_new0 (float, (gsize) c * h * w);
      int    ties = 0, stopped = 0;

      for (gsize i = 0; i < (gsize) c * h * w; i++)
        in[i] = (float) g_rand_int_range (rand, 0, 4);
      for (gsize i = 0; i < (gsize) c * ho * wo; i++)
        dout[i] = (float) g_rand_double_range (rand, -1.0, 1.0);
      for (gsize i = 0; i < (gsize) c * h * w; i++)
        din[i] = NAN;                     /* every input must be written */
      ns_maxpool2x2 (in, c, h, w, out);
      ns_maxpool2x2_backward (in, dout, c, h, w, din);
      for (int ch = 0; ch < c; ch++)
        for (int y = 0; y < ho; y++)
          for (int x = 0; x < wo; x++)
            {
              gsize at[4], best = 0;

              at[0] = ((gsize) ch * h + 2 * y) * w + 2 * x;
              at[1] = at[0] + 1;
              at[2] = at[0] + w;
              at[3] = at[2] + 1;
              for (int k = 1; k < 4; k++)
                {
                  ties += in[at[k]] == in[at[best]];
                  if (in[at[k]] > in[at[best]])
                    best = k;
                }
              g_assert_cmpfloat (out[((gsize) ch * ho + y) * wo + x], ==, in[at[best]]);
              if (in[at[best]] > 0.0f)
                want[at[best]] = dout[((gsize) ch * ho + y) * wo + x];
              else
                stopped++;
            }
      g_assert_cmpint (ties, >=, c * ho * wo / 4);    /* about 3 in 4 expected */
      if (c * ho * wo > 1000)
        g_assert_cmpint (stopped, >, 0);               /* 1 in 256 expected */
      g_assert_cmpmem (din, (gsize) c * h * w * sizeof (float),
                       want, (gsize) c * h * w * sizeof (float));
      g_free (want);
      g_free (din);
      g_free (out);
      g_free (dout);
      g_free (in);
    }
  g_rand_free (rand);
}

/* The bytes per pixel that memory plans divide budgets by hold a
 * full-size VGG19's evaluations as measured, without wasting much: too
 * low, a run exceeds its budget; too high, its tiles are needlessly small
 * and mostly halo. */
static void
test_eval_bytes_per_pixel (void)
{
  char            *path;
  NsNetwork       *net;
  NsTransferParams p;
  NsCalibration    cal;
  GError          *error = NULL;

#if defined(__SANITIZE_ADDRESS__)
  g_test_skip ("resident memory under AddressSanitizer is not the program's");
  return;
#endif
  path = ns_test_write_random_vgg19 ();
  net = ns_vgg19_network_new (path, &error);
  g_assert_no_error (error);
  ns_transfer_params_init (&p);
  g_assert_true (ns_calibrate (net, &p, &cal, &error));
  g_assert_no_error (error);
  if (!cal.memory_measured)
    g_test_skip ("peak memory cannot be measured here");
  else
    {
      g_test_message ("measured %.0f bytes per pixel, planned %.0f", cal.bytes_per_pixel,
                      net->eval_bytes_per_pixel);
      g_assert_cmpfloat (cal.bytes_per_pixel, <=, net->eval_bytes_per_pixel);
      g_assert_cmpfloat (cal.bytes_per_pixel, >=, 0.8 * net->eval_bytes_per_pixel);
    }
  ns_network_free (net);
  g_unlink (path);
  g_free (path);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    {
      g_printerr ("usage: test-vgg [GTEST-OPTIONS] DATA-DIR\n");
      return 2;
    }
  data_dir = argv[1];
  g_test_add_func ("/vgg/features", test_features);
  g_test_add_func ("/vgg/f16-weights", test_f16_weights);
  g_test_add_func ("/vgg/losses-and-gradients", test_losses_and_gradients);
  g_test_add_func ("/vgg/adam-run", test_adam_run);
  g_test_add_func ("/vgg/maxpool", test_maxpool);
  g_test_add_func ("/vgg/eval-bytes-per-pixel", test_eval_bytes_per_pixel);
  return g_test_run ();
}
