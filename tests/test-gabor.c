/* test-gabor: the register-blocked 7 x 7 correlations against a plain
 * double-precision loop, at widths that end mid-vector, on a vector, and
 * mid-block (the backward pass works in blocks of 64 columns). */
#include <math.h>

#include "ns-gabor.h"
#include "ns-test-util.h"

static const int widths[] = { 1, 5, 15, 16, 17, 63, 64, 65, 100, 130 };

/* A plane of n floats and NS_GABOR_SLACK more, random in [-1, 1]. */
static float *
random_plane (GRand *rand, gsize n)
{
  float *p = g_new (float, n + NS_GABOR_SLACK);

  ns_test_fill_random (rand, p, n + NS_GABOR_SLACK, -1.0, 1.0);
  return p;
}

static double
correlation (const float *in, int stride, int y, int x, const float *taps)
{
  double sum = 0.0;

  for (int i = 0; i < 7; i++)
    for (int j = 0; j < 7; j++)
      sum += (double) taps[7 * i + j] * in[(gsize) (y + i) * stride + x + j];
  return sum;
}

static void
test_split_rows (void)
{
  GRand *rand = g_rand_new_with_seed (7);
  float  weights[NS_GABOR_KERNELS][NS_GABOR_TAPS];

  ns_test_fill_random (rand, weights[0], NS_GABOR_KERNELS * NS_GABOR_TAPS, -1.0, 1.0);
  for (guint t = 0; t < G_N_ELEMENTS (widths); t++)
    {
      int    w = widths[t], h = 5, stride = w + 6;
      gsize  n = (gsize) w * h;
      float *in = random_plane (rand, (gsize) stride * (h + 6));
      float *pos = g_new (float, NS_GABOR_KERNELS * n), *neg = g_new (float, NS_GABOR_KERNELS * n);

      /* Two bands, as two tasks would. */
      ns_gabor_split_rows (in, stride, w, 0, 2, weights, pos, neg, n);
      ns_gabor_split_rows (in, stride, w, 2, h, weights, pos, neg, n);
      for (int k = 0; k < NS_GABOR_KERNELS; k++)
        for (int y = 0; y < h; y++)
          for (int x = 0; x < w; x++)
            {
              double r = correlation (in, stride, y, x, weights[k]);
              gsize  at = k * n + (gsize) y * w + x;

              g_assert_cmpfloat_with_epsilon (pos[at], MAX (r, 0.0), 1e-5);
              g_assert_cmpfloat_with_epsilon (neg[at], MAX (-r, 0.0), 1e-5);
            }
      g_free (in);
      g_free (pos);
      g_free (neg);
    }
  g_rand_free (rand);
}

static void
test_sum_rows (void)
{
  GRand *rand = g_rand_new_with_seed (8);
  float  weights[NS_GABOR_KERNELS][NS_GABOR_TAPS];

  ns_test_fill_random (rand, weights[0], NS_GABOR_KERNELS * NS_GABOR_TAPS, -1.0, 1.0);
  for (guint t = 0; t < G_N_ELEMENTS (widths); t++)
    {
      int    w = widths[t], h = 4, stride = w + 6 + 3, out_stride = w + 2;
      gsize  map = (gsize) stride * (h + 6);
      float *in = random_plane (rand, NS_GABOR_KERNELS * map);
      float *out = g_new (float, (gsize) out_stride * h);

      for (gsize i = 0; i < (gsize) out_stride * h; i++)
        out[i] = 1234.0f;
      ns_gabor_sum_rows (in, map, stride, w, 0, h, weights, out, out_stride);
      for (int y = 0; y < h; y++)
        {
          for (int x = 0; x < w; x++)
            {
              double sum = 0.0;

              for (int k = 0; k < NS_GABOR_KERNELS; k++)
                sum += correlation (in + k * map, stride, y, x, weights[k]);
              g_assert_cmpfloat_with_epsilon (out[(gsize) y * out_stride + x], sum, 1e-4);
            }
          /* Nothing written between rows. */
          g_assert_cmpfloat (out[(gsize) y * out_stride + w], ==, 1234.0f);
        }
      g_free (in);
      g_free (out);
    }
  g_rand_free (rand);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/gabor/split-rows", test_split_rows);
  g_test_add_func ("/gabor/sum-rows", test_sum_rows);
  return g_test_run ();
}
