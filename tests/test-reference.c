/* test-reference.c: the built-in network, its losses and their gradients
 * equal an independent PyTorch implementation (tests/reference/
 * builtin_reference.py, float64) on a tiny image. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ns-builtin.h"
#include "ns-losses.h"
#include "ns-test-util.h"

typedef struct
{
  int    ndim;
  int    dims[4];
  gsize  n;
  float *data;
} Array;

static const char *reference_path;

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
  NsImage *image;

  g_assert_cmpint (a->ndim, ==, 3);
  image = ns_image_new (a->dims[2], a->dims[1], a->dims[0], NULL);
  memcpy (image->data, a->data, a->n * sizeof (float));
  return image;
}

static double
relative_error_f (const float *got, const float *want, gsize n)
{
  double *a = g_new (double, n), *b = g_new (double, n), e;

  for (gsize i = 0; i < n; i++)
    a[i] = got[i], b[i] = want[i];
  e = ns_test_relative_error (a, b, n);
  g_free (a);
  g_free (b);
  return e;
}

typedef struct
{
  Array          x, s, c, features[NS_BUILTIN_LEVELS], grad_proj;
  Array          style_loss, grad_style, content_loss, grad_total;
  NsNetwork     *net;
  NsImage       *image;
  NsActivations *acts;
  NsTensor       grads[NS_BUILTIN_LEVELS];
} Reference;

static void
reference_load (Reference *r)
{
  FILE    *f = fopen (reference_path, "rb");
  gboolean all[NS_BUILTIN_LEVELS] = { TRUE, TRUE, TRUE, TRUE, TRUE };

  g_assert_nonnull (f);
  memset (r, 0, sizeof *r);
  read_array (f, &r->x);
  read_array (f, &r->s);
  read_array (f, &r->c);
  for (int l = 0; l < NS_BUILTIN_LEVELS; l++)
    read_array (f, &r->features[l]);
  read_array (f, &r->grad_proj);
  read_array (f, &r->style_loss);
  read_array (f, &r->grad_style);
  read_array (f, &r->content_loss);
  read_array (f, &r->grad_total);
  fclose (f);

  r->net = ns_builtin_network_new ();
  r->image = array_to_image (&r->x);
  r->acts = ns_network_forward (r->net, r->image, all, NULL);
  for (int l = 0; l < NS_BUILTIN_LEVELS; l++)
    {
      r->grads[l] = r->acts->outputs[l];
      r->grads[l].data = g_new0 (float, ns_tensor_size (&r->grads[l]));
    }
}

static void
reference_free (Reference *r)
{
  Array *arrays[] = { &r->x, &r->s, &r->c, &r->grad_proj, &r->style_loss,
                      &r->grad_style, &r->content_loss, &r->grad_total };

  for (guint i = 0; i < G_N_ELEMENTS (arrays); i++)
    g_free (arrays[i]->data);
  for (int l = 0; l < NS_BUILTIN_LEVELS; l++)
    {
      g_free (r->features[l].data);
      g_free (r->grads[l].data);
    }
  ns_activations_free (r->acts);
  ns_image_free (r->image);
  ns_network_free (r->net);
}

static void
test_features (void)
{
  Reference r;

  reference_load (&r);
  for (int l = 0; l < NS_BUILTIN_LEVELS; l++)
    {
      const NsTensor *t = &r.acts->outputs[l];

      g_assert_cmpint (r.features[l].dims[0], ==, t->channels);
      g_assert_cmpint (r.features[l].dims[1], ==, t->height);
      g_assert_cmpint (r.features[l].dims[2], ==, t->width);
      g_assert_cmpfloat (relative_error_f (t->data, r.features[l].data,
                                           r.features[l].n), <, 1e-5);
    }
  reference_free (&r);
}

static void
test_projection_gradient (void)
{
  Reference r;
  float    *grad;

  reference_load (&r);
  for (int l = 0; l < NS_BUILTIN_LEVELS; l++)
    for (gsize i = 0; i < ns_tensor_size (&r.grads[l]); i++)
      r.grads[l].data[i] = (float) cos (0.37 * i + l);
  grad = g_new (float, r.x.n);
  g_assert_true (ns_network_backward (r.net, r.acts, r.grads, grad, NULL));
  g_assert_cmpfloat (relative_error_f (grad, r.grad_proj.data, r.x.n), <, 1e-4);
  g_free (grad);
  reference_free (&r);
}

static NsStyleTarget *
target_of (NsNetwork *net, const Array *style)
{
  gboolean       all[NS_BUILTIN_LEVELS] = { TRUE, TRUE, TRUE, TRUE, TRUE };
  NsImage       *image = array_to_image (style);
  NsActivations *acts = ns_network_forward (net, image, all, NULL);
  NsStyleTarget *target = ns_style_target_new (net, net->n_style_outputs,
                                               net->style_outputs, NULL);

  ns_style_target_add (target, acts, 1.0, NULL);
  ns_style_target_finish (target, 1.0);
  ns_activations_free (acts);
  ns_image_free (image);
  return target;
}

static void
test_losses (void)
{
  Reference      r;
  NsStyleTarget *target;
  NsImage       *c;
  NsActivations *content;
  gboolean       level3[NS_BUILTIN_LEVELS] = { FALSE, FALSE, FALSE, TRUE, FALSE };
  float         *grad;
  double         ls, lc;

  reference_load (&r);
  grad = g_new (float, r.x.n);
  target = target_of (r.net, &r.s);

  /* Style alone. */
  ls = ns_style_loss (target, r.acts, 1.0, r.grads, NULL);
  g_assert_cmpfloat (fabs (ls - r.style_loss.data[0]) / r.style_loss.data[0], <, 1e-4);
  g_assert_true (ns_network_backward (r.net, r.acts, r.grads, grad, NULL));
  g_assert_cmpfloat (relative_error_f (grad, r.grad_style.data, r.x.n), <, 1e-3);

  /* Content (level 3) plus 5 x style, the default mix. */
  for (int l = 0; l < NS_BUILTIN_LEVELS; l++)
    memset (r.grads[l].data, 0, ns_tensor_size (&r.grads[l]) * sizeof (float));
  c = array_to_image (&r.c);
  content = ns_network_forward (r.net, c, level3, NULL);
  ns_style_loss (target, r.acts, 5.0, r.grads, NULL);
  lc = ns_content_loss (&r.acts->outputs[3], &content->outputs[3], 1.0, &r.grads[3]);
  g_assert_cmpfloat (fabs (lc - r.content_loss.data[0]) / r.content_loss.data[0], <, 1e-4);
  g_assert_true (ns_network_backward (r.net, r.acts, r.grads, grad, NULL));
  g_assert_cmpfloat (relative_error_f (grad, r.grad_total.data, r.x.n), <, 1e-3);

  ns_activations_free (content);
  ns_image_free (c);
  ns_style_target_free (target);
  g_free (grad);
  reference_free (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    {
      g_printerr ("usage: test-reference [GTEST-OPTIONS] builtin-reference.bin\n");
      return 2;
    }
  reference_path = argv[1];
  g_test_add_func ("/reference/builtin-features", test_features);
  g_test_add_func ("/reference/builtin-projection-gradient", test_projection_gradient);
  g_test_add_func ("/reference/builtin-losses", test_losses);
  return g_test_run ();
}
