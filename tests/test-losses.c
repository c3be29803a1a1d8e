/* test-losses.c: Gram matrices and the content, style and TV losses:
 * values against direct sums, gradients against central differences. */
#include <math.h>
#include <string.h>

#include "ns-losses.h"
#include "ns-syrk.h"
#include "ns-test-util.h"

#define C 6
#define H 5
#define W 7

typedef struct
{
  NsActivations acts;
  NsTensor      outputs[2];
} FakeActs;

/* Activations with two outputs of random features (C x H x W, C x 3 x 4),
 * standing in for a network. */
static void
fake_acts_init (FakeActs *f, GRand *rand)
{
  memset (f, 0, sizeof *f);
  f->acts.outputs = f->outputs;
  f->outputs[0] = (NsTensor) { C, H, W, g_new (float, C * H * W) };
  f->outputs[1] = (NsTensor) { C, 3, 4, g_new (float, C * 3 * 4) };
  ns_test_fill_random (rand, f->outputs[0].data, C * H * W, 0, 1);
  ns_test_fill_random (rand, f->outputs[1].data, C * 3 * 4, 0, 1);
}

static void
fake_acts_clear (FakeActs *f)
{
  g_free (f->outputs[0].data);
  g_free (f->outputs[1].data);
}

static void
test_gram (void)
{
  GRand   *rand = g_rand_new_with_seed (1);
  FakeActs f;
  float    gram[C * C];

  fake_acts_init (&f, rand);
  ns_gram (&f.outputs[0], gram);
  for (int i = 0; i < C; i++)
    for (int j = 0; j < C; j++)
      {
        double s = 0.0;

        for (int k = 0; k < H * W; k++)
          s += (double) f.outputs[0].data[i * H * W + k] * f.outputs[0].data[j * H * W + k];
        g_assert_cmpfloat (fabs (gram[i * C + j] - s / (H * W)), <, 1e-5);
      }
  fake_acts_clear (&f);
  g_rand_free (rand);
}

static NsStyleTarget *
make_target (GRand *rand, const double *layer_weights)
{
  int            outputs[2] = { 0, 1 };
  NsStyleTarget *target = ns_style_target_new (NULL, 2, outputs, layer_weights);
  FakeActs       a, b;

  /* Two styles blended 1 : 3. */
  fake_acts_init (&a, rand);
  fake_acts_init (&b, rand);
  g_assert_true (ns_style_target_add (target, &a.acts, 1.0, NULL));
  g_assert_true (ns_style_target_add (target, &b.acts, 3.0, NULL));
  ns_style_target_finish (target, 4.0);
  fake_acts_clear (&a);
  fake_acts_clear (&b);
  return target;
}

static void
test_style_blend (void)
{
  GRand         *rand = g_rand_new_with_seed (2);
  GRand         *again = g_rand_new_with_seed (2);
  NsStyleTarget *target = make_target (rand, NULL);
  FakeActs       a, b;
  float          ga[C * C], gb[C * C];

  fake_acts_init (&a, again);
  fake_acts_init (&b, again);
  ns_gram (&a.outputs[0], ga);
  ns_gram (&b.outputs[0], gb);
  for (int k = 0; k < C * C; k++)
    g_assert_cmpfloat (fabs (target->grams[0][k] - (ga[k] + 3 * gb[k]) / 4), <, 1e-6);
  fake_acts_clear (&a);
  fake_acts_clear (&b);
  ns_style_target_free (target);
  g_rand_free (rand);
  g_rand_free (again);
}

static double
style_value (const NsStyleTarget *target, FakeActs *x)
{
  NsTensor none[2] = { { 0 } };

  return ns_style_loss (target, &x->acts, 0.0, none, NULL);
}

static void
test_style_gradient (void)
{
  GRand         *rand = g_rand_new_with_seed (3);
  double         layer_weights[2] = { 1.0, 2.5 };
  NsStyleTarget *target = make_target (rand, layer_weights);
  FakeActs       x;
  NsTensor       grads[2];
  double         num[2 * C * H * W], ana[2 * C * H * W];
  const double   eps = 3e-3, weight = 1.7;
  int            n = 0;

  fake_acts_init (&x, rand);
  for (int o = 0; o < 2; o++)
    {
      grads[o] = x.outputs[o];
      grads[o].data = g_new0 (float, ns_tensor_size (&x.outputs[o]));
    }
  g_assert_cmpfloat (ns_style_loss (target, &x.acts, weight, grads, NULL), >, 0.0);
  for (int o = 0; o < 2; o++)
    for (gsize i = 0; i < ns_tensor_size (&x.outputs[o]); i++, n++)
      {
        float  saved = x.outputs[o].data[i];
        double plus, minus;

        x.outputs[o].data[i] = saved + eps;
        plus = style_value (target, &x);
        x.outputs[o].data[i] = saved - eps;
        minus = style_value (target, &x);
        x.outputs[o].data[i] = saved;
        num[n] = weight * (plus - minus) / (2 * eps);
        ana[n] = grads[o].data[i];
      }
  g_assert_cmpfloat (ns_test_relative_error (ana, num, n), <, 1e-3);
  g_free (grads[0].data);
  g_free (grads[1].data);
  fake_acts_clear (&x);
  ns_style_target_free (target);
  g_rand_free (rand);
}

static void
test_style_zero_at_target (void)
{
  GRand         *rand = g_rand_new_with_seed (4);
  int            outputs[2] = { 0, 1 };
  NsStyleTarget *target = ns_style_target_new (NULL, 2, outputs, NULL);
  FakeActs       x;

  fake_acts_init (&x, rand);
  ns_style_target_add (target, &x.acts, 2.0, NULL);
  ns_style_target_finish (target, 2.0);
  g_assert_cmpfloat (style_value (target, &x), <, 1e-10);
  fake_acts_clear (&x);
  ns_style_target_free (target);
  g_rand_free (rand);
}

