/* test-builtin.c: the built-in network's shapes, kernels and exact
 * backward pass (checked against central differences, level by level). */
#include <math.h>

#include "ns-builtin.h"
#include "ns-error.h"
#include "ns-test-util.h"

/* The network is piecewise linear: r = F_pos - F_neg (and h likewise) is
 * linear in the input, and the ReLUs only select.  So with the ReLU pattern
 * of the centre point held fixed, L = sum R . F is exactly linear and
 * central differences are exact whatever the step, free of the kinks that
 * a plain difference would cross; only the backward pass's own maths is
 * being checked.  Channel pairs: r at [0, 24) / [24, 48), h at [48, 51) /
 * [51, 54). */
static double
projected_loss (NsNetwork *net, const NsImage *x, int level,
                const float *proj, const float *centre)
{
  gboolean       wanted[NS_BUILTIN_LEVELS] = { FALSE };
  NsActivations *acts;
  const NsTensor *f;
  gsize          plane;
  double         sum = 0.0;

  wanted[level] = TRUE;
  acts = ns_network_forward (net, x, wanted, NULL);
  g_assert_nonnull (acts);
  f = &acts->outputs[level];
  plane = (gsize) f->width * f->height;
  for (int c = 0; c < NS_BUILTIN_FEATURES; c++)
    {
      gboolean first = c < 24 || (c >= 48 && c < 51);
      int      pos = first ? c : (c < 48 ? c - 24 : c - 3);
      int      neg = pos + (pos < 24 ? 24 : 3);
      double   sign = first ? 1.0 : -1.0;

      for (gsize i = 0; i < plane; i++)
        {
          double linear = (double) f->data[pos * plane + i] - f->data[neg * plane + i];

          if (centre[c * plane + i] > 0.0f)
            sum += proj[c * plane + i] * sign * linear;
        }
    }
  ns_activations_free (acts);
  return sum;
}

static void
check_level_gradient (int level, int width, int height)
{
  NsNetwork     *net = ns_builtin_network_new ();
  NsImage       *x = ns_test_pattern_image (width, height, 0.3);
  gboolean       wanted[NS_BUILTIN_LEVELS] = { FALSE };
  NsTensor       grads[NS_BUILTIN_LEVELS] = { { 0 } };
  float         *centre;
  GRand         *rand = g_rand_new_with_seed (42 + level);
  NsActivations *acts;
  gsize          n = ns_image_n_values (x);
  float         *analytic = g_new (float, n);
  int            n_checks = 60;
  double        *num = g_new (double, n_checks), *ana = g_new (double, n_checks);
  const double   eps = 0.25;     /* exact for any step: see projected_loss */

  wanted[level] = TRUE;
  acts = ns_network_forward (net, x, wanted, NULL);
  grads[level] = acts->outputs[level];
  grads[level].data = g_new (float, ns_tensor_size (&grads[level]));
  ns_test_fill_random (rand, grads[level].data, ns_tensor_size (&grads[level]), -1, 1);
  centre = g_memdup2 (acts->outputs[level].data,
                      ns_tensor_size (&acts->outputs[level]) * sizeof (float));
  g_assert_true (ns_network_backward (net, acts, grads, analytic, NULL));
  ns_activations_free (acts);

  for (int k = 0; k < n_checks; k++)
    {
      gsize i = g_rand_int_range (rand, 0, (gint32) n);
      float saved = x->data[i];
      double plus, minus;

      x->data[i] = saved + eps;
      plus = projected_loss (net, x, level, grads[level].data, centre);
      x->data[i] = saved - eps;
      minus = projected_loss (net, x, level, grads[level].data, centre);
      x->data[i] = saved;
      num[k] = (plus - minus) / (2 * eps);
      ana[k] = analytic[i];
    }
  g_assert_cmpfloat (ns_test_relative_error (ana, num, n_checks), <, 1e-3);

  g_free (grads[level].data);
  g_free (centre);
  g_free (analytic);
  g_free (num);
  g_free (ana);
  g_rand_free (rand);
  ns_image_free (x);
  ns_network_free (net);
}

static void
test_gradient_levels (void)
{
  /* Odd sizes: reflect padding, ceil halving and the last level of one
   * pixel row all take part. */
  for (int level = 0; level < NS_BUILTIN_LEVELS; level++)
    check_level_gradient (level, 23, 17);
}

static void
test_gradient_tiny_input (void)
{
  /* Below the padding width every level folds its reflection repeatedly. */
  check_level_gradient (0, 8, 9);
  check_level_gradient (4, 8, 9);
}

static void
test_shapes (void)
{
  NsNetwork     *net = ns_builtin_network_new ();
  NsImage       *x = ns_test_pattern_image (37, 20, 0.0);
  gboolean       wanted[NS_BUILTIN_LEVELS] = { TRUE, FALSE, TRUE, FALSE, TRUE };
  NsActivations *acts = ns_network_forward (net, x, wanted, NULL);
  int            w = 37, h = 20;

  for (int l = 0; l < NS_BUILTIN_LEVELS; l++)
    {
      g_assert_cmpint (acts->outputs[l].width, ==, w);
      g_assert_cmpint (acts->outputs[l].height, ==, h);
      g_assert_cmpint (acts->outputs[l].channels, ==, NS_BUILTIN_FEATURES);
      g_assert_true ((acts->outputs[l].data != NULL) == wanted[l]);
      w = (w + 1) / 2;
      h = (h + 1) / 2;
    }
  g_assert_cmpint (ns_network_find_output (net, "level3"), ==, 3);
  g_assert_cmpint (net->content_output, ==, 3);
  ns_activations_free (acts);
  ns_image_free (x);
  ns_network_free (net);
}

static void
test_kernels (void)
{
  NsNetwork   *net = ns_builtin_network_new ();
  const float *k = ns_builtin_kernels (net);

  for (int i = 0; i < 8; i++)
    {
      double sum = 0.0, norm = 0.0;

      for (int t = 0; t < 49; t++)
        {
          sum += k[i * 49 + t];
          norm += k[i * 49 + t] * k[i * 49 + t];
        }
      g_assert_cmpfloat (fabs (norm - 1.0), <, 1e-5);
      g_assert_cmpfloat (fabs (sum), <, 1e-5);       /* even: made so; odd: by symmetry */
    }
  /* The 0-degree even kernel varies along x only through the carrier:
   * centre row, offsets +-2 are half a wavelength away, so negative. */
  g_assert_cmpfloat (k[3 * 7 + 3], >, 0.0f);
  g_assert_cmpfloat (k[3 * 7 + 5], <, 0.0f);
  ns_network_free (net);
}

static void
test_too_small (void)
{
  NsNetwork *net = ns_builtin_network_new ();
  NsImage   *x = ns_test_pattern_image (7, 30, 0.0);
  gboolean   wanted[NS_BUILTIN_LEVELS] = { TRUE };
  GError    *error = NULL;

  g_assert_null (ns_network_forward (net, x, wanted, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_IMAGE_TOO_SMALL);
  g_error_free (error);
  ns_image_free (x);
  ns_network_free (net);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/builtin/shapes", test_shapes);
  g_test_add_func ("/builtin/kernels", test_kernels);
  g_test_add_func ("/builtin/gradient-per-level", test_gradient_levels);
  g_test_add_func ("/builtin/gradient-tiny-input", test_gradient_tiny_input);
  g_test_add_func ("/builtin/too-small", test_too_small);
  return g_test_run ();
}
