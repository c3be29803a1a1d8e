/* test-winograd.c: the Winograd convolutions, F(2x2, 3x3), F(4x4, 3x3)
 * and F(6x6, 3x3), and the direct one for few channels (ns-direct.c)
 * equal a direct one in double precision.
 *
 * A direct 3x3 correlation in double precision is the reference, for odd and
 * even sizes (tiles cut by the border), a 1x1 image, with and without bias and
 * ReLU, channel counts that are not a multiple of F(4x4)'s block of 12,
 * shapes large enough to be split into several bands of tiles, rows of
 * tiles that do not fill whole vectors (numbered one longer and taken
 * several at a time by F(4x4) and F(6x6): 150 x 96, 70 x 250, 45 x 200),
 * and backward passes from the forward layer's kernels (F(2x2) reads the
 * forward U mirrored and transposed, F(4x4) and F(6x6) transposed, each
 * tile turned by 180 degrees before and after).
 * Each case prints its worst relative error (RMS error over RMS value of
 * the checked channels) as a TAP comment.
 */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "ns-direct.h"
#include "ns-simd.h"
#include "ns-test-util.h"
#include "ns-winograd.h"
#include "ns-winograd-large.h"

/* One way to convolve: its kernels from a forward layer's weights (c_out
 * x c_in x 3 x 3; @backward: for that layer's backward pass) and the pass
 * itself, with the error it is held to. */
typedef struct
{
  const char *name;
  double      tolerance;
  float    *(*weights_new) (const float *weights, int c_in, int c_out, gboolean backward,
                            GError **error);
  gboolean    tiled;   /* lays a grid of tiles where told (NsTileGrid) */
  gboolean  (*conv) (const float *in, int inputs, int outputs, int h, int w,
                     const float *u, int ox, int oy, gboolean backward, const float *bias,
                     float *out, GError **error);
} Variant;

static float *
f2_weights_new (const float *weights, int c_in, int c_out, gboolean backward, GError **error)
{
  (void) backward;     /* one U serves both passes */
  return ns_winograd_weights_new (weights, c_in, c_out, error);
}

/* F(4x4) and F(6x6): one U serves both passes. */
static float *
f4_weights_new (const float *weights, int c_in, int c_out, gboolean backward, GError **error)
{
  (void) backward;
  return ns_winograd_large_weights_new (weights, c_in, c_out, 4, error);
}

static gboolean
f4_conv (const float *in, int inputs, int outputs, int h, int w, const float *u,
         int ox, int oy, gboolean backward, const float *bias, float *out, GError **error)
{
  NsTileGrid grid = { 4, ox % 4, oy % 4 };

  return ns_winograd_large_conv3x3 (in, inputs, outputs, h, w, u, &grid, backward, bias, out,
                                    error);
}

static float *
f6_weights_new (const float *weights, int c_in, int c_out, gboolean backward, GError **error)
{
  (void) backward;
  return ns_winograd_large_weights_new (weights, c_in, c_out, 6, error);
}

static gboolean
f6_conv (const float *in, int inputs, int outputs, int h, int w, const float *u,
         int ox, int oy, gboolean backward, const float *bias, float *out, GError **error)
{
  NsTileGrid grid = { 6, ox % 6, oy % 6 };

  return ns_winograd_large_conv3x3 (in, inputs, outputs, h, w, u, &grid, backward, bias, out,
                                    error);
}

static gboolean
f2_conv (const float *in, int inputs, int outputs, int h, int w, const float *u,
         int ox, int oy, gboolean backward, const float *bias, float *out, GError **error)
{
  (void) ox;           /* F(2x2) lays its tiles from the image's corner */
  (void) oy;
  return ns_winograd_conv3x3 (in, inputs, outputs, h, w, u, backward, bias, out, error);
}

static gboolean
direct_conv (const float *in, int inputs, int outputs, int h, int w, const float *k,
             int ox, int oy, gboolean backward, const float *bias, float *out, GError **error)
{
  (void) ox;           /* no tiles */
  (void) oy;
  (void) backward;     /* the kernels are packed for their pass */
  return ns_direct_conv3x3 (in, NULL, NULL, inputs, outputs, h, w, k, bias, out, error);
}

/* F(2x2) measures up to 5.2e-7, F(4x4) up to 4.7e-6, F(6x6) up to 1.0e-5:
 * each is held to about ten times its own.  The direct convolution, which only sums in float,
 * measures up to 4.3e-7, held to the same. */
static const Variant variants[] = {
  { "f2", 1e-5, f2_weights_new, FALSE, f2_conv },
  { "f4", 3e-5, f4_weights_new, TRUE, f4_conv },
  { "f6", 1e-4, f6_weights_new, TRUE, f6_conv },
};
static const Variant direct_variant = { "direct", 3e-6, ns_direct_weights_new, FALSE,
                                        direct_conv };