static void
test_content_gradient (void)
{
  GRand   *rand = g_rand_new_with_seed (5);
  FakeActs x, c;
  NsTensor grad;
  double   num[C * H * W], ana[C * H * W];
  const double eps = 1e-2, weight = 0.6;

  fake_acts_init (&x, rand);
  fake_acts_init (&c, rand);
  grad = x.outputs[0];
  grad.data = g_new0 (float, C * H * W);
  ns_content_loss (&x.outputs[0], &c.outputs[0], weight, &grad);
  for (int i = 0; i < C * H * W; i++)
    {
      float  saved = x.outputs[0].data[i];
      double plus, minus;

      x.outputs[0].data[i] = saved + eps;
      plus = ns_content_loss (&x.outputs[0], &c.outputs[0], 0.0, NULL);
      x.outputs[0].data[i] = saved - eps;
      minus = ns_content_loss (&x.outputs[0], &c.outputs[0], 0.0, NULL);
      x.outputs[0].data[i] = saved;
      num[i] = weight * (plus - minus) / (2 * eps);
      ana[i] = grad.data[i];
    }
  g_assert_cmpfloat (ns_test_relative_error (ana, num, C * H * W), <, 1e-3);
  g_assert_cmpfloat (ns_content_loss (&c.outputs[0], &c.outputs[0], 0.0, NULL), ==, 0.0);
  g_free (grad.data);
  fake_acts_clear (&x);
  fake_acts_clear (&c);
  g_rand_free (rand);
}

static void
test_tv (void)
{
  NsImage *x = ns_test_pattern_image (W, H, 0.2);
  gsize    n = ns_image_n_values (x);
  float   *grad = g_new0 (float, n);
  double  *num = g_new (double, n), *ana = g_new (double, n);
  const double eps = 1e-2, weight = 2.0;

  ns_tv_loss (x, weight, grad);
  for (gsize i = 0; i < n; i++)
    {
      float  saved = x->data[i];
      double plus, minus;

      x->data[i] = saved + eps;
      plus = ns_tv_loss (x, 0.0, NULL);
      x->data[i] = saved - eps;
      minus = ns_tv_loss (x, 0.0, NULL);
      x->data[i] = saved;
      num[i] = weight * (plus - minus) / (2 * eps);
      ana[i] = grad[i];
    }
  g_assert_cmpfloat (ns_test_relative_error (ana, num, n), <, 1e-3);

  /* A flat image has no variation at all. */
  for (gsize i = 0; i < n; i++)
    x->data[i] = 0.25f;
  g_assert_cmpfloat (ns_tv_loss (x, 0.0, NULL), ==, 0.0);
  g_free (grad);
  g_free (num);
  g_free (ana);
  ns_image_free (x);
}


/* The Gram product by our kernel (ns-syrk.c) against sums in double:
 * channel counts that do not fill its 4 x 6 blocks, positions that end
 * inside a vector and inside a chunk, rows further apart than their
 * length, beta 0 and 1; the lower triangle is left alone. */
static void
test_syrk (void)
{
  static const struct { int c, n, lda; float beta; } cases[] = {
    { 64, 4096, 4096, 0.0f },
    { 54, 5003, 5010, 0.0f },
    { 3, 20000, 20000, 1.0f },
    { 128, 9000, 9100, 1.0f },
    { 7, 4100, 4200, 0.0f },
  };
  GRand *rand = g_rand_new_with_seed (5);

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      int    c = cases[k].c, n = cases[k].n, lda = cases[k].lda;
      float *a = g_new (float, (gsize) c * lda), *out = g_new (float, c * c);
      float  alpha = 0.37f, beta = cases[k].beta;
      double worst = 0.0;

      g_assert_true (ns_syrk_uses_own (c, n));
      ns_test_fill_random (rand, a, (gsize) c * lda, -1.0, 1.0);
      for (int i = 0; i < c * c; i++)
        out[i] = (float) i;
      ns_syrk_upper (c, n, alpha, a, lda, beta, out);
      for (int i = 0; i < c; i++)
        for (int j = 0; j < c; j++)
          {
            double want = 0.0;

            if (j < i)
              {
                g_assert_cmpfloat (out[i * c + j], ==, (float) (i * c + j));
                continue;
              }
            for (int x = 0; x < n; x++)
              want += (double) a[(gsize) i * lda + x] * a[(gsize) j * lda + x];
            want = alpha * want + beta * (i * c + j);
            /* Relative to the diagonal's size, what the sums reach. */
            worst = MAX (worst, fabs (out[i * c + j] - want) / (alpha * n / 3.0));
          }
      g_test_message ("c %d n %d: error %.2e of the diagonal", c, n, worst);
      g_assert_cmpfloat (worst, <, 1e-5);
      g_free (out);
      g_free (a);
    }
  g_rand_free (rand);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/losses/gram", test_gram);
  g_test_add_func ("/losses/syrk", test_syrk);
  g_test_add_func ("/losses/style-blend", test_style_blend);
  g_test_add_func ("/losses/style-gradient", test_style_gradient);
  g_test_add_func ("/losses/style-zero-at-target", test_style_zero_at_target);
  g_test_add_func ("/losses/content-gradient", test_content_gradient);
  g_test_add_func ("/losses/tv-gradient", test_tv);
  return g_test_run ();
}
