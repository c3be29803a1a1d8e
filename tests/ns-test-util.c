/* ns-test-util.c: helpers shared by the core's test suites. */
#include "ns-test-util.h"

#include "ns-builtin.h"
#include "ns-vgg.h"

#include <math.h>

NsImage *
ns_test_pattern_image (int width, int height, double phase)
{
  NsImage *image = ns_image_new (width, height, 3, NULL);

  for (int c = 0; c < 3; c++)
    for (int y = 0; y < height; y++)
      for (int x = 0; x < width; x++)
        image->data[((gsize) c * height + y) * width + x] =
          (float) (0.5 + 0.3 * sin (0.9 * x + 0.5 * y + 1.7 * c + phase)
                   + 0.15 * cos (0.31 * x * y + c + 2.0 * phase));
  return image;
}

void
ns_test_fill_random (GRand *rand, float *data, gsize n, double lo, double hi)
{
  for (gsize i = 0; i < n; i++)
    data[i] = (float) g_rand_double_range (rand, lo, hi);
}

double
ns_test_relative_error (const double *a, const double *b, gsize n)
{
  double num = 0.0, den = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      num += (a[i] - b[i]) * (a[i] - b[i]);
      den += b[i] * b[i];
    }
  return sqrt (num) / MAX (sqrt (den), 1e-30);
}

double
ns_test_relative_error_f (const float *a, const float *b, gsize n)
{
  double num = 0.0, den = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      num += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
      den += (double) b[i] * b[i];
    }
  return sqrt (num) / MAX (sqrt (den), 1e-30);
}

NsNetwork *
ns_test_network_open (const char *data_dir, const char *weights)
{
  char      *path;
  NsNetwork *net;
  GError    *error = NULL;

  if (weights == NULL)
    return ns_builtin_network_new ();
  path = g_build_filename (data_dir, weights, NULL);
  net = ns_vgg19_network_new (path, &error);
  g_assert_no_error (error);
  g_free (path);
  return net;
}