typedef struct
{
  int      c_in;
  int      c_out;
  int      h;
  int      w;
  gboolean bias;
  gboolean flipped;   /* the backward pass of a c_out -> c_in layer */
  int      ox;        /* where the image lies in the grid of tiles (see */
  int      oy;        /* NsTileGrid): a window of a larger image */
} ConvCase;

typedef struct
{
  const Variant  *variant;
  const ConvCase *conv;
} TestCase;

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
  const Variant  *variant = ((const TestCase *) data)->variant;
  const ConvCase *cc = ((const TestCase *) data)->conv;
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
      u = variant->weights_new (forward, cc->c_out, cc->c_in, TRUE, &error);
    }
  else
    u = variant->weights_new (weights, cc->c_in, cc->c_out, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (variant->conv (in, cc->c_in, cc->c_out, cc->h, cc->w, u, cc->ox, cc->oy,
                                cc->flipped, cc->bias ? bias : NULL, out, &error));
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
  g_test_message ("%s relative error %.2e", variant->name, worst);
  g_assert_cmpfloat (worst, <, variant->tolerance);
  g_free (got);
  g_free (want);
  g_free (out);
  g_free (bias);
  g_free (weights);
  g_free (in);
  g_rand_free (rand);
}

/* The direct convolution's input through a ReLU's gradient, (in + add)
 * where relu_out > 0, else 0, is the same as convolving that masked input,
 * with and without @add. */
static void
test_direct_through_relu (void)
{
  int     c_in = 64, c_out = 3, h = 21, w = 70;
  gsize   hw = (gsize) h * w, n = (gsize) c_in * hw;
  GRand  *rand = g_rand_new_with_seed (7);
  float  *d = g_new (float, n), *add = g_new (float, n), *r = g_new (float, n);
  float  *masked = g_new (float, n), *weights = g_new (float, (gsize) c_in * c_out * 9);
  float  *want = g_new (float, c_out * hw), *got = g_new (float, c_out * hw);
  float  *k;
  int     zeros = 0;

  ns_test_fill_random (rand, d, n, -1.0, 1.0);
  ns_test_fill_random (rand, add, n, -1.0, 1.0);
  ns_test_fill_random (rand, r, n, -1.0, 1.0);
  ns_test_fill_random (rand, weights, (gsize) c_in * c_out * 9, -0.3, 0.3);
  /* Backward kernels of a c_out -> c_in layer. */
  k = ns_direct_weights_new (weights, c_out, c_in, TRUE, NULL);
  for (int with_add = 0; with_add < 2; with_add++)
    {
      for (gsize i = 0; i < n; i++)
        {
          masked[i] = r[i] > 0.0f ? d[i] + (with_add ? add[i] : 0.0f) : 0.0f;
          zeros += masked[i] == 0.0f;
        }
      g_assert_true (ns_direct_conv3x3 (masked, NULL, NULL, c_in, c_out, h, w, k, NULL, want,
                                        NULL));
      g_assert_true (ns_direct_conv3x3 (d, with_add ? add : NULL, r, c_in, c_out, h, w, k,
                                        NULL, got, NULL));
      g_assert_cmpmem (got, c_out * hw * sizeof (float), want, c_out * hw * sizeof (float));
    }
  /* The ReLU did cut: about half of each input. */
  g_assert_cmpint (zeros, >, (int) n / 2);
  g_free (k);
  g_free (got);
  g_free (want);
  g_free (weights);
  g_free (masked);
  g_free (r);
  g_free (add);
  g_free (d);
  g_rand_free (rand);
}

/* ns_vec_store of the lanes 0.5, 1.5 ... into @dst, its first @n of them:
 * as the core's hot loops are compiled (the processor's clone), and as
 * plain x86-64 (four SSE registers a vector), the portable path. */
NS_INLINE void
store_lanes_inline (float *dst, int n)
{
  NsVec16 v;

  for (int i = 0; i < NS_VEC; i++)
    v[i] = i + 0.5f;
  ns_vec_store (dst, v, n);
}

NS_HOT static void
store_lanes (float *dst, int n)
{
  store_lanes_inline (dst, n);
}

static void
store_lanes_plain (float *dst, int n)
{
  store_lanes_inline (dst, n);
}

/* Rows of fewer than 16 tiles go through the transforms as partial
 * vectors: every count of lanes lands whole, at any alignment, and not a
 * float past it. */
static void
test_store_part (void)
{
  for (int n = 0; n <= NS_VEC; n++)
    for (int at = 0; at < 4; at++)
      {
        float buf[NS_VEC + 8];

        for (int way = 0; way < 2; way++)
          {
            for (int i = 0; i < NS_VEC + 8; i++)
              buf[i] = -1.0f;
            (way == 0 ? store_lanes : store_lanes_plain) (buf + at, n);
            for (int i = 0; i < NS_VEC + 8; i++)
              {
                int lane = i - at;

                g_assert_cmpfloat (buf[i], ==, lane >= 0 && lane < n ? lane + 0.5f : -1.0f);
              }
          }
      }
}

