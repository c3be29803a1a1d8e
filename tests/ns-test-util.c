/* ns-test-util.c: helpers shared by the core's test suites. */
#include "ns-test-util.h"

#include "ns-builtin.h"
#include "ns-vgg.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

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

const int ns_test_vgg19_channels[16] =
  { 64, 64, 128, 128, 256, 256, 256, 256, 512, 512, 512, 512, 512, 512, 512, 512 };

char *
ns_test_write_random_vgg19 (void)
{
  GString *header = g_string_new ("{");
  GRand   *rand = g_rand_new_with_seed (19);
  char    *path = NULL;
  FILE    *f;
  guint64  offset = 0, len;
  int      fd = g_file_open_tmp ("ns-test-vgg19-XXXXXX.safetensors", &path, NULL);

  close (fd);
  for (int i = 0; i < 16; i++)
    {
      int    in = i == 0 ? 3 : ns_test_vgg19_channels[i - 1], out = ns_test_vgg19_channels[i];
      gsize  nw = (gsize) out * in * 9 * 4;
      char  *w = ns_vgg19_weight_name (i, FALSE), *b = ns_vgg19_weight_name (i, TRUE);

      g_string_append_printf (header,
        "%s\"%s\":{\"dtype\":\"F32\",\"shape\":[%d,%d,3,3],\"data_offsets\":[%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT "]},"
        "\"%s\":{\"dtype\":\"F32\",\"shape\":[%d],\"data_offsets\":[%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT "]}",
        i ? "," : "", w, out, in, offset, offset + nw, b, out, offset + nw, offset + nw + out * 4);
      offset += nw + out * 4;
      g_free (w);
      g_free (b);
    }
  g_string_append (header, "}");
  len = header->len;
  f = fopen (path, "wb");
  fwrite (&len, 8, 1, f);
  fwrite (header->str, 1, header->len, f);
  for (int i = 0; i < 16; i++)
    {
      int    in = i == 0 ? 3 : ns_test_vgg19_channels[i - 1], out = ns_test_vgg19_channels[i];
      gsize  n = (gsize) out * in * 9;
      float *v = g_new (float, n);
      double scale = sqrt (2.0 / (in * 9)) * 1.7320508;   /* uniform: same variance */

      for (gsize k = 0; k < n; k++)
        v[k] = (float) (g_rand_double_range (rand, -1.0, 1.0) * scale);
      fwrite (v, sizeof (float), n, f);
      memset (v, 0, out * sizeof (float));
      fwrite (v, sizeof (float), out, f);
      g_free (v);
    }
  fclose (f);
  g_string_free (header, TRUE);
  g_rand_free (rand);
  return path;
}
