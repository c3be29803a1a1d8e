/* test-winograd.c: the Winograd convolution equals a direct one.
 *
 * A direct 3x3 correlation in double precision is the reference, for odd and
 * even sizes (tiles cut by the border), a 1x1 image, with and without bias and
 * ReLU, a shape large enough to be split into several bands of tiles, and
 * backward passes, which read the forward layer's transformed kernels
 * mirrored and transposed.
 * Each case prints its worst relative error (RMS error over RMS value of
 * the checked channels) as a TAP comment.
 */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "ns-test-util.h"
#include "ns-winograd.h"

typedef struct
{
  int      c_in;
  int      c_out;
  int      h;
  int      w;
  gboolean bias;
  gboolean flipped;   /* the backward pass of a c_out -> c_in layer, from its U */
} ConvCase;

/* Output channel @o of relu (conv (in) + bias), or conv (in) without bias. */
static void
direct_conv_channel (const float *in, const float *weights, const float *bias,
                     const ConvCase *cc, int o, double *out)
{
  for (int y = 0; y < cc->h; y++)
    for (int x = 0; x < cc->w; x++)
      {
        double sum = bias != NULL ? bias[o] : 0.0;

        for (int c = 0; c < cc->c_in; c++)
          for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
              {
                int sy = y + i - 1, sx = x + j - 1;

                if (sy >= 0 && sy < cc->h && sx >= 0 && sx < cc->w)
                  sum += (double) weights[((gsize) o * cc->c_in + c) * 9 + i * 3 + j]
                         * in[((gsize) c * cc->h + sy) * cc->w + sx];
              }
        out[(gsize) y * cc->w + x] = bias != NULL ? MAX (sum, 0.0) : sum;
      }
}

static void
check_case (gconstpointer data)
{
  const ConvCase *cc = data;
  GRand          *rand = g_rand_new_with_seed (cc->c_in * 1000 + cc->h);
  gsize           hw = (gsize) cc->h * cc->w;
  float          *in = g_new (float, cc->c_in * hw);
  float          *weights = g_new (float, (gsize) cc->c_out * cc->c_in * 9);
  float          *bias = g_new (float, cc->c_out);
  float          *out = g_new (float, cc->c_out * hw);
  double         *want = g_new (double, hw), *got = g_new (double, hw);
  GError         *error = NULL;
  /* Checking every output channel directly would be slow for the large
   * case; the first, a middle and the last one see all weights' paths. */
  int             channels[3] = { 0, cc->c_out / 2, cc->c_out - 1 };

  ns_test_fill_random (rand, in, cc->c_in * hw, -1.0, 1.0);
  ns_test_fill_random (rand, weights, (gsize) cc->c_out * cc->c_in * 9, -0.3, 0.3);
  ns_test_fill_random (rand, bias, cc->c_out, -0.5, 0.5);
  double          worst = 0.0;
  float          *forward = g_new (float, (gsize) cc->c_out * cc->c_in * 9);
  float          *u;

  /* Flipped: @forward holds the c_out -> c_in layer's kernels (c_in x
   * c_out x 3 x 3), and @weights the same turned and swapped. */
  if (cc->flipped)
    {
      memcpy (forward, weights, (gsize) cc->c_out * cc->c_in * 9 * sizeof (float));
      for (int c = 0; c < cc->c_in; c++)
        for (int o = 0; o < cc->c_out; o++)
          for (int k = 0; k < 9; k++)
            weights[((gsize) o * cc->c_in + c) * 9 + (8 - k)] =
              forward[((gsize) c * cc->c_out + o) * 9 + k];
      u = ns_winograd_weights_new (forward, cc->c_out, cc->c_in, &error);
    }
  else
    u = ns_winograd_weights_new (weights, cc->c_in, cc->c_out, &error);
  g_assert_no_error (error);
  g_assert_true (ns_winograd_conv3x3 (in, cc->c_in, cc->c_out, cc->h, cc->w, u, cc->flipped,
                                      cc->bias ? bias : NULL, out, &error));
  g_assert_no_error (error);
  g_free (u);
  g_free (forward);
  for (int k = 0; k < 3; k++)
    {
      direct_conv_channel (in, weights, cc->bias ? bias : NULL, cc, channels[k], want);
      for (gsize i = 0; i < hw; i++)
        got[i] = out[channels[k] * hw + i];
      worst = MAX (worst, ns_test_relative_error (got, want, hw));
    }
  g_test_message ("F(2x2, 3x3) relative error %.2e", worst);
  g_assert_cmpfloat (worst, <, 1e-5);
  g_free (got);
  g_free (want);
  g_free (out);
  g_free (bias);
  g_free (weights);
  g_free (in);
  g_rand_free (rand);
}

int
main (int argc, char **argv)
{
  static const ConvCase cases[] = {
    { 16, 16, 8, 8, TRUE, FALSE },
    { 17, 20, 7, 9, FALSE, FALSE },      /* odd: half tiles at the bottom and right */
    { 16, 24, 1, 1, TRUE, FALSE },       /* one pixel: only the centre tap counts */
    { 24, 16, 1, 5, FALSE, FALSE },
    { 64, 32, 33, 40, TRUE, FALSE },
    { 128, 128, 150, 96, FALSE, FALSE }, /* two bands of tile rows */
    { 16, 16, 8, 8, FALSE, TRUE },
    { 17, 20, 7, 9, FALSE, TRUE },
    { 64, 32, 33, 40, FALSE, TRUE },
  };

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ConvCase *cc = &cases[i];
      char           *path = g_strdup_printf ("/winograd/%dx%d-%dx%d%s%s", cc->c_in, cc->c_out,
                                              cc->h, cc->w, cc->bias ? "-bias-relu" : "",
                                              cc->flipped ? "-backward" : "");

      g_test_add_data_func (path, cc, check_case);
      g_free (path);
    }
  return g_test_run ();
}