int
main (int argc, char **argv)
{
  static const ConvCase cases[] = {
    { 16, 16, 8, 8, TRUE, FALSE, 0, 0 },
    { 17, 20, 7, 9, FALSE, FALSE, 0, 0 },      /* odd: half tiles at the bottom and right */
    { 16, 24, 1, 1, TRUE, FALSE, 0, 0 },       /* one pixel: only the centre tap counts */
    { 24, 16, 1, 5, FALSE, FALSE, 0, 0 },
    { 64, 32, 33, 40, TRUE, FALSE, 0, 0 },
    { 128, 128, 150, 96, FALSE, FALSE, 0, 0 }, /* two bands of tile rows for F(2x2) */
    { 256, 200, 200, 120, TRUE, FALSE, 0, 0 }, /* three for F(4x4) */
    { 16, 16, 8, 8, FALSE, TRUE, 0, 0 },
    { 17, 20, 7, 9, FALSE, TRUE, 0, 0 },
    { 64, 32, 33, 40, FALSE, TRUE, 0, 0 },
    { 200, 256, 200, 120, FALSE, TRUE, 0, 0 },
    { 512, 500, 16, 16, TRUE, FALSE, 0, 0 },   /* F(4x4) as a whole layer */
    { 500, 512, 96, 90, FALSE, TRUE, 0, 0 },   /* ... in two bands, backward */
    { 64, 64, 70, 250, TRUE, FALSE, 0, 0 },    /* rows of 63 and 42 tiles, bands across them */
    { 48, 40, 45, 200, FALSE, TRUE, 0, 0 },
    { 24, 20, 77, 127, FALSE, TRUE, 0, 0 },    /* a band holding only the tile past a row's end */
    { 32, 24, 41, 130, TRUE, FALSE, 3, 5 },  /* the grid moved: a window's */
    { 24, 32, 41, 130, FALSE, TRUE, 5, 1 },
    { 20, 20, 9, 100, FALSE, TRUE, 1, 2 },
  };
  /* The direct convolution's: few channels in or out (both of its
   * blocks), rows in several bands, the last one short, widths that end
   * inside a block of pixels. */
  static const ConvCase direct_cases[] = {
    { 3, 64, 40, 50, TRUE, FALSE, 0, 0 },      /* VGG19's first layer */
    { 64, 3, 37, 130, FALSE, TRUE, 0, 0 },     /* ... backward */
    { 3, 5, 1, 1, TRUE, FALSE, 0, 0 },
    { 8, 8, 17, 48, FALSE, FALSE, 0, 0 },
    { 5, 2, 20, 7, FALSE, TRUE, 0, 0 },
    { 2, 20, 33, 129, TRUE, FALSE, 0, 0 },
  };
  static TestCase tests[G_N_ELEMENTS (variants)][G_N_ELEMENTS (cases)];
  static TestCase direct_tests[G_N_ELEMENTS (direct_cases)];
  int             whole_layers = 0;

  /* Both of F(4x4)'s ways are among the cases. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    whole_layers += ns_winograd_large_whole_layer (cases[i].c_in, cases[i].c_out,
                                                   cases[i].h, cases[i].w, 4);
  g_assert_cmpint (whole_layers, >=, 2);
  g_assert_cmpint (whole_layers, <, (int) G_N_ELEMENTS (cases));

  g_test_init (&argc, &argv, NULL);
  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        const ConvCase *cc = &cases[i];
        char           *grid, *path;

        if ((cc->ox || cc->oy) && !variants[v].tiled)
          continue;
        grid = cc->ox || cc->oy ? g_strdup_printf ("-grid-%d-%d", cc->ox, cc->oy) : g_strdup ("");
        path = g_strdup_printf ("/winograd/%s/%dx%d-%dx%d%s%s%s", variants[v].name, cc->c_in,
                                cc->c_out, cc->h, cc->w, cc->bias ? "-bias-relu" : "",
                                cc->flipped ? "-backward" : "", grid);

        tests[v][i] = (TestCase) { &variants[v], cc };
        g_test_add_data_func (path, &tests[v][i], check_case);
        g_free (path);
        g_free (grid);
      }
  for (guint i = 0; i < G_N_ELEMENTS (direct_cases); i++)
    {
      const ConvCase *cc = &direct_cases[i];
      char           *path = g_strdup_printf ("/winograd/direct/%dx%d-%dx%d%s%s", cc->c_in,
                                              cc->c_out, cc->h, cc->w,
                                              cc->bias ? "-bias-relu" : "",
                                              cc->flipped ? "-backward" : "");

      direct_tests[i] = (TestCase) { &direct_variant, cc };
      g_test_add_data_func (path, &direct_tests[i], check_case);
      g_free (path);
    }
  g_test_add_func ("/winograd/direct/through-relu", test_direct_through_relu);
  g_test_add_func ("/winograd/store-part", test_store_part);
  return g_test_run ();
}
